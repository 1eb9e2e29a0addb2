"""The agency comparison: shares of participants naming a theme as a priority, tested against the other
agencies with Fisher's exact test; p-values and Wilson intervals checked against values computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from gtna_analysis.reports import analysis
from gtna_analysis.tables import Tables


def _study(raised: dict[str, tuple[int, int]]) -> Tables:
    """Agencies with ``n`` participants each (one individual interview per participant), ``k`` of whom name
    theme X in answer to Q1; everyone also names theme Y in answer to Q5 (a question every agency is asked)."""
    interviews, participants, segments, codings = [], [], [], []
    for agency, (k, n) in raised.items():
        for i in range(n):
            iid = f"{agency.upper()}-{i + 1}"
            interviews.append({"interview_id": iid, "agency": agency, "mode": "individual", "language": "en"})
            participants.append({"interview_id": iid, "agency": agency, "participant_id": "P1", "gender": "female",
                                 "level": "mid", "mode": "individual"})
            for q, theme, coded in (("Q1", "x", i < k), ("Q5", "y", True)):
                sid = f"{iid}-{q}"
                segments.append({"interview_id": iid, "agency": agency, "segment_id": sid, "speaker_id": "P1",
                                 "speaker_role": "participant", "question_id": q, "text": "Some answer here.",
                                 "start_char": 0, "end_char": 17, "words": 3, "question_confidence": 1.0})
                if coded:
                    codings.append({"segment_id": sid, "interview_id": iid, "agency": agency, "code_id": f"{theme}.c",
                                    "theme_id": theme, "start_char": 0, "end_char": 4, "matched_text": "Some",
                                    "n_matches": 1, "source": "auto"})
    codes = pd.DataFrame({"code_id": ["x.c", "y.c"], "theme_id": ["x", "y"], "theme_order": [0, 1],
                          "code_label_ka": ["ხ", "ყ"], "code_label_en": ["X", "Y"], "theme_label_ka": ["ხ", "ყ"],
                          "theme_label_en": ["X", "Y"], "color": ["#0072B2", "#E69F00"], "definition": ["", ""]})
    manifest = {"agencies": {a: {"name": {"en": a.upper(), "ka": a}, "short": {"en": a.upper(), "ka": a}}
                             for a in raised}}
    return Tables(pd.DataFrame(interviews), pd.DataFrame(participants), pd.DataFrame(segments),
                  pd.DataFrame(codings), pd.DataFrame(columns=["interview_id", "agency", "speaker_id", "segment_id",
                                                               "kind", "format", "duration_hours"]), codes, manifest)


def test_four_of_four_against_none_of_four_is_beyond_chance() -> None:
    contrast = analysis.agency_contrast(_study({"a": (4, 4), "b": (0, 4)}), "a", "en", ["Q1"])
    row = contrast.set_index("id").loc["x"]
    assert (row.participants, row.n, row.participants_others, row.n_others) == (4, 4, 0, 4)
    assert row.p == pytest.approx(2 / 70)                 # Fisher, two-sided: 2 of the C(8,4) = 70 tables
    assert row.significant
    assert row.ci_low == pytest.approx(4 / (4 + 1.959964 ** 2))  # Wilson 95 % at k = n: n / (n + z²), by hand
    assert row.ci_high == pytest.approx(1.0)


def test_two_of_two_is_not_enough_to_call_a_difference() -> None:
    contrast = analysis.agency_contrast(_study({"a": (2, 2), "b": (0, 2)}), "a", "en", ["Q1"])
    row = contrast.set_index("id").loc["x"]
    assert row.p == pytest.approx(2 / 6)  # C(4,2) = 6 tables, 2 as extreme
    assert not row.significant


def test_a_theme_every_agency_is_asked_about_is_not_a_wall_of_100_percent() -> None:
    """Counting only answers to the priorities question: theme Y (raised by everyone, in answer to Q5) is not
    shown at all, and X shows the real spread."""
    tables = _study({"a": (3, 4), "b": (1, 4), "c": (0, 3)})
    contrast = analysis.agency_contrast(tables, "a", "en", ["Q1"])
    assert list(contrast["id"]) == ["x"]
    everywhere = analysis.agency_contrast(tables, "a", "en", None)
    assert everywhere.set_index("id").loc["y", "share"] == 1.0  # what the old heatmap showed
    shares, marks = analysis.agency_comparison(tables, "en", ["Q1"])
    assert shares["X"].to_dict() == {"A": 0.75, "B": 0.25, "C": 0.0}
    assert marks.dtypes.eq(bool).all()


def test_thin_evidence_threshold() -> None:
    assert analysis.is_thin(3, 20) and analysis.is_thin(10, 5)
    assert not analysis.is_thin(4, 6)
    geostat_like = _study({"g": (1, 3), "b": (1, 6)})  # 3 interviews, 3 participants
    assert analysis.training_recommendation(geostat_like, "g").thin
