"""Human coding import (CSV / TSV / XLSX), validation with file:line, the build merge, and the shipped gold set."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from shared_coding import SAMPLE, built_sample, sample_codebook, sample_tables, write

from gtna_analysis.atomic import current_generation
from gtna_analysis.coding.human import load_gold, merge_codings
from gtna_analysis.errors import GtnaError
from gtna_analysis.exchange.coding_files import load_coding_file


def segments() -> pd.DataFrame:
    return sample_tables("segments")["segments"]


def test_csv_sheet_with_empty_code_rows(tmp_path: Path) -> None:
    seg = segments().set_index("segment_id")
    path = write(tmp_path / "nino.csv",
                 "Segment ID,Code,coder,memo,extra\n"
                 "MOES-01-002,gbv.domestic_violence,nino,,ignored\n"
                 "MOES-01-002,gbv.domestic_violence,nino,duplicate row,\n"
                 "MOES-01-004,,nino,read — nothing to code,\n"
                 "MOES-01-006,legal_frame.cedaw,,no coder: the file name is used,\n")
    coding = load_coding_file(path, segments(), sample_codebook())
    assert set(coding.units) == {"nino"}  # the row without a coder takes the file name, which is also 'nino'
    assert coding.units["nino"] == {"MOES-01-002", "MOES-01-004", "MOES-01-006"}
    frame = coding.codings
    assert len(frame) == 2 and set(frame["source"]) == {"manual"}
    row = frame[frame["segment_id"] == "MOES-01-002"].iloc[0]
    assert (row["start_char"], row["end_char"]) == (seg.loc["MOES-01-002", "start_char"],
                                                    seg.loc["MOES-01-002", "end_char"])
    assert row["theme_id"] == "gbv" and row["agency"] == "moes" and row["interview_id"] == "MOES-01"


def test_semicolon_csv_and_partial_spans(tmp_path: Path) -> None:
    seg = segments().set_index("segment_id").loc["MOES-01-002"]
    start = int(seg["start_char"]) + 5
    path = write(tmp_path / "team.csv", "segment_id;code_id;coder;start_char;end_char\n"
                                        f"MOES-01-002;gbv.early_marriage;ana;{start};{start + 10}\n"
                                        "MOES-01-002;gbv.early_marriage;gia;;\n")
    coding = load_coding_file(path, segments(), sample_codebook())
    assert coding.coders == ["ana", "gia"]
    ana = coding.only("ana").codings.iloc[0]
    assert (ana["start_char"], ana["end_char"]) == (start, start + 10)
    assert ana["matched_text"] == str(seg["text"])[5:15]
    assert load_coding_file(path, segments(), sample_codebook(), coder="gia").coders == ["gia"]
    with pytest.raises(GtnaError, match="no coder 'eka'"):
        load_coding_file(path, segments(), sample_codebook(), coder="eka")


def test_xlsx_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "codings"
    sheet.append(["segment_id", "code_id", "coder", "start_char"])
    sheet.append(["MOES-01-002", "gbv.early_marriage", "ana", None])
    sheet.append([None, None, None, None])
    sheet.append(["MOES-01-004", "legal_frame.action_plans", "ana", None])
    book.create_sheet("notes").append(["not read"])
    book.save(tmp_path / "ana.xlsx")
    coding = load_coding_file(tmp_path / "ana.xlsx", segments(), sample_codebook())
    assert sorted(coding.codings["code_id"]) == ["gbv.early_marriage", "legal_frame.action_plans"]


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv",
                 "segment_id,code_id,coder,start_char,end_char\n"
                 "MOES-01-002,gbv.domestic_violence,a,,\n"
                 "MOES-01-999,gbv.domestic_violence,a,,\n"
                 "MOES-01-002,gbv.domestic_violense,a,,\n"
                 "MOES-01-002,gbv,a,,\n"
                 ",gbv.domestic_violence,a,,\n"
                 '"MOES-01-002","gbv.referral","multi\nline coder",,\n'
                 "MOES-01-002,gbv.referral,a,1,2\n"
                 "MOES-01-002,gbv.referral,a,x,\n")
    with pytest.raises(GtnaError) as info:
        load_coding_file(path, segments(), sample_codebook())
    lines = {p.line: str(p) for p in info.value.problems}
    assert "unknown segment_id 'MOES-01-999'" in lines[3]
    assert "unknown code_id 'gbv.domestic_violense'" in lines[4] and "gbv.domestic_violence" in lines[4]
    assert "'gbv' is a theme" in lines[5]
    assert "empty segment_id" in lines[6]
    assert "outside segment MOES-01-002" in lines[9]  # the quoted cell spans lines 7-8
    assert "whole numbers" in lines[10]
    assert all(str(p).startswith(f"{path}:") for p in info.value.problems)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.csv", "segment,coder\nMOES-01-002,a\n", "missing column(s) code_id"),
    ("b.csv", "\n\n", "empty sheet"),
    ("c.txt", "segment_id,code_id\n", "unsupported coding file type"),
])
def test_unusable_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    with pytest.raises(GtnaError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_coding_file(write(tmp_path / name, content), segments(), sample_codebook())


def test_merge_keeps_provenance() -> None:
    t = sample_tables("codings")
    auto = t["codings"][t["codings"]["source"] == "auto"]
    manual = t["codings"][t["codings"]["source"] == "manual"]
    assert set(manual["coder"]) == {"coder_b"}  # data/raw/codings/coder_b.csv is merged by the build
    from gtna_analysis.coding.human import HumanCoding

    merged = merge_codings(auto, [HumanCoding(manual, {})])
    assert len(merged) == len(auto) + len(manual)
    assert merged.groupby("source").size().to_dict() == {"auto": len(auto), "manual": len(manual)}
    assert merge_codings(auto, []) is auto


def test_build_rejects_a_bad_coding_file(tmp_path: Path) -> None:
    import shutil

    from gtna_analysis.build import build

    study = tmp_path / "raw"
    shutil.copytree(SAMPLE, study, ignore=shutil.ignore_patterns(".*", "transcripts"))
    (study / "transcripts" / "moes").mkdir(parents=True)
    shutil.copy(SAMPLE / "transcripts" / "moes" / "MOES-01.md", study / "transcripts" / "moes")
    write(study / "codings" / "late.csv", "segment_id,code_id,coder\nMOES-01-002,gbv.referral,x\n"
                                          "MOES-02-002,gbv.referral,x\n")
    write(study / "codings" / "~$late.xlsx", "Excel lock file, ignored")
    (study / "codings" / "coder_b.csv").unlink()
    with pytest.raises(GtnaError) as info:
        build(study)
    assert [str(p) for p in info.value.problems] == \
           [f"{study / 'codings' / 'late.csv'}:3: unknown segment_id 'MOES-02-002' (hint: did you mean 'MOES-01-002'?)"]


def test_gold_set_matches_the_build() -> None:
    """The gold files name segments by id: if segmentation changes, this says which rows no longer fit."""
    study, _ = built_sample()
    seg = segments().set_index("segment_id")
    for path in (study / "gold" / "gold.csv", study / "codings" / "coder_b.csv"):
        sheet = pd.read_csv(path, keep_default_na=False)
        drift = [row.segment_id for row in sheet.itertuples()
                 if " ".join(str(seg.loc[row.segment_id, "text"]).split())[:40] != row.segment_start]
        assert not drift, f"{path.name}: segment text changed for {sorted(set(drift))[:10]}"
    gold = load_gold(study, segments(), sample_codebook())
    held_in = load_gold(study, segments(), sample_codebook(), "held_in")
    held_out = load_gold(study, segments(), sample_codebook(), "held_out")
    units = gold.units["coder_a"]
    assert len(units) == 127 and len(held_in.units["coder_a"]) == 84 and len(held_out.units["coder_a"]) == 43
    assert held_in.units["coder_a"] | held_out.units["coder_a"] == units
    assert set(seg.loc[sorted(units), "speaker_role"]) == {"participant"}
    assert len(held_in.codings) + len(held_out.codings) == len(gold.codings)
    with pytest.raises(GtnaError, match="unknown split"):
        load_gold(study, segments(), sample_codebook(), "test")


def test_sample_build_is_reusable() -> None:
    study, processed = built_sample()
    assert (current_generation(processed) / "codings.parquet").exists() and (study / "codebook.yml").exists()
    assert built_sample() == (study, processed)
