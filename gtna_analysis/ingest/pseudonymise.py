"""Pseudonymisation: participant names (with Georgian case endings), personal numbers, phones, e-mails.

Georgian nouns decline: ნინო → ნინომ, ნინოს, ნინოსთან, ნინომაც; ზურაბ → ზურაბი, ზურაბმა, ზურაბისგან;
ბერიძე → ბერიძის, ბერიძით. A list of names alone would leak every inflected form, so each name becomes a
pattern: the name (or, for names ending in -ე/-ი, its truncated stem) followed by an optional case ending, an
optional postposition and an optional particle, and then a word boundary. Names are matched in both scripts:
a Georgian name also in its Latin romanisations (ჭ = ch/tch, ხ = kh/x …) because English transcripts spell
names in Latin, and a Latin name from an English header also in Georgian letters (t = თ/ტ, k = კ/ქ …).

Names of the interview's own participants become ``[P1]``; names of people interviewed elsewhere in the study
``[MOES-02:P1]`` (colleagues talk about each other); a first name shared by several people elsewhere ``[NAME]``.
E-mails become ``[EMAIL]``, Georgian personal numbers (11 digits) ``[PERSONAL-NO]``, phone numbers ``[PHONE]``.

What this does NOT do (documented in the README): it cannot find names of people who are not listed in a header
(a colleague mentioned in passing), nor indirect identifiers ("the only woman deputy minister").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .interview import InterviewMeta, Participant

# Georgian morphology after a name: case ending, then postposition, then particle — each optional.
_CASE = "(?:ი|მა|მ|ს|ის|ით|ითა|თი|თ|ად|დ|ო|ა|ებ(?:ი|მა|ს|ის|ით|ად)?)?"
_POSTPOSITION = "(?:ში|ზე|თან|თვის|გან|კენ|ვით|ავით|დან|იდან|მდე|ამდე|ებრ)?"
_PARTICLE = "(?:ც|აც|იც|ცა|ვე|ო|ა|ღა)?"
_GEORGIAN_SUFFIX = _CASE + _POSTPOSITION + _PARTICLE
# Endings after a truncated stem (ბერიძე → ბერიძ-ის, ღლონტი → ღლონტ-მა).
_STEM_SUFFIX = "(?:ის|ით|ითა|ად|ს|მა)" + _POSTPOSITION + _PARTICLE
_LATIN_SUFFIX = r"(?:i|['’]s|s)?"

# Georgian letter -> regex of its usual Latin spellings (national system, older and German/Russian-style ones).
_KA_TO_LAT = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "(?:v|w)", "ზ": "z", "თ": "(?:th|t['’]?)",
    "ი": "(?:i|y)", "კ": "k['’]?", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p['’]?",
    "ჟ": "(?:zh|j|jh)", "რ": "r", "ს": "s", "ტ": "t['’]?", "უ": "(?:u|ou)", "ფ": "(?:ph|p)",
    "ქ": "(?:kh|k)", "ღ": "(?:gh|g)", "ყ": "(?:q|y|k)['’]?", "შ": "sh", "ჩ": "t?ch['’]?",
    "ც": "(?:ts|tz|c)['’]?", "ძ": "dz", "წ": "(?:ts|tz|c)['’]?", "ჭ": "t?ch['’]?", "ხ": "(?:kh|x|h)",
    "ჯ": "d?j", "ჰ": "h",
}
# Latin spelling unit -> Georgian letters it can stand for (longest units first).
_LAT_TO_KA = {
    "tch": "[ჩჭ]", "ch": "[ჩჭ]", "sh": "შ", "zh": "ჟ", "kh": "[ხქ]", "gh": "ღ", "ts": "[ცწ]", "tz": "[ცწ]",
    "dz": "ძ", "th": "თ", "ph": "ფ", "dj": "ჯ", "a": "ა", "b": "ბ", "c": "[ცწ]", "d": "დ", "e": "ე", "f": "ფ",
    "g": "გ", "h": "[ჰხ]", "i": "ი", "j": "[ჯჟ]", "k": "[კქ]", "l": "ლ", "m": "მ", "n": "ნ", "o": "ო",
    "p": "[პფ]", "q": "ყ", "r": "რ", "s": "ს", "t": "[თტ]", "u": "უ", "v": "ვ", "w": "ვ", "x": "ხ", "y": "ი",
    "z": "ზ",
}
_LAT_UNIT = re.compile("|".join(sorted(_LAT_TO_KA, key=len, reverse=True)) + "|['’]")
# Common romanisation without apostrophes, used for readable output (e.g. tests, reports of what was masked).
_ROMAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k",
    "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u",
    "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts",
    "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
}
_GEORGIAN_WORD = re.compile(r"^[\u10d0-\u10ff]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z'’]+$")
_NAME_SPLIT = re.compile(r"[\s\-]+")
_NAME_GAP = re.compile(r"[\s\-]+")

PERSONAL_NUMBER_RE = re.compile(r"(?<![\w+])\d{11}(?!\w)")
# A run of digits with phone-style separators; ``_is_phone`` decides by digit count and prefix.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\+?\d[\d\s\-.()]{5,22}\d(?![\w])")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")


def transliterate(name: str) -> str:
    """Georgian → Latin (national romanisation, without apostrophes), e.g. ნინო → nino."""
    return "".join(_ROMAN.get(ch, ch) for ch in name)


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
    English endings."""
    if _GEORGIAN_WORD.match(token):
        heads = [("full", re.escape(token))]
        if len(token) >= 4 and token[-1] in "იე":  # ბერიძე → ბერიძ-ის, ღლონტი → ღლონტ-მა
            heads.append(("stem", re.escape(token[:-1])))
            if token[-1] == "ი" and len(token) >= 5:  # nominative -ი dropped: ზურაბი → ზურაბ, ზურაბო
                heads.append(("bare", re.escape(token[:-1])))
        heads.append(("latin", "".join(_KA_TO_LAT.get(ch, re.escape(ch)) for ch in token)))
        return heads
    if _LATIN_WORD.match(token):
        units = [_LAT_TO_KA.get(u, "") for u in _LAT_UNIT.findall(token.lower())]
        heads = [("latin", re.escape(token)), ("full", "".join(units))]
        if len(units) >= 4 and token.lower()[-1] in "ie":
            heads.append(("stem", "".join(units[:-1])))
        return heads
    return [("bare", re.escape(token))]


