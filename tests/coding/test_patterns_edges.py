"""The pattern layer's edges a codebook author meets: the exact timeout and budget messages, the clock's
allowance, raw regexes searched from a position, and match texts of letters whose lower case is longer."""

from __future__ import annotations

import re

import pytest
import regex as timed_re

from gtna_analysis.coding.patterns import (
    PatternBudgetExceeded,
    PatternTimeout,
    RegexClock,
    TimedRegex,
    match_text,
)


def test_timeout_message_names_the_pattern_and_what_to_do() -> None:
    error = PatternTimeout("re:(a+)+$", 0.5)
    assert error.source == "re:(a+)+$"
    assert str(error) == ("pattern 're:(a+)+$' took more than 0.5 s on one text (catastrophic backtracking?); "
                          "simplify it, e.g. no nested repeats like (a+)+")


def test_budget_message_names_the_pattern_the_budget_and_the_setting() -> None:
    error = PatternBudgetExceeded("re:.*gender", 60.0)
    assert isinstance(error, PatternTimeout) and error.source == "re:.*gender"
    assert str(error) == ("pattern 're:.*gender' spent more than its 60 s budget over this build (regex_budget_s); "
                          "make it cheaper (a literal word first, no leading .*) or raise regex_budget_s under "
                          "limits: in study.yml")


def test_clock_keeps_the_limits_it_is_given_and_charges_per_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTNA_REGEX_TIMEOUT_S", "7")
    monkeypatch.setenv("GTNA_REGEX_BUDGET_S", "9")
    assert (RegexClock().timeout, RegexClock().budget) == (7.0, 9.0)  # the settings when not given
    clock = RegexClock(timeout=0.25, budget=1.0)
    assert (clock.timeout, clock.budget) == (0.25, 1.0)
    assert clock.allowance("re:a") == (0.25, False)  # a whole budget left: the per-search timeout
    clock.charge("re:a", 0.5)
    clock.charge("re:a", 0.375)
    assert clock.allowance("re:a") == (0.125, True)  # less left than a timeout: the budget's rest
    assert clock.allowance("re:b") == (0.25, False)  # each pattern has its own budget
    clock.charge("re:a", 0.125)
    with pytest.raises(PatternBudgetExceeded) as caught:
        clock.allowance("re:a")
    assert caught.value.source == "re:a" and "its 1 s budget" in str(caught.value)


def test_timed_regex_searches_from_a_position_up_to_an_end() -> None:
    regex = TimedRegex(timed_re.compile("gender", timed_re.IGNORECASE), "re:gender")
    assert regex.source == "re:gender"
    text = "a gender gap"
    assert regex.match(text) is None and regex.match("gender gap").span() == (0, 6)  # from the start by default
    assert regex.match(text, 2).span() == (2, 8)
    assert regex.match(text, 2, 7) is None  # the end cuts the word
    assert regex.search(text, 3) is None and regex.search(text, 0, 8).span() == (2, 8)
    assert [m.span() for m in regex.finditer("gender, GENDER", 1)] == [(8, 14)]


def test_timed_regexes_are_equal_by_pattern_and_flags() -> None:
    a = TimedRegex(timed_re.compile("x+y", timed_re.IGNORECASE), "re:x+y")
    b = TimedRegex(timed_re.compile("x+y", timed_re.IGNORECASE), "other source")
    assert a == b and hash(a) == hash(b)
    assert a != TimedRegex(timed_re.compile("x+z", timed_re.IGNORECASE), "re:x+z")
    assert a != TimedRegex(timed_re.compile("x+y"), "re:x+y")  # other flags
    assert a != re.compile("x+y", re.IGNORECASE)
    assert len({a, b}) == 1


def test_match_text_of_a_letter_whose_lower_case_is_longer() -> None:
    # "İ".lower() is two code points: that letter is kept, every other one is still lower-cased, length kept
    assert match_text("İSTANBUL, Gender!") == "İstanbul  gender "
    assert len(match_text("İİ")) == 2


def test_timed_finditer_stops_at_its_end() -> None:
    regex = TimedRegex(timed_re.compile("ab"), "re:ab")
    assert [m.span() for m in regex.finditer("ab ab ab", 0, 5)] == [(0, 2), (3, 5)]
    assert [m.span() for m in regex.finditer("ab ab ab", 1, 4)] == []


