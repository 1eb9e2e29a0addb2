"""Fast auto-coding: every codebook pattern in one Aho-Corasick automaton; regexes only where keys cannot say it.

Why this design: a naive coder runs one regex per pattern over every segment (patterns × segments passes). Here
each chunk of segments is prepared once (markers blanked, lower-cased, punctuation → space: see
``prepare_chunk``) and scanned once by ``pyahocorasick``. The automaton's keys spell out most of each pattern
(``patterns.scan_keys``: a whole word with the space after it, a ``stem*`` up to the stem, phrase gaps of one or
two spaces), so most hits are matches with no further work; only phrases with longer gaps or a starred inner
word fall back to the pattern's own regex at the hit. Cost grows with corpus size plus number of hits, not with
the number of patterns. ``naive_code`` keeps the obvious one-regex-per-pattern implementation as the reference
the tests compare against and the benchmark baseline.

Exclusion patterns: a match of one of a code's ``exclude_patterns`` cancels that code's matches *in the same
sentence* (so "no sex-disaggregated data" can be kept out of a data-availability code without losing the
code for the rest of the answer).

The coding unit decides the span a coding covers: ``segment`` (the whole turn, default — what agreement and
prevalence count), ``paragraph``, ``sentence`` (what quotes show) or ``match`` (just the words).
"""

from __future__ import annotations

import bisect
import itertools
import pickle
import re
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick
import numpy as np
import pandas as pd

from gtna_analysis.ingest.clean import mask_markers
from gtna_analysis.schema import CODING_COLUMNS, CODING_UNITS

from . import polarity as _polarity
from .codebook import Codebook
from .lemmas import stem_pattern, stem_text
from .patterns import CompiledPattern, TimedRegex, blank_non_word, compile_pattern, match_text, scan_keys

CHUNK_SEGMENTS = 5_000  # segments scanned at once (bounds memory; the automaton itself is shared)
_SEPARATOR = " \x00 "  # between segments in the scan text: no key, phrase or stem can match across the NUL
MAX_GAP = 2  # phrase gaps of 1..MAX_GAP spaces are spelled out in scan keys (3+ spaces are ~2 % of gaps)
_SENTENCE_END = re.compile(r"[.!?։…;]+(?=\s|$)|\n")

Match = tuple[int, int, int, bool]  # start, end, rule index, is_exclude


@dataclass(frozen=True)
class _Rule:
    code_id: str
    theme_id: str
    pattern: CompiledPattern
    exclude: bool


def _rules(codebook: Codebook, languages: tuple[str, ...] | None = None, stemmed: bool = False) -> list[_Rule]:
    """Every (code, pattern) pair of the codebook, include and exclude patterns alike; with ``stemmed``, the
    include patterns in stem keys (``lemmas.stem_pattern``), for the scan of the stem text."""
    rules: list[_Rule] = []
    for code in codebook.codes:
        for exclude, table in ((False, code.patterns), (True, code.exclude_patterns)):
            for lang, patterns in table.items():
                if languages and lang not in languages:
                    continue
                if stemmed and exclude:
                    continue  # exclusions name exact false friends: on the surface only
                for p in patterns:
                    source = stem_pattern(p) if stemmed else p
                    if source is not None:
                        rules.append(_Rule(code.id, code.theme_id, compile_pattern(source), exclude))
    return rules


class _Context:
    """``requires`` of the codebook: a code whose patterns are ambiguous single words counts only in sentences
    where one of its context patterns also matches (surface or stem text)."""

    def __init__(self, codebook: Codebook, languages: tuple[str, ...] | None = None):
        # code → (pattern, literal its search regex cannot match without): the literal (a word pattern's first
        # stem; None for a raw regex) is checked with ``in`` first, which rules out most regex passes exactly;
        # the regex is compiled at the first text that holds the literal (``_search_regex``), not here: most
        # never run, and a coder loaded from the build cache would otherwise compile them all again (~240)
        self.searchers: dict[str, list[tuple[CompiledPattern, str | None]]] = {}
        for code in codebook.codes:
            found = []
            for lang, patterns in code.requires.items():
                if languages and lang not in languages:
                    continue
                for p in patterns:
                    compiled = compile_pattern(p)
                    found.append((compiled, compiled.anchor))
                    stemmed = stem_pattern(p)
                    if stemmed is not None:
                        compiled = compile_pattern(stemmed)
                        found.append((compiled, compiled.anchor))
            if found:
                self.searchers[code.id] = found

    def keep(self, code_id: str, text: str, spans: list[tuple[int, int]], prepared: tuple[str, str]
             ) -> list[tuple[int, int]]:
        """The spans of ``code_id`` whose sentence holds a context match (all spans if the code needs none)."""
        searchers = self.searchers.get(code_id)
        if not searchers:
            return spans
        bounds = sentence_bounds(text)
        ok = {_unit_of(bounds, m.start()) for pattern, literal in searchers for version in prepared
              if literal is None or literal in version
              for rx in (_search_regex(pattern),) for m in rx.finditer(version) if _found(m, rx)}
        return [(s, e) for s, e in spans if _unit_of(bounds, s) in ok]


