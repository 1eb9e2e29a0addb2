"""Coding sheets as coders really send them (``coding.human``): Excel's CSV with a byte-order mark, renamed and
repeated columns, short rows, workbooks with several sheets and numbers stored as decimals, review sheets; the
exact messages for unusable sheets; merging and the gold set's splits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from shared_coding import sample_codebook, sample_tables, write

from gtna_analysis.coding.human import HumanCoding, codings_frame, load_coding_sheet, load_gold, merge_codings
from gtna_analysis.errors import GtnaError
from gtna_analysis.schema import CODING_COLUMNS


def segments() -> pd.DataFrame:
    return sample_tables("segments")["segments"]


def load(path: Path) -> HumanCoding:
    return load_coding_sheet(path, segments(), sample_codebook())


def problems(path: Path) -> list[str]:
    with pytest.raises(GtnaError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


def test_excel_csv_with_bom_renamed_columns_and_short_rows(tmp_path: Path) -> None:
    """Excel writes a byte-order mark and semicolons; coders rename columns (Segment-ID, Code ID, Start Char). A
    repeated column name: the first one counts. A row may stop before its last cells."""
    excel = tmp_path / "nino.csv"
    excel.write_bytes("\ufeffSegment-ID;Code ID;Coder;code_id;Memo\r\n"
                      "MOES-01-002;gbv.domestic_violence;nino;legal_frame.cedaw;ok\r\n"
                      "MOES-01-004;;nino;;\r\n".encode())
    coding = load(excel)
    assert coding.units == {"nino": {"MOES-01-002", "MOES-01-004"}}
    assert coding.codings[["segment_id", "code_id", "coder"]].values.tolist() == [
        ["MOES-01-002", "gbv.domestic_violence", "nino"]]
    seg = segments().set_index("segment_id").loc["MOES-01-002"]
    start = int(seg["start_char"])
    short = write(tmp_path / "short.csv", f"segment_id,code_id,coder,Start Char,End Char,memo\n"
                                          f"MOES-01-002,gbv.domestic_violence,nino,{start},{start + 5}\n"
                                          "MOES-01-004\n")
    coding = load(short)
    assert coding.units == {"short": {"MOES-01-004"}, "nino": {"MOES-01-002"}}
    assert coding.codings[["start_char", "end_char"]].values.tolist() == [[start, start + 5]]


def test_a_sheet_of_read_segments_only_gives_an_empty_standard_table(tmp_path: Path) -> None:
    coding = load(write(tmp_path / "nino.csv", "segment_id,code_id,coder\nMOES-01-002,,nino\nMOES-01-004,,nino\n"))
    assert coding.codings.empty and list(coding.codings.columns) == CODING_COLUMNS
    assert str(coding.codings["start_char"].dtype) == "int64" and coding.units == {"nino": {"MOES-01-002",
                                                                                            "MOES-01-004"}}


def test_messages_for_unusable_sheets(tmp_path: Path) -> None:
    missing = write(tmp_path / "a.csv", "segment,coder\nMOES-01-002,a\n")
    assert problems(missing) == [f"{missing}:1: missing column(s) code_id "
                                 "(hint: expected columns: segment_id, code_id)"]
    empty = write(tmp_path / "b.csv", "\n\n")
    assert problems(empty) == [f"{empty}:1: empty sheet (hint: expected a header row: segment_id, code_id)"]
    absent = tmp_path / "c.csv"
    assert problems(absent) == [f"{absent}: file not found"]
    broken = write(tmp_path / "d.xlsx", "not a workbook")
    [message] = problems(broken)
    assert message.startswith(f"{broken}: cannot read the workbook: ")


def test_unknown_ids_get_a_suggestion_only_when_one_is_close(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "segment_id,code_id,coder\nMOES-1-002,,a\nzzz,,a\n")
    assert problems(path) == [f"{path}:2: unknown segment_id 'MOES-1-002' (hint: did you mean 'MOES-01-002'?)",
                              f"{path}:3: unknown segment_id 'zzz'"]


def test_workbook_codings_sheet_row_numbers_and_decimal_numbers(tmp_path: Path) -> None:
    """A workbook may open on an instructions sheet: the sheet named ``codings`` is read. Problems name the
    spreadsheet row. Excel stores every number as a decimal: coder 2 is '2', not '2.0'."""
    book = Workbook()
    book.active.title = "instructions"
    book.active.append(["code every participant segment"])
    sheet = book.create_sheet("codings")
    sheet.append(["segment_id", "code_id", "coder"])
    sheet.append(["MOES-01-002", "gbv.domestic_violence", 2.0])
    sheet.append(["MOES-01-004", "no.such.code", 2.0])
    path = tmp_path / "team.xlsx"
    book.save(path)
    assert problems(path) == [f"{path}:3: unknown code_id 'no.such.code'"]
    sheet.delete_rows(3)
    book.save(path)
    assert load(path).coders == ["2"]
    only = Workbook()
    only.active.append(["segment_id", "code_id", "coder"])
    only.active.append(["MOES-01-002", "gbv.domestic_violence", "nino"])
    only.save(tmp_path / "sheet1.xlsx")
    assert load(tmp_path / "sheet1.xlsx").coders == ["nino"]


def test_review_sheet_counts_only_accepted_rows(tmp_path: Path) -> None:
    """A reviewed suggestions sheet (``decision`` column): a rejected or undecided row is neither a coding nor a
    segment the reviewer read."""
    path = write(tmp_path / "review.csv", "segment_id,code_id,coder,decision\n"
                                          "MOES-01-002,gbv.domestic_violence,nino,accept\n"
                                          "MOES-01-004,legal_frame.cedaw,nino,reject\n"
                                          "MOES-01-006,legal_frame.cedaw,nino,\n")
    coding = load(path)
    assert coding.units == {"nino": {"MOES-01-002"}} and coding.codings["segment_id"].tolist() == ["MOES-01-002"]


def test_one_coder_of_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "team.csv", "segment_id,code_id,coder\nMOES-01-002,gbv.domestic_violence,a\n"
                                        "MOES-01-004,legal_frame.cedaw,b\n")
    b = load(path).only("b")
    assert b.codings.index.tolist() == [0] and b.codings.loc[0, "segment_id"] == "MOES-01-004"
    assert b.units == {"b": {"MOES-01-004"}} and b.path == path
    assert load(path).only("c").units == {"c": set()}


def test_merge_drops_a_coding_imported_twice_and_keeps_the_table_shape(tmp_path: Path) -> None:
    auto = sample_tables("codings")["codings"]
    auto = auto[auto["source"] == "auto"]
    csv = load(write(tmp_path / "nino.csv", "segment_id,code_id,coder,memo\n"
                                            "MOES-01-002,gbv.domestic_violence,nino,first\n"))
    again = load(write(tmp_path / "nino2.csv", "segment_id,code_id,coder,polarity\n"
                                               "MOES-01-002,gbv.domestic_violence,nino,rejected\n"))
    merged = merge_codings(auto, [csv, again])
    assert list(merged.columns) == list(auto.columns) and merged.index.equals(pd.RangeIndex(len(merged)))
    mine = merged[merged["coder"] == "nino"]
    assert len(merged) == len(auto) + 1 and mine["polarity"].tolist() == ["stated"]  # the first file's row


def test_gold_splits_are_named_from_the_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    write(gold / "gold.csv", "segment_id,code_id,coder\nMOES-01-002,gbv.domestic_violence,coder_a\n"
                             "MOES-01-004,,coder_a\nMOES-01-006,legal_frame.cedaw,coder_a\n")
    write(gold / "split.csv", "segment_id,split\nMOES-01-002,tuning\nMOES-01-004,locked\nMOES-01-006,\n")
    tuning = load_gold(tmp_path, segments(), sample_codebook(), "tuning")
    assert tuning.units == {"coder_a": {"MOES-01-002"}} and tuning.codings.index.tolist() == [0]
    assert tuning.path == gold / "gold.csv"
    with pytest.raises(GtnaError) as info:
        load_gold(tmp_path, segments(), sample_codebook(), "test")
    assert str(info.value) == f"{gold / 'split.csv'}: unknown split 'test' (hint: use all or one of locked, tuning)"


@pytest.mark.filterwarnings("error::pandas.errors.Pandas4Warning")
def test_codings_without_a_polarity_are_stated_without_a_pandas_warning() -> None:
    """Readers of other tools' files (a .qdpx) give no polarity: the table says ``stated``. Filling a str into the
    all-missing float column warned that pandas 4 will refuse it (then every .qdpx import would fail)."""
    row = {"segment_id": "MOES-01-002", "interview_id": "MOES-01", "agency": "MOES", "code_id": "gbv.domestic_violence",
           "theme_id": "gbv", "start_char": 0, "end_char": 4, "matched_text": "ქალი", "n_matches": 1,
           "source": "human", "coder": "nino"}
    frame = codings_frame([row, {**row, "coder": "giorgi", "polarity": "rejected"}])
    assert frame["polarity"].tolist() == ["stated", "rejected"]
    assert codings_frame([row])["polarity"].tolist() == ["stated"]
    assert list(codings_frame([]).columns) == CODING_COLUMNS
