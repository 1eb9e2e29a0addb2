"""Coding in place: a researcher's decisions on suggested and auto codes, and codes added to passages or spans,
saved as a coding sheet in ``<study>/codings/<coder>.csv`` — the documented sheet format that ``gtna build``
merges (``coding/human.py``), so the next build picks the work up. Plus the comparison of two coders.

The sheet's columns: ``segment_id, code_id, coder, start_char, end_char, polarity, origin, verdict,
rejected_code, memo``. The build reads the first six (``start_char``/``end_char`` empty = the whole segment)
and ignores the rest, which record where the decision came from:

* accept (``verdict = accept``): a row with the code — it enters ``codings`` as ``source = manual``;
* reject (``verdict = reject``): a row with an empty ``code_id`` (the coder *read* the segment: agreement
  statistics count it) and the rejected code in ``rejected_code``. The next build leaves a rejected *auto*
  code out of the analysed codings (``coding/human.py`` ``apply_rejections``: unless another coder coded it)
  and lists it in the ``rejections`` table; rejecting a suggestion just leaves it out;
* add (``verdict = add``): a code the coder gave a segment or a span of it.

Every save rewrites the whole file atomically; a file also edited by hand keeps its other rows and columns.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gtna_analysis.atomic import write_text_atomic
from gtna_analysis.coding.agreement import CoderSet, agreement, disagreements
from gtna_analysis.coding.human import auto_coder_output, read_rows
from gtna_analysis.paths import CODINGS_FOLDER

from .data import ExploreData

SHEET_COLUMNS = ["segment_id", "code_id", "coder", "start_char", "end_char", "polarity", "origin", "verdict",
                 "rejected_code", "memo"]
ORIGINS = ("suggested", "auto", "manual")
_CODER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
AUTO = "auto"


class CodingError(ValueError):
    """A decision that cannot be saved (unknown segment or code, a span outside the passage, ...)."""


@dataclass
class CoderSheet:
    """One coder's sheet in ``<study>/codings/``, held in memory and saved after every decision."""

    data: ExploreData
    coder: str
    rows: list[dict[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=lambda: list(SHEET_COLUMNS))

    @classmethod
    def for_coder(cls, data: ExploreData, coder: str) -> CoderSheet:
        if data.root is None:
            raise CodingError("no study folder: coding in place needs <study>/codings/ to write to")
        if not _CODER.match(coder or "") or coder.lower().startswith("auto"):
            raise CodingError(f"coder name {coder!r}: letters, digits, '_' or '-' (and not 'auto…')")
        sheet = cls(data, coder)
        if sheet.path.exists():
            header, rows = read_rows(sheet.path)
            sheet.columns = list(SHEET_COLUMNS) + [c for c in header if c not in SHEET_COLUMNS and c != "decision"]
            sheet.rows = [{c: row.get(c, "") for c in sheet.columns} for _, row in rows]
        return sheet

    @property
    def path(self) -> Path:
        assert self.data.root is not None
        return self.data.root / CODINGS_FOLDER / f"{self.coder}.csv"

    # --- decisions -------------------------------------------------------------------------------------------

    def accept(self, segment_id: str, code_id: str, origin: str = "suggested") -> Path:
        """Confirm a suggested or auto code on a segment (replaces an earlier rejection of it)."""
        self._check(segment_id, code_id, origin)
        self._drop(segment_id, code_id)
        self.rows.append(self._row(segment_id, code_id, origin, "accept"))
        return self.save()

    def reject(self, segment_id: str, code_id: str, origin: str = "suggested") -> Path:
        """Say no to a suggested or auto code: the segment is recorded as read without that code."""
        self._check(segment_id, code_id, origin)
        self._drop(segment_id, code_id)
        self.rows.append({**self._row(segment_id, "", origin, "reject"), "rejected_code": code_id})
        return self.save()

    def add(self, segment_id: str, code_id: str, span: str | None = None, occurrence: int = 1,
            polarity: str = "", memo: str = "", offsets: tuple[int, int] | None = None) -> Path:
        """Give a code to a whole segment, to ``span`` — exact text of the segment (its ``occurrence``-th
        appearance; the keyboard route) — or to ``offsets`` (start, end in characters of the segment's text; a
        mouse selection, see ``span_select``), stored as character offsets in the interview, as the build
        expects."""
        self._check(segment_id, code_id, "manual")
        row = self._row(segment_id, code_id, "manual", "add")
        row.update(polarity=polarity, memo=memo)
        if offsets is not None:
            start, end = self.offsets_in_interview(segment_id, *offsets)
            row.update(start_char=str(start), end_char=str(end))
        elif span:
            start, end = self.span_offsets(segment_id, span, occurrence)
            row.update(start_char=str(start), end_char=str(end))
        self._drop(segment_id, code_id, row["start_char"], row["end_char"])
        self.rows.append(row)
        return self.save()

    def span_offsets(self, segment_id: str, span: str, occurrence: int = 1) -> tuple[int, int]:
        """Absolute character offsets of the ``occurrence``-th appearance of ``span`` in the segment."""
        seg = self._segment(segment_id)
        text, at = str(seg["text"]), -1
        for _ in range(max(1, occurrence)):
            at = text.find(span, at + 1)
            if at < 0:
                raise CodingError(f"{segment_id}: the text {span!r} is not in the passage"
                                  + (f" {occurrence} times" if occurrence > 1 else ""))
        return int(seg["start_char"]) + at, int(seg["start_char"]) + at + len(span)

    def offsets_in_interview(self, segment_id: str, start: int, end: int) -> tuple[int, int]:
        """Interview offsets of characters ``start``–``end`` of the segment's text (checked to lie inside)."""
        seg = self._segment(segment_id)
        length = len(str(seg["text"]))
        if not 0 <= start < end <= length:
            raise CodingError(f"{segment_id}: span {start}–{end} is outside the passage (0–{length})")
        return int(seg["start_char"]) + start, int(seg["start_char"]) + end

    def decisions(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)

    def save(self) -> Path:
        """Write the sheet (UTF-8 CSV, one header row) atomically and return its path."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(self.rows)
        write_text_atomic(self.path, buffer.getvalue())
        return self.path

    # --- helpers ---------------------------------------------------------------------------------------------

    def _segment(self, segment_id: str) -> pd.Series:
        seg = self.data.tables.segments
        found = seg[seg["segment_id"] == segment_id]
        if found.empty:
            raise CodingError(f"unknown segment {segment_id!r}")
        return found.iloc[0]

    def _check(self, segment_id: str, code_id: str, origin: str) -> None:
        self._segment(segment_id)
        if origin not in ORIGINS:
            raise CodingError(f"origin must be one of {', '.join(ORIGINS)}")
        if code_id not in set(self.data.tables.codes["code_id"]):
            raise CodingError(f"unknown code {code_id!r}")

    def _row(self, segment_id: str, code_id: str, origin: str, verdict: str) -> dict[str, str]:
        row = dict.fromkeys(self.columns, "")
        row.update(segment_id=segment_id, code_id=code_id, coder=self.coder, origin=origin, verdict=verdict)
        return row

    def _drop(self, segment_id: str, code_id: str, start: str | None = None, end: str | None = None) -> None:
        """Forget earlier decisions on (segment, code) — for one span only when ``start`` is given."""
        def same(r: dict[str, str]) -> bool:
            if r["segment_id"] != segment_id or code_id not in (r["code_id"], r.get("rejected_code", "")):
                return False
            return start is None or (r.get("start_char", ""), r.get("end_char", "")) == (start, end)
        self.rows = [r for r in self.rows if not same(r)]


# --- comparing coders ------------------------------------------------------------------------------------------

def coder_sets(data: ExploreData) -> dict[str, tuple[pd.DataFrame, set[str]]]:
    """Every coder the study knows: the auto-coder (``auto``: it read every participant segment; its own output,
    auto codings suppressed by a rejection included) and each coder
    of the files in ``<study>/codings/`` — read fresh from disk, so decisions saved a moment ago count."""
    from gtna_analysis.exchange.coding_files import load_study_codings

    participant = set(data.tables.segments.loc[data.tables.segments["speaker_role"] == "participant",
                                               "segment_id"])
    auto = auto_coder_output(data.tables.codings, data.rejections)  # rejections must not flatter the patterns
    out: dict[str, tuple[pd.DataFrame, set[str]]] = {AUTO: (auto, participant)}
    if data.study is not None and data.codebook is not None:
        for human in load_study_codings(data.study, data.codebook, data.tables.segments):
            for coder in human.coders:
                part = human.only(coder)
                previous = out.get(coder, (part.codings.iloc[0:0], set()))
                out[coder] = (pd.concat([previous[0], part.codings], ignore_index=True),
                              previous[1] | part.units[coder])
    return out


def compare_coders(data: ExploreData, a: str, b: str, level: str = "code") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Agreement (per code or theme, plus pooled and macro) and the list of disagreements between two coders,
    over the segments both read (``coding/agreement.py``)."""
    sets = coder_sets(data)
    for name in (a, b):
        if name not in sets:
            raise CodingError(f"unknown coder {name!r} (coders: {', '.join(sorted(sets))})")
    ca = CoderSet.from_codings(a, *sets[a])
    cb = CoderSet.from_codings(b, *sets[b])
    table = agreement(ca, cb, level=level)
    if level == "theme":
        ca, cb = ca.at_theme_level(), cb.at_theme_level()
    both = pd.concat([sets[a][0], sets[b][0]], ignore_index=True)
    listing = disagreements(ca, cb, data.tables.segments, both, data.codebook)
    listing = listing.rename(columns={"kind": "only"}).replace({"only": {"FP": a, "FN": b}})
    return table, listing
