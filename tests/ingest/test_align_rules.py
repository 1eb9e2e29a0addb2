"""Question alignment rule by rule (``ingest.align``) on a small made-up guide whose scores are worked out by hand:
which words count, how rare words weigh more, the best language variant, ties in guide order, the threshold and
the guide-order bonus (defaults and explicit values, zero included), and what a turn inherits."""

from __future__ import annotations

import math

import pytest

from gtna_analysis.ingest import align as align_module
from gtna_analysis.ingest.align import Alignment, QuestionMatcher, align_turns, content_stems
from gtna_analysis.ingest.turns import Turn
from gtna_analysis.study import Question

# variants with content words: Q1 en, Q2 en, Q2 ka (Q3 has only function words): n = 3
GUIDE = [
    Question("Q1", "fruit", {"en": "Apples, bananas and cherries?"}),
    Question("Q2", "fruit", {"en": "apples or dates", "ka": "ვაშლი, მსხალი თუ ქლიავი?"}),
    Question("Q3", "none", {"en": "What is it, and how?"}),
]
RARE = math.log(1 + 3 / 1)  # a stem in one variant
APPLE = math.log(1 + 3 / 2)  # "apple", in two


def test_content_stems_are_five_letter_prefixes_without_function_words() -> None:
    assert content_stems("Thanks! The TRAINING, trained: 2 x 3d A1 de_facto რომ თქვენთვის თანამშრომლების") == \
        ["thank", "train", "train", "de", "facto", "თანამ"]
    assert content_stems("") == []


def test_weights_favour_rare_words() -> None:
    matcher = QuestionMatcher(GUIDE)
    assert [(qid, sorted(stems)) for qid, stems in matcher.variants] == [
        ("Q1", ["apple", "banan", "cherr"]), ("Q2", ["apple", "dates"]), ("Q2", ["ვაშლი", "მსხალ", "ქლიავ"])]
    assert matcher.weight == pytest.approx({"apple": APPLE, "banan": RARE, "cherr": RARE, "dates": RARE,
                                            "ვაშლი": RARE, "მსხალ": RARE, "ქლიავ": RARE})


def test_scores_are_weighted_coverage_best_variant_per_question() -> None:
    matcher = QuestionMatcher(GUIDE)
    assert matcher.scores("apples bananas, please") == pytest.approx({
        "Q1": (APPLE + RARE) / (APPLE + 2 * RARE), "Q2": APPLE / (APPLE + RARE)})
    assert matcher.scores("ვაშლი და მსხალი") == pytest.approx({"Q1": 0.0, "Q2": 2 / 3})  # the Georgian variant
    assert matcher.scores("ვაშლი dates") == pytest.approx({"Q1": 0.0, "Q2": RARE / (APPLE + RARE)})


def test_fewer_than_two_content_words_score_nothing() -> None:
    matcher = QuestionMatcher(GUIDE)
    assert matcher.scores("Apples? Apples! and the") == {}
    assert matcher.best("apples") == (None, 0.0)
    assert matcher.scores("apples pears") != {}


def test_the_best_question_rounded_and_first_in_guide_order_on_ties() -> None:
    matcher = QuestionMatcher(GUIDE)
    assert matcher.best("apples bananas") == ("Q1", round((APPLE + RARE) / (APPLE + 2 * RARE), 3))
    tie = QuestionMatcher([Question("A", "", {"en": "alpha gamma"}), Question("B", "", {"en": "alpha gamma"})])
    assert tie.best("alpha gamma") == ("A", 1.0)
    assert QuestionMatcher([]).scores("alpha gamma") == {}


def turn(no: int, role: str, text: str, tag: str | None = None) -> Turn:
    return Turn(no, "INT1" if role == "i" else "P1", "interviewer" if role == "i" else "participant", no,
                question_tag=tag, text=text)


def aligned(*turns: tuple[str, str] | tuple[str, str, str], **options: float) -> list[tuple[str | None, float, str]]:
    result = align_turns([turn(i + 1, *t) for i, t in enumerate(turns)], GUIDE, **options)
    return [(a.question_id, a.confidence, a.method) for a in result]


def test_tags_are_certain_and_answers_inherit_them() -> None:
    assert aligned(("p", "hello there"), ("i", "bananas cherries", "Q2"), ("p", "apples bananas cherries")) == [
        (None, 0.0, "none"), ("Q2", 1.0, "tag"), ("Q2", 1.0, "inherited")]


