"""The design check against a careful reading: every cell of its rows and summary, on tables written out by hand.

Each participant below is built to sit on one edge of the check: a total exactly 25 % off (right) and just
over it (wrong), the reader's "blended" against a primary with and without a supporting format, a participant
extraction found nothing for, a reader's row without a format or hours, content codings of another theme, another
polarity or another participant, and reader rows for other scopes and interviews that must not be judged.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from gtna_analysis.coding.design_check import TOPIC_CODES, check_designs
from gtna_analysis.schema import DESIGN_COLUMNS


def design(key: str, total: float | None, primary: str | None, support: str | None = None,
           scope: str = "self", parts: int = 1) -> list[dict]:
    """The rows of one participant's design (one per part, the totals repeated on each, as the build writes)."""
    interview_id, _, speaker_id = key.partition(":")
    return [{"interview_id": interview_id, "agency": "a", "speaker_id": speaker_id, "participant_key": key,
             "scope": scope, "part_no": i, "format": primary, "hours": None if total is None else total / parts,
             "total_hours": total, "format_primary": primary, "format_support": support}
            for i in range(1, parts + 1)]


def designs_table(*participants: list[dict]) -> pd.DataFrame:
    rows = [row for rows in participants for row in rows]
    return pd.DataFrame(rows).reindex(columns=DESIGN_COLUMNS)


SEGMENTS = pd.DataFrame({
    "segment_id": ["A-01-001", "A-01-002", "A-01-003", "B-01-001", "B-01-002", "C-01-001"],
    "interview_id": ["A-01", "A-01", "A-01", "B-01", "B-01", "C-01"],
    "speaker_id": ["P1", "P2", "P1", "P1", "P2", "P1"],
})


def coding(segment_id: str, code: str, theme: str = "training_content", polarity: str = "stated") -> dict:
    return {"segment_id": segment_id, "interview_id": segment_id[:4], "code_id": f"{theme}.{code}",
            "theme_id": theme, "polarity": polarity}


def gold_row(interview_id: str, participant: str, primary: object, total: object, topics: object = "",
             scope: object = "self") -> dict:
    return {"interview_id": interview_id, "participant": participant, "scope": scope, "format_primary": primary,
            "total_hours": total, "content_topics": topics}


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    designs = designs_table(
        design("A-01:P1", 16.0, "in_person", parts=2),             # two part rows: judged once
        design("A-01:P1", 4.0, "online", scope="managers"),       # another scope: not the participant's own
        design("A-01:P2", 10.0, "online", "in_person"),           # blended by the reader, both modes here
        design("B-01:P1", 10.0, "in_person"),                     # blended by the reader, one mode here
        design("B-01:P2", None, None, scope="managers"),
    )
    codings = pd.DataFrame([
        coding("A-01-001", "concepts"), coding("A-01-003", "gm_tools"),      # P1 (two of its segments)
        coding("A-01-001", "legal_frame", polarity="rejected"),              # rejected: not wanted
        coding("A-01-003", "tailored", theme="training_format"),             # another theme
        coding("A-01-002", "data_use"), coding("A-01-002", "data_use"),      # P2, said twice: one topic
        coding("B-01-002", "practical_cases"),                               # B-01:P2: no design, still topics
    ])
    gold = pd.DataFrame([
        gold_row("A-01", "P1", "in_person", 14.0, "concepts; legal_frame ;stereotypes"),
        gold_row("A-01", "P1", "online", 2.0, "concepts", scope="managers"),  # not judged: not self
        gold_row("A-01", "P2", "blended", 8.0, "statistics_data"),             # 10 vs 8: exactly 25 % off
        gold_row("B-01", "P1", "blended", 7.9, float("nan"), scope=float("nan")),  # no scope means self
        gold_row("B-01", "P2", "online", 6.0, "practical_cases;gbv_response"),
        gold_row("C-01", "P1", float("nan"), float("nan"), "   "),
    ])
    return designs, codings, gold


