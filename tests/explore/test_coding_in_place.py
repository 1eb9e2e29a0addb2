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


def test_rejecting_an_auto_code_takes_it_out_of_the_next_build_and_its_counts(study_copy: Path) -> None:
    from gtna_analysis.reports.analysis import prevalence
    from gtna_analysis.tables import Tables

    data = ExploreData.load(study_copy)
    codings = data.tables.codings
    human = set(zip(codings.loc[codings["source"] != "auto", "segment_id"],
                    codings.loc[codings["source"] != "auto", "code_id"], strict=True))
    counted = codings[(codings["source"] == "auto") & (codings["polarity"] != "rejected")]
    target = next(r for r in counted.itertuples() if (r.segment_id, r.code_id) not in human)
    before = prevalence(data.tables, level="code").set_index("id").loc[target.code_id, "mentions"]

    CoderSheet.for_coder(data, "nino").reject(target.segment_id, target.code_id, "auto")
    assert main(["build", "--study", str(study_copy), "-q"]) == 0

    after = Tables.load(study_copy / "processed")
    rebuilt = after.codings
    assert not ((rebuilt["segment_id"] == target.segment_id) & (rebuilt["code_id"] == target.code_id)).any()
    assert prevalence(after, level="code").set_index("id").loc[target.code_id, "mentions"] == before - 1
    audit = read_table(study_copy / "processed", "rejections")
    assert set(zip(audit["segment_id"], audit["code_id"], audit["rejected_by"], audit["status"], strict=True)) \
        == {(target.segment_id, target.code_id, "nino", "suppressed")}
    # the coder comparison still sees the auto-coder's own output: the disagreement is not hidden
    _, listing = compare_coders(ExploreData.load(study_copy), "auto", "nino")
    assert (target.segment_id, target.code_id) in set(zip(listing["segment_id"], listing["code_id"], strict=True))

    CoderSheet.for_coder(ExploreData.load(study_copy), "nino").accept(target.segment_id, target.code_id, "auto")
    assert main(["build", "--study", str(study_copy), "-q"]) == 0  # a later accept overrides the rejection
    again = read_table(study_copy / "processed", "codings")
    mine = again[(again["segment_id"] == target.segment_id) & (again["code_id"] == target.code_id)]
    assert set(mine["source"]) == {"auto", "manual"}
    assert read_table(study_copy / "processed", "rejections").empty


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
