"""Codebook pattern language → regular expressions, and the text transform they are matched against.

Semantics (documented in the README): case-insensitive; ``*`` at the end of a word matches any continuation
(``ძალადობ*`` → ძალადობა, ძალადობის, ძალადობასთან); a word without ``*`` must end at a word boundary; the
words of a phrase may be separated by any run of whitespace or punctuation; a match starts at a word boundary;
``re:`` introduces a raw regular expression (matched against the same transformed text).

Matching runs on a *match text*: the text lower-cased and every non-word character replaced by one space. The
transform keeps the length, so match offsets are offsets in the original text — character offsets, which is
what Georgian needs (a Mkhedruli letter is three UTF-8 bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NON_WORD = re.compile(r"[\W_]")
_PATTERN_WORD = re.compile(r"[^\W_]+\*?|\*")


class PatternError(ValueError):
    """A codebook pattern that cannot be compiled."""


@dataclass(frozen=True)
class CompiledPattern:
    source: str
    anchor: str | None  # literal prefix for the multi-pattern prefilter; None for raw regexes
    regex: re.Pattern[str]


def match_text(text: str) -> str:
    """Lower-case and blank punctuation, keeping the length (so offsets carry over)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare characters (İ) whose lower case is longer: map one by one
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return _NON_WORD.sub(" ", lowered)


def compile_pattern(pattern: str) -> CompiledPattern:
    """Compile one codebook pattern; raise PatternError with a readable reason."""
    source = pattern
    pattern = pattern.strip()
    if not pattern:
        raise PatternError("empty pattern")
    if pattern.startswith("re:"):
        try:
            return CompiledPattern(source, None, re.compile(pattern[3:], re.IGNORECASE))
        except re.error as exc:
            raise PatternError(f"bad regex {pattern[3:]!r}: {exc}") from None
    words = _PATTERN_WORD.findall(pattern.lower())
    if not words:
        raise PatternError(f"pattern {source!r} has no letters")
    if "*" in words or any("*" in w[:-1] for w in words) or pattern.count("*") != sum(
            w.endswith("*") for w in words):
        raise PatternError(f"pattern {source!r}: '*' is only allowed at the end of a word")
    parts = []
    for i, word in enumerate(words):
        starred = word.endswith("*")
        stem = word[:-1] if starred else word
        if starred and len(stem) < 3:
            raise PatternError(f"pattern {source!r}: stem {stem!r}* is too short (3+ letters)")
        parts.append(re.escape(stem) + (r"\w*" if starred else ""))
        if i < len(words) - 1:
            parts.append(" +")
    regex = re.compile("".join(parts) + r"(?!\w)")
    first = words[0].rstrip("*")
    return CompiledPattern(source, first, regex)
