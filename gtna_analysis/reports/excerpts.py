"""Quote excerpts a reader can trust: whole sentences around the coded passage, no leading marker, enough
context to be understood, and transcription markers in the quote's own language.

Why a module of its own: the quotes section, the training evidence and the translations export must show the
same excerpt of a segment, or a translation made from the export would not match what the report prints.
"""

from __future__ import annotations

import re

from .i18n import MARKER_WORDS

# A sentence ends at . ! ? or … followed by a space (or the end); "ა.შ." style abbreviations are rare in answers.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”“»)]*\s+")
_MARKER = re.compile(r"\[(%s)\]" % "|".join(MARKER_WORDS))
_LEADING_MARKERS = re.compile(r"^(?:\s*\[(?:%s)\][\s,.;:—–-]*)+" % "|".join(MARKER_WORDS))
_TRAILING_MARKERS = re.compile(r"(?:[\s,;:—–-]*\[(?:%s)\])+\s*$" % "|".join(MARKER_WORDS))
MIN_WORDS = 12   # fewer words than this and a neighbouring sentence is added for context
MAX_WORDS = 70


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of ``text`` (end excludes the following space)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if text[pos:m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text.rstrip())))
    return spans


def _words(text: str) -> int:
    return len(_MARKER.sub(" ", text).split())


def excerpt(text: str, start: int, end: int, lang: str, max_words: int = MAX_WORDS) -> str:
    """The whole sentences covering ``text[start:end]``, grown by neighbouring sentences while shorter than
    MIN_WORDS, trimmed to ``max_words`` at a sentence boundary where possible; leading and trailing markers
    dropped, the rest written in ``lang`` (the quote's language: [იცინის] in Georgian, [laughter] in English).
    An ellipsis marks text left out before or after."""
    spans = sentences(text)
    if not spans:
        return ""
    inside = [i for i, (s, e) in enumerate(spans) if s < max(end, start + 1) and e > start] or [0]
    first, last = inside[0], inside[-1]
    body = lambda a, b: text[spans[a][0]:spans[b][1]]  # noqa: E731
    while _words(body(first, last)) > max_words and last > first:  # a long span: keep its first sentences
        last -= 1
    while _words(body(first, last)) < MIN_WORDS and (last + 1 < len(spans) or first > 0):
        grow_after = last + 1 < len(spans)
        candidate = (first, last + 1) if grow_after else (first - 1, last)
        if _words(body(*candidate)) > max_words:
            break
        first, last = candidate
    chosen = body(first, last)
    words = chosen.split()
    cut = len(words) > max_words
    if cut:  # one sentence longer than the limit: the only place a quote ends mid-sentence
        chosen = " ".join(words[:max_words])
    chosen = _TRAILING_MARKERS.sub("", _LEADING_MARKERS.sub("", chosen)).strip()
    chosen = localise_markers(chosen, lang)
    before = "… " if _words(text[:spans[first][0]]) else ""  # words left out (markers do not count)
    after = " …" if cut or _words(text[spans[last][1]:]) else ""
    return before + chosen + after


def localise_markers(text: str, lang: str) -> str:
    """Canonical markers ([laughter]) written in the given language ([იცინის] in a Georgian quote)."""
    return _MARKER.sub(lambda m: f"[{MARKER_WORDS[m.group(1)].get(lang, m.group(1))}]", text)


# Words of spoken asides set off by commas ("well, you know, honestly, …", "კარგი, ანუ, მოკლედ, …"): a part made of
# these alone is no item of an enumeration. Kept short on purpose: a content word ("ministry") is never here.
_ASIDE_TEXT = """
well so yes no okay ok oh um uh er hmm you know i mean think guess say let's lets honestly frankly basically
actually really of course in fact again sure right anyway then now see like yeah
კარგი ანუ აი ხო ჰო დიახ არა კი მოკლედ ვფიქრობ მგონი ალბათ იცით იცი ხომ ფაქტობრივად რეალურად რა თქმა უნდა
ვთქვათ ასე მართალი გითხრათ ზოგადად ეე ეჰ ჰმ მმ აბა აჰა ოკ ჰოდა რომ ვთქვა
"""
_ASIDE_WORDS = frozenset(_ASIDE_TEXT.split())
_PART_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _is_aside(part: str) -> bool:
    words = _PART_WORD.findall(part.casefold())
    return 0 < len(words) <= 4 and all(w in _ASIDE_WORDS for w in words)


def is_list_like(sentence: str) -> bool:
    """A sentence that is mostly an enumeration ("gender, equality, discrimination, quotas, …"): a theme's word
    in it says little about what the speaker means, so such a sentence makes a poor quote. Spoken asides between
    commas ("well, you know, in our ministry, honestly, we need …") are not items: they are left out first."""
    parts = [p for p in re.split(r"[,;:]", sentence) if p.strip() and not _is_aside(p)]
    if len(parts) < 4:
        return False
    return sum(len(p.split()) for p in parts) / len(parts) <= 4.0
