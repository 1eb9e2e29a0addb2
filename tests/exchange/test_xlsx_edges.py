"""The Excel export with the tables a real build hands it, not only the tidy ones: a coding whose code is not in
the codebook (a coder's typo must reach the sheet, to be seen and fixed), pandas' missing value ``pd.NA`` (the
``sessions`` column of the designs table is a nullable integer), a codes table with more columns than the sheet
shows, and a column name longer than the default width allows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from test_xlsx_sheets import rows, small_tables

from gtna_analysis.exchange.xlsx import CODEBOOK_EXPORT_COLUMNS, codings_export_frame, export_xlsx, write_sheet_xlsx


def test_a_coding_with_a_code_missing_from_the_codebook_is_exported() -> None:
    tables = small_tables()
    tables["codings"].loc[1, "code_id"] = "c.typo"
    frame = codings_export_frame(tables)
    assert frame["code_id"].tolist() == ["c.a", "c.typo", "c.a"]
    assert frame["code_label_en"].tolist()[0] == "Online" and pd.isna(frame["code_label_en"].iloc[1])
    assert frame["text"].tolist()[1] == "line one\nline two"


def test_nullable_numbers_and_pd_na_are_blank_cells(tmp_path: Path) -> None:
    tables = small_tables()
    tables["designs"] = pd.DataFrame({"interview_id": ["I-1", "I-1"], "speaker_id": ["P1", "P2"],
                                      "sessions": pd.array([3, None], dtype="Int64"),
                                      "format": pd.array(["online", pd.NA], dtype="string")})
    book = load_workbook(export_xlsx(tables, tmp_path / "d.xlsx"))
    designs = rows(book["designs"])
    header = designs[0]
    records = [dict(zip(header, r, strict=True)) for r in designs[1:]]
    assert [(r["speaker_id"], r["sessions"], r["format"]) for r in records] == [("P1", 3, "online"), ("P2", None, None)]


def test_the_codebook_sheet_shows_only_its_columns(tmp_path: Path) -> None:
    tables = small_tables()
    codes = tables["codes"]
    tables["codes"] = codes.assign(color="#000000", n_patterns=[3, 4])[["color", *codes.columns, "n_patterns"]]
    book = load_workbook(export_xlsx(tables, tmp_path / "c.xlsx"))
    assert rows(book["codebook"]) == [CODEBOOK_EXPORT_COLUMNS,
                                      ["c.a", "c", "Online", "ონლაინ", "Training", "ტრენინგი", "Online formats."],
                                      ["c.b", "c", "Data", "მონაცემები", "Training", "ტრენინგი", "Statistics."]]


def test_a_long_column_name_is_capped_at_24(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a_column_name_of_23_chr": ["x"], "a_column_name_of_twenty_nine": ["y"], "id": ["z"]})
    sheet = load_workbook(write_sheet_xlsx(frame, tmp_path / "s.xlsx", "review"))["review"]
    assert [sheet.column_dimensions[c].width for c in "ABC"] == [24, 24, 10]  # 23 + 2 and 29 + 2 capped; floor 10