@cache
def _search_regex(pattern: CompiledPattern) -> re.Pattern[str] | TimedRegex:
    return pattern.search_regex()


def _found(m: re.Match[str], rx: re.Pattern[str]) -> bool:
    return bool(m.group(1)) if rx.groups else m.end() > m.start()


def _both_texts(text: str) -> tuple[str, str]:
    """The prepared text and its stem-key version: what context patterns are searched in."""
    prepared = prepare(text)
    return prepared, stem_text(prepared)


def _word_end(text: str, end: int) -> int:
    """Extend a match to the end of its last word (a stem-text match ends where the stem key ends)."""
    while end < len(text) and text[end].isalnum():
        end += 1
    return end


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


def _cancelled(text: str, matches: list[Match], code_of: list[str]) -> tuple[dict[str, set[int]], list[int]]:
    """Code → the sentences its exclusion matches cancel (only codes that also matched), and the sentence bounds.

    Sentences are only computed when a code has both an include and an exclusion match in ``text`` — the rare
    case; everything else needs no sorting or sentence split at all.
    """
    excluded: dict[str, list[int]] = {}
    for s, _, r, ex in matches:
        if ex:
            excluded.setdefault(code_of[r], []).append(s)
    if not excluded:
        return {}, []
    conflicted = excluded.keys() & {code_of[r] for _, _, r, ex in matches if not ex}
    if not conflicted:
        return {}, []
    bounds = sentence_bounds(text)
    return {code: {_unit_of(bounds, s) for s in excluded[code]} for code in conflicted}, bounds


