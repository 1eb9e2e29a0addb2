"""Pseudonymisation: participant names (with Georgian case endings), personal numbers, phones, e-mails.

Georgian nouns decline: ნინო → ნინომ, ნინოს, ნინოსთან; ბერიძე → ბერიძის, ბერიძით; კაპანაძე-შვილი → …შვილმა.
A name list alone would leak every inflected form, so each name becomes a pattern: the full name or its stem
(final vowel dropped) followed by a known case ending and optional particles. Names are also matched in Latin
transliteration because English transcripts spell Georgian names in Latin letters.

What this does NOT do (documented in the README): it cannot find names of people who are not listed in a
header (a colleague mentioned in passing), nor indirect identifiers ("the only woman deputy minister").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .interview import InterviewMeta

# Case endings and postpositions that attach to names, longest first so the alternation is greedy-correct.
_CASE_ENDINGS = sorted(
    ["", "ი", "მ", "მა", "ს", "ის", "ით", "ითა", "ად", "დ", "ო", "ვ", "ზე", "ში", "თან", "სთან", "ისთან", "სთვის",
     "ისთვის", "სგან", "ისგან", "ისკენ", "სკენ", "სავით", "ივით", "ისა", "სა", "ებმა", "ებს", "ების", "ები",
     "ზეც", "ებთან"],
    key=len, reverse=True,
)
_PARTICLES = "(?:ც|აც|ო|ვე|მაც|საც|იც)?"
_EN_ENDINGS = r"(?:'s|’s|s)?"
_LAT = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k",
    "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u",
    "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts",
    "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
}
_GEORGIAN_WORD = re.compile(r"^[\u10d0-\u10ff]+$")
PERSONAL_NUMBER_RE = re.compile(r"(?<![\d\w])\d{11}(?![\d\w])")
PHONE_RE = re.compile(
    r"(?<![\d\w+])(?:"
    r"\+?995[\s\-.]*\(?\d{2,3}\)?(?:[\s\-.]*\d){6,7}"            # +995 5xx xx xx xx / +995 32 2 00 00 00
    r"|\(?0\d{2}\)?[\s\-.]*\d(?:[\s\-.]*\d){6}"                  # (032) 2 00 00 00
    r"|5\d{2}[\s\-.]?\d{2,3}[\s\-.]?\d{2}[\s\-.]?\d{2}"         # 599 12 34 56
    r")(?![\d\w])"
)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")


def transliterate(name: str) -> str:
    """Georgian → Latin (national romanisation, without apostrophes), e.g. ნინო → Nino."""
    return "".join(_LAT.get(ch, ch) for ch in name)


def _name_pattern(token: str) -> str:
    """A regex for one name token in all its inflected forms."""
    if _GEORGIAN_WORD.match(token):
        ending = "|".join(re.escape(e) for e in _CASE_ENDINGS)
        forms = [f"{re.escape(token)}(?:{ending})"]
        if len(token) >= 4 and token[-1] in "იეა":
            # stem forms: ბერიძე → ბერიძის/ბერიძით; -შვილი → -შვილმა/-შვილს
            short_forms = ("",) if len(token) >= 5 else ()  # vocative: ზურაბი → ზურაბ
            stem_endings = "|".join(re.escape(e) for e in (*short_forms, "ის", "ით", "ითა", "ად", "მა", "ს", "ისთვის",
                                                           "ისგან", "ისთან", "ებმა", "ებს"))
            forms.append(f"{re.escape(token[:-1])}(?:{stem_endings})")
        return f"(?:{'|'.join(forms)}){_PARTICLES}"
    return f"{re.escape(token)}{_EN_ENDINGS}"


@dataclass
class Pseudonymiser:
    """Replaces identifying strings with stable placeholders and counts what it replaced."""

    name_regex: re.Pattern[str] | None
    placeholders: dict[str, str]
    counts: Counter = field(default_factory=Counter)

    @classmethod
    def for_interview(cls, meta: InterviewMeta, others: list[InterviewMeta] | None = None) -> Pseudonymiser:
        """Names of this interview become ``[P1]``; names from other interviews ``[MOES-02:P1]``."""
        placeholders: dict[str, str] = {}
        patterns: list[tuple[str, str]] = []
        people = [(meta, p, f"[{p.id}]") for p in meta.participants]
        for other in others or []:
            if other.interview_id != meta.interview_id:
                people += [(other, p, f"[{other.interview_id}:{p.id}]") for p in other.participants]
        for _, person, placeholder in people:
            tokens = [t for t in re.split(r"[\s\-]+", person.name) if len(t) >= 2]
            if not tokens:
                continue
            full = tokens + [transliterate(t).capitalize() for t in tokens if _GEORGIAN_WORD.match(t)]
            for token in full:
                key = token.casefold()
                if key not in placeholders:  # first holder of a shared first name wins; both are masked
                    placeholders[key] = placeholder
                    patterns.append((key, _name_pattern(token)))
        if not patterns:
            return cls(None, {})
        # Longest names first so "ნინო ბერიძე" is one replacement, not two.
        full_names = []
        for _, person, placeholder in people:
            tokens = [t for t in re.split(r"\s+", person.name) if len(t) >= 2]
            if len(tokens) >= 2:
                full_names.append(r"[\s\-]+".join(_name_pattern(t) for t in tokens))
                latin = [transliterate(t).capitalize() for t in tokens]
                if latin != tokens:
                    full_names.append(r"[\s\-]+".join(_name_pattern(t) for t in latin))
        alternation = "|".join(full_names + [p for _, p in sorted(patterns, key=lambda kv: -len(kv[0]))])
        regex = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
        return cls(regex, placeholders)

    def _name_placeholder(self, match: re.Match[str]) -> str:
        self.counts["name"] += 1
        first = re.split(r"[\s\-]+", match.group(0))[0].casefold()
        for key, placeholder in self.placeholders.items():
            if first.startswith(key[: max(3, len(key) - 1)]):
                return placeholder
        return "[NAME]"

    def apply(self, text: str) -> str:
        """Return ``text`` with identifiers replaced (e-mails first: they can contain names and digits)."""
        text, n = EMAIL_RE.subn("[EMAIL]", text)
        self.counts["email"] += n
        text, n = PERSONAL_NUMBER_RE.subn("[PERSONAL-NO]", text)
        self.counts["personal_number"] += n
        text, n = PHONE_RE.subn("[PHONE]", text)
        self.counts["phone"] += n
        if self.name_regex is not None:
            text = self.name_regex.sub(self._name_placeholder, text)
        return text
