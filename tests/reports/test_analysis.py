"""Analysis functions on a small hand-made data set whose right answers can be counted by eye."""

from __future__ import annotations

import pandas as pd
import pytest

from gtna_analysis.reports import analysis
from gtna_analysis.tables import Tables


def _tables() -> Tables:
    interviews = pd.DataFrame({
        "interview_id": ["A-1", "A-2", "B-1"], "agency": ["a", "a", "b"], "mode": ["group", "individual", "individual"],
        "language": ["ka", "en", "ka"],
    })
    participants = pd.DataFrame({
        "interview_id": ["A-1", "A-1", "A-2", "B-1"], "agency": ["a", "a", "a", "b"],
        "participant_id": ["P1", "P2", "P1", "P1"], "gender": ["female", "male", "female", "male"],
        "level": ["senior", "mid", "mid", "junior"], "mode": ["group", "group", "individual", "individual"],
    })
    seg_rows = [
        ("A-1", "a", "A-1-001", "INT1", "interviewer", "Q1", "რა არის პრიორიტეტი?"),
        ("A-1", "a", "A-1-002", "P1", "participant", "Q1", "ოჯახში ძალადობა. ეს მთავარია ჩვენთვის."),
        ("A-1", "a", "A-1-003", "P2", "participant", "Q1", "ძალადობა და ბიუჯეტი, ორივე."),
        ("A-1", "a", "A-1-004", "P1", "participant", "Q6", "შერეული ფორმატი მირჩევნია."),
        ("A-2", "a", "A-2-001", "P1", "participant", "Q1", "Gender budgeting is our priority."),
        ("B-1", "b", "B-1-001", "P1", "participant", "Q1", "Domestic violence, again and again."),
    ]
    segments = pd.DataFrame(seg_rows, columns=["interview_id", "agency", "segment_id", "speaker_id", "speaker_role",
                                               "question_id", "text"])
    segments["start_char"] = range(0, 600, 100)
    segments["end_char"] = segments["start_char"] + segments["text"].str.len()
    segments["words"] = segments["text"].str.split().str.len()
    segments["question_confidence"] = 1.0
    cod = [("A-1-002", "A-1", "a", "gbv.dv", "gbv"), ("A-1-003", "A-1", "a", "gbv.dv", "gbv"),
           ("A-1-003", "A-1", "a", "grb.budget", "grb"), ("A-2-001", "A-2", "a", "grb.budget", "grb"),
           ("B-1-001", "B-1", "b", "gbv.dv", "gbv")]
    codings = pd.DataFrame(cod, columns=["segment_id", "interview_id", "agency", "code_id", "theme_id"])
    codings = codings.merge(segments[["segment_id", "start_char", "end_char"]], on="segment_id")
    codings["matched_text"] = "x"
    codings["n_matches"] = 1
    codings["source"] = "auto"
    codes = pd.DataFrame({
        "code_id": ["gbv.dv", "grb.budget"], "theme_id": ["gbv", "grb"], "theme_order": [0, 1],
        "code_label_ka": ["ოჯახში ძალადობა", "ბიუჯეტი"], "code_label_en": ["Domestic violence", "Budgeting"],
        "theme_label_ka": ["ძალადობა", "ბიუჯეტირება"], "theme_label_en": ["Violence", "Budgeting"],
        "color": ["#0072B2", "#E69F00"], "definition": ["", ""],
    })
    prefs = pd.DataFrame({
        "interview_id": ["A-1", "A-1", "A-2", "A-2"], "agency": ["a"] * 4, "speaker_id": ["P1", "P1", "P1", "P1"],
        "segment_id": ["A-1-004", "A-1-004", "A-2-001", "A-2-001"],
        "kind": ["format", "duration", "duration", "format"],
        "format": ["blended", None, None, "blended"], "duration_hours": [None, 16.0, 8.0, None],
    })
    manifest = {"agencies": {"a": {"name": {"en": "Agency A", "ka": "უწყება ა"}, "short": {"en": "A", "ka": "ა"}},
                             "b": {"name": {"en": "Agency B", "ka": "უწყება ბ"}, "short": {"en": "B", "ka": "ბ"}}}}
    return Tables(interviews, participants, segments, codings, prefs, codes, manifest)


