"""Spellings of Georgian names in Latin letters (``ingest.romanise``) beyond the common cases: Mtavruli capitals
from the first to the last letter of the block, ligatures and case kept by folding, doubled letters written once,
apostrophes in a Latin header name, the readings a single Latin letter keeps (so a header name does not mask other
words), and the concrete spellings used to look up given names (two letters changed, at most ``limit``)."""

from __future__ import annotations

import re

import pytest

from gtna_analysis.ingest.romanise import fold, latin_pattern, latin_pattern_of_latin, romanisations


@pytest.mark.parametrize(("text", "folded"), [
    ("ᲐᲜᲐ", "ანა"),  # U+1C90, the first Mtavruli capital
    ("\u1cbf", "\u10ff"),  # the last one
    ("ﬁlm Ｚurab", "film Zurab"),  # a ligature spelled out; the case of Latin letters kept
    ("Yes, Ｎino", "Yes, Nino"),
])
def test_fold_at_the_edges(text: str, folded: str) -> None:
    assert fold(text).text == folded


def test_a_name_in_mtavruli_capitals_is_a_participant_name() -> None:
    from tests.ingest.test_pseudonymise_edges import masked

    assert masked(("ანა ბერიძე",), "ᲐᲜᲐ ᲑᲔᲠᲘᲫᲔ")[0] == "[P1]"


@pytest.mark.parametrize(("georgian", "spellings"), [
    ("ანნა", ["Anna", "Ana"]),  # a doubled letter may be written once
    ("ჯანსუღი", ["Jansughi", "Dzhansugi"]),
])
def test_latin_pattern_of_doubled_letters(georgian: str, spellings: list[str]) -> None:
    pattern = re.compile(latin_pattern(georgian), re.IGNORECASE)
    assert all(pattern.fullmatch(s) for s in spellings)
    assert not re.fullmatch(latin_pattern("ნინო"), "nio", re.IGNORECASE)  # only a letter next to itself


def test_a_latin_header_name_with_apostrophes() -> None:
    pattern = re.compile(latin_pattern_of_latin("K'ap'anadze"), re.IGNORECASE)
    assert all(pattern.fullmatch(s) for s in ("K'ap'anadze", "Kapanadze", "Kapanadse", "Qapanadze"))


@pytest.mark.parametrize(("header", "same_name", "other_words"), [
    ("Sopo", ["Sopho", "Sofo"], ["Shopo"]),  # s is ს, not შ
    ("Zaza", ["Zaza"], ["Tsatsa", "Dzadza", "Wawa", "Caca"]),  # z is ზ, not every reading of ძ ც წ
    ("Vakhtang", ["Wakhtang", "Vaxtang"], ["Bakhtang"]),
    ("Tamar", ["Thamar"], ["Damar"]),
    ("Kakha", ["Kaxa", "Qakha", "Kaha"], ["Yakha"]),  # k is კ/ქ, not ყ's y
    ("Yana", ["Iana"], ["Qana"]),  # y is ი, not ყ
])
def test_a_single_latin_letter_keeps_its_usual_readings(header: str, same_name: list[str],
                                                        other_words: list[str]) -> None:
    pattern = re.compile(latin_pattern_of_latin(header), re.IGNORECASE)
    assert all(pattern.fullmatch(s) for s in same_name), [s for s in same_name if not pattern.fullmatch(s)]
    assert not any(pattern.fullmatch(s) for s in other_words), [s for s in other_words if pattern.fullmatch(s)]


def test_romanisations_change_one_or_two_letters() -> None:
    spellings = romanisations("ხათუნა")
    assert {"khatuna", "xatuna", "hatuna", "xathuna", "hathuna", "khathouna"} <= spellings
    assert "xathouna" not in spellings and "hathouna" not in spellings  # three letters changed


def test_romanisations_stop_at_the_limit() -> None:
    """(No real name has 200 spellings of one or two changed letters: წიწქიშვილი has 140.)"""
    assert len(romanisations("წიწქიშვილი")) == 140
    assert len(romanisations("წიწქიშვილი", limit=50)) == 50
    assert "tsitskishvili" in romanisations("წიწქიშვილი", limit=1)  # the national spelling comes first
