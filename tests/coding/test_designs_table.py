"""The ``designs`` table cell by cell: what one participant's answers add up to, per scope.

``test_designs.py`` checks the fields of single answers and a few columns of the table; a researcher reads every
column (the sheet goes out for review, the report counts formats, bounds and hours), so here whole rows are
written out: which answer is a participant's design when several state one, parts gathered across answers,
bounds and formats combined over all answers, the row of a scope that states no duration, who is left out.
"""

from __future__ import annotations

import math

import pandas as pd

from gtna_analysis.coding.designs import _vote, participant_designs
from gtna_analysis.schema import DESIGN_COLUMNS

TOPICS = {"Q6": "training_type", "Q7": "training_duration", "Q9": "participants"}


def segments(rows: list[tuple], role: str = "participant") -> pd.DataFrame:
    return pd.DataFrame([{"interview_id": i, "agency": "moes", "segment_id": f"{i}-{n:03d}", "turn_no": n,
                          "speaker_id": p, "speaker_role": role, "question_id": q, "text": t}
                         for i, p, n, q, t in rows])


def records(frame: pd.DataFrame) -> list[dict]:
    """The table's rows as dicts, every kind of missing value as None."""
    def plain(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        return value
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def row(speaker: str, scope: str, part_no: int, fmt: str | None, hours: float | None, total: float | None,
        segment: str, evidence: str, **fields: object) -> dict:
    base = {"interview_id": "X-01", "agency": "moes", "speaker_id": speaker, "participant_key": f"X-01:{speaker}",
            "scope": scope, "part_no": part_no, "format": fmt, "hours": hours, "total_hours": total,
            "min_hours": None, "max_hours": None, "sessions": None, "format_primary": None, "format_support": None,
            "support_purpose": None, "rejected_formats": "", "follow_up": False, "avoid_periods": "",
            "hypothetical": False, "segment_id": segment, "evidence": evidence, "reviewed": False}
    assert fields.keys() <= base.keys()
    return {**base, **fields}


ANSWERS = segments([
    ("X-01", "P1", 2, "Q6", "Several hours online first, and then two days in person."),
    ("X-01", "P1", 4, "Q7", "As I said, two days in person. One day is too little."),
    ("X-01", "P1", 6, "Q9", "For managers a one-day introduction could be enough."),
    ("X-01", "P2", 3, "Q7", "ორდღიანი ტრენინგი პირისპირ, ონლაინ მხოლოდ მასალებისთვის."),
    ("X-01", "P3", 5, "Q7", "Not online. Maybe follow-up sessions later, but not in summer or in December."),
    ("X-01", "P4", 7, "Q7", "One day online."),
    ("X-01", "P4", 9, "Q6", "In person, one day. At most three days."),
])


def test_every_cell_of_four_participants_designs() -> None:
    table = participant_designs(ANSWERS, TOPICS)
    assert list(table.columns) == DESIGN_COLUMNS
    assert records(table) == [
        # the answer with the most parts is the design; the restated "two days" does not double it, while the
        # lower bound ("one day is too little") comes from the other answer
        row("P1", "self", 1, "online", 4.0, 20.0, "X-01-002", "Several hours", min_hours=8.0,
            format_primary="in_person", format_support="online"),
        row("P1", "self", 2, "in_person", 16.0, 20.0, "X-01-002", "two days", min_hours=8.0,
            format_primary="in_person", format_support="online"),
        row("P1", "managers", 1, "any", 8.0, 8.0, "X-01-006", "one-day", hypothetical=True),
        row("P2", "self", 1, "in_person", 16.0, 16.0, "X-01-003", "ორდღიანი", format_primary="in_person",
            format_support="online", support_purpose="materials"),
        # no duration, but a format left, a follow-up and periods to avoid: one row without a part
        row("P3", "self", 0, None, None, None, "X-01-005", "", format_primary="in_person",
            rejected_formats="online", follow_up=True, avoid_periods="end of year;summer"),
        # one part per answer, the answer to the duration question first; a tie of formats goes to in person
        row("P4", "self", 1, "online", 8.0, 16.0, "X-01-007", "One day", max_hours=24.0, format_primary="in_person"),
        row("P4", "self", 2, "in_person", 8.0, 16.0, "X-01-007", "one day", max_hours=24.0,
            format_primary="in_person"),
    ]
    assert {c: str(table[c].dtype) for c in ("part_no", "hours", "total_hours", "min_hours", "max_hours", "sessions",
                                             "follow_up", "hypothetical", "reviewed")} == {
        "part_no": "int64", "hours": "float64", "total_hours": "float64", "min_hours": "float64",
        "max_hours": "float64", "sessions": "Int64", "follow_up": "bool", "hypothetical": "bool", "reviewed": "bool"}


def test_the_earliest_of_equal_answers_is_the_design_and_who_is_left_out() -> None:
    rows = segments([("X-02", "P1", 5, "Q6", "Three days in person."), ("X-02", "P1", 3, "Q6", "Two days in person."),
                     ("X-02", "P2", 4, "Q1", "Not in person, please."),
                     ("X-02", None, 6, "Q6", "One day online."),  # nobody to attribute it to
                     ("X-01", "P9", 2, "Q6", "Four days in person.")])
    rows = pd.concat([rows, segments([("X-02", "INT", 1, "Q6", "Would one day online suit you?")],
                                     role="interviewer")], ignore_index=True)
    every_answer = records(participant_designs(rows))
    assert [(r["participant_key"], r["part_no"], r["hours"], r["segment_id"]) for r in every_answer] == [
        ("X-01:P9", 1, 32.0, "X-01-002"),  # sorted by interview, then speaker
        ("X-02:P1", 1, 16.0, "X-02-003"),  # turn 3 said it first: a later restatement does not replace it
        ("X-02:P2", 0, None, "X-02-004"),
    ]
    assert every_answer[2]["format_primary"] == "online"  # "not in person" leaves online
    assert every_answer[2]["rejected_formats"] == "in_person"
    asked = records(participant_designs(rows, {"Q6": "training_type", "Q1": "priorities"}))
    assert [r["participant_key"] for r in asked] == ["X-01:P9", "X-02:P1"]  # Q1 is not about the training design


def test_an_answer_the_duration_question_wins_over_an_earlier_one() -> None:
    rows = segments([("X-03", "P1", 2, "Q6", "Two days in person."), ("X-03", "P1", 4, "Q7", "Three days online.")])
    table = records(participant_designs(rows, TOPICS))
    # the other answer's part in the other format is added to the design (whose segment the rows name)
    assert [(r["format"], r["hours"], r["total_hours"], r["segment_id"], r["evidence"]) for r in table] == [
        ("online", 24.0, 40.0, "X-03-004", "Three days"), ("in_person", 16.0, 40.0, "X-03-004", "Two days")]


def test_no_answers_give_an_empty_typed_table() -> None:
    table = participant_designs(ANSWERS.iloc[0:0], TOPICS)
    assert list(table.columns) == DESIGN_COLUMNS and table.empty
    assert str(table["sessions"].dtype) == "Int64" and str(table["hours"].dtype) == "float64"


def test_votes_and_their_ties() -> None:
    assert _vote([None, "", None]) is None
    assert _vote(["online", "online", "in_person"]) == "online"  # the most frequent
    assert _vote(["online", "in_person"]) == "in_person"  # ties: in person before online
    assert _vote(["in_person", "blended"]) == "blended"  # blended before in person
    assert _vote(["materials", "test", "test"]) == "test"
    assert _vote(["test", "materials"]) == "test"  # other values: the first of a tie


def test_parts_gathered_from_other_answers_sessions_and_scopes_of_their_own() -> None:
    rows = segments([
        ("X-05", "P1", 2, "Q6", "Several hours online."),
        ("X-05", "P1", 4, "Q7", "Two days in person."),  # the design: the answer to the duration question
        ("X-05", "P1", 6, "Q6", "Four hours online would also do."),  # a second online part is not added again
        ("X-05", "P2", 3, "Q7", "Two days."),  # a part of no stated format takes the online part of another answer
        ("X-05", "P2", 5, "Q6", "Several hours online."),
        ("X-05", "P3", 7, "Q9", "For specialists three days."),  # a group's design without one of the speaker's own
        ("X-05", "P4", 8, "Q7", "Three sessions of four hours each, in person."),
        ("X-05", "P5", 9, "Q6", "Not online. And not in person either."),
    ])
    table = records(participant_designs(rows, TOPICS))
    assert [(r["speaker_id"], r["scope"], r["part_no"], r["format"], r["hours"], r["total_hours"], r["sessions"],
             r["segment_id"]) for r in table] == [
        ("P1", "self", 1, "in_person", 16.0, 20.0, None, "X-05-004"),
        ("P1", "self", 2, "online", 4.0, 20.0, None, "X-05-004"),
        ("P2", "self", 1, "any", 16.0, 20.0, None, "X-05-003"),
        ("P2", "self", 2, "online", 4.0, 20.0, None, "X-05-003"),
        ("P3", "specialists", 1, "any", 24.0, 24.0, None, "X-05-007"),
        ("P4", "self", 1, "in_person", 4.0, 12.0, 3, "X-05-008"),
        ("P4", "self", 2, "in_person", 4.0, 12.0, 3, "X-05-008"),
        ("P4", "self", 3, "in_person", 4.0, 12.0, 3, "X-05-008"),
        ("P5", "self", 0, None, None, None, None, "X-05-009"),
    ]
    assert table[-1]["rejected_formats"] == "in_person;online" and table[-1]["format_primary"] is None