def test_every_cell_of_the_rows(tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    designs, codings, gold = tables
    rows = check_designs(designs, codings, SEGMENTS, gold).rows
    expected = pd.DataFrame([
        {"participant_key": "A-01:P1", "format": "in_person", "gold_format": "in_person", "format_right": True,
         "total_hours": 16.0, "gold_total_hours": 14.0, "hours_right": True,
         "topics_tp": 1, "topics_fp": 1, "topics_fn": 1},
        {"participant_key": "A-01:P2", "format": "online", "gold_format": "blended", "format_right": True,
         "total_hours": 10.0, "gold_total_hours": 8.0, "hours_right": True,
         "topics_tp": 1, "topics_fp": 0, "topics_fn": 0},
        {"participant_key": "B-01:P1", "format": "in_person", "gold_format": "blended", "format_right": False,
         "total_hours": 10.0, "gold_total_hours": 7.9, "hours_right": False,
         "topics_tp": 0, "topics_fp": 0, "topics_fn": 0},
        {"participant_key": "B-01:P2", "format": None, "gold_format": "online", "format_right": False,
         "total_hours": None, "gold_total_hours": 6.0, "hours_right": False,
         "topics_tp": 1, "topics_fp": 0, "topics_fn": 1},
        {"participant_key": "C-01:P1", "format": None, "gold_format": None, "format_right": None,
         "total_hours": None, "gold_total_hours": None, "hours_right": None,
         "topics_tp": 0, "topics_fp": 0, "topics_fn": 0},
    ])
    pd.testing.assert_frame_equal(rows, expected)


def test_the_summary_counts_only_what_the_reader_judged(
        tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    designs, codings, gold = tables
    summary = check_designs(designs, codings, SEGMENTS, gold).summary
    assert list(summary.columns) == ["measure", "right", "of", "share"]
    assert summary.to_dict("records") == [
        {"measure": "primary format", "right": 2, "of": 4, "share": 0.5},
        {"measure": "total hours within ±25 %", "right": 2, "of": 4, "share": 0.5},
        # tp 3, fp 1, fn 2: F1 = 6 / (6 + 1 + 2)
        {"measure": "content topics F1", "right": 3, "of": 6, "share": pytest.approx(6 / 9)},
    ]


def test_interviews_limit_the_reader_rows(tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    designs, codings, gold = tables
    result = check_designs(designs, codings, SEGMENTS, gold, interviews={"B-01"})
    assert list(result.rows["participant_key"]) == ["B-01:P1", "B-01:P2"]
    assert result.summary["of"].tolist() == [2, 2, 2]
    assert result.summary["right"].tolist() == [0, 0, 1]


def test_codings_without_a_polarity_column_all_count(
        tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    designs, codings, gold = tables
    rows = check_designs(designs, codings.drop(columns="polarity"), SEGMENTS, gold).rows.set_index("participant_key")
    # the rejected legal_frame now counts for A-01:P1 (the reader named it): tp 2, fp 1 (gm_tools), fn 0
    assert rows.loc["A-01:P1", ["topics_tp", "topics_fp", "topics_fn"]].tolist() == [2, 1, 0]


def test_the_reader_blended_needs_both_modes_with_hours() -> None:
    designs = designs_table(design("A-01:P1", 8.0, "online", "in_person"), design("A-01:P2", 8.0, "blended"),
                            design("B-01:P1", 8.0, "in_person", "online"), design("B-01:P2", 8.0, "in_person"),
                            design("C-01:P1", 8.0, "in_person", "online"))
    gold = pd.DataFrame([gold_row("A-01", "P1", "blended", 8.0), gold_row("A-01", "P2", "blended", 8.0),
                         gold_row("B-01", "P1", "online", 8.0), gold_row("B-01", "P2", "online", 8.0),
                         gold_row("C-01", "P1", "blended", 8.0)])
    rows = check_designs(designs, pd.DataFrame(columns=["segment_id", "interview_id", "code_id", "theme_id"]),
                         SEGMENTS, gold).rows
    # a supporting online part does not make in-person "online"; only the reader's "blended" accepts two modes
    assert rows["format_right"].tolist() == [True, True, False, False, True]


def test_a_reader_without_topics_and_no_coded_topics_has_no_f1() -> None:
    designs = designs_table(design("A-01:P1", 8.0, "online"))
    gold = pd.DataFrame([gold_row("A-01", "P1", "online", 0.0, "stereotypes;harassment")])
    result = check_designs(designs, pd.DataFrame(columns=["segment_id", "interview_id", "code_id", "theme_id"]),
                           SEGMENTS, gold)
    assert result.rows["hours_right"].tolist() == [None]          # zero hours by the reader: not judged
    summary = result.summary.set_index("measure")
    assert summary.loc["total hours within ±25 %", ["right", "of"]].tolist() == [0, 0]
    assert math.isnan(summary.loc["total hours within ±25 %", "share"])
    assert summary.loc["primary format", ["right", "of", "share"]].tolist() == [1, 1, 1.0]
    assert summary.loc["content topics F1", ["right", "of"]].tolist() == [0, 0]
    assert math.isnan(summary.loc["content topics F1", "share"])


def test_no_reader_rows_leave_an_empty_check() -> None:
    designs = designs_table(design("A-01:P1", 8.0, "online"))
    gold = pd.DataFrame(columns=["interview_id", "participant", "scope", "format_primary", "total_hours",
                                 "content_topics"])
    result = check_designs(designs, pd.DataFrame(columns=["segment_id", "interview_id", "code_id", "theme_id"]),
                           SEGMENTS, gold)
    assert result.rows.empty
    assert result.summary["measure"].tolist() == ["primary format", "total hours within ±25 %"]
    assert result.summary[["right", "of"]].to_numpy().tolist() == [[0, 0], [0, 0]]
    assert result.summary["share"].isna().all()


def test_every_reader_topic_name_maps_to_a_content_code() -> None:
    names = ";".join(TOPIC_CODES)
    designs = designs_table(design("A-01:P1", 8.0, "online"))
    codings = pd.DataFrame([coding("A-01-001", code.split(".")[1]) for code in TOPIC_CODES.values()])
    gold = pd.DataFrame([gold_row("A-01", "P1", "online", 8.0, names)])
    row = check_designs(designs, codings, SEGMENTS, gold).rows.iloc[0]
    assert (row["topics_tp"], row["topics_fp"], row["topics_fn"]) == (7, 0, 0)
    assert sorted(TOPIC_CODES.values()) == [
        "training_content.concepts", "training_content.data_use", "training_content.gbv_response",
        "training_content.gm_tools", "training_content.legal_frame", "training_content.practical_cases",
        "training_content.tailored"]


@pytest.mark.parametrize(("coded", "named", "f1"), [
    (["concepts"], "concepts;legal_frame", 2 / 3),                                    # tp 1, fp 0, fn 1
    (["concepts", "gm_tools", "data_use"], "concepts;legal_frame", 2 / 5),           # tp 1, fp 2, fn 1
    (["gm_tools"], "legal_frame", 0.0),                                               # tp 0, fp 1, fn 1
])
def test_the_topics_f1(coded: list[str], named: str, f1: float) -> None:
    designs = designs_table(design("A-01:P1", 8.0, "online"))
    codings = pd.DataFrame([coding("A-01-001", code) for code in coded])
    gold = pd.DataFrame([gold_row("A-01", "P1", "online", 8.0, named)])
    summary = check_designs(designs, codings, SEGMENTS, gold).summary.set_index("measure")
    assert summary.loc["content topics F1", "share"] == pytest.approx(f1)
