"""Codebook pattern language → regular expressions, and the text transform they are matched against.

Semantics (documented in the README): case-insensitive; ``*`` at the end of a word matches any continuation
(``ძალადობ*`` → ძალადობა, ძალადობის, ძალადობასთან); a word without ``*`` must end at a word boundary; the
words of a phrase may be separated by any run of whitespace or punctuation; a match starts at a word boundary;
``re:`` introduces a raw regular expression (matched against the same transformed text).

Raw regexes are compiled with the ``regex`` module and every search runs with a timeout (``regex_timeout_s``,
see ingest/readers/limits.py): a catastrophically backtracking pattern (``(x+x+)+y``) on a long answer would
otherwise hang the build without a word. Each raw pattern also has a time budget over the whole build
(``regex_budget_s``): a pattern that is fast on each answer but slow in sum is stopped too. When either trips,
``PatternTimeout`` names the pattern, and the build reports it at its codebook line. Patterns are also checked
for size and quantifier bounds when the codebook is loaded (``re:a{99999999999}`` is a message, not an
overflow).

Matching runs on a *match text*: the text lower-cased and every non-word character replaced by one space. The
transform keeps the length, so match offsets are offsets in the original text — character offsets, which is
what Georgian needs (a Mkhedruli letter is three UTF-8 bytes). Georgian has no case, but Mtavruli capitals
(U+1C90–U+1CBF, used in headings) lower-case to Mkhedruli, so ``ᲫᲐᲚᲐᲓᲝᲑᲐ`` is found by ``ძალადობ*``.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

import regex as timed_re

from gtna_analysis.ingest.readers.limits import setting

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


REGEX_TIMEOUT: float | None = None  # seconds per search; None: the ``regex_timeout_s`` setting (limits.py)
REGEX_BUDGET: float | None = None  # seconds per pattern over a build; None: the ``regex_budget_s`` setting


class RegexClock:
    """Time each raw pattern has spent searching since the clock was started (one build's coding stage).

    Why a clock and not only the per-search timeout: 0.1 s on each of 10,000 answers is within any sensible
    timeout and still adds 17 minutes to a build. Each search runs with the smaller of the per-search timeout
    and what is left of its pattern's budget, so no search can overrun the budget by more than the ``regex``
    module's timeout granularity.
    """

    def __init__(self, timeout: float | None = None, budget: float | None = None):
        self.timeout = timeout if timeout is not None else setting("regex_timeout_s")
        self.budget = budget if budget is not None else setting("regex_budget_s")
        self.spent: dict[str, float] = {}

    def allowance(self, source: str) -> tuple[float, bool]:
        """(seconds the next search of ``source`` may take, whether that is its budget's rest, not a timeout)."""
        timeout = REGEX_TIMEOUT if REGEX_TIMEOUT is not None else self.timeout
        budget = REGEX_BUDGET if REGEX_BUDGET is not None else self.budget
        left = budget - self.spent.get(source, 0.0)
        if left <= 0:
            raise PatternBudgetExceeded(source, budget)
        return (left, True) if left < timeout else (timeout, False)

    def charge(self, source: str, seconds: float) -> None:
        self.spent[source] = self.spent.get(source, 0.0) + seconds


_CLOCK: RegexClock | None = None  # the current build's clock (start_regex_clock)


def start_regex_clock() -> RegexClock:
    """A fresh clock for the raw patterns (the start of a build's coding; budgets are per build), with the
    settings in force now (environment, the study's ``limits:``, defaults)."""
    global _CLOCK
    _CLOCK = RegexClock()
    return _CLOCK


def _clock() -> RegexClock:
    return _CLOCK if _CLOCK is not None else start_regex_clock()  # outside a build: current settings


class PatternError(ValueError):
    """A codebook pattern that cannot be compiled."""


class PatternTimeout(PatternError):
    """A raw regex ran out of time on some text: it backtracks catastrophically (or the text is enormous)."""

    def __init__(self, source: str, seconds: float, message: str | None = None):
        self.source = source
        super().__init__(message or f"pattern {source!r} took more than {seconds:g} s on one text (catastrophic "
                         "backtracking?); simplify it, e.g. no nested repeats like (a+)+")


class PatternBudgetExceeded(PatternTimeout):
    """A raw regex used up its time budget for the whole build (fast per text, slow in sum)."""

    def __init__(self, source: str, seconds: float):
        super().__init__(source, seconds, f"pattern {source!r} spent more than its {seconds:g} s budget over this "
                         "build (regex_budget_s); make it cheaper (a literal word first, no leading .*) or raise "
                         "regex_budget_s under limits: in study.yml")


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

    def _timed(self, method, string: str, pos: int, endpos: int | None):
        clock = _clock()
        seconds, is_budget = clock.allowance(self.source)
        start = time.perf_counter()
        try:
            return method(string, pos, endpos, timeout=seconds)
        except TimeoutError:
            raise (PatternBudgetExceeded(self.source, clock.budget if REGEX_BUDGET is None else REGEX_BUDGET)
                   if is_budget else PatternTimeout(self.source, seconds)) from None
        finally:
            clock.charge(self.source, time.perf_counter() - start)

    def match(self, string: str, pos: int = 0, endpos: int | None = None):
        return self._timed(self.compiled.match, string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        return self._timed(self.compiled.search, string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator:
        """Every match, one ``search`` at a time so each is timed and charged (not the caller's work between)."""
        end = len(string) if endpos is None else endpos
        while pos <= end:
            found = self.search(string, pos, end)
            if found is None:
                return
            yield found
            pos = found.end() if found.end() > found.start() else found.end() + 1


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

    def match_end(self, text: str, start: int) -> int | None:
        """Where this pattern's match starting at ``start`` of the match text ``text`` ends, or None.

        Why not always ``regex.match``: compiling a phrase's regex (~0.1 ms, ``re``'s parser is Python) costs as
        much as thirty checks by hand, and a rebuild after one transcript edit checks most phrase patterns only a
        few times. So a word pattern is checked by ``words_end`` (the same match, see there) until it has been
        checked ``VERIFY_BY_HAND`` times in this process; then its regex is compiled and used."""
        if self.anchor is not None:
            checks = self.__dict__.get("_checks", 0)
            if checks < VERIFY_BY_HAND:
                self.__dict__["_checks"] = checks + 1  # frozen dataclass: its fields, not this counter
                return words_end(text, start, self.words)
        found = self.regex.match(text, start)
        return None if found is None else found.end()

    def search_regex(self) -> re.Pattern[str] | TimedRegex:
        """A regex that finds every (overlapping) match start on its own — the naive coder's one pass."""
        if self.anchor is None:
            return self.regex
        return re.compile(r"(?<!\w)(?=(" + self.expression + "))")


VERIFY_BY_HAND = 32  # checks of one word pattern by ``words_end`` before its regex is compiled (see ``match_end``)
_WORD_RUN = re.compile(r"\w*")
_SPACE_RUN = re.compile(r" +")
_WORD_CHAR = re.compile(r"\w")


def words_end(text: str, start: int, words: tuple[str, ...]) -> int | None:
    """The end of the match of a word pattern's verifier (``compile_pattern``: each word escaped, ``\\w*`` after
    a stem, `` +`` between words, ``(?!\\w)`` at the end) at ``start``, found without compiling it.

    The verifier never backtracks: ``\\w*`` is followed by a space or the end check, ``\\w`` never matches a
    space, and every word starts with a word character; so matching greedily piece by piece finds the same end.
    ``\\w`` is tested by ``re`` itself, so "word character" means exactly what it means to the regex."""
    pos = start
    last = len(words) - 1
    for i, word in enumerate(words):
        starred = word.endswith("*")
        stem = word[:-1] if starred else word
        if not text.startswith(stem, pos):
            return None
        pos = _WORD_RUN.match(text, pos + len(stem)).end() if starred else pos + len(stem)
        if i < last:
            gap = _SPACE_RUN.match(text, pos)
            if gap is None:
                return None
            pos = gap.end()
    return None if _WORD_CHAR.match(text, pos) else pos


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
