"""The hand verifier of word patterns (``words_end``) finds exactly what the pattern's regex finds.

Why it matters: the auto-coder checks a phrase's key hits by hand until the pattern has been checked
``VERIFY_BY_HAND`` times, then by its compiled regex. A difference between the two would make codings depend on
how often a pattern was seen before in the process — a warm rebuild would then code differently from a cold one.
"""

from __future__ import annotations

import pickle
import random
import re

import pytest

from gtna_analysis.coding import patterns
from gtna_analysis.coding.patterns import compile_pattern, match_text, words_end

PATTERNS = [
    "ტრენინგ*", "გენდერული თანასწორობა", "სქესის ჭრილ*", "online training", "train* for staff*",
    "we don't need", "budget", "gender* budget* analys*", "ქალთა მიმართ ძალადობ*", "სამ დღე",
    "x1 ab_c", "ორი კვირ* ტრენინგ*",
]
# letters of the patterns plus what can surround a word in a match text: other word characters (digits, "_",
# Georgian and Latin letters), spaces (punctuation is already a space there) and the NUL chunk separator
NOISE = "აბგდეx1_ \x00ტსe"


def _texts(words: tuple[str, ...], rng: random.Random, n: int) -> list[str]:
    """Texts around near-matches of ``words``: random gaps, cut stems, suffixes, and what follows."""
    out = []
    for _ in range(n):
        parts = []
        for word in words:
            stem = word.rstrip("*")
            if rng.random() < 0.15:
                stem = stem[:-1] or stem
            suffix = "".join(rng.choice(NOISE) for _ in range(rng.randint(0, 3))) if rng.random() < 0.5 else ""
            parts.append(stem + suffix)
        gap = " " * rng.randint(0, 3)
        out.append(" " + gap.join(parts) + rng.choice(["", " ", "ა", "_", "1", " x", "\x00"]))
    return out


@pytest.mark.parametrize("source", PATTERNS)
def test_hand_verifier_equals_the_regex_at_every_position(source):
    pattern = compile_pattern(source)
    regex = re.compile(pattern.expression, pattern.flags)
    rng = random.Random(source)
    checked = matched = 0
    for text in _texts(pattern.words, rng, 60):
        for start in range(len(text) + 1):
            found = regex.match(text, start)
            assert words_end(text, start, pattern.words) == (found.end() if found else None), (text, start)
            checked += 1
            matched += found is not None
    assert matched > 0 and checked > matched  # both outcomes were exercised


@pytest.mark.parametrize(("source", "text", "end"), [
    ("ტრენინგ*", " ტრენინგები ", 11),          # a stem runs to the end of the word
    ("ტრენინგ*", " ტრენინგ_1 ", 10),           # "_" and digits are word characters to \w
    ("budget", " budgets ", None),             # a whole word must end there
    ("budget", " budget_x ", None),
    ("budget", " budget", 7),                  # ... or at the end of the text
    ("sex disaggregated", " sex    disaggregated ", 21),  # any run of spaces between the words
    ("sex disaggregated", " sexdisaggregated ", None),    # but at least one
    ("gender* budget*", " genders budgeting ", 18),
    ("gender* budget*", " gender_budget ", None),         # "_" is no gap
])
def test_hand_verifier_cases(source, text, end):
    pattern = compile_pattern(source)
    assert words_end(text, 1, pattern.words) == end
    found = re.compile(pattern.expression).match(text, 1)
    assert (found.end() if found else None) == end


def test_match_end_switches_to_the_regex_after_enough_checks_with_the_same_answers(monkeypatch):
    monkeypatch.setattr(patterns, "VERIFY_BY_HAND", 3)
    pattern = compile_pattern.__wrapped__("გენდერული თანასწორობა")  # a fresh object: no checks counted yet
    text = match_text("ჩვენ გვჭირდება გენდერული   თანასწორობა და გენდერული თანასწორობის")
    starts = [m.start() for m in re.finditer(r"\S+", text)]  # the word starts
    first = [pattern.match_end(text, s) for s in starts]
    assert "regex" in pattern.__dict__  # more checks than VERIFY_BY_HAND: the regex was compiled and used
    assert [pattern.match_end(text, s) for s in starts] == first
    assert sum(end is not None for end in first) == 1


def test_a_used_word_pattern_survives_pickling_with_the_same_answers():
    """The compiled coder is pickled into the build cache, possibly after a long-lived process used it."""
    pattern = compile_pattern.__wrapped__("ტრენინგ* კურს*")
    for _ in range(patterns.VERIFY_BY_HAND + 1):
        assert pattern.match_end(" ტრენინგის კურსი ", 1) == 16
    loaded = pickle.loads(pickle.dumps(pattern))
    assert loaded == pattern
    assert loaded.match_end(" ტრენინგის კურსი ", 1) == 16
    assert loaded.match_end(" ტრენინგის კურ ", 1) is None


def test_a_raw_pattern_keeps_its_regex_through_pickling():
    pattern = compile_pattern.__wrapped__("re:gender\\s+budget")
    loaded = pickle.loads(pickle.dumps(pattern))
    assert "regex" in loaded.__dict__
    assert loaded.match_end("gender  budget", 0) == 14
    assert loaded.match_end("budget", 0) is None


def test_exactly_verify_by_hand_checks_are_made_by_hand(monkeypatch):
    monkeypatch.setattr(patterns, "VERIFY_BY_HAND", 3)
    pattern = compile_pattern.__wrapped__("სქესის ჭრილ*")
    for _ in range(3):
        assert pattern.match_end(" სქესის ჭრილში ", 1) == 14
        assert "regex" not in pattern.__dict__
    assert pattern.match_end(" სქესის ჭრილში ", 1) == 14  # the fourth: by the compiled regex
    assert "regex" in pattern.__dict__
