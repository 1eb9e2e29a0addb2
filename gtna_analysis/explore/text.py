"""Text queries: search in the codebook's own pattern language, keyword in context, word frequency.

Why the codebook's language: a search that finds what a code should find *is* the pattern to add to the
codebook (``as_pattern``), and it behaves exactly as the auto-coder will — ``*`` for Georgian suffixes, phrases
across punctuation, ``re:`` for a raw regex, and Georgian-aware stems (a word written in its dictionary form
also finds its inflected forms: ``მასწავლებელი`` finds მასწავლებლის). The matching is
``coding/patterns.py`` and ``coding/lemmas.py``, shared with the auto-coder, never a second implementation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from gtna_analysis.coding.autocoder import prepare
from gtna_analysis.coding.lemmas import stem_pattern, stem_text, word_key
from gtna_analysis.coding.patterns import CompiledPattern, PatternError, compile_pattern

from .data import ExploreData
from .retrieval import Filters, filter_segments

HIT_COLUMNS = ["segment_id", "interview_id", "agency", "speaker_id", "start_char", "end_char", "match", "pattern"]
_GEORGIAN = re.compile("[\u10d0-\u10ff]")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

# Georgian function words, pronouns, auxiliaries and conversational fillers of interview speech. No stop-word
# package on PyPI carries Georgian (stopwordsiso, stop-words and NLTK have none), so the list is kept here.
_GEORGIAN_STOP_TEXT = """
და რომ არ არა ეს ის ეგ ეგი ესე ისე ასე აი ანუ ან თუ თუმცა მაგრამ ხოლო კი ხომ ხო ჰო დიახ ნუ ვერ არც ვერც მე შენ
ის ჩვენ თქვენ ისინი მას მან მათ მისი მათი ჩემი შენი ჩვენი თქვენი თავისი ამ იმ ამის იმის ამას იმას ამან იმან
ამაზე იმაზე ამით იმით ამაში იმაში ამისთვის იმისთვის ამიტომ იმიტომ რადგან რადგანაც რაც ვინც სადაც როცა როდესაც
რა რას რის რით რომელი რომელიც რომლის რომელსაც ვინ როგორ როგორც სად როდის რატომ რამდენი ყველა ყველაფერი ყველას
არის იყო იქნება ვარ ხარ ვართ ხართ არიან იყვნენ იყოს ყოფილა აქვს აქვთ მაქვს გვაქვს გაქვთ ჰქონდა გვქონდა უნდა
შეიძლება შეუძლია ასევე კიდევ უკვე ჯერ ჯერაც მხოლოდ ძალიან უფრო ყველაზე საკმაოდ უბრალოდ ალბათ თითქოს აქ იქ ახლა
მაშინ მერე შემდეგ წინ ერთი ორი სამი ერთ ერთხელ ასეთი ისეთი ეგეთი ამგვარი ზოგი ზოგჯერ ხან თან კარგი კარგად ოკ
აბა აჰა ჰმ ეე ეჰ მმ ოო ჰა მაინც თვითონ თავად ნებისმიერი სხვა სხვადასხვა რაღაც რამე ვიღაც
"""
GEORGIAN_STOP_WORDS = frozenset(_GEORGIAN_STOP_TEXT.split())


@dataclass(frozen=True)
class SearchResult:
    """Every hit of a search, and the patterns it used (valid codebook patterns)."""

    hits: pd.DataFrame
    patterns: tuple[str, ...]

    @property
    def segment_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.hits["segment_id"]))

    def spans(self) -> dict[str, list[tuple[int, int]]]:
        """Hit ranges per segment (absolute character offsets), for highlighting."""
        out: dict[str, list[tuple[int, int]]] = {}
        for s, a, b in zip(self.hits["segment_id"], self.hits["start_char"], self.hits["end_char"], strict=True):
            out.setdefault(s, []).append((int(a), int(b)))
        return out


def parse_query(query: str) -> list[str]:
    """The patterns of a query: one per line or ``;``-separated (a ``re:`` pattern takes its whole line)."""
    patterns: list[str] = []
    for line in query.splitlines():
        line = line.strip()
        if line.startswith("re:"):
            patterns.append(line)
        else:
            patterns.extend(p.strip().strip('"“”„') for p in line.split(";") if p.strip().strip('"“”„'))
    if not patterns:
        raise PatternError("empty search")
    return patterns


def _finditer(compiled: CompiledPattern, text: str):
    if compiled.anchor is None:
        for m in compiled.regex.finditer(text):
            yield m.start(), m.end()
        return
    for m in compiled.search_regex().finditer(text):
        yield m.start(1), m.end(1)


def search(data: ExploreData, query: str, filters: Filters | None = None) -> SearchResult:
    """Find a query's patterns in participant segments (those passing ``filters``): surface matches and, for
    patterns in dictionary form, stem matches. Raises ``PatternError`` (readable) for an invalid pattern."""
    patterns = parse_query(query)
    compiled = [(p, compile_pattern(p)) for p in patterns]
    stemmed = []
    for p, _ in compiled:
        sp = stem_pattern(p)
        if sp is not None:
            stemmed.append((p, compile_pattern(sp)))
    segments = filter_segments(data, filters or Filters(coded_only=False))
    rows = []
    for seg in segments.itertuples(index=False):
        text = str(seg.text)
        prepared = prepare(text)
        found: dict[tuple[int, int], str] = {}
        for p, c in compiled:
            for a, b in _finditer(c, prepared):
                found.setdefault((a, b), p)
        if stemmed:
            stems = stem_text(prepared)
            for p, c in stemmed:
                for a, _b in _finditer(c, stems):
                    end = a + _word_span(prepared, a, c)
                    found.setdefault((a, end), p)
        for (a, b), p in sorted(found.items()):
            rows.append({"segment_id": seg.segment_id, "interview_id": seg.interview_id, "agency": seg.agency,
                         "speaker_id": seg.speaker_id, "start_char": int(seg.start_char) + a,
                         "end_char": int(seg.start_char) + b, "match": text[a:b], "pattern": p})
    return SearchResult(pd.DataFrame(rows, columns=HIT_COLUMNS), tuple(patterns))


def _word_span(prepared: str, start: int, compiled: CompiledPattern) -> int:
    """Length of the surface words a stem match covers: as many words as the pattern has, from ``start``."""
    n_words = max(1, len(compiled.words))
    m = re.compile(r"\w+(?: +\w+){%d}" % (n_words - 1)).match(prepared, start)
    return (m.end() - start) if m else 1


def as_pattern(result: SearchResult) -> str:
    """The search as a codebook ``patterns:`` entry (YAML), by language — ready to paste under a code."""
    by_lang: dict[str, list[str]] = {}
    for p in result.patterns:
        by_lang.setdefault("ka" if _GEORGIAN.search(p) else "en", []).append(p)
    inner = ", ".join(f"{lang}: [{', '.join(_yaml_string(p) for p in ps)}]" for lang, ps in sorted(by_lang.items()))
    return f"patterns: {{{inner}}}"


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def kwic(data: ExploreData, result: SearchResult, width: int = 50) -> pd.DataFrame:
    """Keyword in context: one row per hit, ``width`` characters either side (within the segment)."""
    text = data.segments.set_index("segment_id")
    rows = []
    for hit in result.hits.itertuples(index=False):
        seg = text.loc[hit.segment_id]
        t, a, b = str(seg["text"]), hit.start_char - int(seg["start_char"]), hit.end_char - int(seg["start_char"])
        left = " ".join(t[max(0, a - width):a].split())
        right = " ".join(t[b:b + width].split())
        rows.append({"segment_id": hit.segment_id, "speaker_id": hit.speaker_id,
                     "left": ("…" if a > width else "") + left, "keyword": t[a:b],
                     "right": right + ("…" if len(t) - b > width else "")})
    return pd.DataFrame(rows, columns=["segment_id", "speaker_id", "left", "keyword", "right"])


def is_stop_word(word: str) -> bool:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return word in GEORGIAN_STOP_WORDS or word in ENGLISH_STOP_WORDS


def word_frequency(data: ExploreData, filters: Filters | None = None, by: str = "stem", top: int = 50,
                   min_length: int = 2) -> pd.DataFrame:
    """The commonest words of the participants' speech (markers and stop words left out).

    ``by="stem"`` counts inflected forms together (ტრენინგი, ტრენინგის, ტრენინგებზე) under their most frequent
    form; ``by="word"`` counts surface forms. Columns: word, count, segments (how many passages use it),
    forms (the surface forms counted, most frequent first).
    """
    if by not in ("stem", "word"):
        raise ValueError("by must be 'stem' or 'word'")
    segments = filter_segments(data, filters or Filters(coded_only=False))
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    segment_sets: dict[str, set[str]] = {}
    for seg in segments.itertuples(index=False):
        for word in _WORD.findall(prepare(str(seg.text))):
            if len(word) < min_length or is_stop_word(word):
                continue
            key = word_key(word) if by == "stem" else word
            if key != word and is_stop_word(key):  # an inflected pronoun or auxiliary (ჩვენთან → ჩვენ)
                continue
            counts[key] += 1
            forms.setdefault(key, Counter())[word] += 1
            segment_sets.setdefault(key, set()).add(seg.segment_id)
    rows = [{"word": forms[k].most_common(1)[0][0], "count": n, "segments": len(segment_sets[k]),
             "forms": ", ".join(f for f, _ in forms[k].most_common(6))}
            for k, n in counts.most_common()]
    frame = pd.DataFrame(rows, columns=["word", "count", "segments", "forms"])
    frame = frame.sort_values(["count", "segments", "word"], ascending=[False, False, True], kind="stable")
    return frame.head(top).reset_index(drop=True)
