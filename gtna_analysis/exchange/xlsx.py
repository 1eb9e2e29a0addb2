"""Codings for researchers who work in Excel: an XLSX workbook and a flat CSV.

The workbook's ``codings`` sheet has the columns the importer reads (``segment_id``, ``code_id``, ``coder``) first,
followed by context (labels, speaker, question, the segment text), so a researcher can review auto-codings, add or
delete rows, save, and put the file in ``<study>/codings/`` — the build reads it back as manual coding. The
``segments`` sheet lists every participant segment (to code what the auto-coder missed) and ``codebook`` the codes
with their definitions. Text cells are always written as text: a quote starting with ``=`` must never become an
Excel formula.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gtna_analysis.atomic import atomic_path
from gtna_analysis.schema import DESIGN_COLUMNS

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML (and so XLSX) cannot hold
CODING_EXPORT_COLUMNS = ["segment_id", "code_id", "coder", "source", "polarity", "theme_id", "code_label_en",
                         "code_label_ka",
                         "interview_id", "agency", "speaker_id", "question_id", "start_char", "end_char",
                         "matched_text", "text"]
SEGMENT_EXPORT_COLUMNS = ["segment_id", "interview_id", "agency", "speaker_id", "question_id", "language", "text"]
CODEBOOK_EXPORT_COLUMNS = ["code_id", "theme_id", "code_label_en", "code_label_ka", "theme_label_en",
                           "theme_label_ka", "definition"]
WIDTHS = {"text": 90, "matched_text": 30, "definition": 70, "code_label_en": 32, "code_label_ka": 32,
          "theme_label_en": 28, "theme_label_ka": 28, "code_id": 34, "segment_id": 18}
README = [
    "gtna-workbench coding export",
    "",
    "codings: one row per (segment, code, coder). To correct the coding, edit rows: delete a wrong code, add a row",
    "  (segment_id, code_id, your name in 'coder') for a missed one. Only segment_id, code_id and coder are read back;",
    "  other columns are context. Start/end characters are offsets in the interview text; leave them for whole",
    "  segments.",
    "segments: every participant segment, for coding from scratch. A row with a segment_id and an empty code_id",
    "  means 'read, no code applies' — agreement statistics need those rows.",
    "codebook: the code ids and definitions.",
    "designs: each participant's stated training design, one row per part (format, hours) per scope. To correct",
    "  it, edit the rows of a participant and scope (all of them: the sheet replaces extraction for that pair),",
    "  save the workbook (or the sheet as CSV) in <study>/reviews/ and run `gtna build`.",
    "",
    "Put the saved file in <study>/codings/ and run `gtna build`, or compare coders with `gtna agreement A B`.",
]


def codings_export_frame(tables: dict[str, pd.DataFrame], source: str | None = None) -> pd.DataFrame:
    """Codings with labels, speaker, question and segment text, in the column order of the import format."""
    codings = tables["codings"]
    if source:
        codings = codings[codings["source"] == source]
    seg = tables["segments"][["segment_id", "speaker_id", "question_id", "text"]]
    codes = tables["codes"][["code_id", "code_label_en", "code_label_ka"]]
    frame = codings.merge(seg, on="segment_id", how="left").merge(codes, on="code_id", how="left")
    return frame.reindex(columns=CODING_EXPORT_COLUMNS)


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _write_sheet(book, title: str, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([_cell_value(v) for v in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, max(10, min(24, len(name) + 2)))
        if name in ("text", "definition"):
            for cell in sheet[letter][1:]:
                cell.alignment = wrap
    sheet.freeze_panes = "B2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions


def export_xlsx(tables: dict[str, pd.DataFrame], out: str | Path, source: str | None = None) -> Path:
    """Write the coding workbook (sheets: codings, segments, codebook, README)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _write_sheet(book, "codings", codings_export_frame(tables, source))
    segments = tables["segments"]
    _write_sheet(book, "segments", segments[segments["speaker_role"] == "participant"]
                 .reindex(columns=SEGMENT_EXPORT_COLUMNS))
    _write_sheet(book, "codebook", tables["codes"].reindex(columns=CODEBOOK_EXPORT_COLUMNS))
    if "designs" in tables:  # for review: a corrected copy in <study>/reviews/ replaces extraction on rebuild
        _write_sheet(book, "designs", tables["designs"].reindex(columns=DESIGN_COLUMNS))
    readme = book.create_sheet("README")
    for line in README:
        readme.append([line])
    readme.column_dimensions["A"].width = 120
    book.properties.creator = "gtna-workbench"
    with atomic_path(out) as tmp:
        book.save(tmp)
    return Path(out)


def export_csv(tables: dict[str, pd.DataFrame], out: str | Path, source: str | None = None) -> Path:
    """The same codings as one CSV (UTF-8 with BOM so Excel shows Georgian correctly)."""
    with atomic_path(out) as tmp:
        codings_export_frame(tables, source).to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
    return Path(out)


def write_sheet_xlsx(frame: pd.DataFrame, out: str | Path, title: str) -> Path:
    """One table as a one-sheet workbook (a review sheet that `gtna build` reads back from <study>/codings/)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _write_sheet(book, title, frame)
    book.properties.creator = "gtna-workbench"
    with atomic_path(out) as tmp:
        book.save(tmp)
    return Path(out)
