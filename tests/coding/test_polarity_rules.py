"""Polarity rules the sentence corpus of test_polarity.py did not reach: a targeted rejection that wins over an
even count of cues, Georgian answers ("X? არა", "X — არა") at a line end, Georgian -ის ნაცვლად after an inflected
stem, the parity of several cues, the conditional mood's length floor, and bounds made for another text."""

from __future__ import annotations

import pytest

from gtna_analysis.coding.polarity import HYPOTHETICAL, REJECTED, STATED, TextBounds, classify


def polarity(text: str, mention: str) -> str:
    start = text.index(mention)
    return classify(text, start, start + len(mention))


@pytest.mark.parametrize(("text", "mention", "expected"), [
    # "not X … but Y" rejects X even when the clause's cues are even ("not" and "pointless")
    ("Not online because it is pointless, but in person.", "online", REJECTED),
    ("We want online training, but short sessions.", "online", STATED),  # a "but" alone rejects nothing
    # Georgian answers: the clause holds no cue, the answer after the mention rejects it
    ("ონლაინ? არა, პირისპირ.", "ონლაინ", REJECTED),
    ("ონლაინ? არა.", "ონლაინ", REJECTED),  # the whole answer within a few characters of the text's end
    ("ლექცია — არა.", "ლექცია", REJECTED),
    ("ლექცია — არა\nსხვა რამე", "ლექცია", REJECTED),  # the answer ends at the line break
    ("ლექცია — არასდროს ვყოფილვარ.", "ლექცია", STATED),  # not a bare "no"
    # -ის ნაცვლად after the stem a pattern matched ("ტრენინგ*" in ტრენინგების)
    ("ონლაინის ნაცვლად პირისპირ გვინდა.", "ონლაინ", REJECTED),
    ("ტრენინგების ნაცვლად სემინარი გვინდა.", "ტრენინგ", REJECTED),
    ("ტრენინგები და სემინარი გვინდა.", "ტრენინგ", STATED),
])
def test_targeted_rejections(text: str, mention: str, expected: str) -> None:
    assert polarity(text, mention) == expected


@pytest.mark.parametrize(("text", "mention", "expected"), [
    ("We do not never want no online", "online", REJECTED),  # three cues: odd
    ("We do not never want online", "online", STATED),  # two: even
    ("Neither I nor anyone said online is not needed", "online", REJECTED),  # two before, one as the predicate
    ("Nobody never said one day is too little", "one day", REJECTED),  # two cues and "too little"
    ("ონლაინ ტრენინგი not needed", "ონლაინ", REJECTED),  # a Georgian clause: an English "not" after counts too
])
def test_cues_are_counted_by_parity(text: str, mention: str, expected: str) -> None:
    assert polarity(text, mention) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ნეტა ვიცოდა ონლაინ რომ იქნება", HYPOTHETICAL),  # ვიცოდა: six letters, conditional -ოდა, with რომ
    ("კარგია რომ ნახოს ონლაინ", STATED),  # ნახოს: five letters are too few to tell a conditional
])
def test_georgian_conditional_needs_a_long_enough_verb(text: str, expected: str) -> None:
    assert polarity(text, "ონლაინ") == expected


def test_bounds_of_another_text_are_not_used() -> None:
    text = "We want online, lectures are useless."
    start = text.index("online")
    assert classify(text, start, start + 6, TextBounds("x" * 40)) == STATED
    shared = TextBounds(text)
    lectures = text.index("lectures")
    assert classify(text, start, start + 6, shared) == STATED
    assert classify(text, lectures, lectures + 8, shared) == REJECTED


def test_clause_bounds_of_a_mention() -> None:
    from gtna_analysis.coding.polarity import clause_bounds

    text = "We want online, not lectures; but maybe later."
    assert clause_bounds(text, 8, 14) == (0, 14)
    assert clause_bounds(text, 20, 28) == (15, 28)
    assert clause_bounds(text, 39, 44) == (33, 45)  # from after "but" to the full stop