def test_an_untagged_question_needs_the_threshold_with_the_order_bonus() -> None:
    # "apples dates" covers Q2 fully; as the first question Q1 is expected, so Q1 gets the bonus
    q1 = (APPLE + RARE) / (APPLE + 2 * RARE)  # "apples bananas" on Q1: 0.6...
    assert aligned(("i", "apples bananas")) == [("Q1", round(q1 + 0.2, 3), "similarity")]
    assert aligned(("i", "apples bananas"), threshold=q1 + 0.2) == [("Q1", round(q1 + 0.2, 3), "similarity")]
    assert aligned(("i", "apples bananas"), threshold=q1 + 0.21) == [(None, 0.0, "none")]
    assert aligned(("i", "apples bananas"), order_bonus=0.0) == [("Q1", round(q1, 3), "similarity")]
    assert aligned(("i", "apples bananas"), order_bonus=0.0, threshold=0.0) == [("Q1", round(q1, 3), "similarity")]
    assert aligned(("i", "pears plums"), threshold=0.0) == [("Q1", 0.2, "similarity")]  # 0 + the bonus


def test_the_default_threshold_and_bonus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (align_module.SIMILARITY_THRESHOLD, align_module.ORDER_BONUS) == (0.5, 0.2)
    # "dates pears" on Q2 (not expected first): RARE / (APPLE + RARE) = 0.6 >= 0.5
    assert aligned(("i", "dates pears")) == [("Q2", round(RARE / (APPLE + RARE), 3), "similarity")]
    monkeypatch.setattr(align_module, "SIMILARITY_THRESHOLD", 0.7)
    assert aligned(("i", "dates pears")) == [(None, 0.0, "none")]
    monkeypatch.setattr(align_module, "ORDER_BONUS", 0.5)  # Q1 expected first: "apples pears" 0.38 + 0.5
    assert aligned(("i", "apples pears"))[0][0] == "Q1"


def test_confidence_is_capped_at_one() -> None:
    assert aligned(("i", "apples bananas cherries")) == [("Q1", 1.0, "similarity")]


def test_the_next_unasked_question_gets_the_bonus_and_asked_ones_lose_it() -> None:
    q2_en = RARE / (APPLE + RARE)  # "dates …" on Q2
    # after Q1 (tagged), Q2 is expected: +0.2
    assert aligned(("i", "x", "Q1"), ("i", "dates pears"))[1] == ("Q2", round(q2_en + 0.2, 3), "similarity")
    # after Q2, nothing unasked follows; Q1 was asked before: "apples bananas cherries" on Q1 = 1.0 - 0.2 = 0.8
    assert aligned(("i", "x", "Q1"), ("i", "x", "Q2"), ("i", "apples bananas cherries"))[2] == \
        ("Q1", 0.8, "similarity")
    # the current question keeps its score (a second question on the same item): 1.0
    assert aligned(("i", "x", "Q1"), ("i", "apples bananas cherries"))[1] == ("Q1", 1.0, "similarity")
    # after Q2 tagged first, Q1 was never asked: the next unasked after Q2 in guide order is none, Q1 is not
    # penalised (0.6 + 0 >= 0.5)
    q1 = (APPLE + RARE) / (APPLE + 2 * RARE)
    assert aligned(("i", "x", "Q2"), ("i", "apples bananas"))[1] == ("Q1", round(q1, 3), "similarity")


def test_the_expected_question_skips_those_already_asked() -> None:
    guide = [Question(q, "", {"en": text}) for q, text in
             (("A", "alpha beta"), ("B", "gamma delta"), ("C", "epsilon zeta"))]
    turns = [turn(1, "i", "x", "B"), turn(2, "i", "x", "A"), turn(3, "i", "gamma pears plums")]
    # after A the next in order is B, asked already: C is expected, not B — and B, asked, loses the bonus
    # (0.5 - 0.2 = 0.3; as the expected one it would have 0.7, and unpenalised 0.5)
    assert align_turns(turns, guide, threshold=0.3)[2] == Alignment("B", 0.3, "similarity")
    result = align_turns(turns, guide, threshold=0.35)
    assert result[2] == Alignment("A", 1.0, "inherited")
    result = align_turns(turns, guide, threshold=0.3, order_bonus=0.0)
    assert result[2] == Alignment("B", 0.5, "similarity")


def test_probes_below_the_threshold_keep_the_question() -> None:
    result = aligned(("i", "x", "Q1"), ("p", "apples bananas cherries"), ("i", "can you say more"),
                     ("i", "tell me"), ("p", "yes"))
    assert result == [("Q1", 1.0, "tag"), ("Q1", 1.0, "inherited"), ("Q1", 1.0, "inherited"),
                      ("Q1", 1.0, "inherited"), ("Q1", 1.0, "inherited")]
    assert aligned(("i", "can you say more"), ("p", "apples bananas cherries")) == [
        (None, 0.0, "none"), (None, 0.0, "none")]  # answers never choose a question


def test_a_question_found_by_similarity_counts_as_asked() -> None:
    """Q1 found by its wording, then Q2 tagged: the same wording again is a probe back (0.62 - 0.2 < 0.5), not Q1."""
    assert aligned(("i", "apples bananas"), ("i", "x", "Q2"), ("i", "apples bananas"))[2] == ("Q2", 1.0, "inherited")
