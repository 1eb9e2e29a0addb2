"""Codebook pattern language → regular expressions, and the text transform they are matched against.

Semantics (documented in the README): case-insensitive; ``*`` at the end of a word matches any continuation
(``ძალადობ*`` → ძალადობა, ძალადობის, ძალადობასთან); a word without ``*`` must end at a word boundary; the
words of a phrase may be separated by any run of whitespace or punctuation; a match starts at a word boundary;
``re:`` introduces a raw regular expression (matched against the same transformed text).

Raw regexes are compiled with the ``regex`` module and every search runs with a timeout (``REGEX_TIMEOUT``
seconds, ``GTNA_REGEX_TIMEOUT_S`` in the environment): a catastrophically backtracking pattern (``(x+x+)+y``)
on a long answer would otherwise hang the build without a word. When one trips, ``PatternTimeout`` names the
pattern, and the build reports it at its codebook line. Patterns are also checked for size and quantifier
bounds when the codebook is loaded (``re:a{99999999999}`` is a message, not an overflow).

Matching runs on a *match text*: the text lower-cased and every non-word character replaced by one space. The
transform keeps the length, so match offsets are offsets in the original text — character offsets, which is
what Georgian needs (a Mkhedruli letter is three UTF-8 bytes). Georgian has no case, but Mtavruli capitals
(U+1C90–U+1CBF, used in headings) lower-case to Mkhedruli, so ``ᲫᲐᲚᲐᲓᲝᲑᲐ`` is found by ``ძალადობ*``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

import regex as timed_re

# Non-word characters except spaces (already spaces: not substituting them is ~30 % faster); "_" is a word
# character for ``\w`` and is blanked by ``str.replace``. Listing the commonest word characters (Georgian, a-z)
# before ``\w`` lets most characters pass on a range test instead of a Unicode-category lookup (~25 %).
_NON_WORD = re.compile("[^\u10d0-\u10faa-z \\w]")
_NON_WORD_KEEP_NUL = re.compile("[^\u10d0-\u10faa-z \x00\\w]")  # the same, sparing NUL (chunk separators)
_PATTERN_WORD = re.compile(r"[^\W_]+\*?|\*")
MIN_STEM = 3


MAX_REGEX_LENGTH = 500  # characters of a raw regex; a longer one is a word list that belongs in patterns
MAX_REPEAT = 1000  # largest {n,m} bound: a larger count is a typo or an attack, never a transcript need
_REPEAT = re.compile(r"(?<!\\)\{\s*(\d*)\s*(?:,\s*(\d*)\s*)?\}")


def _timeout() -> float:
    raw = os.environ.get("GTNA_REGEX_TIMEOUT_S", "").strip()
    try:
        return float(raw) if raw and float(raw) > 0 else 5.0
    except ValueError:
        return 5.0


REGEX_TIMEOUT = _timeout()


class PatternError(ValueError):
    """A codebook pattern that cannot be compiled."""


class PatternTimeout(PatternError):
    """A raw regex ran out of time on some text: it backtracks catastrophically (or the text is enormous)."""

    def __init__(self, source: str, seconds: float):
        self.source = source
        super().__init__(f"pattern {source!r} took more than {seconds:g} s on one text (catastrophic "
                         "backtracking?); simplify it, e.g. no nested repeats like (a+)+")


class TimedRegex:
    """A raw codebook regex (``regex`` module) whose every search runs with ``REGEX_TIMEOUT``.

    Offers the part of ``re.Pattern`` the coders use (``pattern``, ``groups``, ``match``, ``search``,
    ``finditer``), so raw and word patterns are used alike; a timeout becomes ``PatternTimeout``.
    """

    __slots__ = ("compiled", "source")

    def __init__(self, compiled: timed_re.Pattern, source: str):
        self.compiled = compiled
        self.source = source

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def groups(self) -> int:
        return self.compiled.groups

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimedRegex) and (self.pattern, self.compiled.flags) == (
            other.pattern, other.compiled.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.compiled.flags))

    def match(self, string: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.compiled.match(string, pos, endpos, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.source, REGEX_TIMEOUT) from None

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.compiled.search(string, pos, endpos, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.source, REGEX_TIMEOUT) from None

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator:
        try:
            yield from self.compiled.finditer(string, pos, endpos, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.source, REGEX_TIMEOUT) from None


def _check_regex_size(body: str) -> None:
    if len(body) > MAX_REGEX_LENGTH:
        raise PatternError(f"regex of {len(body)} characters is too long (at most {MAX_REGEX_LENGTH})")
    for m in _REPEAT.finditer(body):
        for bound in m.groups():
            if bound and int(bound) > MAX_REPEAT:
                raise PatternError(f"bad regex {body!r}: repeat count {m.group(0)} is above {MAX_REPEAT}")


@dataclass(frozen=True)
class CompiledPattern:
    """One pattern: its source text, the literal the multi-pattern prefilter looks for, and its verifier.

    The verifier of a word pattern is compiled on first use: it is built from escaped words, so it cannot fail,
    and the auto-coder's scan keys settle most patterns without it (compiling all 2,300 patterns of the sample
    codebook up front was ~0.5 s of every build). A raw ``re:`` pattern is compiled at once, to validate it.
    """

    source: str
    anchor: str | None  # literal first word (stem); None for raw regexes (the coder scans for ``words``)
    expression: str  # the verifier's regular expression (``re`` syntax; raw ``re:`` bodies: ``regex`` syntax)
    words: tuple[str, ...] = ()  # the pattern's words (``stem*`` or whole word); empty for raw regexes
    flags: int = 0

    @cached_property
    def regex(self) -> re.Pattern[str] | TimedRegex:
        """Anchored verifier: ``regex.match(match_text, start)`` (a raw pattern's is set, timed, at compile)."""
        return re.compile(self.expression, self.flags)

    def search_regex(self) -> re.Pattern[str] | TimedRegex:
        """A regex that finds every (overlapping) match start on its own — the naive coder's one pass."""
        if self.anchor is None:
            return self.regex
        return re.compile(r"(?<!\w)(?=(" + self.expression + "))")


def match_text(text: str) -> str:
    """Lower-case and blank punctuation, keeping the length (so offsets carry over)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare characters (İ) whose lower case is longer: map one by one
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return blank_non_word(lowered)


def blank_non_word(lowered: str, keep_nul: bool = False) -> str:
    """Every character that is not a word character or a space → one space (``_`` too); NUL kept on request."""
    return (_NON_WORD_KEEP_NUL if keep_nul else _NON_WORD).sub(" ", lowered).replace("_", " ")


def pattern_words(pattern: str) -> list[str]:
    """The words of a (non-regex) pattern, lower-cased and NFC-normalised, each possibly ending in ``*``."""
    return _PATTERN_WORD.findall(unicodedata.normalize("NFC", pattern).lower())


@cache
def compile_pattern(pattern: str) -> CompiledPattern:
    """Compile one codebook pattern; raise PatternError with a readable reason.

    Memoised for the process: validation (``load_codebook``) and the coder compile the same patterns, and
    ``CompiledPattern`` is immutable (its lazily compiled ``regex`` is the same for every holder)."""
    source = pattern
    pattern = unicodedata.normalize("NFC", pattern).strip()
    if not pattern:
        raise PatternError("empty pattern")
    if pattern.startswith("re:"):
        body = pattern[3:]
        _check_regex_size(body)
        try:
            regex = TimedRegex(timed_re.compile(body, timed_re.IGNORECASE | timed_re.V0), source)
        except (timed_re.error, OverflowError, RecursionError, ValueError) as exc:
            raise PatternError(f"bad regex {body!r}: {exc}") from None
        if regex.match(""):
            raise PatternError(f"regex {body!r} matches the empty string")
        compiled = CompiledPattern(source, None, body, (), re.IGNORECASE)
        compiled.__dict__["regex"] = regex  # already compiled (to validate it): the cached_property's slot
        return compiled
    words = pattern_words(pattern)
    if not words:
        raise PatternError(f"pattern {source!r} has no letters")
    if "*" in words or re.search(r"\*[^\W_]", pattern) or pattern.count("*") != sum(w.endswith("*") for w in words):
        raise PatternError(f"pattern {source!r}: '*' is only allowed at the end of a word")
    parts = []
    for i, word in enumerate(words):
        starred = word.endswith("*")
        stem = word[:-1] if starred else word
        if starred and len(stem) < MIN_STEM:
            raise PatternError(f"pattern {source!r}: stem {stem!r}* is too short ({MIN_STEM}+ letters)")
        parts.append(re.escape(stem) + (r"\w*" if starred else ""))
        if i < len(words) - 1:
            parts.append(" +")
    return CompiledPattern(source, words[0].rstrip("*"), "".join(parts) + r"(?!\w)", tuple(words))


MAX_SPELLED_GAPS = 4  # phrase gaps spelled out per pattern; beyond, the key is a prefilter (keys stay ≤ ~31)


def scan_keys(words: tuple[str, ...], max_gap: int, max_gaps: int = MAX_SPELLED_GAPS) -> list[tuple[str, bool]]:
    """Literal keys that find a pattern in a match text, each with whether a key hit *is* a match.

    Why: checking every hit of a first word with the pattern's regex is the coder's main cost (a phrase's first
    word is mostly followed by something else). In a match text every word is preceded by a space, ends at a
    space and is a run of word characters, so most of a pattern can be spelled out literally: a whole word is
    ``" word "``, a stem is ``" stem"`` (the match then ends at the next space), and a phrase gap — any run of
    spaces — is spelled once per length 1..``max_gap``. What cannot be spelled is cut off and left to the
    regex (the key is then only a prefilter): a gap longer than ``max_gap`` (the key ends in ``max_gap + 1``
    spaces), anything after a stem that is not the last word, and whatever follows the first ``max_gaps`` gaps
    (each spelled gap multiplies the keys by ``max_gap``: a 20-word title would otherwise need ~10⁶ keys). At any
    position at most one key of a pattern can match (the gap lengths and word ends are fixed by the text), so no
    match is reported twice.
    """
    keys: list[tuple[str, bool]] = []

    def extend(prefix: str, index: int) -> None:
        word = words[index]
        stem = word.rstrip("*")
        last = index == len(words) - 1
        if word.endswith("*"):
            keys.append((prefix + stem, last))  # a stem inside a phrase: the regex checks the rest
            return
        if last:
            keys.append((prefix + stem + " ", True))
            return
        if index == max_gaps:  # enough spelled: this word and a gap of any length, the regex checks the rest
            keys.append((prefix + stem + " ", False))
            return
        for gap in range(1, max_gap + 1):
            extend(prefix + stem + " " * gap, index + 1)
        keys.append((prefix + stem + " " * (max_gap + 1), False))

    extend(" ", 0)
    return keys
