"""Queries across the coded interviews: the matrix coding query and co-occurrence, each cell traceable back to
its passages, and export to CSV/XLSX.

Counting follows the reports (``reports/analysis.py``): only participant segments count; a mention coded with
polarity ``rejected`` ("we do not need budgeting") is no mention unless the polarity filter asks for it;
suggestions count only when the source filter asks for them.

* *segments*: coded segments in the cell;
* *interviews*: interviews with at least one such segment (a group interview counts once);
* *participants*: speakers (interview × speaker) with at least one such segment.

Shares: a *column share* divides by the units in the column's group (e.g. participants whose gender is
"female"), so groups of different sizes compare fairly; a *row share* divides by the row's total over all
columns (the units coded with the row's code at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gtna_analysis.atomic import atomic_path

from .data import ATTRIBUTES, ExploreData
from .retrieval import Filters, filter_codings, filter_segments

MEASURES = ("segments", "interviews", "participants")
SHARES = (None, "row", "column")
LEVELS = ("theme", "code")
UNITS = ("segment", "answer")
_UNIT_KEY = {"segments": "segment_id", "interviews": "interview_id", "participants": "participant_key"}


@dataclass
class Matrix:
    """A query's result: ``values`` (ids × column values) and what each cell holds."""

    values: pd.DataFrame
    cells: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (row, column) → segment ids
    row_labels: dict[str, str] = field(default_factory=dict)
    measure: str = "segments"
    share: str | None = None

    def passages(self, row: str, column: str) -> tuple[str, ...]:
        """The segment ids behind one cell (what a click on the cell shows)."""
        if row not in self.values.index or column not in self.values.columns:
            raise KeyError(f"no cell ({row!r}, {column!r}) in this matrix")
        return self.cells.get((row, column), ())

    def labelled(self) -> pd.DataFrame:
        """``values`` with row labels instead of ids (for display and export)."""
        out = self.values.copy()
        out.index = [self.row_labels.get(i, i) for i in out.index]
        return out


def coded_segments(data: ExploreData, filters: Filters | None = None) -> pd.DataFrame:
    """Codings that count, one row per (segment, code), with the segment's attributes and participant key."""
    filters = filters or Filters()
    codings = filter_codings(data, filters)
    if not filters.polarity and "polarity" in codings:
        codings = codings[codings["polarity"] != "rejected"]
    segments = filter_segments(data, filters)
    cols = ["segment_id", "speaker_id", "question_id", *[a for a in ATTRIBUTES if a not in ("agency",
                                                                                            "interview_id")]]
    merged = codings[["segment_id", "interview_id", "agency", "code_id", "theme_id"]].merge(
        segments[[c for c in cols if c in segments]], on="segment_id", how="inner")
    merged["participant_key"] = merged["interview_id"] + ":" + merged["speaker_id"].astype(str)
    return merged.drop_duplicates(["segment_id", "code_id"]).reset_index(drop=True)


def _row_labels(data: ExploreData, level: str) -> dict[str, str]:
    codes = data.tables.codes
    if level == "theme":
        first = codes.drop_duplicates("theme_id")
        return dict(zip(first["theme_id"], first[f"theme_label_{data.lang}"], strict=True))
    return dict(zip(codes["code_id"], codes[f"code_label_{data.lang}"], strict=True))


