"""Human review wins: corrected design sheets in ``<study>/reviews/`` replace the extracted designs.

``gtna export --format xlsx`` writes a ``designs`` sheet (the designs table). A researcher corrects it — hours of
a part, a scope, a primary format — and saves the sheet (.xlsx with a ``designs`` sheet, or .csv) in
``<study>/reviews/``. On the next build every (participant, scope) the sheet lists replaces what extraction
found for it, marked ``reviewed``; the report says how many designs a person reviewed. Extraction is a first
reading; the sheet is the analyst's word.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.ingest.readers.limits import check_zip
from gtna_analysis.schema import DESIGN_COLUMNS

from .designs import PART_FORMATS, SCOPES

REVIEW_SUFFIXES = (".csv", ".xlsx")
REQUIRED = ("participant_key", "scope", "part_no")
_NUMBERS = ("hours", "min_hours", "max_hours", "sessions")
_FORMATS = ("in_person", "online", "blended")


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        check_zip(path)  # openpyxl would inflate a zip bomb's sheet without bound
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
            raise GtnaError.at(path, None, f"cannot read the workbook: {exc}") from None
        sheet = book["designs"] if "designs" in book.sheetnames else book.worksheets[0]
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        import csv

        with path.open(encoding="utf-8-sig", newline="") as handle:
            values = list(csv.reader(handle))
    if not values:
        raise GtnaError.at(path, 1, "empty sheet", f"expected a header row with {', '.join(REQUIRED)}")
    header = [h.strip().lower() for h in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise GtnaError.at(path, 1, f"missing column(s) {', '.join(missing)}", "export one with gtna export")
    return [(i, dict(zip(header, (v.strip() for v in row), strict=False)))
            for i, row in enumerate(values[1:], start=2) if any(v.strip() for v in row)]


def _number(value: str) -> float | None:
    if value in ("", "nan", "None", "<NA>"):
        return None
    return float(value.replace(",", "."))


def load_reviews(folder: Path, participants: set[str]) -> pd.DataFrame:
    """Every review sheet of ``folder``, validated (file:line for each problem, all at once)."""
    if not folder.is_dir():
        return pd.DataFrame(columns=DESIGN_COLUMNS)
    log = ProblemLog()
    rows: list[dict] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in REVIEW_SUFFIXES
                       and not p.name.startswith((".", "~$"))):
        try:
            sheet = _rows(path)
        except GtnaError as exc:
            log.extend(exc)
            continue
        for line, row in sheet:
            key, scope = row.get("participant_key", ""), row.get("scope", "") or "self"
            if key not in participants:
                log.add(path, line, f"unknown participant_key {key!r}", "use interview_id:speaker_id from the build")
                continue
            if scope not in SCOPES:
                log.add(path, line, f"unknown scope {scope!r}", f"use one of {', '.join(SCOPES)}")
                continue
            try:
                numbers = {n: _number(row.get(n, "")) for n in _NUMBERS}
                part_no = int(float(row.get("part_no") or 0))
            except ValueError:
                log.add(path, line, "hours, bounds, sessions and part_no must be numbers")
                continue
            fmt = row.get("format", "") or None
            if fmt is not None and fmt not in PART_FORMATS:
                log.add(path, line, f"unknown part format {fmt!r}", f"use one of {', '.join(PART_FORMATS)}")
                continue
            primary, support = row.get("format_primary", "") or None, row.get("format_support", "") or None
            if any(f is not None and f not in _FORMATS for f in (primary, support)):
                log.add(path, line, "format_primary/format_support must be in_person, online or blended")
                continue
            interview_id, _, speaker_id = key.partition(":")
            rows.append({"interview_id": interview_id, "speaker_id": speaker_id, "participant_key": key,
                         "scope": scope, "part_no": part_no, "format": fmt, **numbers,
                         "format_primary": primary, "format_support": support,
                         "support_purpose": row.get("support_purpose", "") or None,
                         "rejected_formats": row.get("rejected_formats", ""),
                         "follow_up": row.get("follow_up", "").lower() in ("true", "1", "yes", "x"),
                         "avoid_periods": row.get("avoid_periods", ""), "hypothetical": False,
                         "segment_id": row.get("segment_id", ""), "evidence": row.get("evidence", ""),
                         "reviewed": True})
    log.raise_if_any()
    return pd.DataFrame(rows)


def apply_reviews(designs: pd.DataFrame, reviews: pd.DataFrame, agency_of: dict[str, str]) -> pd.DataFrame:
    """``designs`` with every reviewed (participant, scope) replaced by its review rows (totals recomputed)."""
    if reviews.empty:
        return designs
    reviews = reviews.assign(agency=reviews["interview_id"].map(agency_of))
    parts = reviews[reviews["hours"].notna()]
    totals = parts.groupby(["participant_key", "scope"])["hours"].sum()
    reviews["total_hours"] = [totals.get((k, s)) for k, s in zip(reviews["participant_key"], reviews["scope"],
                                                                 strict=True)]
    reviewed = set(zip(reviews["participant_key"], reviews["scope"], strict=True))
    keep = designs[[(k, s) not in reviewed for k, s in zip(designs["participant_key"], designs["scope"],
                                                          strict=True)]]
    merged = pd.concat([keep, reviews.reindex(columns=DESIGN_COLUMNS)], ignore_index=True)
    merged = merged.sort_values(["interview_id", "speaker_id", "scope", "part_no"], kind="stable")
    return merged.reset_index(drop=True).astype(designs.dtypes.to_dict())
