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

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import simplemma

from gtna_analysis.ingest.lexicon import lemmatize

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
_PLURAL_NOMINATIVES = ("ები", "ებო")


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
    if word.endswith(_PLURAL_NOMINATIVES) and len(word) - 3 >= MIN_STEM:
        word = word[:-1]  # nominative/vocative plural (ტრენინგები): its vowel sits after -ებ-, not before it
    plural = _strip_one(word, _PLURALS[:1])  # -ებ- only: a final -ნ is mostly part of the stem
    word = plural
    return _strip_one(word, _FINAL_VOWELS)


# Memo tables of word -> stem key and pattern word -> "is a dictionary form". Both depend only on the word,
# simplemma's data and the rules above, so a build keeps them in its cache folder (``KeyCache``): a rebuild then
# needs no lemma data at all, and a miss reads simplemma's dictionary from the build cache's copy
# (``ingest/lexicon.py``; decoding it took ~0.3–0.7 s per language).
_T = TypeVar("_T")
_KEYS: dict[str, str] = {}
_DICTIONARY_FORMS: dict[str, bool] = {}
_USED: set[str] = set()  # words looked up since ``KeyCache.load``: what ``KeyCache.save`` keeps


def _remembered(table: dict[str, _T], word: str, compute: Callable[[str], _T]) -> _T:
    """``compute(word)`` once per process (or never, when ``KeyCache.load`` brought it from the last build);
    the word is noted as used, so ``KeyCache.save`` keeps it."""
    _USED.add(word)
    value = table.get(word)
    if value is None:
        value = table[word] = compute(word)
    return value


def word_key(word: str) -> str:
    """The stem key of one lower-case word; never longer than the word (so it fits in ``stem_text``)."""
    return _remembered(_KEYS, word, _word_key)


def _word_key(word: str) -> str:
    if _GEORGIAN.search(word):
        lemma = lemmatize(word, "ka")
        key = strip_georgian(lemma.lower())
        if key == lemma.lower() and lemma == word:
            key = strip_georgian(word)
    else:
        key = lemmatize(word, "en").lower()
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
    return _remembered(_DICTIONARY_FORMS, word, _is_dictionary_form)


def _is_dictionary_form(word: str) -> bool:
    lemma = lemmatize(word, "ka" if _GEORGIAN.search(word) else "en").lower()
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


def _fingerprint() -> str:
    """What the memo tables depend on: simplemma's version and shipped data, and this module's rules."""
    data = Path(simplemma.__file__).parent / "strategies" / "dictionaries" / "data"
    sizes = [f"{f.name}:{f.stat().st_size}" for f in (data / "ka.plzma", data / "en.plzma") if f.exists()]
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update("|".join([getattr(simplemma, "__version__", "?"), *sizes]).encode())
    return digest.hexdigest()


class KeyCache:
    """The memo tables kept in a build's cache folder between builds (``<out>/.cache/lemma-keys.json``).

    ``load`` seeds the tables when the file's fingerprint matches (another simplemma or an edited rule means a
    stale file, which is ignored and replaced); ``save`` writes the entries this build used (words of the
    pseudonymised segment texts and the codebook: nothing the processed tables do not hold), atomically.
    A missing, unreadable or damaged file only costs the time of computing the keys again."""

    NAME = "lemma-keys.json"

    def __init__(self, directory: str | Path):
        self.path = Path(directory) / self.NAME
        self.fingerprint = _fingerprint()
        self._loaded: dict = {}

    def load(self) -> int:
        """Seed the memo tables from the file and start noting which words this build looks up; returns how
        many keys the file held (0 when stale, damaged or absent)."""
        _USED.clear()
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0
        if not isinstance(stored, dict) or stored.get("fingerprint") != self.fingerprint:
            return 0
        keys, forms = stored.get("keys"), stored.get("dictionary_forms")
        if not isinstance(keys, dict) or not isinstance(forms, dict):
            return 0
        self._loaded = {"keys": keys, "dictionary_forms": forms}
        for word, key in keys.items():
            if isinstance(key, str) and 0 < len(key) <= len(word):
                _KEYS.setdefault(word, key)
        for word, form in forms.items():
            _DICTIONARY_FORMS.setdefault(word, bool(form))
        return len(keys)

    def save(self, keep_loaded: bool = False) -> None:
        """Write the entries of the words looked up since ``load`` (a removed transcript's words leave the
        file), atomically; nothing is written when they equal what was loaded. ``keep_loaded``: keep the
        loaded entries too — some interviews' codings came from the build cache and looked nothing up, and
        their words are needed when they are coded again."""
        used = _USED | (self._loaded.get("keys", {}).keys() | self._loaded.get("dictionary_forms", {}).keys()
                        if keep_loaded else set())
        keys = {w: _KEYS[w] for w in sorted(used) if w in _KEYS}
        forms = {w: _DICTIONARY_FORMS[w] for w in sorted(used) if w in _DICTIONARY_FORMS}
        if keys == self._loaded.get("keys") and forms == self._loaded.get("dictionary_forms"):
            return
        payload = json.dumps({"fingerprint": self.fingerprint, "keys": keys, "dictionary_forms": forms},
                             ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.NAME}.{os.getpid()}.tmp")
            tmp.write_text(payload, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:  # a cache that cannot be written is no error: the next build computes the keys again
            return
