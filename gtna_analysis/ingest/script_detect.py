"""Which script and spelling a paragraph is written in, and its Mkhedruli rendering when we are sure.

Four kinds of paragraph reach a transcript: Mkhedruli Georgian; English; Georgian typed with a legacy font
(AcadNusx: ``saqarTveloSi``); and chat-style Latin Georgian (``saqartveloshi``, ``chventvis``). Only the last two
are converted, and only with confidence: a wrong conversion destroys meaning, an unconverted paragraph merely
stays hard to code.

How a paragraph is judged: every Latin word is scored three ways, as log probabilities of the very letters
typed — as an English word (letter model + simplemma's English forms), as a chat spelling of a Georgian word
(translit.read_chat_word: spelling channel + Georgian model) and as legacy-font keys (the fixed table, then the
Georgian model; a capital the table does not know makes it impossible). A paragraph hypothesis sums its words,
letting a few words be of the other language (English words inside Georgian typing: "online", "zoom"; a
Georgian word inside English). The best hypothesis wins if it beats the runner-up by ``CONFIDENT_MARGIN``
(log-likelihood ratio, in nats); otherwise the paragraph is *unsure* and is left as it is. When a Georgian
paragraph is converted, each word is converted unless it reads better as English, so English words survive.
Paragraphs with as many Mkhedruli letters as Latin ones are Mkhedruli: their Latin words are quotes or terms.

Spans typed in Latin on purpose are never touched and not counted: [markers], e-mails, web addresses,
all-capital acronyms (CEDAW) and an English speaker label at the start.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .letter_model import english_model, georgian_model
from .translit import APOSTROPHES, LEGACY_CAPITALS, legacy_to_mkhedruli, read_chat_word

MKHEDRULI, ENGLISH, LEGACY_FONT, CHAT_LATIN = "mkhedruli", "english", "legacy_font", "chat_latin"
KINDS = (MKHEDRULI, ENGLISH, LEGACY_FONT, CHAT_LATIN)
CONVERTED_KINDS = (LEGACY_FONT, CHAT_LATIN)

# Share of words of the other language inside a paragraph: English words in Georgian typing are common
# (online, zoom, deadline); Latin-typed Georgian words inside English prose are rarer.
ENGLISH_IN_GEORGIAN = 0.12
GEORGIAN_IN_ENGLISH = 0.05
# A log-likelihood ratio of 4 nats (~55:1) between the best and the second-best reading of a paragraph.
CONFIDENT_MARGIN = 4.0
# Longer "words" are no language's: identifiers, hashes, a key held down ("aaaa…"). Each letter of one would add
# evidence to whichever reading likes that letter, so a string of a's became 30,000 letters of Georgian; they
# are left as typed and weigh for no reading.
MAX_WORD_LETTERS = 40
_INNER_CAPITAL = math.log(0.01)  # "saqarTvelo" as English or chat typing: a capital inside a word is rare

_APOS = re.escape(APOSTROPHES)
LATIN_WORD = re.compile(rf"[A-Za-z]+(?:[{_APOS}][A-Za-z]+)*[{_APOS}]?")
_GEORGIAN_LETTER = re.compile(r"[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")
# Spans that are never converted: [markers]/[timestamps]/[Q1], e-mails, URLs, acronyms, an English speaker label.
PROTECTED = re.compile(
    r"^(?:\[[\d:.,]+\]\s*)?(?:(?:Interviewer|Moderator|Facilitator|Respondent|Participant|Resp\.?)(?:\s*\d{1,2})?"
    r"|[A-Z]{1,4}\d{0,2})\s*:(?=\s|$)"
    r"|\[[^\]\n]*\]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:https?://|www\.)\S+"
    r"|\b[A-Z]{2,}s?\b"
)


@dataclass(frozen=True)
class WordScores:
    """log P(letters typed) of one Latin word under each reading."""

    english: float
    chat: float
    legacy: float


@dataclass(frozen=True)
class Detection:
    """The kind of a paragraph, whether we are sure, and the evidence (paragraph log-likelihoods)."""

    kind: str  # one of KINDS, or "" for a paragraph without letters
    confident: bool
    margin: float = math.inf
    scores: tuple[tuple[str, float], ...] = ()

    @property
    def converts(self) -> bool:
        return self.confident and self.kind in CONVERTED_KINDS


@dataclass(frozen=True)
class Conversion:
    """A paragraph as (original piece, converted piece) pairs: words converted, everything else kept.

    Kept as pairs so the original of any part of the converted text can be found again (turns.py needs the
    original of the text after a speaker label, pseudonymised exactly like the converted text).
    """

    kind: str  # legacy_font | chat_latin
    pieces: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return "".join(converted for _, converted in self.pieces)

    @property
    def original(self) -> str:
        return "".join(original for original, _ in self.pieces)

    def pieces_from(self, start: int) -> list[tuple[str, str]]:
        """The pairs covering ``text[start:]``; a piece cut by ``start`` is kept whole on the original side."""
        out: list[tuple[str, str]] = []
        position = 0
        for original, converted in self.pieces:
            end = position + len(converted)
            if end > start:
                if position >= start:
                    out.append((original, converted))
                else:
                    cut = converted[start - position:]
                    out.append((cut if original == converted else original, cut))
            position = end
        return out


def protected_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, may_convert) pieces around the protected spans."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in PROTECTED.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], True))
        pieces.append((m.group(0), False))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], True))
    return pieces


@lru_cache(maxsize=50_000)
def score_word(word: str) -> WordScores:
    """The three readings of one Latin word (see the module docstring)."""
    inner = sum(1 for c in word[1:] if c.isupper()) if not word.isupper() else 0
    bare = "".join(c for c in word if c not in APOSTROPHES)
    english = english_model().logprob(bare.lower()) + inner * _INNER_CAPITAL
    if bare != word:  # don't, ministry's: English uses the apostrophe rarely inside words
        english += math.log(0.1)
    chat = read_chat_word(word).logprob + inner * _INNER_CAPITAL
    if any(c.isupper() and c not in LEGACY_CAPITALS for c in word) or bare != word:
        legacy = -math.inf  # a key the legacy table does not map: not legacy-font text
    else:
        legacy = georgian_model().logprob(legacy_to_mkhedruli(word))
    return WordScores(english, chat, legacy)


def _mixture(main: float, other: float, other_share: float) -> float:
    a, b = math.log(1 - other_share) + main, math.log(other_share) + other
    top = max(a, b)
    return top if top == -math.inf else top + math.log(math.exp(a - top) + math.exp(b - top))


def latin_words(text: str) -> list[tuple[str, bool]]:
    """The Latin words of the convertible parts of ``text``, each with whether it starts a sentence."""
    out: list[tuple[str, bool]] = []
    offset = 0
    for piece, ok in protected_pieces(text):
        if ok:
            for m in LATIN_WORD.finditer(piece):
                if len(m.group(0)) > MAX_WORD_LETTERS:
                    continue
                out.append((m.group(0), _starts_sentence(text, offset + m.start())))
        offset += len(piece)
    return out


_OPENERS = frozenset(" \t\"'“”„«»([{—–-")  # may stand between a sentence's end and its first word


def _starts_sentence(text: str, position: int) -> bool:
    """Whether the word at ``position`` starts a sentence: nothing but openers before it, back to the start of
    ``text`` or to a sentence end. Walks back from the word instead of copying ``text[:position]`` (one copy per
    word made a long paragraph quadratic)."""
    k = position - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    return k < 0 or text[k] in ".!?:;…"


def _log_minus(a: float, b: float) -> float:
    """log(exp(a) - exp(b)) for b <= a."""
    if b == -math.inf:
        return a
    return -math.inf if b >= a else a + math.log1p(-math.exp(b - a))


def detect(text: str) -> Detection:
    """Judge one paragraph (already NFC, whitespace-normalised).

    A capitalised word inside a sentence may be a name (Tbilisi, Nino), and English prose is full of Georgian
    names: under the English reading such a word scores as the better of English and chat Georgian, so names
    are no evidence against English; under the legacy reading the capital is a letter like any other (T = თ).
    Each hypothesis must hold at least one word of its own language: a paragraph that is all English words is
    not "Georgian with English words inside".
    """
    words = latin_words(text)
    latin = sum(len(w) for w, _ in words)
    georgian = len(_GEORGIAN_LETTER.findall(text))
    if not latin:
        return Detection(MKHEDRULI if georgian else "", True)
    if georgian >= latin:
        return Detection(MKHEDRULI, True)
    totals = {ENGLISH: 0.0, CHAT_LATIN: 0.0, LEGACY_FONT: 0.0}
    only_other = {ENGLISH: 0.0, CHAT_LATIN: 0.0, LEGACY_FONT: 0.0}
    for word, initial in words:
        s = score_word(word)
        name_like = not initial and word[0].isupper() and not word.isupper()
        english = max(s.english, s.chat) if name_like else s.english
        georgian_reading = max(s.chat, s.legacy)
        totals[ENGLISH] += _mixture(english, georgian_reading, GEORGIAN_IN_ENGLISH)
        only_other[ENGLISH] += math.log(GEORGIAN_IN_ENGLISH) + georgian_reading
        for kind, reading in ((CHAT_LATIN, s.chat), (LEGACY_FONT, s.legacy)):
            totals[kind] += _mixture(reading, english, ENGLISH_IN_GEORGIAN)
            only_other[kind] += math.log(ENGLISH_IN_GEORGIAN) + english
    scores = {kind: _log_minus(totals[kind], only_other[kind]) for kind in totals}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, top = ranked[0]
    margin = top - ranked[1][1]
    confident = margin >= CONFIDENT_MARGIN
    georgian_tie = {best, ranked[1][0]} == {CHAT_LATIN, LEGACY_FONT} and top - ranked[2][1] >= CONFIDENT_MARGIN
    if not confident and georgian_tie and convert(text, CHAT_LATIN).text == convert(text, LEGACY_FONT).text:
        # Both Georgian readings give the same letters ("kargi"), so which one it was does not change the text;
        # it is called legacy-font only when a legacy capital (T = თ, S = შ …) was typed inside a word.
        confident = True
        best = LEGACY_FONT if any(c in LEGACY_CAPITALS for w, _ in words for c in w[1:]) else CHAT_LATIN
    return Detection(best, confident, margin, tuple(ranked))


def _convert_word(word: str, kind: str, after_hyphen: bool = False) -> str:
    """One word of a Georgian paragraph: converted unless it reads better as a listed English word. A short
    word hyphenated to the word before ("zoom-it", "CEDAW-is") is a Georgian case ending: always converted."""
    if len(word) > MAX_WORD_LETTERS:
        return word
    s = score_word(word)
    georgian = s.chat if kind == CHAT_LATIN else s.legacy
    if georgian == -math.inf:
        return word
    if not (after_hyphen and len(word) <= 3) and english_model().listed(word.lower()) and \
            math.log(ENGLISH_IN_GEORGIAN) + s.english > math.log(1 - ENGLISH_IN_GEORGIAN) + georgian:
        return word  # an English word inside Georgian typing (online, zoom, deadline)
    return read_chat_word(word).georgian if kind == CHAT_LATIN else legacy_to_mkhedruli(word)


_SUFFIX_HYPHEN = re.compile(r"[A-Za-z]-$")


def _after_hyphen(text: str, position: int) -> bool:
    """A Latin letter and a hyphen just before ``position`` (``$`` may also match before a final newline, so the
    match starts at most three characters back). Searching only those, not from the start of ``text`` for every
    word, keeps a long paragraph linear."""
    return bool(_SUFFIX_HYPHEN.search(text, max(0, position - 3), position))


def convert(text: str, kind: str) -> Conversion:
    """Convert the Latin words of a paragraph of ``kind`` (legacy_font | chat_latin) word by word."""
    pieces: list[tuple[str, str]] = []
    offset = 0
    for piece, ok in protected_pieces(text):
        if not ok:
            pieces.append((piece, piece))
            offset += len(piece)
            continue
        pos = 0
        for m in LATIN_WORD.finditer(piece):
            if m.start() > pos:
                pieces.append((piece[pos:m.start()], piece[pos:m.start()]))
            after_hyphen = _after_hyphen(text, offset + m.start())
            pieces.append((m.group(0), _convert_word(m.group(0), kind, after_hyphen)))
            pos = m.end()
        if pos < len(piece):
            pieces.append((piece[pos:], piece[pos:]))
        offset += len(piece)
    return Conversion(kind, tuple(pieces))