def matrix_query(data: ExploreData, rows: str = "theme", columns: str = "agency", measure: str = "interviews",
                 share: str | None = None, filters: Filters | None = None) -> Matrix:
    """Codes or themes (rows) × the values of an attribute or agency (columns)."""
    if rows not in LEVELS:
        raise ValueError(f"rows must be one of {', '.join(LEVELS)}")
    if columns not in ATTRIBUTES:
        raise ValueError(f"columns must be one of {', '.join(ATTRIBUTES)}")
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    if share not in SHARES:
        raise ValueError("share must be None, 'row' or 'column'")
    key = "theme_id" if rows == "theme" else "code_id"
    unit = _UNIT_KEY[measure]
    coded = coded_segments(data, filters)
    coded = coded[coded[columns].notna() & (coded[columns].astype(str) != "")]
    coded = coded.assign(_col=coded[columns].astype(str))
    labels = _row_labels(data, rows)
    column_values = data.attribute_values(columns) if columns not in ("agency",) else [
        a for a in data.tables.agencies]
    counts = coded.groupby([key, "_col"])[unit].nunique().unstack(fill_value=0)
    counts = counts.reindex(index=list(labels), columns=column_values, fill_value=0).fillna(0).astype("int64")
    cells = {(r, c): tuple(sorted(g["segment_id"].unique())) for (r, c), g in coded.groupby([key, "_col"])}
    values: pd.DataFrame = counts
    if share == "row":
        totals = coded.groupby(key)[unit].nunique().reindex(counts.index).fillna(0)
        values = counts.div(totals.where(totals > 0), axis=0).fillna(0.0)
    elif share == "column":
        values = counts.div(_group_sizes(data, columns, measure, filters).reindex(counts.columns), axis=1)
        values = values.fillna(0.0)
    return Matrix(values, cells, labels, measure, share)


def _group_sizes(data: ExploreData, attribute: str, measure: str, filters: Filters | None) -> pd.Series:
    """Units (participant segments, interviews or participants) in each group of ``attribute``."""
    seg = filter_segments(data, Filters(**{**(filters or Filters()).__dict__, "segment_ids": None}))
    seg = seg.assign(participant_key=seg["interview_id"] + ":" + seg["speaker_id"].astype(str))
    unit = _UNIT_KEY[measure]
    sizes = seg.groupby(seg[attribute].astype(str))[unit].nunique()
    return sizes.where(sizes > 0)


def cooccurrence_query(data: ExploreData, level: str = "theme", unit: str = "segment",
                       filters: Filters | None = None) -> Matrix:
    """How many segments (or answers: one speaker's segments under one question of an interview) are coded
    with both row and column; the diagonal holds the units coded with the row at all."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}")
    key = "theme_id" if level == "theme" else "code_id"
    coded = coded_segments(data, filters)
    if unit == "answer":
        coded = coded.assign(_unit=coded["interview_id"] + "|" + coded["question_id"].fillna("").astype(str)
                             + "|" + coded["speaker_id"].astype(str))
    else:
        coded = coded.assign(_unit=coded["segment_id"])
    labels = _row_labels(data, level)
    ids = [i for i in labels if i in set(coded[key])]
    if coded.empty:
        return Matrix(pd.DataFrame(index=ids, columns=ids, dtype="int64"), {}, labels, unit)
    onehot = pd.crosstab(coded["_unit"], coded[key]).clip(upper=1).reindex(columns=ids, fill_value=0)
    values = (onehot.T @ onehot).astype("int64")
    units_of = coded.groupby(key)["_unit"].agg(set).to_dict()
    segments_of = coded.groupby("_unit")["segment_id"].agg(set).to_dict()
    per_unit_codes = coded.groupby(["_unit", key])["segment_id"].agg(set).to_dict()
    cells: dict[tuple[str, str], tuple[str, ...]] = {}
    for a in ids:
        for b in ids:
            shared = units_of.get(a, set()) & units_of.get(b, set())
            if not shared:
                continue
            found: set[str] = set()
            for u in shared:  # a segment unit is its own passage; an answer shows its segments coded a or b
                found |= segments_of[u] if unit == "segment" else per_unit_codes[(u, a)] | per_unit_codes[(u, b)]
            cells[(a, b)] = tuple(sorted(found))
    return Matrix(values, cells, labels, unit)


def export(frame: pd.DataFrame, path: str | Path, sheet: str = "query") -> Path:
    """Write a query result to ``.csv`` (UTF-8 with BOM, so Excel shows Georgian) or ``.xlsx``, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{path}: export to .csv or .xlsx")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            frame.to_csv(tmp, encoding="utf-8-sig", lineterminator="\n")
        else:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                frame.to_excel(writer, sheet_name=sheet[:31])
    return path
