"""Word stems for inflection-aware matching: Georgian and English forms of a word reduced to one key.

Why: a ``*`` at the end of a pattern word reaches suffixes, but Georgian also changes the stem (syncope:
მასწავლებელი → მასწავლებლის), stacks a postposition on a case ending (ძალადობისგან, თანამშრომლებისთვის) and
marks the plural inside the word (ტრენინგებზე); English has irregular plurals and verb forms. Each word is
reduced to a *stem key*: its lemma from ``simplemma`` (which ships Georgian and English lemma data; no download),
then, for Georgian, a suffix stripper for what the lemma list does not know (particles, postpositions, case
endings, the plural -ებ-, the nominative vowel). Patterns are reduced the same way, so a pattern written in the
dictionary form matches every inflected form whose key is the same.

``stem_text`` keeps the length of the text: each word's key is written at the word's start and padded with
spaces, so match offsets in the stem text are offsets in the original text (character offsets, as everywhere).
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

from .patterns import pattern_words

_WORD = re.compile(r"[^\W\d_]+")
_GEORGIAN = re.compile("[\u10d0-\u10ff]")
MIN_STEM = 3  # never strip a Georgian word below three letters (ქალი → ქალ, not ქა)

# Longest first within each layer. Layers are stripped outside-in: particle, postposition, case, plural.
_PARTICLES = ("ღა", "ვე", "ც")
_POSTPOSITIONS = ("ისათვის", "ისთვის", "თვის", "იდან", "დან", "ისგან", "გან", "ამდე", "მდე", "ისკენ", "კენ", "ივით",
                  "ვით", "ებრ", "ში", "ზე", "თან")
_CASES = ("ისა", "ის", "ითა", "ით", "ად", "მა", "ს", "თა", "ო")
_PLURALS = ("ებ", "ნ")
_FINAL_VOWELS = ("ი", "ა", "ე", "ო")


def _strip_one(word: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def strip_georgian(word: str) -> str:
    """Particle, postposition, case ending, plural marker and final vowel removed, outside-in."""
    word = _strip_one(word, _PARTICLES)
    word = _strip_one(word, _POSTPOSITIONS)
    word = _strip_one(word, _CASES)
    plural = _strip_one(word, _PLURALS[:1])  # -ებ- only: a final -ნ is mostly part of the stem
    word = plural
    return _strip_one(word, _FINAL_VOWELS)


@lru_cache(maxsize=262_144)
def word_key(word: str) -> str:
    """The stem key of one lower-case word; never longer than the word (so it fits in ``stem_text``)."""
    if _GEORGIAN.search(word):
        lemma = simplemma.lemmatize(word, lang="ka")
        key = strip_georgian(lemma.lower())
        if key == lemma.lower() and lemma == word:
            key = strip_georgian(word)
    else:
        key = simplemma.lemmatize(word, lang="en").lower()
    return key if 0 < len(key) <= len(word) else word


def _replace(m: re.Match[str]) -> str:
    word = m.group(0)
    key = word_key(word)
    return key + " " * (len(word) - len(key))


def stem_text(prepared: str) -> str:
    """``prepared`` (lower-cased, punctuation blanked: ``autocoder.prepare``) with every word replaced by its
    stem key, left-aligned and padded with spaces to the word's length."""
    return _WORD.sub(_replace, prepared)


def is_dictionary_form(word: str) -> bool:
    """Whether a pattern word is written in its dictionary form (lemma; for Georgian at most the nominative
    vowel after the stem). Only such words stand for all their forms: a pattern that spells an inflected form
    ("ყველასთვის", "were", "attended") means that form, and stem keys would merge it with others (იყო, არის and
    იქნება share a lemma), so it is matched on the surface only."""
    lemma = simplemma.lemmatize(word, lang="ka" if _GEORGIAN.search(word) else "en").lower()
    if lemma != word:
        return False
    if not _GEORGIAN.search(word):
        return True
    core = strip_georgian(word)
    return core == word or (core == word[:-1] and word[-1] in _FINAL_VOWELS)


def stem_pattern(pattern: str) -> str | None:
    """The pattern in stem keys (``*`` words kept as written: they are stems already), matched against the stem
    text even when it reads the same (the text's words change). None — surface matching only — for a raw regex
    and for a pattern with a word in an inflected form (see ``is_dictionary_form``)."""
    if pattern.strip().startswith("re:"):
        return None
    words = pattern_words(pattern)
    if not words or not all(w.endswith("*") or is_dictionary_form(w) for w in words):
        return None
    return " ".join(w if w.endswith("*") else word_key(w) for w in words)
