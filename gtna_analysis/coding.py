"""Fast auto-coding: every codebook pattern in one Aho-Corasick automaton, verified by per-pattern regexes.

Why this design: a naive coder runs one regex per pattern over every segment (patterns × segments passes). Here
the whole corpus is scanned once by ``pyahocorasick`` for the literal first word of every pattern; only those
hits are checked with the pattern's own regex (for ``*`` stems, phrase separators and the end boundary). Cost
grows with corpus size plus number of hits, not with the number of patterns. ``naive_code`` keeps the obvious
one-regex-per-pattern implementation as the reference the tests compare against and the benchmark baseline.

Exclusion patterns: a match of one of a code's ``exclude_patterns`` cancels that code's matches *in the same
sentence* (so "no sex-disaggregated data" can be kept out of a data-availability code without losing the
code for the rest of the answer).

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
CHUNK_SEGMENTS = 5_000  # segments scanned at once (bounds memory; the automaton itself is shared)
_SEPARATOR = "\x00"  # after each segment in the scanned corpus: no phrase or stem can match across it
_SENTENCE_END = re.compile(r"[.!?։…;]+(?=\s|$)|\n")

Match = tuple[int, int, int, bool]  # start, end, rule index, is_exclude


@dataclass(frozen=True)
class _Rule:
    code_id: str
    theme_id: str
    pattern: CompiledPattern
    exclude: bool


def _rules(codebook: Codebook, languages: tuple[str, ...] | None = None) -> list[_Rule]:
    """Every (code, pattern) pair of the codebook, include and exclude patterns alike."""
    rules: list[_Rule] = []
    for code in codebook.codes:
        for exclude, table in ((False, code.patterns), (True, code.exclude_patterns)):
            for lang, patterns in table.items():
                if languages and lang not in languages:
                    continue
                rules.extend(_Rule(code.id, code.theme_id, compile_pattern(p), exclude) for p in patterns)
    return rules


def prepare(text: str) -> str:
    """The text the patterns run on: markers blanked, lower-cased, punctuation → space (same length)."""
    return match_text(mask_markers(text))


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of the sentences of ``text`` (a newline also ends a sentence)."""
    bounds = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() < len(text):
            bounds.append(m.end())
    return bounds


def _unit_of(bounds: list[int], pos: int) -> int:
    return bisect.bisect_right(bounds, pos) - 1


def resolve(text: str, matches: list[Match], rules: list[_Rule]) -> dict[str, list[tuple[int, int]]]:
    """Apply exclusions: code id → surviving (start, end) matches in ``text``."""
    excludes = [(s, rules[r].code_id) for s, _, r, ex in matches if ex]
    bounds = sentence_bounds(text) if excludes else []
    excluded = {(code, _unit_of(bounds, s)) for s, code in excludes}
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s, e, r, ex in sorted(matches):
        if ex:
            continue
        code = rules[r].code_id
        if excluded and (code, _unit_of(bounds, s)) in excluded:
            continue
        out[code].append((s, e))
    return out


