"""Stem keys word by word (``coding/lemmas.py``): the Georgian suffix layers and the three-letter floor, lemmas that
would be longer than their word, the length-keeping stem text, and which pattern words stand for all their forms."""

from __future__ import annotations

import pytest
from shared_coding import fresh_lemma_tables  # noqa: F401  (the fixture of pytestmark)

from gtna_analysis.coding import lemmas

pytestmark = pytest.mark.usefixtures("fresh_lemma_tables")


@pytest.mark.parametrize(("word", "stem"), [
    ("სკოლაში", "სკოლ"),  # postposition, then the nominative vowel
    ("ქალისათვის", "ქალ"),  # the longest postposition first (-ისათვის, not -თვის)
    ("ძალადობისგან", "ძალადობ"),
    ("ქალმა", "ქალ"),  # ergative case
    ("ქალმაც", "ქალ"),  # particle, then case
    ("ტრენინგებს", "ტრენინგ"),  # case, then the plural -ებ-
    ("ქვეყნებისთვისვე", "ქვეყნ"),  # every layer: particle, postposition, plural
    ("ენაზეღა", "ენა"),  # particle and postposition off; the vowel stays: a stem keeps three letters
    ("ცაში", "ცაშ"),  # -ში would leave two letters: not a postposition here
    ("დედანი", "დედან"),  # a final -ნ is part of the stem, not a plural
    ("ქალი", "ქალ"),
])
def test_georgian_suffix_layers(word: str, stem: str) -> None:
    assert lemmas.strip_georgian(word) == stem


@pytest.mark.parametrize(("word", "key"), [
    ("მასწავლებლის", "მასწავლებელ"),  # the lemma restores the syncopated stem (მასწავლებელი)
    ("ქალებს", "ქალ"),
    ("ცაში", "ცა"),  # the lemma (ცა) is known: its two letters are the key
    ("women", "woman"),
    ("geese", "goose"),
    ("better", "good"),
    ("mice", "mice"),  # the lemma "mouse" is longer than the word: the word is its own key
])
def test_word_keys(word: str, key: str) -> None:
    assert lemmas.word_key(word) == key
    assert word in lemmas._USED and lemmas._KEYS[word] == key


def test_stem_text_keeps_every_offset() -> None:
    prepared = " ქალებს  და women trainings "
    stemmed = lemmas.stem_text(prepared)
    assert stemmed == " ქალ     და woman training  "
    assert len(stemmed) == len(prepared)


@pytest.mark.parametrize(("word", "expected"), [
    ("ქალი", True), ("დედა", True), ("დედანი", True), ("data", True), ("woman", True),
    ("ქალები", False), ("ქალისათვის", False), ("were", False), ("attended", False), ("women", False),
])
def test_dictionary_forms(word: str, expected: bool) -> None:
    assert lemmas.is_dictionary_form(word) is expected
    assert lemmas._DICTIONARY_FORMS[word] is expected


@pytest.mark.parametrize(("pattern", "stemmed"), [
    ("ქალი", "ქალ"),
    ("ქალი ტრენინგ*", "ქალ ტრენინგ*"),  # a starred word is a stem already
    ("Data  Woman", "data woman"),
    ("re:abc", None), ("  re:abc", None),  # raw regexes: surface only
    ("women", None), ("ქალი ტრენინგებზე", None),  # an inflected word means that form only
    ("!!!", None),  # no words at all
])
def test_stem_patterns(pattern: str, stemmed: str | None) -> None:
    assert lemmas.stem_pattern(pattern) == stemmed


def test_nominative_plural_has_the_singular_key() -> None:
    """Words simplemma does not know fall back to stripping: the nominative plural's vowel sits after -ებ-."""
    for singular, plural, dative in (("ტრენინგი", "ტრენინგები", "ტრენინგებს"), ("კადრი", "კადრები", "კადრებს")):
        assert lemmas.word_key(plural) == lemmas.word_key(singular) == lemmas.word_key(dative)
    assert lemmas.strip_georgian("ტრენინგებო") == "ტრენინგ"  # vocative plural
    assert lemmas.strip_georgian("ღირსება") == "ღირსებ"  # a stem in -ებ- with no plural keeps it