def test_prevalence_counts_interviews_participants_and_mentions() -> None:
    prev = analysis.prevalence(_tables(), "theme", "en", agency="a").set_index("id")
    assert prev.loc["gbv", "interviews"] == 1          # only A-1, although two people raised it there
    assert prev.loc["gbv", "participants"] == 2
    assert prev.loc["gbv", "share_interviews"] == pytest.approx(0.5)
    assert prev.loc["grb", "interviews"] == 2
    assert prev.loc["grb", "share_participants"] == pytest.approx(2 / 3)
    assert list(prev.index) == ["grb", "gbv"]            # sorted by share of interviews


def test_prevalence_all_agencies_and_labels_in_georgian() -> None:
    prev = analysis.prevalence(_tables(), "theme", "ka")
    assert set(prev["label"]) == {"ძალადობა", "ბიუჯეტირება"}
    assert prev.set_index("id").loc["gbv", "interviews"] == 2


def test_agency_theme_matrix_uses_short_names() -> None:
    matrix = analysis.agency_theme_matrix(_tables(), "en")
    assert matrix.loc["A", "Violence"] == pytest.approx(0.5)
    assert matrix.loc["B", "Budgeting"] == 0.0


def test_cooccurrence_is_symmetric_with_segment_counts_on_diagonal() -> None:
    matrix = analysis.cooccurrence(_tables(), "theme", "en")
    assert matrix.loc["Violence", "Budgeting"] == matrix.loc["Budgeting", "Violence"] == 1
    assert matrix.loc["Violence", "Violence"] == 3


def test_breakdown_by_level_is_share_of_participants_in_group() -> None:
    shares = analysis.breakdown(_tables(), "level", "en")
    assert shares.loc["Violence", "senior (n=1)"] == 1.0
    assert shares.loc["Budgeting", "mid (n=2)"] == 1.0


def test_sample_profile_has_no_names_and_counts_modes() -> None:
    prof = analysis.sample_profile(_tables(), "a")
    assert prof["interviews"] == {"total": 2, "group": 1, "individual": 1}
    assert prof["participants"]["total"] == 3


def test_representative_quotes_spread_over_interviews_first() -> None:
    quotes = analysis.representative_quotes(_tables(), "gbv", None, n=2)
    assert quotes["interview_id"].nunique() == 2


def test_training_recommendation_takes_participant_medians() -> None:
    rec = analysis.training_recommendation(_tables(), "a")
    assert rec.format == "blended"
    assert rec.format_counts == {"blended": 2}
    assert rec.duration_hours_median == pytest.approx(12.0)  # median of A-1:P1 (16) and A-2:P1 (8)
    assert rec.thin                                         # two interviews only
    assert "A-1-004" in rec.evidence_segments


def test_question_summary_orders_questions_numerically() -> None:
    summary = analysis.question_summary(_tables(), {"Q1": {"en": "Priorities?"}}, "en", "a")
    assert list(summary["question_id"]) == ["Q1", "Q6"]
    assert summary.iloc[0]["question"] == "Priorities?"


def test_training_recommendation_reports_a_split_on_format() -> None:
    t = _tables()
    t.preferences.loc[t.preferences["interview_id"] == "A-2", "speaker_id"] = "P2"
    t.preferences.loc[(t.preferences["interview_id"] == "A-2") & (t.preferences["kind"] == "format"),
                      "format"] = "in_person"
    rec = analysis.training_recommendation(t, "a")
    assert rec.format_counts == {"blended": 1, "in_person": 1}
    assert rec.format_tied == ["blended", "in_person"]


def test_edge_cases_found_in_review() -> None:
    t = _tables()
    empty = Tables(t.interviews, t.participants, t.segments, t.codings.iloc[0:0], t.preferences, t.codes,
                   t.manifest)
    assert analysis.cooccurrence(empty).empty                          # a new study with nothing coded yet
    same_label = t.codes.assign(theme_label_en="Same")
    dup = Tables(t.interviews, t.participants, t.segments, t.codings, t.preferences, same_label, t.manifest)
    matrix = analysis.agency_theme_matrix(dup, "en")
    assert list(matrix.columns) == ["Same (gbv)", "Same (grb)"]        # duplicate labels stay distinct
    assert matrix.loc["A", "Same (gbv)"] == pytest.approx(0.5)


@pytest.mark.parametrize(("stated", "expected"), [
    (["online", "in_person"], "blended"), (["blended", "online"], "blended"), (["online", "online", "in_person"],
                                                                              "online"),
    (["in_person"], "in_person")])
def test_a_participants_tied_formats(stated: list[str], expected: str) -> None:
    assert analysis._person_format(pd.Series(stated)) == expected