def resolve(text: str, matches: list[Match], code_of: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Apply exclusions: code id → surviving (start, end) matches in ``text``, in text order.

    ``code_of[rule index]`` is the rule's code id. Codes come in the order of their first surviving match.
    """
    cancelled, bounds = _cancelled(text, matches, code_of)
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s, e, r, ex in sorted(matches):
        if ex:
            continue
        code = code_of[r]
        if cancelled and code in cancelled and _unit_of(bounds, s) in cancelled[code]:
            continue
        out[code].append((s, e))
    return out


# Automaton value: (hit end - match start, key ends in a stem, include rules, exclusion rules, regex groups).
# A regex group is (pattern, include rules, exclusion rules) for the rules whose key is only a prefilter; the
# pattern's verifier regex is compiled at its first hit (most prefilter keys never occur in a given corpus).
_Rules = tuple[int, ...]
_KeyValue = tuple[int, bool, _Rules, _Rules, tuple[tuple[CompiledPattern, _Rules, _Rules], ...]]


def _key_values(rules: list[_Rule]) -> dict[str, _KeyValue]:
    """Scan key → what a hit of it means: the rules it matches outright, and the regexes still to run."""
    literal: dict[str, list[int]] = defaultdict(list)
    verify: dict[str, dict[str, list[int]]] = defaultdict(dict)
    verifier: dict[str, CompiledPattern] = {}
    for index, rule in enumerate(rules):
        for key, exact in scan_keys(rule.pattern.words, MAX_GAP):
            if exact:
                literal[key].append(index)
            else:
                verify[key].setdefault(rule.pattern.expression, []).append(index)
                verifier.setdefault(rule.pattern.expression, rule.pattern)

    def split(ids: list[int]) -> tuple[_Rules, _Rules]:
        return tuple(r for r in ids if not rules[r].exclude), tuple(r for r in ids if rules[r].exclude)

    values: dict[str, _KeyValue] = {}
    for key in literal.keys() | verify.keys():
        groups = tuple((verifier[rx], *split(ids)) for rx, ids in verify.get(key, {}).items())
        values[key] = (len(key) - 2, not key.endswith(" "), *split(literal.get(key, [])), groups)
    return values


DIRECT_SCAN = 200_000  # scan texts of at least this many characters with the coder's direct automaton


def _loads_if_bytes(value: _KeyValue | bytes) -> _KeyValue:
    return pickle.loads(value) if value.__class__ is bytes else value  # type: ignore[return-value]


def _automaton(keys: dict[str, _KeyValue]) -> tuple[ahocorasick.Automaton, list[_KeyValue]]:
    """The automaton of ``keys`` and its values: each key stores the index of its value in that list.

    Why integers, not the values themselves: an automaton of integers (``STORE_INTS``) pickles as one flat
    buffer and loads in a few milliseconds, while one of Python objects pickles every value inside it and loads
    as slowly as building it (~0.02 s per automaton) — the compiled coder is loaded from the build cache on every
    rebuild after a transcript edit (``build._coder``)."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for index, key in enumerate(keys):
        automaton.add_word(key, index)
    if len(automaton):
        automaton.make_automaton()
    return automaton, list(keys.values())


class _Found:
    """Matches of one chunk as parallel flat lists, ordered by segment: segment, start, end (scan-text offsets)
    and rule index. Plain int lists, not a tuple per match: millions of small tuples cost allocation and
    garbage-collector passes, and flat lists let ``code_texts`` build its pairs with C-level ``zip``/``map``."""

    def __init__(self) -> None:
        self.segment: list[int] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.rule: list[int] = []

    def span(self, i: int) -> range:
        """Positions (in the lists) of segment ``i``'s matches."""
        return range(bisect.bisect_left(self.segment, i), bisect.bisect_right(self.segment, i))

    def sort_by_segment(self) -> None:
        """Restore the segment order after out-of-order additions (raw-regex rules)."""
        order = sorted(range(len(self.segment)), key=self.segment.__getitem__)
        for name in ("segment", "start", "end", "rule"):
            values = getattr(self, name)
            setattr(self, name, [values[k] for k in order])


def _add(found: _Found, i: int, start: int, end: int, rules: _Rules) -> None:
    for rule_id in rules:
        found.segment.append(i)
        found.start.append(start)
        found.end.append(end)
        found.rule.append(rule_id)


@dataclass(frozen=True)
class _Scan:
    """The matches of one chunk: include and exclusion matches, and where each segment starts in the scan text."""

    bases: list[int]
    included: _Found
    excluded: _Found

    def matches_of(self, i: int) -> list[Match]:
        """Segment ``i``'s matches as (start, end, rule index, is_exclude), offsets within the segment."""
        shift = (-self.bases[i]).__add__
        out: list[Match] = []
        for found, exclude in ((self.included, False), (self.excluded, True)):
            k = found.span(i)
            if k:  # slices and zip/map: built in C, this runs for every coded segment
                out.extend(zip(map(shift, found.start[k.start:k.stop]), map(shift, found.end[k.start:k.stop]),
                               found.rule[k.start:k.stop], itertools.repeat(exclude, len(k)), strict=True))
        return out


def prepare_chunk(texts: list[str]) -> tuple[str, list[int]]:
    """One scan text for many segments, and where each segment starts in it.

    The scan text is ``" " + prepare(t0) + " \\x00 " + prepare(t1) + … + " \\x00"``: every segment is preceded
    and followed by a space (so its first word is a key hit and its last word ends at a space) and separated by
    NUL, which no key or phrase regex can cross. Preparing the joined string is one regex pass per chunk
    instead of one per segment; it equals per-segment preparation because no marker, case rule (final sigma
    looks at neighbouring letters, and a space is none) or substitution reaches across the separator. NULs in
    the texts themselves become spaces first (as ``prepare`` would make them); when lower-casing changes the
    length (rare letters such as İ) each segment is prepared on its own, exactly as ``prepare`` does.
    """
    joined = " " + _SEPARATOR.join(texts) + _SEPARATOR.rstrip()
    if joined.count("\x00") != len(texts):  # rare: a NUL in the data would be taken for a separator
        texts = [t.replace("\x00", " ") for t in texts]
        joined = " " + _SEPARATOR.join(texts) + _SEPARATOR.rstrip()
    masked = mask_markers(joined)
    lowered = masked.lower()
    if len(lowered) == len(masked):
        corpus = blank_non_word(lowered, keep_nul=True)  # as ``match_text`` does, sparing the separators
    else:
        corpus = " " + _SEPARATOR.join(prepare(t) for t in texts) + _SEPARATOR.rstrip()
    bases = list(itertools.accumulate((len(t) + len(_SEPARATOR) for t in texts[:-1]), initial=1))
    return corpus, bases


# A raw regex using any of these may match differently at a segment's ends than inside the scan text.
_POSITIONAL = re.compile(r"\$|\\[AZz0]|\\x00|\\u0000|\(\?[<=!]|(?<!\[)\^")


def _raw_matches(regex: re.Pattern[str], corpus: str, bases: list[int], lengths: list[int]
                 ) -> list[tuple[int, int, int]] | None:
    """(segment, start, end) of a raw regex's matches, from one pass over the whole scan text — the matches a
    pass over each segment alone finds (what the reference coder does), or None when that cannot be vouched
    for and the caller must go segment by segment.

    Why it holds: without anchors or look-around, a regex reads a segment's neighbours only by matching into
    them, and in the scan text each segment is framed by spaces, where ``\b`` behaves as at a string's ends.
    So a pass over the whole text finds the per-segment matches unless some match reaches into a separator or
    is empty — then (rare: the sample codebook's ``\b…\b`` patterns never do) the per-segment pass runs.
    One pass instead of one per segment: the per-segment loop was the largest single item in a profile of a
    100x build."""
    if _POSITIONAL.search(regex.pattern):
        return None
    out: list[tuple[int, int, int]] = []
    for m in regex.finditer(corpus):
        start, end = m.span()
        i = bisect.bisect_right(bases, start) - 1
        if end <= start or i < 0 or start < bases[i] or end > bases[i] + lengths[i]:
            return None
        out.append((i, start, end))
    return out


_COMPILED: OrderedDict[tuple[str, tuple[str, ...] | None, bool], AutoCoder] = OrderedDict()
_COMPILED_KEEP = 4  # codebook versions kept per process (an edited codebook gets a new hash, hence a new entry)


class AutoCoder:
    """Compiled codebook; ``code(segments)`` returns the codings table."""

    @classmethod
    def for_codebook(cls, codebook: Codebook, languages: tuple[str, ...] | None = None,
                     lemmas: bool = True) -> AutoCoder:
        """The compiled coder of ``codebook``, built once per process and codebook content.

        Why: compiling (stem patterns, scan keys, two automata) is ~0.5 s for the sample codebook, more than
        coding the sample; a notebook session, ``gtna validate`` then ``build``, or the test suite would pay it
        every call. The key is the codebook file's SHA-256 (``Codebook.sha256``), so an edited codebook is
        compiled afresh; a codebook made in memory (no hash) is never cached. A coder is not changed by
        coding, so sharing one is safe. Across processes, a build keeps the compiled coder pickled in its cache
        (``build._coder``; the automata store integers so that they load fast, see ``_automaton``).
        """
        if not codebook.sha256:
            return cls(codebook, languages, lemmas)
        key = (codebook.sha256, tuple(languages) if languages else None, lemmas)
        coder = _COMPILED.get(key)
        if coder is None:
            coder = _COMPILED[key] = cls(codebook, languages, lemmas)
            while len(_COMPILED) > _COMPILED_KEEP:
                _COMPILED.popitem(last=False)
        _COMPILED.move_to_end(key)
        return coder

    def __init__(self, codebook: Codebook, languages: tuple[str, ...] | None = None, lemmas: bool = True,
                 _stemmed: bool = False):
        self.codebook = codebook
        self.coder = f"auto:{codebook.id}-v{codebook.version}"
        all_rules = _rules(codebook, languages, stemmed=_stemmed)
        # Literal rules first (the automaton stores their indexes), raw regexes after.
        rules = [r for r in all_rules if r.pattern.anchor is not None] + \
                [r for r in all_rules if r.pattern.anchor is None]
        self._rules: list[_Rule] | None = rules
        self.n_rules = len(rules)
        self.n_literal = sum(r.pattern.anchor is not None for r in rules)
        self._raw_rules = rules[self.n_literal:]  # scanned regex by regex (``_scan_surface``)
        # Inflection: a second scan of the text in stem keys with the patterns in stem keys (lemmas.py); its
        # rule indexes follow this coder's in ``_code_of``.
        self._stem = AutoCoder(codebook, languages, lemmas=False, _stemmed=True) if lemmas and not _stemmed else None
        stem_rules = self._stem.rules if self._stem is not None else []
        self._code_of = [r.code_id for r in (*rules, *stem_rules)]
        self._theme_of = {r.code_id: r.theme_id for r in (*rules, *stem_rules)}  # the table's theme_id
        self._context = _Context(codebook, languages)
        # Keys start with a space: the scan text puts one before every word, so the automaton itself only
        # reports hits at word starts; most keys are whole patterns (see ``scan_keys``), so most hits are matches.
        self.automaton, self._values = _automaton(_key_values(rules[:self.n_literal]))

    @property
    def rules(self) -> list[_Rule]:
        """Every rule: the literal ones (indexed by the automaton's values), then the raw regexes."""
        if self._rules is None:  # unpickled: the literal rules are still one blob (see ``__getstate__``)
            self._rules = [*pickle.loads(self._literal_rules), *self._raw_rules]
        return self._rules

    def __getstate__(self) -> dict:
        """The compiled coder as the build cache keeps it (``build._coder``).

        Why this shape: a rebuild after one transcript edit loads the coder and codes one interview. Unpickling
        its ~4,500 rules and ~14,000 key values (a value's regex groups hold ``CompiledPattern`` objects) was most
        of that load, yet coding one interview reads no literal rule and a few hundred key values. So the
        literal rules travel as one pickled blob, unpickled only if ``rules`` is asked for, and each key value
        as a pickle of its own, unpickled at its first hit (``_scan_literal``). The automaton stores integers
        and loads as one buffer (see ``_automaton``)."""
        state = self.__dict__.copy()
        state.pop("_direct", None)
        if state["_rules"] is not None:
            state["_literal_rules"] = pickle.dumps(state["_rules"][:self.n_literal], protocol=pickle.HIGHEST_PROTOCOL)
        state["_rules"] = None
        state["_values"] = [v if isinstance(v, bytes) else pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
                            for v in self._values]
        return state

    @classmethod
    def compiled(cls, codebook: Codebook) -> AutoCoder | None:
        """The coder ``for_codebook`` already compiled in this process (default languages, lemmas), or None."""
        coder = _COMPILED.get((codebook.sha256, None, True)) if codebook.sha256 else None
        return coder

    @classmethod
    def remember(cls, codebook: Codebook, coder: AutoCoder) -> None:
        """Keep a coder loaded from a cache as this process's compiled coder of ``codebook``."""
        if codebook.sha256 and coder.codebook.sha256 == codebook.sha256:
            _COMPILED[(codebook.sha256, None, True)] = coder
            while len(_COMPILED) > _COMPILED_KEEP:
                _COMPILED.popitem(last=False)

    def _scan(self, texts: list[str]) -> _Scan:
        """Every match in ``texts`` (one chunk), on the surface and (with lemmas) on the stem text."""
        scan = self._scan_surface(texts)
        if self._stem is not None and texts:
            other = self._stem._scan_surface([stem_text(prepare(t)) for t in texts])
            shift = self.n_rules.__add__
            for mine, theirs in ((scan.included, other.included), (scan.excluded, other.excluded)):
                if theirs.segment:
                    bases = scan.bases  # a stem key is shorter than its word: end the match where the word ends
                    ends = [bases[i] + _word_end(texts[i], e - bases[i]) for i, e in zip(theirs.segment, theirs.end,
                                                                                          strict=True)]
                    mine.segment.extend(theirs.segment)
                    mine.start.extend(theirs.start)
                    mine.end.extend(ends)
                    mine.rule.extend(map(shift, theirs.rule))
                    mine.sort_by_segment()
        return scan

    def _scan_surface(self, texts: list[str]) -> _Scan:
        """Every match in ``texts`` (one chunk): literal keys by the automaton, raw regexes text by text."""
        corpus, bases = prepare_chunk(texts) if texts else ("", [])
        scan = _Scan(bases, _Found(), _Found())
        if len(self.automaton) and texts:
            self._scan_literal(corpus, scan)
        if self._raw_rules:
            lengths = [len(t) for t in texts]
            for r_index, rule in enumerate(self._raw_rules, start=self.n_literal):
                found = scan.excluded if rule.exclude else scan.included
                regex = rule.pattern.regex
                whole = _raw_matches(regex, corpus, bases, lengths)
                if whole is not None:
                    for i, start, end in whole:
                        _add(found, i, start, end, (r_index,))
                    continue
                for i, (base, text) in enumerate(zip(bases, texts, strict=True)):
                    for m in regex.finditer(corpus[base:base + len(text)]):  # alone: ^, $ and \b as in naive_code
                        if m.end() > m.start():
                            _add(found, i, base + m.start(), base + m.end(), (r_index,))
            scan.included.sort_by_segment()
            scan.excluded.sort_by_segment()
        return scan

    def _indexed_hits(self, corpus: str) -> Iterator[tuple[int, _KeyValue]]:
        """(end, key value) of every hit by the integer automaton, a value unpickled at its key's first hit since
        the coder was unpickled: for short texts (one interview after an edit), where most values are never hit."""
        values = self._values
        for end_index, index in self.automaton.iter(corpus):
            value = values[index] = _loads_if_bytes(values[index])
            yield end_index, value

    def _direct_automaton(self) -> ahocorasick.Automaton:
        """The same keys with their values inside (not pickled; built at the first long scan, ~0.03 s): a long
        scan then pays no index look-up, type check and generator step per hit, ~5 % of coding a 100x study."""
        direct = self.__dict__.get("_direct")
        if direct is None:
            values = self._values = [_loads_if_bytes(v) for v in self._values]
            direct = ahocorasick.Automaton()
            for key, index in self.automaton.items():
                direct.add_word(key, values[index])
            if len(direct):
                direct.make_automaton()
            self._direct = direct
        return direct

    def _scan_literal(self, corpus: str, scan: _Scan) -> None:
        """Run the automaton over the scan text; the hot loop, so it keeps per-hit work to a few operations."""
        bases, inc, exc = scan.bases, scan.included, scan.excluded
        i = 0
        bounds = [*bases[1:], len(corpus) + 1]  # hits arrive by end position; a hit never crosses a separator
        limit = bounds[0]
        find = corpus.find
        add_segment, add_start, add_end, add_rule = inc.segment.append, inc.start.append, inc.end.append, \
            inc.rule.append
        hits = self._direct_automaton().iter(corpus) if len(corpus) >= DIRECT_SCAN else self._indexed_hits(corpus)
        for end_index, (back, stem, includes, excludes, groups) in hits:
            if end_index >= limit:
                i = bisect.bisect_right(bounds, end_index, i)
                limit = bounds[i]
            start = end_index - back
            if includes:
                end = find(" ", end_index) if stem else end_index
                for rule_id in includes:
                    add_segment(i)
                    add_start(start)
                    add_end(end)
                    add_rule(rule_id)
            if excludes:
                _add(exc, i, start, find(" ", end_index) if stem else end_index, excludes)
            for pattern, group_includes, group_excludes in groups:
                match_end = pattern.match_end(corpus, start)
                if match_end is not None:
                    _add(inc, i, start, match_end, group_includes)
                    _add(exc, i, start, match_end, group_excludes)

    def code_texts(self, texts: list[str]) -> set[tuple[int, str]]:
        """(text index, code id) for every text a code applies to — the shape ``naive_code`` returns."""
        out: set[tuple[int, str]] = set()
        code_of = self._code_of
        for offset in range(0, len(texts), CHUNK_SEGMENTS):
            chunk = texts[offset:offset + CHUNK_SEGMENTS]
            scan = self._scan(chunk)
            inc = scan.included
            out.update(zip(map(offset.__add__, inc.segment), map(code_of.__getitem__, inc.rule), strict=True))
            out.difference_update((offset + i, code) for i, code in self._cancelled_pairs(chunk, scan))
            if self._context.searchers:
                out.difference_update((offset + i, code) for i, code in self._out_of_context(chunk, scan))
        return out

    def _out_of_context(self, texts: list[str], scan: _Scan) -> Iterator[tuple[int, str]]:
        """(text index, code) of codes with ``requires`` none of whose matches has its context."""
        needs = self._context.searchers
        for i in dict.fromkeys(scan.included.segment):
            k = scan.included.span(i)
            codes = {self._code_of[r] for r in scan.included.rule[k.start:k.stop]} & needs.keys()
            if not codes:
                continue
            text = texts[i]
            prepared = _both_texts(text)
            for code, spans in resolve(text, scan.matches_of(i), self._code_of).items():
                if code in codes and not self._context.keep(code, text, spans, prepared):
                    yield i, code

    def _cancelled_pairs(self, texts: list[str], scan: _Scan) -> Iterator[tuple[int, str]]:
        """(text index, code) of the chunk's codes whose every include match an exclusion cancels.

        The rule ``resolve`` applies, read straight off the flat match lists: exclusion patterns are
        common words, so about half the segments have an exclusion match, but most of those have no include
        match of the same code, and only they need sentences.
        """
        inc, exc, code_of = scan.included, scan.excluded, self._code_of
        for i in dict.fromkeys(exc.segment):
            ik = inc.span(i)
            if not ik:
                continue
            ek = exc.span(i)
            ex_rules, in_rules = exc.rule[ek.start:ek.stop], inc.rule[ik.start:ik.stop]
            conflicted = set(map(code_of.__getitem__, ex_rules)).intersection(map(code_of.__getitem__, in_rules))
            if not conflicted:
                continue
            bounds, base = sentence_bounds(texts[i]), scan.bases[i]
            for code in conflicted:
                blocked = {_unit_of(bounds, s - base)
                           for s, r in zip(exc.start[ek.start:ek.stop], ex_rules, strict=True) if code_of[r] == code}
                if all(_unit_of(bounds, s - base) in blocked
                       for s, r in zip(inc.start[ik.start:ik.stop], in_rules, strict=True) if code_of[r] == code):
                    yield i, code

    def code(self, segments: pd.DataFrame, unit: str = "segment") -> pd.DataFrame:
        """Code every segment; returns one row per (unit span, code), with the matched words.

        Segments are coded in chunks of ``CHUNK_SEGMENTS``: the normalised copies, the joined scan text and the
        raw matches then exist for one chunk at a time, which keeps peak memory flat as the corpus grows. The
        rows are gathered column by column (``CodingColumns``), not as one tuple per row: a large transcript has
        hundreds of thousands of codings, and a tuple, two int objects and pandas' object matrix per row were
        the largest part of a build's peak memory.
        """
        if unit not in CODING_UNITS:
            raise ValueError(f"unit must be one of {CODING_UNITS}")
        out = CodingColumns()
        for start in range(0, len(segments), CHUNK_SEGMENTS):
            self._code_chunk(segments.iloc[start:start + CHUNK_SEGMENTS], unit, out)
        return out.frame(self.coder)

    def _code_chunk(self, segments: pd.DataFrame, unit: str, out: CodingColumns) -> None:
        texts = segments["text"].astype(str).tolist()
        scan = self._scan(texts)
        hit = list(dict.fromkeys(scan.included.segment))  # texts without an include match have no rows
        if not hit:
            return
        columns = [segments[c].tolist() for c in ("segment_id", "interview_id", "agency", "start_char")]
        code_of, theme_of = self._code_of, self._theme_of
        context = self._context
        for i in hit:
            text = texts[i]
            segment_id, interview_id, agency, base = (column[i] for column in columns)
            base = int(base)
            prepared: tuple[str, str] | None = None
            bounds = _polarity.TextBounds(text)  # one clause/sentence index for all mentions in the segment
            for code_id, found in resolve(text, scan.matches_of(i), code_of).items():
                spans = sorted(set(found))
                if code_id in context.searchers:
                    if prepared is None:
                        prepared = _both_texts(text)
                    spans = context.keep(code_id, text, spans, prepared)
                    if not spans:
                        continue  # no match of this code has its context
                for (us, ue), unit_spans in _by_unit(text, spans, unit):
                    words = [text[s:e] for s, e in unit_spans]
                    stance = _polarity.combine([_polarity.classify(text, s, e, bounds) for s, e in unit_spans])
                    out.add(segment_id, interview_id, agency, code_id, theme_of[code_id], base + us, base + ue,
                            "; ".join(dict.fromkeys(words)), len(words), stance)


class CodingColumns:
    """The auto-coder's rows gathered as columns: a list per text column (its strings are shared: one segment
    id object for all of a segment's rows), a machine-int array per number column, ``source`` and ``coder``
    filled in once at the end. ``frame`` gives exactly the table a list of row tuples gave."""

    __slots__ = ("agency", "code_id", "end_char", "interview_id", "matched_text", "n_matches", "polarity",
                 "segment_id", "start_char", "theme_id")

    def __init__(self) -> None:
        self.segment_id: list[str] = []
        self.interview_id: list[str] = []
        self.agency: list[str] = []
        self.code_id: list[str] = []
        self.theme_id: list[str] = []
        self.matched_text: list[str] = []
        self.polarity: list[str] = []
        self.start_char = array("q")
        self.end_char = array("q")
        self.n_matches = array("q")

    def add(self, segment_id: str, interview_id: str, agency: str, code_id: str, theme_id: str, start_char: int,
            end_char: int, matched_text: str, n_matches: int, polarity: str) -> None:
        self.segment_id.append(segment_id)
        self.interview_id.append(interview_id)
        self.agency.append(agency)
        self.code_id.append(code_id)
        self.theme_id.append(theme_id)
        self.start_char.append(start_char)
        self.end_char.append(end_char)
        self.matched_text.append(matched_text)
        self.n_matches.append(n_matches)
        self.polarity.append(polarity)

    def __len__(self) -> int:
        return len(self.segment_id)

    def frame(self, coder: str) -> pd.DataFrame:
        """The codings table (CODING_COLUMNS), typed as pandas types a frame made from row tuples (strings
        inferred per column, the three counts int64; no rows: object columns). Each column list is released
        once pandas has converted it, so the rows are never held twice over."""
        n = len(self)
        if not n:
            frame = pd.DataFrame([], columns=CODING_COLUMNS)
            return frame.astype({"start_char": "int64", "end_char": "int64", "n_matches": "int64"})
        frame = pd.DataFrame(index=pd.RangeIndex(n))
        for name in CODING_COLUMNS:
            if name in ("source", "coder"):
                values: object = ["auto" if name == "source" else coder] * n
            else:
                values = getattr(self, name)
                setattr(self, name, array("q") if isinstance(values, array) else [])
                if isinstance(values, array):
                    values = np.frombuffer(values, dtype=np.int64).copy()
            frame[name] = pd.Series(values, index=frame.index)
            del values
        return frame


def _by_unit(text: str, spans: list[tuple[int, int]], unit: str
             ) -> Iterable[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """The unit spans that one code's matches fall in, each with its matches (in text order)."""
    if unit == "segment":  # the common case: one span
        return [((0, len(text)), spans)]
    bounds = sentence_bounds(text) if unit == "sentence" else None
    grouped: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for s, e in spans:
        grouped[_unit_span(text, s, e, unit, bounds)].append((s, e))
    return grouped.items()


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


def naive_code(codebook: Codebook, texts: list[str], lemmas: bool = True) -> set[tuple[int, str]]:
    """Reference implementation: one regex search per pattern per text (surface and stem text), then the same
    exclusion and context rules.

    Deliberately simple (and slow): the fast coder must give exactly this set; the benchmark measures both.
    """
    found: set[tuple[int, str]] = set()
    prepared = [prepare(t) for t in texts]
    stems = [stem_text(t) for t in prepared] if lemmas else prepared
    context = _Context(codebook)

    def searchers(table: dict[str, tuple[str, ...]], exclude: bool = False) -> list[tuple[re.Pattern[str], bool, bool]]:
        out = [(*_searcher(p), False) for ps in table.values() for p in ps]
        if lemmas and not exclude:
            out += [(*_searcher(sp), True) for ps in table.values() for p in ps if (sp := stem_pattern(p))]
        return out

    for code in codebook.codes:
        include, exclude = searchers(code.patterns), searchers(code.exclude_patterns, exclude=True)
        for i, text in enumerate(prepared):
            versions = (text, stems[i])
            starts = [m.start() for rx, wrapped, on_stem in include for m in rx.finditer(versions[on_stem])
                      if _nonempty(m, wrapped)]
            if not starts:
                continue
            blocked = [m.start() for rx, wrapped, on_stem in exclude for m in rx.finditer(versions[on_stem])
                       if _nonempty(m, wrapped)]
            bounds = sentence_bounds(texts[i])
            bad = {_unit_of(bounds, s) for s in blocked}
            alive = [s for s in starts if _unit_of(bounds, s) not in bad]
            if code.id in context.searchers:
                alive = [s for s, _ in context.keep(code.id, texts[i], [(s, s) for s in alive], versions)]
            if alive:
                found.add((i, code.id))
    return found


def _searcher(pattern: str) -> tuple[re.Pattern[str], bool]:
    """The pattern's search regex, and whether it is the zero-width lookahead wrapper of a word pattern."""
    compiled = compile_pattern(pattern)
    return compiled.search_regex(), compiled.anchor is not None


def _nonempty(m: re.Match[str], wrapped: bool) -> bool:
    """A real match: word patterns match inside the wrapper's group 1; a raw regex must consume characters
    (a zero-width ``re:`` match such as ``(?=(abc))`` codes nothing, in either coder)."""
    return bool(m.group(1)) if wrapped else m.end() > m.start()
