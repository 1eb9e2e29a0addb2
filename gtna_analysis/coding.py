"""Fast auto-coding: every codebook pattern in one Aho-Corasick automaton, verified by per-pattern regexes.

Why this design: a naive coder runs one regex per pattern over every segment (patterns × segments passes). Here
the whole corpus is scanned once by ``pyahocorasick`` for the literal first word of every pattern; only those
hits are checked with the pattern's own regex (for ``*`` stems, phrase separators and the end boundary). Cost
grows with corpus size plus number of hits, not with the number of patterns.

The coding unit decides the span a coding covers: ``segment`` (the whole turn, default — what agreement and
prevalence count), ``paragraph``, ``sentence`` (what quotes show) or ``match`` (just the words).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick
import pandas as pd

from .clean import mask_markers
from .codebook import Codebook
from .patterns import CompiledPattern, compile_pattern, match_text

UNITS = ("segment", "paragraph", "sentence", "match")
CODING_COLUMNS = ["segment_id", "interview_id", "agency", "code_id", "theme_id", "start_char", "end_char",
                  "matched_text", "n_matches", "source", "coder"]
_SEPARATOR = "\x00"  # between segments in the scanned corpus: no phrase can match across it
_SENTENCE_END = re.compile(r"[.!?։…]+(?=\s|$)|\n")


@dataclass(frozen=True)
class _Rule:
    code_id: str
    theme_id: str
    pattern: CompiledPattern
    exclude: bool


class AutoCoder:
    """Compiled codebook; ``code(segments)`` returns the codings table."""

    def __init__(self, codebook: Codebook, languages: tuple[str, ...] | None = None):
        self.codebook = codebook
        self.coder = f"auto:{codebook.id}-v{codebook.version}"
        self.rules: list[_Rule] = []
        self.raw_rules: list[_Rule] = []
        automaton = ahocorasick.Automaton()
        for code in codebook.codes:
            for exclude, table in ((False, code.patterns), (True, code.exclude_patterns)):
                for lang, patterns in table.items():
                    if languages and lang not in languages:
                        continue
                    for source in patterns:
                        rule = _Rule(code.id, code.theme_id, compile_pattern(source), exclude)
                        if rule.pattern.anchor is None:
                            self.raw_rules.append(rule)
                            continue
                        self.rules.append(rule)
                        anchor = rule.pattern.anchor
                        if anchor in automaton:
                            automaton.get(anchor).append(len(self.rules) - 1)
                        else:
                            automaton.add_word(anchor, [len(self.rules) - 1])
        if len(automaton):
            automaton.make_automaton()
        self.automaton = automaton

    def find_matches(self, texts: list[str]) -> list[list[tuple[int, int, int, bool]]]:
        """For each text: (start, end, rule index, is_exclude) of every pattern match."""
        prepared = [match_text(mask_markers(t)).replace(_SEPARATOR, " ") for t in texts]
        corpus = _SEPARATOR.join(prepared)
        starts = [0]
        for p in prepared[:-1]:
            starts.append(starts[-1] + len(p) + 1)
        found: list[list[tuple[int, int, int, bool]]] = [[] for _ in texts]
        seen: set[tuple[int, int]] = set()
        if len(self.automaton):
            for end_index, rule_ids in self.automaton.iter(corpus):
                for rule_id in rule_ids:
                    rule = self.rules[rule_id]
                    start = end_index - len(rule.pattern.anchor) + 1
                    if start > 0 and corpus[start - 1] not in (" ", _SEPARATOR):
                        continue
                    m = rule.pattern.regex.match(corpus, start)
                    if m is None or (start, rule_id) in seen:
                        continue
                    seen.add((start, rule_id))
                    i = bisect.bisect_right(starts, start) - 1
                    found[i].append((start - starts[i], m.end() - starts[i], rule_id, rule.exclude))
        for r_index, rule in enumerate(self.raw_rules, start=len(self.rules)):
            for i, text in enumerate(prepared):
                for m in rule.pattern.regex.finditer(text):
                    if m.end() > m.start():
                        found[i].append((m.start(), m.end(), r_index, rule.exclude))
        return found

    def _rule(self, index: int) -> _Rule:
        return self.rules[index] if index < len(self.rules) else self.raw_rules[index - len(self.rules)]

    def code(self, segments: pd.DataFrame, unit: str = "segment") -> pd.DataFrame:
        """Code every segment; returns one row per (unit span, code), with the matched words."""
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}")
        texts = segments["text"].astype(str).tolist()
        all_matches = self.find_matches(texts)
        rows: list[dict] = []
        for (_, seg), text, matches in zip(segments.iterrows(), texts, all_matches, strict=True):
            if not matches:
                continue
            excludes = [(s, e, self._rule(r).code_id) for s, e, r, ex in matches if ex]
            sentence_bounds = _sentence_bounds(text) if excludes or unit == "sentence" else None
            spans: dict[tuple[str, int, int], list[str]] = defaultdict(list)
            for s, e, r, ex in sorted(matches):
                if ex:
                    continue
                rule = self._rule(r)
                if excludes and sentence_bounds is not None:
                    sent = _unit_of(sentence_bounds, s)
                    if any(code == rule.code_id and _unit_of(sentence_bounds, xs) == sent
                           for xs, _, code in excludes):
                        continue
                us, ue = _unit_span(text, s, e, unit, sentence_bounds)
                spans[(rule.code_id, us, ue)].append(text[s:e])
            base = int(seg["start_char"])
            for (code_id, us, ue), words in spans.items():
                rows.append({
                    "segment_id": seg["segment_id"], "interview_id": seg["interview_id"],
                    "agency": seg["agency"], "code_id": code_id, "theme_id": code_id.split(".")[0],
                    "start_char": base + us, "end_char": base + ue,
                    "matched_text": "; ".join(dict.fromkeys(words)), "n_matches": len(words),
                    "source": "auto", "coder": self.coder,
                })
        frame = pd.DataFrame(rows, columns=CODING_COLUMNS)
        return frame.astype({"start_char": "int64", "end_char": "int64", "n_matches": "int64"})


def _sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences in ``text``."""
    bounds = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() < len(text):
            bounds.append(m.end())
    return bounds


def _unit_of(bounds: list[int], pos: int) -> int:
    return bisect.bisect_right(bounds, pos) - 1


def _unit_span(text: str, s: int, e: int, unit: str, bounds: list[int] | None) -> tuple[int, int]:
    if unit == "match":
        return s, e
    if unit == "segment":
        return 0, len(text)
    if unit == "paragraph":
        start = text.rfind("\n", 0, s) + 1
        end = text.find("\n", e)
        return start, len(text) if end < 0 else end
    assert bounds is not None
    i = _unit_of(bounds, s)
    start = bounds[i]
    end = bounds[i + 1] if i + 1 < len(bounds) else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, max(end, min(e, len(text)))


def naive_code(codebook: Codebook, texts: list[str]) -> set[tuple[int, str]]:
    """Reference implementation (one regex pass per pattern): used by tests and as the benchmark baseline."""
    found: set[tuple[int, str]] = set()
    prepared = [match_text(mask_markers(t)) for t in texts]
    for code in codebook.codes:
        for patterns in code.patterns.values():
            for source in patterns:
                cp = compile_pattern(source)
                rx = cp.regex if cp.anchor is None else re.compile(r"(?<!\w)" + cp.regex.pattern)
                for i, text in enumerate(prepared):
                    if rx.search(text):
                        found.add((i, code.id))
    return found