def test_raw_regex_size_and_repeat_bounds_are_inclusive() -> None:
    from gtna_analysis.coding.patterns import MAX_REGEX_LENGTH, MAX_REPEAT, PatternError, compile_pattern

    longest = "q" * (MAX_REGEX_LENGTH - 4) + "[xy]"  # patterns of this test only (compile_pattern is memoised)
    assert compile_pattern("re:" + longest).expression == longest
    with pytest.raises(PatternError) as caught:
        compile_pattern("re:" + longest + "z")
    assert str(caught.value) == f"regex of {MAX_REGEX_LENGTH + 1} characters is too long (at most {MAX_REGEX_LENGTH})"
    assert compile_pattern(f"re:qz{{{MAX_REPEAT}}}").regex.search("q" + "z" * MAX_REPEAT)
    assert compile_pattern("re:qw{,3}v").regex.search("qwwv")  # an empty bound is no count at all
    with pytest.raises(PatternError) as caught:
        compile_pattern(f"re:qz{{2,{MAX_REPEAT + 1}}}")
    bound = f"{{2,{MAX_REPEAT + 1}}}"
    assert str(caught.value) == f"bad regex 'qz{bound}': repeat count {bound} is above 1000"


def test_the_budget_rest_equal_to_the_timeout_is_still_a_timeout() -> None:
    clock = RegexClock(timeout=0.25, budget=1.0)
    clock.charge("re:a", 0.75)
    assert clock.allowance("re:a") == (0.25, False)


class _Hangs:
    """A compiled pattern whose every search runs out of time (as a catastrophic one would), noting the time
    it was given: the timeout path without waiting for a real one."""

    pattern, flags, groups = "(x+x+)+y", 0, 1

    def __init__(self) -> None:
        self.given: list[float] = []

    def search(self, string: str, pos: int, endpos: int | None, timeout: float) -> None:
        self.given.append(timeout)
        raise TimeoutError


def test_a_search_cut_by_the_budget_rest_names_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from gtna_analysis.coding import patterns

    clock = RegexClock(timeout=30.0, budget=2.0)
    clock.charge("re:(x+x+)+y", 1.5)
    monkeypatch.setattr(patterns, "_CLOCK", clock)
    hangs = _Hangs()
    regex = TimedRegex(hangs, "re:(x+x+)+y")
    with pytest.raises(PatternBudgetExceeded) as caught:
        regex.search("x" * 50)
    assert hangs.given == [0.5]  # the budget's rest, not the 30 s timeout
    assert caught.value.source == "re:(x+x+)+y" and "its 2 s budget" in str(caught.value)
    assert clock.spent["re:(x+x+)+y"] > 1.5  # the failed search is charged too
    monkeypatch.setattr(patterns, "_CLOCK", RegexClock(timeout=0.5, budget=30.0))
    with pytest.raises(PatternTimeout) as caught:
        regex.search("x" * 50)
    assert hangs.given[-1] == 0.5
    assert type(caught.value) is PatternTimeout and "more than 0.5 s on one text" in str(caught.value)
    monkeypatch.setattr(patterns, "REGEX_BUDGET", 7.0)
    monkeypatch.setattr(patterns, "_CLOCK", RegexClock(timeout=30.0, budget=2.0))
    with pytest.raises(PatternBudgetExceeded) as caught:
        regex.search("x" * 50)
    assert hangs.given[-1] == 7.0 and "its 7 s budget" in str(caught.value)  # the module override wins


def test_outside_a_build_a_clock_is_started_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from gtna_analysis.coding import patterns

    monkeypatch.setattr(patterns, "_CLOCK", None)
    regex = TimedRegex(timed_re.compile("gap"), "re:gap")
    assert regex.search("a gender gap").span() == (9, 12)
    assert isinstance(patterns._CLOCK, RegexClock) and patterns._CLOCK.spent["re:gap"] >= 0


def test_timed_finditer_steps_over_empty_matches_one_character_at_a_time() -> None:
    regex = TimedRegex(timed_re.compile("(?=x)"), "re:(?=x)")
    assert [m.span() for m in regex.finditer("xxx")] == [(0, 0), (1, 1), (2, 2)]
