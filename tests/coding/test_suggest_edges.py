"""Suggestions, pinned piece by piece: the training rows, the folds that cannot train, precision/recall/F1 by
hand, which codes are scored and which are suggested, every column of the table and its review order, the
review sheet, and the model settings the module documents (a changed setting would move every probability
without another test noticing)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gtna_analysis.coding import suggest as suggest_module
from gtna_analysis.coding.suggest import (
    CV_COLUMNS,
    MIN_INTERVIEWS,
    MIN_NEGATIVE,
    MIN_POSITIVE,
    SUGGEST_FROM,
    SUGGESTION_COLUMNS,
    _classifier,
    _cross_validate,
    _platt,
    _prf,
    _vectorizer,
    review_sheet,
    suggest,
    training_labels,
)

FILLER = ["budget", "school", "report", "meeting", "staff", "region", "plan", "office", "survey"]


def study(interviews: int = 4, per_interview: int = 6, code_every: int = 2,
          unread: tuple[str, ...] = ("T-000", "T-001", "T-002", "T-003")) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                                   set[str]]:
    """Interviews I0.. read by a person; every ``code_every``-th participant segment talks about violence and is
    coded ``x.violence``; an interviewer turn in each; unread target segments in interview T (two about violence).
    """
    rows, human = [], []
    for i in range(interviews):
        for j in range(per_interview):
            seg = f"I{i}-{j:03d}"
            filler = " ".join(FILLER[(i + j * k) % len(FILLER)] for k in range(1, 6))
            hit = j % code_every == 0
            rows.append({"segment_id": seg, "interview_id": f"I{i}", "agency": f"ag{i % 2}",
                         "speaker_role": "participant",
                         "text": f"{filler} ძალადობა ოჯახში violence {filler}" if hit else filler})
            if hit:
                human.append({"segment_id": seg, "code_id": "x.violence"})
        rows.append({"segment_id": f"I{i}-900", "interview_id": f"I{i}", "agency": f"ag{i % 2}",
                     "speaker_role": "interviewer", "text": "violence ძალადობა violence"})
    targets = {"T-000": "staff plan ძალადობა ოჯახში violence office", "T-001": "survey region report office",
               "T-002": "meeting budget violence ძალადობა school", "T-003": "school office staff region"}
    for seg in unread:
        rows.append({"segment_id": seg, "interview_id": "T", "agency": "agT", "speaker_role": "participant",
                     "text": targets[seg]})
    rows.append({"segment_id": "T-900", "interview_id": "T", "agency": "agT", "speaker_role": "interviewer",
                 "text": "violence ძალადობა"})
    segments = pd.DataFrame(rows)
    read = {r["segment_id"] for r in rows if r["interview_id"] != "T"}
    return segments, pd.DataFrame(human), read


# ------------------------------------------------------------------------------------------------ the pieces

def test_training_rows_are_the_read_participant_segments_with_their_codes() -> None:
    segments = pd.DataFrame({
        "segment_id": ["s1", "s2", "s3", "s4", "s5"],
        "interview_id": ["A", "A", "B", "B", "B"],
        "agency": ["a", "a", "b", "b", "b"],
        "speaker_role": ["participant", "interviewer", "participant", "participant", "participant"],
        "text": ["we need [inaudible] training", "and?", "no time", 42, "unread"],
    }, index=[10, 11, 12, 13, 14])
    human = pd.DataFrame({"segment_id": ["s1", "s1", "s2", "s5"], "code_id": ["x.a", "x.b", "x.a", "x.a"]})
    labels = training_labels(segments, human, {"s1", "s2", "s3", "s4"})
    assert list(labels.columns) == ["segment_id", "interview_id", "agency", "text", "codes"]
    assert labels.to_dict("records") == [
        {"segment_id": "s1", "interview_id": "A", "agency": "a", "text": "we need             training",
         "codes": frozenset({"x.a", "x.b"})},
        {"segment_id": "s3", "interview_id": "B", "agency": "b", "text": "no time", "codes": frozenset()},
        {"segment_id": "s4", "interview_id": "B", "agency": "b", "text": "42", "codes": frozenset()},
    ]
    assert labels.index.tolist() == [0, 1, 2]


def test_precision_recall_and_f1_by_hand() -> None:
    predicted = np.array([True, True, True, False, False])
    truth = np.array([True, False, False, True, False])
    # tp 1, fp 2, fn 1
    assert _prf(predicted, truth) == (pytest.approx(1 / 3), pytest.approx(1 / 2), pytest.approx(2 / 5))
    assert _prf(predicted, predicted) == (1.0, 1.0, 1.0)
    # tp 1, fp 1, fn 1 and tp 1, fp 0, fn 1: counts that cancel in a wrong sign
    assert _prf(np.array([True, True, False]), np.array([True, False, True])) == (0.5, 0.5, 0.5)
    assert _prf(np.array([True, False, False]), np.array([True, True, False])) == \
        (1.0, 0.5, pytest.approx(2 / 3))


@pytest.mark.parametrize(("predicted", "truth", "nans"), [
    ([False, False], [True, False], (True, False, False)),   # nothing predicted: no precision
    ([True, False], [False, False], (False, True, False)),   # nothing to find: no recall
    ([False, False], [False, False], (True, True, True)),    # neither: nothing at all
])
def test_precision_recall_and_f1_without_their_denominators(predicted: list[bool], truth: list[bool],
                                                            nans: tuple[bool, bool, bool]) -> None:
    values = _prf(np.array(predicted), np.array(truth))
    assert tuple(math.isnan(v) for v in values) == nans
    assert [v for v in values if not math.isnan(v)] == [0.0] * (3 - sum(nans))


def test_folds_without_two_examples_of_each_kind_do_not_train() -> None:
    x = np.array([[0.0], [0.1], [1.0], [1.1], [0.2], [1.2], [0.3], [1.3]])
    y = np.array([False, False, True, True, False, True, False, True])
    folds = [
        (np.array([0, 1, 2, 4]), np.array([6]), x[[0, 1, 2, 4]], x[[6]]),             # one positive
        (np.array([0, 1, 2, 3]), np.array([4, 5]), x[[0, 1, 2, 3]], x[[4, 5]]),       # 2 and 2: trains
        (np.array([0, 2, 3, 5]), np.array([7]), x[[0, 2, 3, 5]], x[[7]]),             # one negative
    ]
    scores, covered, used = _cross_validate(folds, y)
    assert used == 1
    assert covered.tolist() == [False, False, False, False, True, True, False, False]
    assert scores[4] < 0 < scores[5]                    # the decision values of the fold that trained
    assert np.isnan(scores[[0, 1, 2, 3, 6, 7]]).all()


def test_the_documented_model_settings() -> None:
    vectorizer = _vectorizer().get_params()
    assert {k: vectorizer[k] for k in ("analyzer", "ngram_range", "sublinear_tf", "min_df", "lowercase")} == \
        {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True, "min_df": 1, "lowercase": True}
    classifier = _classifier().get_params()
    assert {k: classifier[k] for k in ("class_weight", "max_iter", "C", "solver")} == \
        {"class_weight": "balanced", "max_iter": 2000, "C": 4.0, "solver": "liblinear"}
    platt = _platt(np.array([-2.0, -1.0, 1.0, 2.0]), np.array([False, False, True, True]))
    assert platt.get_params()["C"] == 1e6 and platt.n_features_in_ == 1
    assert platt.predict_proba(np.array([[-3.0], [3.0]]))[:, 1].round(3).tolist() == [0.0, 1.0]
    assert (MIN_POSITIVE, MIN_NEGATIVE, MIN_INTERVIEWS, SUGGEST_FROM) == (5, 5, 3, 0.3)


# ------------------------------------------------------------------------------------------------ suggest()

def test_every_column_of_every_suggestion() -> None:
    segments, human, read = study()
    result = suggest(segments, human, read, {"x.violence": "x"}, threshold=0.0)
    table = result.table
    assert list(table.columns) == SUGGESTION_COLUMNS
    # every unread participant segment, and nothing else (not the interviewer, nothing a person read)
    assert sorted(table["segment_id"]) == ["T-000", "T-001", "T-002", "T-003"]
    assert set(table["interview_id"]) == {"T"} and set(table["agency"]) == {"agT"}
    assert set(table["code_id"]) == {"x.violence"} and set(table["theme_id"]) == {"x"}
    probability = table.set_index("segment_id")["probability"]
    assert min(probability["T-000"], probability["T-002"]) > 0.5 > max(probability["T-001"], probability["T-003"])
    assert table["uncertainty"].tolist() == pytest.approx([1 - abs(2 * p - 1) for p in table["probability"]])
    assert table["review_order"].tolist() == [1, 2, 3, 4]
    assert table["uncertainty"].is_monotonic_decreasing


def test_the_cross_validated_scores_row() -> None:
    segments, human, read = study(interviews=4, per_interview=8)
    scores = suggest(segments, human, read, {}).scores
    assert list(scores.columns) == CV_COLUMNS
    assert scores.to_dict("records") == [{"code_id": "x.violence", "positives": 16, "negatives": 16,
                                          "interviews": 4, "precision": 1.0, "recall": 1.0, "f1": 1.0,
                                          "folds": 4}]


def test_the_threshold_keeps_only_likely_suggestions() -> None:
    segments, human, read = study()
    default = suggest(segments, human, read, {})
    assert sorted(default.table["segment_id"]) == ["T-000", "T-002"]
    assert (default.table["probability"] >= SUGGEST_FROM).all()
    assert set(default.table["theme_id"]) == {""}              # a code without a theme in the map
    lowest = default.table["probability"].min()                # a probability at the threshold is suggested
    at_lowest = suggest(segments, human, read, {}, threshold=lowest).table
    assert sorted(at_lowest["segment_id"]) == ["T-000", "T-002"]


def test_ties_are_ordered_by_segment_then_code() -> None:
    segments, human, read = study()
    # the same text twice (T-003 before T-001 in the table), and a second code on exactly the same segments
    segments.loc[segments["segment_id"] == "T-001", "text"] = segments.loc[segments["segment_id"] == "T-003",
                                                                           "text"].iloc[0]
    segments = pd.concat([segments[segments["segment_id"] == "T-003"], segments[segments["segment_id"] != "T-003"]])
    human = pd.concat([human.assign(code_id="x.b"), human.assign(code_id="x.a")])
    table = suggest(segments, human, read, {}, threshold=0.0).table
    quiet = table[table["segment_id"].isin(["T-001", "T-003"])]
    assert list(zip(quiet["segment_id"], quiet["code_id"], strict=True)) == [
        ("T-001", "x.a"), ("T-001", "x.b"), ("T-003", "x.a"), ("T-003", "x.b")]
    assert quiet["probability"].nunique() == 1
    # otherwise: least certain first, then the more probable
    ranked = table.sort_values(["uncertainty", "probability"], ascending=[False, False], kind="stable")
    assert table[["uncertainty", "probability"]].equals(ranked[["uncertainty", "probability"]])
    assert table["review_order"].tolist() == list(range(1, len(table) + 1))


@pytest.mark.parametrize(("interviews", "learned"), [(MIN_INTERVIEWS - 1, False), (MIN_INTERVIEWS, True)])
def test_at_least_three_interviews_with_human_reading(interviews: int, learned: bool) -> None:
    segments, human, read = study(interviews=interviews, per_interview=10)
    result = suggest(segments, human, read, {}, threshold=0.0)
    assert (not result.scores.empty) is learned and (not result.table.empty) is learned
    assert list(result.table.columns) == SUGGESTION_COLUMNS and list(result.scores.columns) == CV_COLUMNS


def test_a_code_needs_five_examples_of_each_kind() -> None:
    segments, human, read = study(interviews=4, per_interview=6)       # 12 coded, 12 not
    five = human.head(MIN_POSITIVE).assign(code_id="x.five")
    four = human.tail(MIN_POSITIVE - 1).assign(code_id="x.four")
    uncoded = set(segments.loc[segments["speaker_role"] == "participant", "segment_id"]) & read - \
        set(human["segment_id"])
    everywhere_but_five = pd.DataFrame({"segment_id": sorted(set(human["segment_id"]) | set(sorted(uncoded)[5:])),
                                        "code_id": "x.most"})                  # five negatives
    everywhere_but_four = pd.DataFrame({"segment_id": sorted(set(human["segment_id"]) | set(sorted(uncoded)[4:])),
                                        "code_id": "x.nearly"})                # four negatives
    scores = suggest(segments, pd.concat([human, five, four, everywhere_but_five, everywhere_but_four]), read,
                     {}).scores
    assert scores["code_id"].tolist() == ["x.five", "x.most", "x.violence"]
    assert scores.set_index("code_id").loc["x.most", ["positives", "negatives"]].tolist() == [19, 5]
    assert suggest(segments, pd.concat([human, four]), read, {}, min_positive=4).scores["code_id"].tolist() == \
        ["x.four", "x.violence"]


def test_a_code_seen_in_one_interview_only_is_scored_but_never_suggested() -> None:
    segments, human, read = study(interviews=4, per_interview=10)
    only_i0 = pd.DataFrame({"segment_id": [f"I0-{j:03d}" for j in range(6)], "code_id": "x.once"})
    result = suggest(segments, pd.concat([human, only_i0]), read, {}, threshold=0.0)
    row = result.scores.set_index("code_id").loc["x.once"]
    assert (row["positives"], row["interviews"], row["folds"]) == (6, 1, 3)
    assert math.isnan(row["recall"])                # the folds that trained never saw a positive in their test
    assert set(result.table["code_id"]) == {"x.violence"}


def test_nothing_left_to_suggest_still_scores() -> None:
    segments, human, read = study(unread=())
    result = suggest(segments, pd.concat([human, human.assign(code_id="x.zz")]), read, {})
    assert result.scores["code_id"].tolist() == ["x.violence", "x.zz"]     # every code, not just the first
    assert result.table.empty and list(result.table.columns) == SUGGESTION_COLUMNS


def test_markers_in_unread_segments_are_not_read_as_words() -> None:
    segments, human, read = study()
    coded = segments["segment_id"].isin(human["segment_id"])
    segments.loc[coded, "text"] = segments.loc[coded, "text"] + " pause"     # a word of the coded segments only

    def probability(text: str) -> float:
        changed = segments.copy()
        changed.loc[changed["segment_id"] == "T-001", "text"] = text
        table = suggest(changed, human, read, {}, threshold=0.0).table
        return float(table.set_index("segment_id").loc["T-001", "probability"])

    plain = probability("survey region report office")
    assert probability("survey region [pause] report office") == pytest.approx(plain)   # the marker is blanked
    assert probability("survey region pause report office") > 1000 * plain               # the word is not


def test_the_review_sheet_row_by_row() -> None:
    suggestions = pd.DataFrame({"segment_id": ["T-002", "T-404"], "interview_id": ["T", "T"], "agency": ["a", "a"],
                                "code_id": ["x.a", "x.b"], "theme_id": ["x", "x"], "probability": [0.52, 0.4],
                                "uncertainty": [0.96, 0.8], "review_order": [1, 2]})
    segments = pd.DataFrame({"segment_id": ["T-001", "T-002"], "text": ["one", "ორი"]})
    sheet = review_sheet(suggestions, segments, "eka")
    assert sheet.to_dict("records") == [
        {"review_order": 1, "segment_id": "T-002", "code_id": "x.a", "decision": "", "polarity": "",
         "coder": "eka", "probability": 0.52, "interview_id": "T", "text": "ორი"},
        {"review_order": 2, "segment_id": "T-404", "code_id": "x.b", "decision": "", "polarity": "",
         "coder": "eka", "probability": 0.4, "interview_id": "T", "text": ""},
    ]


class FixedCalibration:
    """Stands in for the Platt calibration: hands out chosen probabilities in the order of the targets, so the
    table's threshold, columns and order can be checked to the digit (a real model's probabilities are never
    exactly tied)."""

    def __init__(self, probabilities: list[float]) -> None:
        self.probabilities = np.array(probabilities)

    def predict_proba(self, decision: np.ndarray) -> np.ndarray:
        assert decision.shape == (len(self.probabilities), 1)
        return np.column_stack([1 - self.probabilities, self.probabilities])


def test_the_table_order_threshold_and_uncertainty_to_the_digit(monkeypatch: pytest.MonkeyPatch) -> None:
    segments, human, read = study(unread=("T-003", "T-002", "T-001", "T-000"))   # targets in this order
    monkeypatch.setattr(suggest_module, "_platt", lambda scores, y: FixedCalibration([0.5, 0.5, 0.25, 0.75]))
    human = pd.concat([human.assign(code_id="x.b"), human.assign(code_id="x.a")])
    table = suggest(segments, human, read, {"x.a": "x"}, threshold=0.25).table
    assert table.drop(columns=["interview_id", "agency"]).to_dict("records") == [
        {"segment_id": "T-002", "code_id": "x.a", "theme_id": "x", "probability": 0.5, "uncertainty": 1.0,
         "review_order": 1},
        {"segment_id": "T-002", "code_id": "x.b", "theme_id": "", "probability": 0.5, "uncertainty": 1.0,
         "review_order": 2},
        {"segment_id": "T-003", "code_id": "x.a", "theme_id": "x", "probability": 0.5, "uncertainty": 1.0,
         "review_order": 3},
        {"segment_id": "T-003", "code_id": "x.b", "theme_id": "", "probability": 0.5, "uncertainty": 1.0,
         "review_order": 4},
        {"segment_id": "T-000", "code_id": "x.a", "theme_id": "x", "probability": 0.75, "uncertainty": 0.5,
         "review_order": 5},
        {"segment_id": "T-000", "code_id": "x.b", "theme_id": "", "probability": 0.75, "uncertainty": 0.5,
         "review_order": 6},
        {"segment_id": "T-001", "code_id": "x.a", "theme_id": "x", "probability": 0.25, "uncertainty": 0.5,
         "review_order": 7},
        {"segment_id": "T-001", "code_id": "x.b", "theme_id": "", "probability": 0.25, "uncertainty": 0.5,
         "review_order": 8},
    ]
    assert table.index.tolist() == list(range(8))
    above = suggest(segments, human, read, {}, threshold=0.26).table
    assert sorted(set(above["segment_id"])) == ["T-000", "T-002", "T-003"]


@pytest.mark.parametrize(("decisions", "scores"), [
    ([0.0, 0.5, -0.5, -2.0], (1.0, 1.0, 1.0)),          # a decision value of 0 is a yes, 0.5 too
    ([0.5, -0.1, 0.2, -2.0], (0.5, 0.5, 0.5)),          # one positive missed, one negative taken
])
def test_the_classifier_says_yes_from_a_decision_value_of_zero(monkeypatch: pytest.MonkeyPatch,
                                                               decisions: list[float],
                                                               scores: tuple[float, float, float]) -> None:
    segments, human, read = study(interviews=4, per_interview=10)
    labels = training_labels(segments, human, read)
    truth = labels["codes"].map(lambda c: "x.violence" in c).to_numpy()
    # positives get the first two values in turn, negatives the last two
    turn = np.where(truth, np.cumsum(truth), np.cumsum(~truth)) % 2
    oof = np.where(truth, np.array(decisions[:2])[turn], np.array(decisions[2:])[turn])
    monkeypatch.setattr(suggest_module, "_cross_validate",
                        lambda folds, y: (oof, np.ones(len(y), dtype=bool), 4))
    row = suggest(segments, human, read, {}).scores.iloc[0]
    assert (row["precision"], row["recall"], row["f1"]) == pytest.approx(scores)
