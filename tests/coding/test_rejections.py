"""Rejections in coding sheets (``rejected_code``): a coder's last word on a (segment, code) wins, and the build
takes a rejected auto coding out of the analysed codings unless another coder coded it (coding/human.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_coding import sample_codebook, sample_tables, write

from gtna_analysis.coding.human import (
    DISPUTED,
    SUPPRESSED,
    HumanCoding,
    apply_rejections,
    auto_coder_output,
    load_coding_sheet,
    merge_codings,
    self_contradictions,
)
from gtna_analysis.errors import GtnaError
from gtna_analysis.schema import CODING_COLUMNS, REJECTION_COLUMNS


def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    t = sample_tables("segments", "codings")
    return t["segments"], t["codings"]


def auto_pair(codings: pd.DataFrame, n: int = 0) -> tuple[str, str]:
    """The n-th (segment, code) the auto-coder found, with no human coding of it in the sample."""
    auto = codings[codings["source"] == "auto"]
    human = set(zip(codings.loc[codings["source"] != "auto", "segment_id"],
                    codings.loc[codings["source"] != "auto", "code_id"], strict=True))
    pairs = [p for p in dict.fromkeys(zip(auto["segment_id"], auto["code_id"], strict=True)) if p not in human]
    return pairs[n]


def sheet(tmp_path: Path, name: str, rows: list[str]) -> HumanCoding:
    segments, _ = tables()
    path = write(tmp_path / f"{name}.csv", "segment_id,code_id,coder,rejected_code\n" + "".join(rows))
    return load_coding_sheet(path, segments, sample_codebook())


def test_a_rejection_row_is_a_rejection_and_the_segment_counts_as_read(tmp_path: Path) -> None:
    _, codings = tables()
    seg, code = auto_pair(codings)
    read = sheet(tmp_path, "nino", [f"{seg},,nino,{code}\n"])
    assert read.codings.empty
    assert read.units == {"nino": {seg}}
    assert read.rejections.to_dict("records") == [{"segment_id": seg, "code_id": code, "coder": "nino"}]


def test_the_coders_last_word_wins(tmp_path: Path) -> None:
    _, codings = tables()
    seg, code = auto_pair(codings)
    accepted_later = sheet(tmp_path, "a", [f"{seg},,nino,{code}\n", f"{seg},{code},nino,\n"])
    assert accepted_later.rejections.empty
    assert list(accepted_later.codings["code_id"]) == [code]
    rejected_later = sheet(tmp_path, "b", [f"{seg},{code},nino,\n", f"{seg},,nino,{code}\n"])
    assert rejected_later.codings.empty  # the later rejection withdraws the coder's own coding
    assert list(rejected_later.rejections["code_id"]) == [code]
    two_coders = sheet(tmp_path, "c", [f"{seg},{code},ana,\n", f"{seg},,gia,{code}\n"])
    assert list(two_coders.codings["coder"]) == ["ana"] and list(two_coders.rejections["coder"]) == ["gia"]


def test_bad_rejection_rows_name_file_and_line(tmp_path: Path) -> None:
    _, codings = tables()
    seg, code = auto_pair(codings)
    with pytest.raises(GtnaError) as info:
        sheet(tmp_path, "bad", [f"{seg},,nino,gbv.no_such_code\n", f"{seg},{code},nino,{code}\n",
                                f"{seg},,nino,gbv\n"])
    messages = [str(p) for p in info.value.problems]
    path = tmp_path / "bad.csv"
    assert messages[0].startswith(f"{path}:2: unknown rejected_code 'gbv.no_such_code'")
    assert messages[1].startswith(f"{path}:3: '{code}' is both given and rejected in one row")
    assert messages[2].startswith(f"{path}:4: 'gbv' is a theme, not a code")


def test_a_rejected_auto_coding_is_suppressed_and_audited(tmp_path: Path) -> None:
    _, codings = tables()
    seg, code = auto_pair(codings)
    other = auto_pair(codings, 1)
    human = [sheet(tmp_path, "nino", [f"{seg},,nino,{code}\n"])]
    kept, audit = apply_rejections(codings, human)
    gone = (kept["segment_id"] == seg) & (kept["code_id"] == code)
    assert not gone.any()
    assert ((kept["segment_id"] == other[0]) & (kept["code_id"] == other[1])).any()
    before = (codings["segment_id"] == seg) & (codings["code_id"] == code)
    assert len(kept) == len(codings) - before.sum()
    assert list(audit.columns) == REJECTION_COLUMNS and len(audit) == before.sum()
    assert set(audit["status"]) == {SUPPRESSED} and set(audit["rejected_by"]) == {"nino"}
    assert set(audit["accepted_by"]) == {""}
    rebuilt = auto_coder_output(kept, audit)  # the auto-coder's own output, for agreement with it
    original = codings[codings["source"] == "auto"]
    key = ["segment_id", "code_id", "start_char", "end_char"]
    assert rebuilt.sort_values(key)[CODING_COLUMNS].reset_index(drop=True).equals(
        original.sort_values(key)[CODING_COLUMNS].reset_index(drop=True))


def test_when_coders_disagree_the_auto_coding_stays_disputed(tmp_path: Path) -> None:
    _, codings = tables()
    auto = codings[codings["source"] == "auto"]
    seg, code = auto_pair(codings)
    human = [sheet(tmp_path, "gia", [f"{seg},,gia,{code}\n"]), sheet(tmp_path, "ana", [f"{seg},{code},ana,\n"])]
    merged = merge_codings(auto, human)
    kept, audit = apply_rejections(merged, human)
    assert len(kept) == len(merged)  # nothing removed: one coder's rejection does not overrule another's coding
    assert set(audit["status"]) == {DISPUTED}
    assert set(audit["rejected_by"]) == {"gia"} and set(audit["accepted_by"]) == {"ana"}


def test_without_rejections_nothing_changes(tmp_path: Path) -> None:
    _, codings = tables()
    seg, _ = auto_pair(codings)
    human = [sheet(tmp_path, "eka", [f"{seg},,eka,\n"])]
    kept, audit = apply_rejections(codings, human)
    assert kept is codings and audit.empty and list(audit.columns) == REJECTION_COLUMNS
    assert apply_rejections(codings, [])[0] is codings


def test_a_rejection_works_in_a_study_without_any_human_coding() -> None:
    from gtna_analysis.coding.human import codings_frame

    def auto(segment_id: str, start: int) -> dict:
        return {"segment_id": segment_id, "interview_id": "I-01", "agency": "a", "code_id": "gbv.referral",
                "theme_id": "gbv", "start_char": start, "end_char": start + 5, "matched_text": "m", "n_matches": 1,
                "source": "auto", "coder": "auto:1", "polarity": "stated"}

    codings = codings_frame([auto("I-01-001", 0), auto("I-01-002", 10)])
    only_a_rejection = HumanCoding(codings.iloc[0:0], {"nino": {"I-01-001"}}, None,
                                   pd.DataFrame([{"segment_id": "I-01-001", "code_id": "gbv.referral",
                                                  "coder": "nino"}]))
    kept, audit = apply_rejections(codings, [only_a_rejection])
    assert list(kept["segment_id"]) == ["I-01-002"]
    assert audit[["segment_id", "rejected_by", "accepted_by", "status"]].values.tolist() == [
        ["I-01-001", "nino", "", SUPPRESSED]]


def test_a_coder_who_rejects_in_one_file_and_codes_in_another_is_warned(tmp_path: Path) -> None:
    """Within one file the coder's last row wins; across two files the build cannot tell which decision stands:
    the auto coding stays disputed, and the warning names the coder, the code and the segment."""
    _, codings = tables()
    auto = codings[codings["source"] == "auto"]
    (seg, code), (seg2, code2) = auto_pair(codings), auto_pair(codings, 1)
    human = [sheet(tmp_path, "nino-1", [f"{seg},,nino,{code}\n", f"{seg2},,nino,{code2}\n"]),
             sheet(tmp_path, "nino-2", [f"{seg},{code},nino,\n"]),
             sheet(tmp_path, "ana", [f"{seg2},{code2},ana,\n"])]
    kept, audit = apply_rejections(merge_codings(auto, human), human)
    assert set(audit["status"]) == {DISPUTED} and len(kept) == len(auto) + 2  # nothing suppressed
    warnings = self_contradictions(audit)
    assert len(warnings) == 1 and "'nino'" in warnings[0] and f"{code} on {seg}" in warnings[0]
    assert f"{code2} on {seg2}" not in warnings[0]  # nino against ana: coders disagree, no contradiction


def test_self_contradictions_lists_a_few_and_counts_the_rest() -> None:
    rows = [{"segment_id": f"S-{i:02d}", "code_id": "c.x", "rejected_by": "gia;nino", "accepted_by": "ana;nino",
             "status": DISPUTED} for i in range(7)]
    rows.append({"segment_id": "S-99", "code_id": "c.y", "rejected_by": "gia", "accepted_by": "", "status": SUPPRESSED})
    [warning] = self_contradictions(pd.DataFrame(rows), shown=3)
    assert "'nino'" in warning and "c.x on S-02" in warning and "S-03" not in warning and "and 4 more" in warning
    assert self_contradictions(pd.DataFrame(rows[-1:])) == []
    assert self_contradictions(pd.DataFrame(columns=REJECTION_COLUMNS)) == []


def test_the_build_prints_the_contradiction(tmp_path: Path, sample_study: Path) -> None:
    from gtna_analysis.build import build

    _, codings = tables()
    seg, code = auto_pair(codings)
    write(sample_study / "codings" / "nino-1.csv", f"segment_id,code_id,coder,rejected_code\n{seg},,nino,{code}\n")
    write(sample_study / "codings" / "nino-2.csv", f"segment_id,code_id,coder\n{seg},{code},nino\n")
    result = build(sample_study)
    assert [w for w in result.warnings if "'nino'" in w and f"{code} on {seg}" in w]
    audit = result.tables["rejections"]
    assert audit.loc[audit["segment_id"] == seg, "status"].tolist() == [DISPUTED]
