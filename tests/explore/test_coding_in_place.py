"""Coding in place: decisions saved to <study>/codings/<coder>.csv in the sheet format the build reads, then
picked up by the next build; coders compared with coding/agreement.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gtna_analysis.cli import main
from gtna_analysis.coding.agreement import CoderSet, agreement
from gtna_analysis.coding.human import load_coding_sheet
from gtna_analysis.explore.coding_in_place import CoderSheet, CodingError, coder_sets, compare_coders
from gtna_analysis.explore.data import ExploreData
from gtna_analysis.tables import read_table


def test_decisions_are_a_sheet_the_build_reads(study_copy: Path) -> None:
    data = ExploreData.load(study_copy)
    suggestion = data.suggestions.iloc[0]
    auto = data.tables.codings[data.tables.codings["source"] == "auto"].iloc[0]
    sheet = CoderSheet.for_coder(data, "nino")
    path = sheet.accept(suggestion["segment_id"], suggestion["code_id"], "suggested")
    assert path == study_copy / "codings" / "nino.csv"
    sheet.reject(auto["segment_id"], auto["code_id"], "auto")
    seg = data.segments[data.segments["speaker_role"] == "participant"].iloc[10]
    span = seg["text"][4:30]
    sheet.add(seg["segment_id"], "gbv.referral", span=span)

    read = load_coding_sheet(path, data.tables.segments, data.codebook)
    pairs = set(zip(read.codings["segment_id"], read.codings["code_id"], strict=True))
    assert (suggestion["segment_id"], suggestion["code_id"]) in pairs
    assert (auto["segment_id"], auto["code_id"]) not in pairs
    assert auto["segment_id"] in read.units["nino"]  # a rejection records the segment as read
    added = read.codings[read.codings["code_id"] == "gbv.referral"].iloc[0]
    assert added["matched_text"] == span
    assert added["end_char"] - added["start_char"] == len(span)
    assert set(read.codings["source"]) == {"manual"} and set(read.codings["coder"]) == {"nino"}

    assert main(["build", "--study", str(study_copy), "-q"]) == 0
    rebuilt = read_table(study_copy / "processed", "codings")
    mine = rebuilt[rebuilt["coder"] == "nino"]
    assert (suggestion["segment_id"], suggestion["code_id"]) in set(zip(mine["segment_id"], mine["code_id"],
                                                                        strict=True))


def test_a_later_decision_replaces_an_earlier_one_and_survives_reopening(study_copy: Path) -> None:
    data = ExploreData.load(study_copy)
    s = data.suggestions.iloc[1]
    sheet = CoderSheet.for_coder(data, "nino")
    sheet.accept(s["segment_id"], s["code_id"])
    sheet.reject(s["segment_id"], s["code_id"])
    again = CoderSheet.for_coder(data, "nino").decisions()
    assert list(again["verdict"]) == ["reject"] and list(again["rejected_code"]) == [s["code_id"]]
    assert not list((study_copy / "codings").glob(".*.tmp"))


def test_a_hand_edited_sheet_keeps_its_rows_and_columns(study_copy: Path) -> None:
    data = ExploreData.load(study_copy)
    seg = data.segments[data.segments["speaker_role"] == "participant"]["segment_id"].iloc[0]
    path = study_copy / "codings" / "nino.csv"
    path.write_text(f"segment_id,code_id,coder,note_to_self\n{seg},gbv.referral,nino,check\n", encoding="utf-8")
    CoderSheet.for_coder(data, "nino").add(seg, "gbv.victim_services")
    frame = pd.read_csv(path, dtype=str).fillna("")
    assert list(frame["code_id"]) == ["gbv.referral", "gbv.victim_services"]
    assert "note_to_self" in frame.columns and frame["note_to_self"].iloc[0] == "check"


def test_bad_decisions_are_refused_with_a_reason(study_copy: Path) -> None:
    data = ExploreData.load(study_copy)
    sheet = CoderSheet.for_coder(data, "nino")
    seg = data.segments[data.segments["speaker_role"] == "participant"]["segment_id"].iloc[0]
    with pytest.raises(CodingError, match="unknown code"):
        sheet.accept(seg, "gbv.nope")
    with pytest.raises(CodingError, match="unknown segment"):
        sheet.accept("NOPE-1", "gbv.referral")
    with pytest.raises(CodingError, match="not in the passage"):
        sheet.add(seg, "gbv.referral", span="this text is nowhere")
    for name in ("", "a b", "../x", "auto_coder"):
        with pytest.raises(CodingError, match="coder name"):
            CoderSheet.for_coder(data, name)
    assert not (study_copy / "codings" / "nino.csv").exists()
    with pytest.raises(CodingError, match="no study folder"):
        CoderSheet.for_coder(ExploreData(data.tables), "nino")


def test_coder_comparison_uses_the_agreement_module(data: ExploreData) -> None:
    sets = coder_sets(data)
    assert {"auto", "coder_b"} <= set(sets)
    table, listing = compare_coders(data, "auto", "coder_b")
    a = CoderSet.from_codings("auto", *sets["auto"])
    b = CoderSet.from_codings("coder_b", *sets["coder_b"])
    assert table.equals(agreement(a, b))
    units = a.units & b.units
    expected = {(s, c) for s, c in (a.pairs ^ b.pairs) if s in units}
    assert set(zip(listing["segment_id"], listing["code_id"], strict=True)) == expected
    assert set(listing["only"]) <= {"auto", "coder_b"}
    themes, _ = compare_coders(data, "auto", "coder_b", level="theme")
    assert set(themes.loc[themes["level"] == "theme", "id"]) <= set(data.tables.codes["theme_id"])
    with pytest.raises(CodingError, match="unknown coder"):
        compare_coders(data, "auto", "nobody")