_ENDINGS = {"full": _GEORGIAN_SUFFIX, "stem": _STEM_SUFFIX, "bare": "ო?", "latin": _LATIN_SUFFIX}


def name_tokens(name: str) -> list[str]:
    """The parts of a full name worth masking (at least two letters)."""
    return [t for t in _NAME_SPLIT.split(name.strip()) if len(t) >= 2]


@dataclass(frozen=True)
class _Person:
    interview_id: str
    participant_id: str
    tokens: tuple[str, ...]


class StudyNames:
    """Every participant name of a study, compiled once into one regex; ``for_interview`` gives the replacer.

    The regex is factored as (any name start)(endings of its kind), with one named group per name start, so it
    stays small (fast to compile for hundreds of interviews) and the group that matched tells whose name it is.
    """

    def __init__(self, metas: list[InterviewMeta]):
        self.people = [_Person(m.interview_id, p.id, tuple(name_tokens(p.name)))
                       for m in metas for p in m.participants if name_tokens(p.name)]
        self.by_token: dict[str, list[_Person]] = {}
        for person in self.people:
            for token in person.tokens:
                owners = self.by_token.setdefault(token.casefold(), [])
                if person not in owners:
                    owners.append(person)
        self.group_token: dict[str, str] = {}
        by_kind: dict[str, list[tuple[str, str]]] = {kind: [] for kind in _ENDINGS}
        for token in sorted(self.by_token, key=lambda t: (-len(t), t)):
            for kind, head in _heads(token):
                name = f"n{len(self.group_token)}"
                self.group_token[name] = token
                by_kind[kind].append((name, head))
        branches = [f"(?:{'|'.join(f'(?P<{n}>{h})' for n, h in heads)}){_ENDINGS[kind]}"
                    for kind, heads in by_kind.items() if heads]
        self.regex = re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)", re.IGNORECASE) if branches else None

    def mentions(self, text: str) -> list[tuple[int, int, list[_Person]]]:
        """(start, end, possible people) of each name mention; adjacent parts of one person's name are merged."""
        out: list[tuple[int, int, list[_Person]]] = []
        if self.regex is None:
            return out
        for m in self.regex.finditer(text):
            owners = self.by_token[self.group_token[str(m.lastgroup)]]
            if out and _NAME_GAP.fullmatch(text, out[-1][1], m.start()):
                start, _, previous = out[-1]
                shared = [p for p in previous if p in owners]
                if shared:
                    out[-1] = (start, m.end(), shared)
                    continue
            out.append((m.start(), m.end(), owners))
        return out

    def for_interview(self, meta: InterviewMeta) -> Pseudonymiser:
        return Pseudonymiser(self, meta.interview_id)


@dataclass
class Pseudonymiser:
    """Replaces identifying strings in the text of one interview with stable placeholders, counting them."""

    names: StudyNames | None
    interview_id: str = ""
    counts: Counter = field(default_factory=Counter)

    @classmethod
    def for_interview(cls, meta: InterviewMeta, others: list[InterviewMeta] | None = None) -> Pseudonymiser:
        """Convenience for one interview (a build compiles ``StudyNames`` once and reuses it)."""
        metas = [meta] + [m for m in others or [] if m.interview_id != meta.interview_id]
        return cls(StudyNames(metas), meta.interview_id)

    def _placeholder(self, candidates: list[_Person]) -> str:
        own = [p for p in candidates if p.interview_id == self.interview_id]
        if own:
            return f"[{own[0].participant_id}]"
        if len(candidates) == 1:
            return f"[{candidates[0].interview_id}:{candidates[0].participant_id}]"
        return "[NAME]"

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

    def apply(self, text: str) -> str:
        """Return ``text`` with identifiers replaced (e-mails first: they can contain names and digits)."""
        text, n = EMAIL_RE.subn("[EMAIL]", text)
        self.counts["email"] += n
        text, n = PERSONAL_NUMBER_RE.subn("[PERSONAL-NO]", text)
        self.counts["personal_number"] += n
        text = _PHONE_CANDIDATE.sub(self._phone, text)
        if self.names is not None:
            pieces, position = [], 0
            for start, end, people in self.names.mentions(text):
                pieces += [text[position:start], self._placeholder(people)]
                position = end
                self.counts["name"] += 1
            text = "".join(pieces) + text[position:]
        return text


def anonymous_participants(meta: InterviewMeta, pseudonymiser: Pseudonymiser) -> list[Participant]:
    """The participants without their names, roles pseudonymised ("assistant to <name>"): what may be written."""
    return [replace(p, name="", role=pseudonymiser.apply(p.role)) for p in meta.participants]
