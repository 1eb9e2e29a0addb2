"""XLSX / CSV export for researchers who work in Excel: readable sheets, text never becomes a formula, re-import."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from shared_coding import sample_codebook, sample_tables

from gtna_analysis.exchange.coding_files import load_coding_file
from gtna_analysis.exchange.xlsx import CODING_EXPORT_COLUMNS, export_csv, export_xlsx


def tables() -> dict[str, pd.DataFrame]:
    return sample_tables("codings", "segments", "codes")


def test_workbook_sheets_and_reimport(tmp_path: Path) -> None:
    t = tables()
    out = export_xlsx(t, tmp_path / "codings.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["codings", "segments", "codebook", "README"]
    header = [c.value for c in book["codings"][1]]
    assert header == CODING_EXPORT_COLUMNS
    assert book["codings"].max_row == len(t["codings"]) + 1
    participants = (t["segments"]["speaker_role"] == "participant").sum()
    assert book["segments"].max_row == participants + 1
    assert book["codings"].freeze_panes == "B2"
    # the exported sheet is itself a valid coding file: the same decisions come back
    back = load_coding_file(out, t["segments"], sample_codebook())
    key = ["segment_id", "code_id", "coder"]
    assert back.codings[key].sort_values(key).reset_index(drop=True).equals(
        t["codings"][key].sort_values(key).reset_index(drop=True))


def test_text_is_never_a_formula(tmp_path: Path) -> None:
    t = tables()
    codings = t["codings"].head(3).copy()
    codings["matched_text"] = ["=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)\x07"]
    t = {**t, "codings": codings}
    book = load_workbook(export_xlsx(t, tmp_path / "x.xlsx"))
    sheet = book["codings"]
    column = CODING_EXPORT_COLUMNS.index("matched_text") + 1
    cells = [sheet.cell(row=r, column=column) for r in (2, 3, 4)]
    assert [c.value for c in cells] == ["=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)"]
    assert {c.data_type for c in cells} == {"s"}


def test_csv_export_for_excel(tmp_path: Path) -> None:
    out = export_csv(tables(), tmp_path / "auto.csv", source="auto")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads Georgian as UTF-8
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert set(frame["source"]) == {"auto"} and frame["code_label_ka"].notna().all()