def test_question_order_handles_letter_suffixes() -> None:
    from gtna_analysis.explore import question_order

    assert sorted(["Q10", "Q3c", "Q2", "Q3"], key=question_order) == ["Q2", "Q3", "Q3c", "Q10"]


def test_position_text_with_a_single_agency_says_there_is_nothing_to_compare() -> None:
    from gtna_analysis.reports.sections import ReportContext, cooccurrence_text, position_text

    t = _tables()
    for lang, phrase in (("en", "nothing to compare with"), ("ka", "შედარება შეუძლებელია")):
        ctx = ReportContext(t.scope("a"), "a", lang, {}, "2026-01-01 00:00 UTC")
        assert phrase in position_text(ctx)
    t0 = Tables(t.interviews, t.participants, t.segments, t.codings.iloc[0:0], t.preferences, t.codes, t.manifest)
    assert "No segment has been coded yet" in cooccurrence_text(ReportContext(t0, None, "en", {}, "x"))


def test_a_rejected_mention_is_no_priority() -> None:
    """'We don't need budgeting' stays in codings but counts for no interview, participant or co-occurrence."""
    t = _tables()
    t.codings["polarity"] = "stated"
    t.codings.loc[t.codings["segment_id"] == "A-2-001", "polarity"] = "rejected"
    prev = analysis.prevalence(t, "theme", "en", agency="a").set_index("id")
    assert prev.loc["grb", "interviews"] == 1 and prev.loc["grb", "participants"] == 1
    assert len(t.codings) == 5 and len(t.counted_codings) == 4
    t.codings["polarity"] = "hypothetical"  # "if we had a budget…" is still a mention of the theme
    assert analysis.prevalence(t, "theme", "en", agency="a").set_index("id").loc["grb", "interviews"] == 2


def test_recommendation_sums_each_design_and_keeps_groups_apart() -> None:
    """Durations come from the designs table: each person's parts add up; a group's design is a tier."""
    t = _tables()
    t.designs = pd.DataFrame([
        {"participant_key": "A-1:P1", "interview_id": "A-1", "agency": "a", "speaker_id": "P1", "scope": "self",
         "part_no": 1, "format": "in_person", "hours": 16.0, "total_hours": 20.0, "format_primary": "in_person",
         "format_support": "online", "max_hours": None, "segment_id": "A-1-004", "reviewed": False},
        {"participant_key": "A-1:P1", "interview_id": "A-1", "agency": "a", "speaker_id": "P1", "scope": "self",
         "part_no": 2, "format": "online", "hours": 4.0, "total_hours": 20.0, "format_primary": "in_person",
         "format_support": "online", "max_hours": None, "segment_id": "A-1-004", "reviewed": False},
        {"participant_key": "A-1:P1", "interview_id": "A-1", "agency": "a", "speaker_id": "P1", "scope": "managers",
         "part_no": 1, "format": "any", "hours": 8.0, "total_hours": 8.0, "format_primary": None,
         "format_support": None, "max_hours": None, "segment_id": "A-1-004", "reviewed": False},
        {"participant_key": "A-2:P1", "interview_id": "A-2", "agency": "a", "speaker_id": "P1", "scope": "self",
         "part_no": 1, "format": "any", "hours": 8.0, "total_hours": 8.0, "format_primary": "in_person",
         "format_support": None, "max_hours": 16.0, "segment_id": "A-2-001", "reviewed": True},
    ])
    rec = analysis.training_recommendation(t, "a", "en")
    assert rec.from_designs and rec.duration_hours_median == 14.0      # median of 20 and 8, not of 16, 4 and 8
    assert (rec.duration_hours_low, rec.duration_hours_high) == (8.0, 20.0)
    assert rec.format == "in_person" and rec.format_support == "online" and rec.n_support == 1
    assert rec.tiers == [{"scope": "managers", "n": 1, "hours": 8.0, "format": None}]
    assert rec.n_upper_bound == 1 and rec.upper_bound_hours == 16.0 and rec.n_reviewed == 1
    assert rec.thin  # two interviews, three participants
    assert rec.second_format is None and rec.n_rejecting_format == 0


def test_ties_are_groups_not_a_ranking() -> None:
    frame = pd.DataFrame({"label": ["Law", "Cases", "Concepts", "Data"], "participants": [5, 5, 7, 2]})
    assert analysis.tie_groups(frame, "participants") == [(7, ["Concepts"]), (5, ["Law", "Cases"]), (2, ["Data"])]
