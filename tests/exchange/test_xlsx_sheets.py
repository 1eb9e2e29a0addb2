"""The Excel export cell by cell on tables small enough to spell out: which rows and columns each sheet gets,
what a cell holds for missing values, control characters and numpy numbers, and the layout a researcher works
in (bold header, column widths, wrapped text, frozen first row and column, a filter over the data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from gtna_analysis.exchange.xlsx import (
    CODING_EXPORT_COLUMNS,
    README,
    codings_export_frame,
    export_csv,
    export_xlsx,
    write_sheet_xlsx,
)
from gtna_analysis.schema import DESIGN_COLUMNS


def small_tables() -> dict[str, pd.DataFrame]:
    codings = pd.DataFrame({
        "segment_id": ["S-1", "S-2", "S-9"], "code_id": ["c.a", "c.b", "c.a"], "coder": ["auto:x", "nina", "nina"],
        "source": ["auto", "manual", "manual"], "polarity": ["stated", "rejected", None],
        "theme_id": ["c", "c", "c"], "interview_id": ["I-1", "I-1", "I-1"], "agency": ["moes"] * 3,
        "start_char": np.array([0, 10, 20], dtype=np.int64), "end_char": np.array([9, 19, 29], dtype=np.int64),
        "matched_text": ["ონლაინ", "a\x00b\x08c\x0bd\x0ce\x0ef\x1fg\th", float("nan")]})
    segments = pd.DataFrame({
        "segment_id": ["S-0", "S-1", "S-2"], "interview_id": ["I-1"] * 3, "agency": ["moes"] * 3,
        "speaker_id": ["INT", "P1", "P2"], "speaker_role": ["interviewer", "participant", "participant"],
        "question_id": [None, "Q1", "Q2"], "language": ["ka"] * 3,
        "text": ["კითხვა?", "ონლაინ ტრენინგი", "line one\nline two"]})
    codes = pd.DataFrame({
        "code_id": ["c.a", "c.b"], "theme_id": ["c", "c"], "code_label_en": ["Online", "Data"],
        "code_label_ka": ["ონლაინ", "მონაცემები"], "theme_label_en": ["Training"] * 2,
        "theme_label_ka": ["ტრენინგი"] * 2, "definition": ["Online formats.", "Statistics."]})
    return {"codings": codings, "segments": segments, "codes": codes}


def rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_codings_frame_joins_context_and_filters_by_source() -> None:
    frame = codings_export_frame(small_tables())
    assert list(frame.columns) == CODING_EXPORT_COLUMNS
    assert frame["text"].tolist()[:2] == ["ონლაინ ტრენინგი", "line one\nline two"]
    assert pd.isna(frame["text"].iloc[2]) and pd.isna(frame["speaker_id"].iloc[2])  # segment not in the table
    assert frame["code_label_ka"].tolist() == ["ონლაინ", "მონაცემები", "ონლაინ"]
    assert frame["speaker_id"].tolist()[:2] == ["P1", "P2"] and frame["question_id"].tolist()[:2] == ["Q1", "Q2"]
    assert codings_export_frame(small_tables(), "manual")["segment_id"].tolist() == ["S-2", "S-9"]
    assert codings_export_frame(small_tables(), None)["segment_id"].tolist() == ["S-1", "S-2", "S-9"]


def test_workbook_cells_hold_text_numbers_and_blanks(tmp_path: Path) -> None:
    out = export_xlsx(small_tables(), str(tmp_path / "c.xlsx"), source="manual")
    assert out == tmp_path / "c.xlsx" and isinstance(out, Path)
    book = load_workbook(out)
    assert book.sheetnames == ["codings", "segments", "codebook", "README"]
    assert book.properties.creator == "gtna-workbench"
    codings = rows(book["codings"])
    assert codings[0] == CODING_EXPORT_COLUMNS
    column = dict(zip(CODING_EXPORT_COLUMNS, zip(*codings[1:], strict=True), strict=True))
    assert column["segment_id"] == ("S-2", "S-9")  # only the source asked for
    assert column["matched_text"] == ("abcdefg\th", None)  # control characters XML cannot hold are dropped
    assert column["polarity"] == ("rejected", None) and column["text"] == ("line one\nline two", None)
    assert column["start_char"] == (10, 20) and all(type(v) is int for v in column["start_char"])
    assert rows(book["segments"]) == [
        ["segment_id", "interview_id", "agency", "speaker_id", "question_id", "language", "text"],
        ["S-1", "I-1", "moes", "P1", "Q1", "ka", "ონლაინ ტრენინგი"],
        ["S-2", "I-1", "moes", "P2", "Q2", "ka", "line one\nline two"]]  # participants only
    assert rows(book["codebook"])[1] == ["c.a", "c", "Online", "ონლაინ", "Training", "ტრენინგი", "Online formats."]
    readme = book["README"]
    assert [r[0] for r in rows(readme)] == [line or None for line in README]
    assert readme.column_dimensions["A"].width == 120


def test_sheet_layout(tmp_path: Path) -> None:
    book = load_workbook(export_xlsx(small_tables(), tmp_path / "c.xlsx"))
    sheet = book["codings"]
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    widths = {name: sheet.column_dimensions[chr(ord("A") + i)].width for i, name in enumerate(CODING_EXPORT_COLUMNS)}
    assert widths["text"] == 90 and widths["matched_text"] == 30 and widths["segment_id"] == 18
    assert widths["coder"] == 10 and widths["interview_id"] == 14  # not listed: the name's length + 2, 10 to 24
    text = sheet[chr(ord("A") + CODING_EXPORT_COLUMNS.index("text"))]
    assert not text[0].alignment.wrap_text  # the header is not wrapped
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in text[1:])
    assert not sheet["A2"].alignment.wrap_text
    codebook = book["codebook"]
    assert codebook["G2"].alignment.wrap_text and codebook.column_dimensions["G"].width == 70
    assert codebook.column_dimensions["E"].width == 28 and codebook.column_dimensions["B"].width == 10
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:P4"
    assert book["segments"].auto_filter.ref == "A1:G3"


def test_designs_sheet_for_review_and_an_empty_sheet(tmp_path: Path) -> None:
    tables = small_tables()
    tables["designs"] = pd.DataFrame({"interview_id": ["I-1"], "speaker_id": ["P1"], "format": ["online"],
                                      "hours": [np.float64(2.5)]})
    tables["codings"] = tables["codings"].iloc[0:0]
    book = load_workbook(export_xlsx(tables, tmp_path / "d.xlsx"))
    assert book.sheetnames == ["codings", "segments", "codebook", "designs", "README"]
    designs = rows(book["designs"])
    assert designs[0] == DESIGN_COLUMNS
    record = dict(zip(DESIGN_COLUMNS, designs[1], strict=True))
    assert (record["interview_id"], record["format"], record["hours"], record["scope"]) == ("I-1", "online", 2.5, None)
    empty = book["codings"]
    assert rows(empty) == [CODING_EXPORT_COLUMNS] and empty.auto_filter.ref is None
    assert empty.freeze_panes == "B2"


def test_csv_has_unix_line_ends_no_index_and_the_source_asked_for(tmp_path: Path) -> None:
    out = export_csv(small_tables(), str(tmp_path / "c.csv"), source="auto")
    assert out == tmp_path / "c.csv" and isinstance(out, Path)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsegment_id,code_id,coder,") and b"\r\n" not in raw
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert list(back.columns) == CODING_EXPORT_COLUMNS and back["segment_id"].tolist() == ["S-1"]


def test_one_sheet_workbook(tmp_path: Path) -> None:
    frame = pd.DataFrame({"segment_id": ["S-1"], "code_id": ["c.a"], "note": ["=1+1"]})
    out = write_sheet_xlsx(frame, str(tmp_path / "s.xlsx"), "suggestions")
    assert out == tmp_path / "s.xlsx" and isinstance(out, Path)
    book = load_workbook(out)
    assert book.sheetnames == ["suggestions"] and book.properties.creator == "gtna-workbench"
    sheet = book["suggestions"]
    assert rows(sheet) == [["segment_id", "code_id", "note"], ["S-1", "c.a", "=1+1"]]
    assert sheet["C2"].data_type == "s" and sheet.column_dimensions["A"].width == 18
