"""Pseudonymisation: participant names, third parties' names, personal numbers, phones, e-mails.

Names of the study's participants (listed in the transcript headers) are found in every Georgian case form and in
every common romanisation, on a folded copy of the text (NFKC, ISO diacritics, line-break hyphenation; see
romanise.py) and replaced in the original string: names of the interview's own participants become ``[P1]``;
names of people interviewed elsewhere in the study ``[MOES-02:P1]`` (colleagues talk about each other); a name
part shared by several people elsewhere ``[NAME]``. Two guards keep this from masking the wrong thing:

- a participant's first name *directly followed (or preceded) by a different surname* is somebody else (გიორგი
  მჭედლიძის … is not the participant გიორგი კაპანაძე): it is left to the third-party rule below;
- a name written in Latin that is also an English word (Will, May, Mark, Grace, Rose, Some) is masked only where
  it is used as a name: next to the person's other name, with a possessive 's, or capitalised in the middle of a
  sentence (and, for month names, only in the first two cases). "Will we get training?" and "in May" stay.

Names of other people (third parties: colleagues, officials named in passing) are found by their shape (see
names.py): a given name from the shipped list next to a surname-like word, or a name after a title. They become
``[PERSON]``, ``[PERSON-2]`` …, numbered per interview in order of first mention; names on the study's
``keep_names:`` list (public figures in public roles) stay. E-mails (also ``name (at) domain (dot) ge``) become
``[EMAIL]``, Georgian personal numbers (11 digits, also ``010 240 123 45``) ``[PERSONAL-NO]``, phone numbers
``[PHONE]``.

What this does NOT do (documented in the README): it cannot find a third party mentioned by first name only or by
a surname alone without a title, nor indirect identifiers ("the only woman deputy minister").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property

from .interview import InterviewMeta, Participant
from .names import (
    ENDINGS,
    KeepNames,
    Mention,
    canonical,
    georgian_heads,
    given_names,
    known_english,
    surname_like,
    third_party_mentions,
)
from .romanise import (
    GEORGIAN_WORD,
    LATIN_WORD,
    Folded,
    fold,
    fold_text,
    georgian_pattern,
    latin_pattern,
    latin_pattern_of_latin,
    transliterate,
)

# Bumped whenever what is masked changes, so incremental builds re-parse cached transcripts.
PSEUDONYMISER_VERSION = 2
KINDS = ("participant_name", "third_party_name", "email", "phone", "personal_number")

__all__ = [
    "EMAIL_RE",
    "KINDS",
    "PERSONAL_NUMBER_RE",
    "PSEUDONYMISER_VERSION",
    "Pseudonymiser",
    "StudyNames",
    "anonymous_participants",
    "join_hyphenated_lines",
    "name_tokens",
    "transliterate",
]

_NAME_SPLIT = re.compile(r"[\s\-]+")
_NAME_GAP = re.compile(r"[\s\-]+")
_WORD = re.compile(r"[\w']+")
_NEXT_WORD = re.compile(r"[ \t\u00a0]+([\u10d0-\u10ffA-Za-z']+)")
_PREVIOUS_WORD = re.compile(r"([\u10d0-\u10ffA-Za-z']+)[ \t\u00a0]+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…\"“„«(\[\n*•–—-])\s*$")
MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"))

# 11 digits, written together or in groups (010 240 123 45, 01 024 012 345, 0102-401-2345, 010.240.123.45), not
# part of a longer digit run; a thousands-grouped amount (10 000 000 000) is not a personal number.
PERSONAL_NUMBER_RE = re.compile(r"(?<![\w+])(?<!\d[ .\-])\d(?:[ .\-]?\d){10}(?![ .\-]?\d)(?!\w)")
# A run of digits with phone-style separators; ``_is_phone`` decides by digit count and prefix.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\+?\d[\d\s\-.()]{5,22}\d(?![\w])")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")
# Obfuscated addresses: name (at) domain (dot) ge, name[at]domain[dot]ge, name @ domain.ge, and the spelled-out
# "name at domain dot com" (only with a "dot" and a known top-level domain, so "look at this" stays).
_AT = r"\s*(?:\(\s*(?:at|@)\s*\)|\[\s*(?:at|@)\s*\]|\{\s*(?:at|@)\s*\}|<\s*(?:at|@)\s*>|\s@\s|@)\s*"
_DOT = r"\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|<\s*dot\s*>|\.)\s*"
_TLD = r"(?:ge|com|org|net|gov|edu|int|eu|info|io|ru|uk|de|fr|us|am|az|ua)"
OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])[\w.+-]+(?:{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_TLD}"
    rf"|\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+{_TLD})(?![\w-])", re.IGNORECASE)


def _is_personal_number(candidate: str) -> bool:
    groups = [g for g in re.split(r"[ .\-]", candidate) if g]
    amount = candidate[0] != "0" and len(groups) > 1 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    return not amount


def _is_phone(candidate: str) -> bool:
    """Georgian phone numbers: +995 and 9 digits; mobile 5xx xxx xxx; landline 0 + code (10 digits); Tbilisi
    local 2xx xx xx written in 3-2-2 or 1-2-2-2 groups (so "2 000 000 ლარი" is not taken for a number)."""
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("00995"):
        digits = digits[2:]
    if digits.startswith("995") and len(digits) == 12:
        return True
    if len(digits) == 9 and digits[0] == "5":
        return digits[3:] != "000000"
    if len(digits) == 10 and digits[0] == "0":
        return True
    groups = [g for g in re.split(r"[\s\-.]+", candidate.strip("()")) if g]
    return len(digits) == 7 and [len(g) for g in groups] in ([3, 2, 2], [1, 2, 2, 2])


def _heads(token: str) -> list[tuple[str, str]]:
    """(kind, regex) for the start of each written form of a name token; the kind decides which endings follow:
    ``full`` Georgian endings, ``stem`` endings after a truncated stem, ``bare`` a vocative -ო at most, ``latin``
    English endings. A Georgian name gets every romanisation; a Latin one its Georgian spellings and, through
    them, every other romanisation (Beridze → Beridse)."""
    if GEORGIAN_WORD.match(token):
        heads = [(kind, re.escape(head)) for kind, head in georgian_heads(token)]
        heads.append(("latin", latin_pattern(token)))
        return heads
    if LATIN_WORD.match(token):
        if _ambiguous(token):  # an English name (May, Grace): Georgian spells it by sound (მეი), not letters
            return [("latin", latin_pattern_of_latin(token))]
        georgian = georgian_pattern(token)
        heads = [("latin", latin_pattern_of_latin(token)), ("full", georgian)]
        if len(token) >= 4 and token.lower()[-1] in "ie":
            heads.append(("stem", georgian_pattern(token[:-1])))
        return heads
    return [("bare", re.escape(token))]


def name_tokens(name: str) -> list[str]:
    """The parts of a full name worth masking (at least two letters), NFKC-folded like the text they are
    searched in."""
    return [t for t in _NAME_SPLIT.split(fold_text(name).strip()) if len(t) >= 2]


@dataclass(frozen=True)
class _Person:
    interview_id: str
    participant_id: str
    tokens: tuple[str, ...]

    def given(self, token: str) -> bool:
        """Is ``token`` this person's given name? The first part of a two-part name, unless the list of given
        names says the name is written surname first (ბერიძე ნინო)."""
        if len(self.tokens) < 2:
            return False
        names = given_names()
        if names.of(self.tokens[0]) is None and names.of(self.tokens[-1]) is not None:
            return token.casefold() == self.tokens[-1].casefold()
        return token.casefold() == self.tokens[0].casefold()


def _ambiguous(token: str) -> bool:
    """A name part that is also an English word (Will, May, Grace; მარკ → mark) when written in Latin."""
    latin = token if LATIN_WORD.match(token) else transliterate(token)
    return known_english(latin.replace("'", ""))


@dataclass(frozen=True)
class NameMention:
    start: int  # offsets in the folded text
    end: int
    people: list[_Person]
    tokens: tuple[str, ...]  # the header tokens matched (one per merged part)
    latin: bool  # written in Latin letters


class StudyNames:
    """Every participant name of a study, compiled once into one regex; ``for_interview`` gives the replacer.

    The regex is factored as (any name start)(endings of its kind), with one named group per name start, so it
    stays small (fast to compile for hundreds of interviews) and the group that matched tells whose name it is.
    ``keep_names`` (study.yml) lists public figures whose names stay when they appear as third parties.
    """

    def __init__(self, metas: list[InterviewMeta], keep_names: list[str] | None = None):
        self.keep = KeepNames(keep_names or [])
        self.people = [_Person(m.interview_id, p.id, tuple(name_tokens(p.name)))
                       for m in metas for p in m.participants if name_tokens(p.name)]
        self.by_token: dict[str, list[_Person]] = {}
        for person in self.people:
            for token in person.tokens:
                owners = self.by_token.setdefault(token.casefold(), [])
                if person not in owners:
                    owners.append(person)
        self.group_token: dict[str, str] = {}
        by_kind: dict[str, list[tuple[str, str]]] = {kind: [] for kind in ENDINGS}
        for token in sorted(self.by_token, key=lambda t: (-len(t), t)):
            for kind, head in _heads(token):
                name = f"n{len(self.group_token)}"
                self.group_token[name] = token
                by_kind[kind].append((name, head))
        branches = [f"(?:{'|'.join(f'(?P<{n}>{h})' for n, h in heads)}){ENDINGS[kind]}"
                    for kind, heads in by_kind.items() if heads]
        self.regex = re.compile(rf"(?:{'|'.join(branches)})", re.IGNORECASE) if branches else None
        self._word_cache: dict[str, str | None] = {}

    @cached_property
    def ambiguous(self) -> set[str]:
        """Name parts that are also English words. Computed when a transcript is first pseudonymised, not
        here: a rebuild that takes every transcript from the cache would load English lemma data for nothing."""
        return {token for token in self.by_token if _ambiguous(token)}

    def _token_of(self, word: str) -> str | None:
        """The header token a single word is a form of (or None); a name form is always one word, so words are
        looked up (and remembered) instead of running the large regex over every text."""
        if word in self._word_cache:
            return self._word_cache[word]
        m = self.regex.fullmatch(word) if self.regex is not None else None
        token = self.group_token[str(m.lastgroup)] if m else None
        if len(self._word_cache) < 500_000:
            self._word_cache[word] = token
        return token

    def _raw_mentions(self, text: str) -> list[NameMention]:
        out: list[NameMention] = []
        if self.regex is None:
            return out
        for w in _WORD.finditer(text):
            start, end = w.span()
            word = w.group(0)
            token = self._token_of(word)
            if token is None and "'" in word:  # quoted: 'ნინო' or Nino'
                stripped = word.strip("'")
                start += len(word) - len(word.lstrip("'"))
                end = start + len(stripped)
                word = stripped
                token = self._token_of(word) if word else None
            if token is None:
                continue
            owners = self.by_token[token]
            latin = not GEORGIAN_WORD.match(word)
            if out and _NAME_GAP.fullmatch(text, out[-1].end, start):
                previous = out[-1]
                shared = [p for p in previous.people if p in owners]
                if shared and token not in previous.tokens:
                    out[-1] = NameMention(previous.start, end, shared, (*previous.tokens, token),
                                          previous.latin or latin)
                    continue
            out.append(NameMention(start, end, owners, (token,), latin))
        return out

    def mentions(self, text: str) -> list[NameMention]:
        """Participant name mentions in a folded text (adjacent parts of one person's name merged), without the
        two kinds of look-alikes the module docstring describes."""
        return [m for m in self._raw_mentions(text) if self._is_participant(text, m)]

    def _is_participant(self, text: str, mention: NameMention) -> bool:
        if len(mention.tokens) > 1:
            return True
        token = mention.tokens[0]
        if self._other_name_beside(text, mention, token):
            return False
        if mention.latin and token in self.ambiguous:
            return self._used_as_name(text, mention, token)
        return True

    def _other_name_beside(self, text: str, mention: NameMention, token: str) -> bool:
        """A given name directly followed or preceded by a surname that is not this person's (or a surname
        preceded by another given name): somebody else of the same name."""
        after = _NEXT_WORD.match(text, mention.end)
        before = _PREVIOUS_WORD.search(text, 0, mention.start)
        own = {t.casefold() for p in mention.people for t in p.tokens}
        if any(p.given(token) for p in mention.people):
            for near in (after, before):
                if near and surname_like(near.group(1)) and not self._own_word(near.group(1), own):
                    return True
            return False
        return bool(before and given_names().of(before.group(1)) and not self._own_word(before.group(1), own))

    def _own_word(self, word: str, own: set[str]) -> bool:
        return self._token_of(word) in own

    @staticmethod
    def _used_as_name(text: str, mention: NameMention, token: str) -> bool:
        written = text[mention.start:mention.end]
        if written.endswith("'s"):
            return True
        if token.casefold() in MONTHS or not written[:1].isupper() or written.isupper():
            return False
        return not _SENTENCE_START.search(text, 0, mention.start)

    def for_interview(self, meta: InterviewMeta) -> Pseudonymiser:
        return Pseudonymiser(self, meta.interview_id)


def join_hyphenated_lines(lines: list[str], names: StudyNames) -> list[str]:
    """Lines where a participant's name was hyphenated across a line break (``ბერი-`` / ``ძეც``) get the whole
    word on the first line, so the per-line replacement sees it; other hyphenated words are left as they are."""
    out = list(lines)
    for i in range(len(out) - 1):
        head = re.search(r"(\w+)-$", out[i].rstrip())
        tail = re.match(r"\s*(\w+)", out[i + 1])
        if head and tail and names.regex is not None and names.regex.fullmatch(
                fold_text(head.group(1) + tail.group(1))):
            out[i] = out[i].rstrip()[:-1] + tail.group(1)
            out[i + 1] = out[i + 1][tail.end():].lstrip()
    return out


@dataclass
class _ThirdParty:
    placeholder: str
    given: set[str]
    surnames: set[str]


@dataclass
class Pseudonymiser:
    """Replaces identifying strings in the text of one interview with stable placeholders, counting them by kind:
    participant_name, third_party_name, email, phone, personal_number."""

    names: StudyNames | None
    interview_id: str = ""
    counts: Counter = field(default_factory=Counter)
    third_parties: list[_ThirdParty] = field(default_factory=list)
    # ("g" | "s", canonical given name | surname) -> indexes of the third parties holding it: a mention is
    # compared with the people it shares a name with, not with every person met so far (a long transcript
    # naming thousands of people made that quadratic)
    _third_party_keys: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kind in KINDS:  # every kind is reported, also when nothing of it was found
            self.counts.setdefault(kind, 0)

    @classmethod
    def for_interview(cls, meta: InterviewMeta, others: list[InterviewMeta] | None = None,
                      keep_names: list[str] | None = None) -> Pseudonymiser:
        """Convenience for one interview (a build compiles ``StudyNames`` once and reuses it)."""
        metas = [meta] + [m for m in others or [] if m.interview_id != meta.interview_id]
        return cls(StudyNames(metas, keep_names), meta.interview_id)

    def _placeholder(self, candidates: list[_Person]) -> str:
        own = [p for p in candidates if p.interview_id == self.interview_id]
        if own:
            return f"[{own[0].participant_id}]"
        if len(candidates) == 1:
            return f"[{candidates[0].interview_id}:{candidates[0].participant_id}]"
        return "[NAME]"

    def _person(self, mention: Mention) -> str:
        """``[PERSON]``, ``[PERSON-2]`` …: the same person gets the same placeholder. Two mentions are the same
        person when they share a surname, or a given name while one of them has no surname (ბატონმა ზაალმა …
        ზაალ ხარაიშვილმა); different surnames, or different given names, are different people (თამარ ხარაიშვილი
        and თამარ ჩიქოვანი; ნინო and ლევან ბერიძე)."""
        names = given_names()
        given = frozenset(canonical(w) for w in mention.words if names.of(w) is not None)
        surnames = frozenset(canonical(w) for w in mention.words if names.of(w) is None)
        keys = self._third_party_keys
        # Only people sharing a given name or surname can be this one; the first of them (in order of first
        # mention) without a conflicting name is, as when every person was tried in turn.
        candidates = sorted({k for key in (*(("g", w) for w in given), *(("s", w) for w in surnames))
                             for k in keys.get(key, ())})
        for index in candidates:
            person = self.third_parties[index]
            if person.surnames and surnames and not person.surnames & surnames:
                continue
            if person.given and given and not person.given & given:
                continue
            if person.surnames & surnames or person.given & given:
                self._index_third_party(index, given - person.given, surnames - person.surnames)
                person.given |= given
                person.surnames |= surnames
                return person.placeholder
        n = len(self.third_parties) + 1
        self.third_parties.append(_ThirdParty("[PERSON]" if n == 1 else f"[PERSON-{n}]", set(given), set(surnames)))
        self._index_third_party(n - 1, given, surnames)
        return self.third_parties[-1].placeholder

    def _index_third_party(self, index: int, given: frozenset[str], surnames: frozenset[str]) -> None:
        for key in (*(("g", w) for w in given), *(("s", w) for w in surnames)):
            self._third_party_keys.setdefault(key, []).append(index)

    def _phone(self, match: re.Match[str]) -> str:
        """Replace the phone number(s) inside a digit run; a run can also hold years or amounts around it."""
        candidate = match.group(0)
        if _is_phone(candidate):
            self.counts["phone"] += 1
            return "[PHONE]"
        groups = list(re.finditer(r"\+?\(?\d+\)?", candidate))
        for i in range(len(groups)):
            for j in range(len(groups) - 1, i, -1):
                start, end = groups[i].start(), groups[j].end()
                if _is_phone(candidate[start:end]):
                    self.counts["phone"] += 1
                    rest = _PHONE_CANDIDATE.sub(self._phone, candidate[end:])
                    return candidate[:start] + "[PHONE]" + rest
        return candidate

    def _personal_number(self, match: re.Match[str]) -> str:
        if not _is_personal_number(match.group(0)):
            return match.group(0)
        self.counts["personal_number"] += 1
        return "[PERSONAL-NO]"

    def apply(self, text: str) -> str:
        """Return ``text`` with identifiers replaced (e-mails first: they can contain names and digits)."""
        folded = fold(text)
        text = self._replace(folded, [(m.start(), m.end(), "[EMAIL]", "email")
                                      for m in (*EMAIL_RE.finditer(folded.text),
                                                *OBFUSCATED_EMAIL_RE.finditer(folded.text))])
        text = PERSONAL_NUMBER_RE.sub(self._personal_number, text)
        text = _PHONE_CANDIDATE.sub(self._phone, text)
        if self.names is None:
            return text
        folded = fold(text)
        text = self._replace(folded, [(m.start, m.end, self._placeholder(m.people), "participant_name")
                                      for m in self.names.mentions(folded.text)])
        folded = fold(text)
        found = [m for m in third_party_mentions(folded.text) if not self.names.keep.keeps(m)]
        return self._replace(folded, [(m.start, m.end, self._person(m), "third_party_name") for m in found])

    def _replace(self, folded: Folded, spans: list[tuple[int, int, str, str]]) -> str:
        """Replace folded-text spans (earliest, then longest first; overlaps dropped) in the original text."""
        pieces: list[str] = []
        position = 0
        original = folded.original
        for start, end, placeholder, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
            a, b = folded.span(start, end)
            if a < position:
                continue
            pieces += [original[position:a], placeholder]
            position = b
            self.counts[kind] += 1
        return "".join(pieces) + original[position:]


def anonymous_participants(meta: InterviewMeta, pseudonymiser: Pseudonymiser) -> list[Participant]:
    """The participants without their names, roles pseudonymised ("assistant to <name>"): what may be written."""
    return [replace(p, name="", role=pseudonymiser.apply(p.role)) for p in meta.participants]
