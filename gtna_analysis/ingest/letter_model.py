"""How plausible a letter sequence is as a Georgian or an English word: letter n-gram models and word lists.

Why: telling chat-style Latin Georgian ("chventvis"), legacy-font text ("CvenTvis") and English apart, and
choosing between the Georgian letters an ambiguous Latin letter can stand for (t = თ or ტ, q = ქ or ყ), needs a
measure of "does this look like a Georgian word?" that works for words no list holds (inflected forms, new
loans). A letter 4-gram model with Witten-Bell interpolation gives that; a word list adds certainty for known
forms. Both are derived from the word forms in simplemma's lemma data, which ships inside the installed package
(Georgian: ~450 000 forms, English: ~180 000), so nothing is downloaded and no project codebook is involved.

Lists know which forms exist, not how often they are said; short function words (და, კი; the, yes) carry most
of the evidence in a short answer, so counts of words in running interview text (word_counts.py) are mixed in:
P(w) = f * count(w) / N + (1 - f) * (a * [w in list] / |list| + (1 - a) * P_ngram(w)). Everything is derived
once per process, lazily, the first time a paragraph in Latin letters has to be judged. The n-gram tables come
with the package for the simplemma data it is locked to (letter_counts.py; regenerate them with ``python -m
gtna_analysis.ingest.letter_model`` after editing this file, word_counts.py or word_counts.tsv), else a build
derives them once and keeps them in its cache folder; the word lists are looked up through the build's copy of
simplemma's dictionaries (lexicon.py). So a rebuild decodes and derives nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache

from gtna_analysis.atomic import write_bytes_atomic

from .letter_counts import LANGUAGES, LETTER_COUNTS, NgramTables, pack, shipped_path
from .lexicon import LEXICON
from .word_counts import word_counts

_START, _END = "\x02", "\x03"
_GEORGIAN_WORD = re.compile(r"^[\u10d0-\u10f0]+$")
_ENGLISH_WORD = re.compile(r"^[a-z]+$")
# Training on every 8th list form keeps the one-off derivation near a second; the n-gram model is smooth, and
# the word list itself is used whole.
_TRAIN_STRIDE = 8
_LIST_WEIGHT = 0.7
_FREQUENT_WEIGHT = 0.4


class LetterModel:
    """An interpolated (Witten-Bell) letter n-gram model of words, with an optional word list mixed in."""

    def __init__(self, words: Iterable[str], order: int = 4, listed: Callable[[str], bool] | None = None,
                 list_size: int = 0, alphabet_size: int = 40, frequent: Mapping[str, int] | None = None,
                 tables: NgramTables | None = None):
        """``tables``: the n-gram tables of ``words`` if known already (``words`` is then not read)."""
        self.order = order
        self.frequent = frequent or {}
        total = sum(self.frequent.values())
        self._frequent_logp = {w: math.log(_FREQUENT_WEIGHT * c / total) for w, c in self.frequent.items()}
        self._rest_weight = math.log(1 - _FREQUENT_WEIGHT) if total else 0.0
        self.listed = listed or (lambda word: False)
        self._list_logp = math.log(_LIST_WEIGHT / list_size) if list_size else -math.inf
        self._ngram_weight = math.log(1 - _LIST_WEIGHT) if list_size else 0.0
        tables = tables or ngram_tables(_ngram_counts(words, order))
        self._counts, self._followers, self._context_total = tables
        self._vocabulary = alphabet_size + 1

    @lru_cache(maxsize=200_000)  # noqa: B019  (models live for the process; the cache is the point)
    def next_logprob(self, history: str, letter: str) -> float:
        """log P(letter | the last order-1 letters of ``history``), history padded with the start symbol."""
        history = (_START * (self.order - 1) + history)[-(self.order - 1):] if self.order > 1 else ""
        return math.log(self._prob(history, letter))

    def _prob(self, history: str, letter: str) -> float:
        if not history:
            total = self._context_total[""]
            return (self._counts[letter] + 1) / (total + self._vocabulary)
        lower = self._prob(history[1:], letter)
        total = self._context_total[history]
        if not total:
            return lower
        distinct = self._followers[history]
        return (self._counts[history + letter] + distinct * lower) / (total + distinct)

    def ngram_logprob(self, word: str) -> float:
        """log P(word) under the n-gram model alone, end of word included."""
        score = 0.0
        for i, letter in enumerate(word + _END):
            score += self.next_logprob(word[max(0, i - self.order + 1):i], letter)
        return score

    def end_logprob(self, word: str) -> float:
        return self.next_logprob(word[-(self.order - 1):], _END)

    def logprob(self, word: str) -> float:
        """log P(word): the word list and the n-gram model mixed (see the module docstring)."""
        return self.mix(word, self.ngram_logprob(word))

    def mix(self, word: str, ngram_logp: float) -> float:
        """Mix an n-gram log probability (possibly with channel costs added) with the word list's."""
        listed = self._list_logp if self.listed(word) else -math.inf
        rest = _logaddexp(listed, self._ngram_weight + ngram_logp)
        return _logaddexp(self._frequent_logp.get(word, -math.inf), self._rest_weight + rest)