class AutoCoder:
    """Compiled codebook; ``code(segments)`` returns the codings table."""

    def __init__(self, codebook: Codebook, languages: tuple[str, ...] | None = None):
        self.codebook = codebook
        self.coder = f"auto:{codebook.id}-v{codebook.version}"
        all_rules = _rules(codebook, languages)
        # Literal rules first (their index is what the automaton stores), raw regexes after.
        self.rules = [r for r in all_rules if r.pattern.anchor is not None] + \
                     [r for r in all_rules if r.pattern.anchor is None]
        self.n_literal = sum(r.pattern.anchor is not None for r in self.rules)
        # Keys are " " + anchor: the text is normalised so every word is preceded by a space, so the automaton
        # itself only reports hits at word starts (no per-hit boundary check in Python).
        anchors: dict[str, list[int]] = defaultdict(list)
        for index, rule in enumerate(self.rules[:self.n_literal]):
            anchors[" " + str(rule.pattern.anchor)].append(index)
        automaton = ahocorasick.Automaton()
        for key, ids in anchors.items():
            automaton.add_word(key, (len(key) - 1, tuple(ids)))
        if len(automaton):
            automaton.make_automaton()
        self.automaton = automaton

    def find_matches(self, texts: list[str]) -> list[list[Match]]:
        """For each text: (start, end, rule index, is_exclude) of every pattern match (overlaps included)."""
        prepared = [prepare(t) for t in texts]
        corpus = "".join(f" {p}{_SEPARATOR}" for p in prepared)
        starts: list[int] = []
        offset = 1
        for p in prepared:
            starts.append(offset)
            offset += len(p) + 2
        found: list[list[Match]] = [[] for _ in texts]
        rules = self.rules
        if len(self.automaton) and prepared:
            i, last = 0, len(starts) - 1
            for end_index, (length, rule_ids) in self.automaton.iter(corpus):
                start = end_index - length + 1
                while i < last and starts[i + 1] <= start:  # hits arrive in text order
                    i += 1
                base = starts[i]
                for rule_id in rule_ids:
                    m = rules[rule_id].pattern.regex.match(corpus, start)
                    if m is not None:
                        found[i].append((start - base, m.end() - base, rule_id, rules[rule_id].exclude))
        for r_index in range(self.n_literal, len(rules)):
            rule = rules[r_index]
            for i, text in enumerate(prepared):
                for m in rule.pattern.regex.finditer(text):
                    if m.end() > m.start():
                        found[i].append((m.start(), m.end(), r_index, rule.exclude))
        return found

    def code_texts(self, texts: list[str]) -> set[tuple[int, str]]:
        """(text index, code id) for every text a code applies to — the shape ``naive_code`` returns."""
        out: set[tuple[int, str]] = set()
        for start in range(0, len(texts), CHUNK_SEGMENTS):
            chunk = texts[start:start + CHUNK_SEGMENTS]
            for i, (text, matches) in enumerate(zip(chunk, self.find_matches(chunk), strict=True), start=start):
                out.update((i, code) for code in resolve(text, matches, self.rules))
        return out

    def code(self, segments: pd.DataFrame, unit: str = "segment") -> pd.DataFrame:
        """Code every segment; returns one row per (unit span, code), with the matched words.

        Segments are coded in chunks of ``CHUNK_SEGMENTS``: the normalised copies, the joined scan text and the
        raw matches then exist for one chunk at a time, which keeps peak memory flat as the corpus grows.
        """
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}")
        rows: list[tuple] = []
        for start in range(0, len(segments), CHUNK_SEGMENTS):
            rows.extend(self._code_chunk(segments.iloc[start:start + CHUNK_SEGMENTS], unit))
        frame = pd.DataFrame(rows, columns=CODING_COLUMNS)
        return frame.astype({"start_char": "int64", "end_char": "int64", "n_matches": "int64"})

    def _code_chunk(self, segments: pd.DataFrame, unit: str) -> list[tuple]:
        texts = segments["text"].astype(str).tolist()
        all_matches = self.find_matches(texts)
        rows: list[tuple] = []
        columns = zip(segments["segment_id"], segments["interview_id"], segments["agency"],
                      segments["start_char"], texts, all_matches, strict=True)
        for segment_id, interview_id, agency, base, text, matches in columns:
            if not matches:
                continue
            bounds = sentence_bounds(text) if unit == "sentence" else None
            for code_id, spans in resolve(text, matches, self.rules).items():
                grouped: dict[tuple[int, int], list[str]] = defaultdict(list)
                for s, e in spans:
                    grouped[_unit_span(text, s, e, unit, bounds)].append(text[s:e])
                for (us, ue), words in grouped.items():
                    rows.append((segment_id, interview_id, agency, code_id, code_id.split(".")[0],
                                 int(base) + us, int(base) + ue, "; ".join(dict.fromkeys(words)), len(words),
                                 "auto", self.coder))
        return rows


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
    """Reference implementation: one regex search per pattern per text, then the same exclusion rule.

    Deliberately simple (and slow): the fast coder must give exactly this set; the benchmark measures both.
    """
    found: set[tuple[int, str]] = set()
    prepared = [prepare(t) for t in texts]
    for code in codebook.codes:
        include = [compile_pattern(p).search_regex() for ps in code.patterns.values() for p in ps]
        exclude = [compile_pattern(p).search_regex() for ps in code.exclude_patterns.values() for p in ps]
        for i, text in enumerate(prepared):
            starts = [m.start() for rx in include for m in rx.finditer(text) if _nonempty(m)]
            if not starts:
                continue
            blocked = [m.start() for rx in exclude for m in rx.finditer(text) if _nonempty(m)]
            if not blocked:
                found.add((i, code.id))
                continue
            bounds = sentence_bounds(texts[i])
            bad = {_unit_of(bounds, s) for s in blocked}
            if any(_unit_of(bounds, s) not in bad for s in starts):
                found.add((i, code.id))
    return found


def _nonempty(m: re.Match[str]) -> bool:
    return m.end() > m.start() or bool(m.groups() and m.group(1))
