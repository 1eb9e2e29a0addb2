"""TextBounds (one clause/sentence index per text) gives exactly what the per-mention scans gave.

The reference functions below are the scans polarity.py made for every mention before (from the start of the
text for clause splits, ``rfind``/``find`` for sentence stops); the index must agree with them at every
position of texts built from the characters and words that split clauses (commas, dashes, but/however,
მაგრამ/თუმცა …), including mentions that start or end inside a split word.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gtna_analysis.coding import polarity
from gtna_analysis.coding.polarity import _CLAUSE_SPLIT, TextBounds


def reference_clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for m in _CLAUSE_SPLIT.finditer(text, 0, start):
        left = m.end()
    m = _CLAUSE_SPLIT.search(text, end)
    return left, m.start() if m else len(text)


def reference_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return left, min(ends) if ends else len(text)


PIECES = ["but", "however", "whereas", "although", "though", "while", "yet", "მაგრამ", "ოღონდ", "თუმცა",
          "ხოლო", "არამედ", "სამაგიეროდ", "butter", "yeti", "online", "ონლაინ", "ა", "x", " ", "  ", " - ",
          "-", ",", ".", "!", "?", ";", ":", "…", "—", "–", "\n", "_", "'", "1"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_every_position_agrees_with_the_per_mention_scans(text: str) -> None:
    bounds = TextBounds(text)
    for start in range(len(text) + 1):
        for end in range(start, min(len(text), start + 12) + 1):
            assert bounds.clause(start, end) == reference_clause(text, start, end), (text, start, end)
            assert bounds.sentence(start, end) == reference_sentence(text, start, end), (text, start, end)


def test_long_clause_free_stretches() -> None:
    """Splits far apart (more than the pattern's reach) and a mention right after a split word."""
    text = ("online " * 30 + "but" + " x" * 20 + ", მაგრამ" + "ა" * 40 + "however.") * 3
    bounds = TextBounds(text)
    for start in range(0, len(text), 3):
        for end in (start, start + 1, start + 7):
            end = min(end, len(text))
            assert bounds.clause(start, end) == reference_clause(text, start, end)
            assert bounds.sentence(start, end) == reference_sentence(text, start, end)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "not", "no", "rather than", "instead of", "if", "want", "არ", "არა",
                                 "ნაცვლად", "კი არა", "lecture", "ლექცია", "? No", " — არა, გთხოვთ",
                                 " - no thanks", " : no  \n"]), max_size=30).map(" ".join), st.data())
def test_shared_bounds_classify_as_a_fresh_one(text: str, data: st.DataObject) -> None:
    """The coder shares one TextBounds across a segment's mentions; the polarity is the one a lone call gives."""
    shared = TextBounds(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 10)))
    assert polarity.classify(text, start, end, shared) == polarity.classify(text, start, end)
    # the "X — no" rule reads the sentence rest in place now; before, it matched a slice of it
    sentence_end = reference_sentence(text, start, end)[1]
    sliced = re.compile("^" + polarity._DASH_NO.pattern, re.IGNORECASE).match(text[end:sentence_end + 1])
    assert bool(polarity._DASH_NO.match(text, end, sentence_end + 1)) == bool(sliced)