def _ngram_counts(words: Iterable[str], order: int) -> Counter[str]:
    """Counts of every 1..order-gram of the padded words.

    Why this shape: only the order-grams are cut from the text (a quarter of all n-grams); a shorter n-gram
    either starts an order-gram (its count is the sum over the order-grams it prefixes) or sits in the last
    order-1 letters of a word, which are counted directly. The counts equal counting every n-gram of every word,
    in about a third of the time (this is the one-off cost of the first Latin paragraph in a process)."""
    pad = _START * (order - 1)
    padded = [pad + w + _END for w in words]  # at least ``order`` letters each
    top = Counter(s[i:i + order] for s in padded for i in range(len(s) - order + 1))
    counts: Counter[str] = Counter(top)
    for n in range(1, order):
        prefixes: Counter[str] = Counter()
        for gram, c in top.items():
            prefixes[gram[:n]] += c
        counts.update(prefixes)
        counts.update(s[i:i + n] for s in padded for i in range(len(s) - order + 1, len(s) - n + 1))
    return counts


def ngram_tables(counts: Counter[str]) -> NgramTables:
    """The model's tables from its n-gram counts: how many distinct letters follow each history, and how often
    any letter does (Witten-Bell needs both)."""
    followers: Counter[str] = Counter(g[:-1] for g in counts)
    context_total: Counter[str] = Counter()
    for gram, c in counts.items():
        context_total[gram[:-1]] += c
    return NgramTables(counts, followers, context_total)


def _logaddexp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    top = max(a, b)
    return top + math.log(math.exp(a - top) + math.exp(b - top))


def _simplemma_dictionary(lang: str) -> dict[bytes, bytes]:
    """simplemma's shipped form -> lemma dictionary for ``lang`` (UTF-8 bytes keys, in the file's stable order)."""
    from simplemma.strategies.dictionaries import dictionary_factory

    # simplemma's own lemmatize/is_known read through its shared factory: using it too loads each language's
    # data once per process (a private DefaultDictionaryFactory() decoded the same files a second time, ~1 s).
    factory = getattr(dictionary_factory, "DEFAULT_DICTIONARY_FACTORY", None) or \
        dictionary_factory.DefaultDictionaryFactory()
    mapping = factory.get_dictionary(lang)
    raw = getattr(mapping, "_dict", None)  # simplemma 2 keeps a bytes->bytes dict behind a str facade
    if raw is None:  # an older simplemma hands out the str dict itself
        raw = {k.encode(): v.encode() for k, v in mapping.items()}
    return raw


@cache
def georgian_model() -> LetterModel:
    """Mkhedruli word model (33 letters); the word list is every Georgian form simplemma knows."""
    forms = LEXICON.get_dictionary("ka")
    frequent = word_counts("ka")
    return LetterModel((), tables=_tables("ka"),
                       listed=forms.__contains__, list_size=len(forms), alphabet_size=33, frequent=frequent)


@cache
def english_model() -> LetterModel:
    """Lower-case English word model (26 letters); a word is listed in lower case or capitalised (Tbilisi)."""
    forms = LEXICON.get_dictionary("en")
    frequent = word_counts("en")
    return LetterModel((), tables=_tables("en"),
                       listed=lambda word: word in forms or word.capitalize() in forms,
                       list_size=len(forms), alphabet_size=26, frequent=frequent)


def _training_words(lang: str, stride: int, alphabet: re.Pattern[str], lower: bool = False) -> list[str]:
    """Every ``stride``-th form of simplemma's ``lang`` list (in its file's order, lower-cased if asked) written
    in ``alphabet``, then the running-text words (``_tokens``)."""
    forms = (k.decode() for k in list(_simplemma_dictionary(lang))[::stride])
    sample = [w for w in ((f.lower() for f in forms) if lower else forms) if alphabet.match(w)]
    return sample + _tokens(word_counts(lang))


# each language's training recipe: every how-many-th form of simplemma's list, the alphabet, lower-cased or not
_RECIPES = {"ka": (_TRAIN_STRIDE, _GEORGIAN_WORD, False), "en": (_TRAIN_STRIDE // 2, _ENGLISH_WORD, True)}


def derived_tables(lang: str, order: int = 4) -> NgramTables:
    """``lang``'s n-gram tables counted from simplemma's forms and the running-text words (never from a file)."""
    stride, alphabet, lower = _RECIPES[lang]
    return ngram_tables(_ngram_counts(_training_words(lang, stride, alphabet, lower), order))


def _tables(lang: str) -> NgramTables:
    """``lang``'s n-gram tables from the build cache or the package (letter_counts.py), else derived (and kept
    for the build cache)."""
    tables = LETTER_COUNTS.load(lang)
    if tables is None:
        tables = derived_tables(lang)
        LETTER_COUNTS.remember(lang, tables)
    return tables


def _tokens(counts: Mapping[str, int]) -> list[str]:
    """Running-text words, each as often as it was counted: the n-grams learn endings as they are used (the
    particle -ც, -ში, -თვის), which a list of forms underweights."""
    return [word for word, count in sorted(counts.items()) for _ in range(count)]


def write_shipped_tables() -> int:
    """Write the package's tables (``letter_counts.shipped_path``) from a fresh derivation: after a simplemma
    upgrade, or an edit of this file, word_counts.py or word_counts.tsv (a test says when)."""
    for lang in LANGUAGES:
        data = pack(lang, derived_tables(lang))
        path = shipped_path(lang)
        write_bytes_atomic(path, data)
        print(f"{path}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(write_shipped_tables())
