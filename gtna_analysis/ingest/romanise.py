"""Georgian names in Latin letters: every common romanisation of a Mkhedruli name, and the way back.

People write the same name many ways: the national system of 2002 (ბერიძე → Beridze, წერეთელი → Tsereteli,
ჭავჭავაძე → Chavchavadze), ISO 9984 (with diacritics: Č̣avč̣avaʒe, folded by :func:`fold` to chavchavadze), BGN/PCGN
(apostrophes for ejectives: Ts'ereteli, K'ap'anadze), German and Russian-style spellings (Beridse, Zereteli,
Dschaparidse, Chuzischwili) and the informal "chat" Latin of phones (w for წ, x for ხ, gh or g for ღ, q or k' for
ყ, j for ჟ or ჯ). Instead of listing spellings per name, each Georgian letter has the set of its Latin spellings
and a name becomes a regex letter by letter (:func:`latin_pattern`); a name written in Latin in a header goes the
other way, letter group by letter group, to the Georgian letters it can stand for (:func:`georgian_pattern`) and
from there to all of their Latin spellings (:func:`latin_pattern_of_latin`), so ``Beridze`` in a header also finds
``Beridse`` and ``ბერიძე``.

Matching happens on a folded copy of the text (:func:`fold`): NFKC (fullwidth ｂｅｒｉｄｚｅ → beridze), Mtavruli
capitals to Mkhedruli (ᲑᲔᲠᲘᲫᲔ → ბერიძე), ISO diacritics
to their digraphs (š → sh, ʒ → dz), apostrophe variants to one, and a word hyphenated across a line break
(``ბერი-`` / ``ძეც``) joined; :class:`Folded` maps every folded offset back to the original string, so a
replacement is made in the original text at the right characters.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

# Georgian letter -> its Latin spellings (national 2002, ISO 9984 after folding, BGN/PCGN, German/Russian-style,
# informal chat Latin). Any consonant may be followed by an apostrophe (see _letter_pattern).
KA_TO_LATIN: dict[str, tuple[str, ...]] = {
    "ა": ("a",), "ბ": ("b",), "გ": ("g",), "დ": ("d",), "ე": ("e",), "ვ": ("v", "w"), "ზ": ("z",),
    "თ": ("t", "th"), "ი": ("i", "y"), "კ": ("k", "c"), "ლ": ("l",), "მ": ("m",), "ნ": ("n",), "ო": ("o",),
    "პ": ("p",), "ჟ": ("zh", "j", "jh", "zj"), "რ": ("r",), "ს": ("s", "ss"), "ტ": ("t",), "უ": ("u", "ou"),
    "ფ": ("p", "ph", "f"), "ქ": ("k", "kh", "q"), "ღ": ("gh", "g", "r"), "ყ": ("q", "k", "kh", "y"),
    "შ": ("sh", "sch", "s"), "ჩ": ("ch", "tch", "tsch", "c"), "ც": ("ts", "tz", "c", "z"),
    "ძ": ("dz", "ds", "z", "dze"), "წ": ("ts", "tz", "c", "w", "z"), "ჭ": ("ch", "tch", "tsch", "c", "w"),
    "ხ": ("kh", "x", "h", "ch"), "ჯ": ("j", "dj", "dzh", "dsch", "dch"), "ჰ": ("h",),
}
APOSTROPHE = "'"  # every apostrophe-like mark folds to this one
# The national system without apostrophes: the one spelling used for readable output and speaker labels.
NATIONAL: dict[str, str] = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k",
    "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u",
    "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts",
    "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
}
# A Latin letter group -> the Georgian letters it can stand for (read longest group first).
LATIN_TO_KA: dict[str, str] = {
    "tsch": "ჩჭ", "dsch": "ჯ", "dzh": "ჯ", "sch": "შ", "tch": "ჩჭ", "ch": "ჩჭხ", "sh": "შ", "zh": "ჟ",
    "kh": "ხქ", "gh": "ღ", "ts": "ცწ", "tz": "ცწ", "dz": "ძ", "ds": "ძ", "th": "თ", "ph": "ფ", "dj": "ჯ",
    "jh": "ჟ", "ou": "უ", "a": "ა", "b": "ბ", "c": "ცწკჩ", "d": "დ", "e": "ე", "f": "ფ", "g": "გღ", "h": "ჰხ",
    "i": "ი", "j": "ჯჟ", "k": "კქყ", "l": "ლ", "m": "მ", "n": "ნ", "o": "ო", "p": "პფ", "q": "ყქ", "r": "რ",
    "s": "სშ", "t": "თტ", "u": "უ", "v": "ვ", "w": "ვწ", "x": "ხ", "y": "იყ", "z": "ზძცწ",
}
_LATIN_GROUP = re.compile("|".join(sorted(LATIN_TO_KA, key=len, reverse=True)) + "|'")
GEORGIAN_WORD = re.compile(r"^[\u10d0-\u10ff]+$")
LATIN_WORD = re.compile(r"^[A-Za-z']+$")

# Folding: ISO 9984 / scholarly letters to the digraphs the patterns know; apostrophe-like marks to one.
_SPECIAL = {
    "š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh", "ǰ": "j", "ʒ": "dz", "Ʒ": "Dz",
    "ǯ": "dzh", "Ǯ": "Dzh", "ḡ": "gh", "Ḡ": "Gh", "ğ": "gh", "Ğ": "Gh", "ɣ": "gh", "ʻ": "'", "ʼ": "'",
    "’": "'", "‘": "'", "`": "'", "´": "'", "ʹ": "'", "′": "'", "\u00ad": "",
}
# Text made only of these needs no folding (the common case: Georgian, ASCII, usual punctuation).
_PLAIN = re.compile(r"[^\u0000-\u007f\u10d0-\u10ff\u2013\u2014\u2026\u201c\u201d\u201e\u00ab\u00bb\u00a0]")
_HYPHEN_BREAK = re.compile(r"(?<=\w)[-\u00ad]\s*\n\s*(?=\w)")


@dataclass(frozen=True)
class Folded:
    """A folded copy of ``original`` for matching; ``span`` maps a folded match back to original offsets."""

    original: str
    text: str
    index: tuple[int, ...] | None  # folded offset -> original offset (None: identical strings)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.index is None:
            return start, end
        return self.index[start], (self.index[end - 1] + 1 if end > start else self.index[start])


def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if "\u1c90" <= ch <= "\u1cbf":  # Mtavruli capitals (headings, emphasis): ᲜᲘᲜᲝ is ნინო
        return ch.lower()
    folded = unicodedata.normalize("NFKC", ch)
    folded = "".join(_SPECIAL.get(c, c) for c in folded)
    if folded.isascii() or "\u10d0" <= folded <= "\u10ff":
        return folded
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


def fold(text: str) -> Folded:
    """The text NFKC-folded, ISO diacritics spelled as digraphs, apostrophes unified and line-break hyphenation
    removed (``ბერი-\\nძე`` → ``ბერიძე``), with the offset map back to ``text``."""
    if not _PLAIN.search(text) and not _HYPHEN_BREAK.search(text):
        return Folded(text, text, None)
    skip: set[int] = set()
    for m in _HYPHEN_BREAK.finditer(text):
        skip.update(range(m.start(), m.end()))
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if i in skip:
            continue
        piece = _fold_char(ch)
        out.append(piece)
        index.extend([i] * len(piece))
    index.append(len(text))
    return Folded(text, "".join(out), tuple(index))


def fold_text(text: str) -> str:
    return fold(text).text


def transliterate(word: str) -> str:
    """Georgian → Latin in the national system without apostrophes, e.g. ჭოხონელიძე → chokhonelidze."""
    return "".join(NATIONAL.get(ch, ch) for ch in word)


def _letter_pattern(letter: str) -> str:
    spellings = sorted(KA_TO_LATIN.get(letter, (re.escape(letter),)), key=len, reverse=True)
    body = spellings[0] if len(spellings) == 1 else f"(?:{'|'.join(spellings)})"
    # an apostrophe may follow any consonant: ejectives take one in BGN/PCGN, and people put them loosely
    return body + ("" if letter in "აეიოუ" else f"{APOSTROPHE}?")


def latin_pattern(georgian: str) -> str:
    """Regex (case-insensitive use) of every Latin spelling of a Mkhedruli word, e.g. ბერიძე →
    ``beri(dz|ds|z)e`` in effect; a double letter may be written once (ნინო, but also Ana/Anna-style doubling)."""
    parts = []
    for i, letter in enumerate(georgian):
        if i and letter == georgian[i - 1]:
            parts.append(f"(?:{_letter_pattern(letter)})?")  # ss, tt … written once
        else:
            parts.append(_letter_pattern(letter))
    return "".join(parts)


def latin_groups(latin: str) -> list[str]:
    """A Latin word split into the letter groups of LATIN_TO_KA (apostrophes kept as their own group)."""
    return _LATIN_GROUP.findall(latin.lower())


def georgian_pattern(latin: str) -> str:
    """Regex of the Mkhedruli spellings a Latin-written name can stand for, e.g. Beridze → ბერიძე."""
    return "".join(f"[{LATIN_TO_KA[g]}]" if len(LATIN_TO_KA[g]) > 1 else LATIN_TO_KA[g]
                   for g in latin_groups(latin) if g != APOSTROPHE)


def latin_pattern_of_latin(latin: str) -> str:
    """All Latin spellings of a Latin-written name: through the Georgian letters each letter group may stand for,
    so the header's ``Beridze`` also finds ``Beridse`` and ``Beridze``'s ISO and chat spellings."""
    parts: list[str] = []
    for group in latin_groups(latin):
        if group == APOSTROPHE:
            parts.append(f"{APOSTROPHE}?")
            continue
        spellings: set[str] = {group}
        for letter in LATIN_TO_KA[group]:
            if len(LATIN_TO_KA[group]) > 1 and len(group) == 1 and letter not in _PRIMARY.get(group, ""):
                continue  # a single letter keeps its primary readings only (k is კ/ქ, not every reading of c/w)
            spellings.update(KA_TO_LATIN[letter])
        alternatives = "|".join(sorted(spellings, key=len, reverse=True))
        parts.append(f"(?:{alternatives})" + ("" if group in "aeiou" else f"{APOSTROPHE}?"))
    return "".join(parts)


# For single Latin letters with several Georgian readings: the readings that are usual in names written in Latin.
_PRIMARY = {"c": "ცწ", "g": "გ", "h": "ჰხ", "j": "ჯჟ", "k": "კქ", "p": "პფ", "q": "ყ", "s": "ს", "t": "თტ",
            "w": "ვწ", "y": "ი", "z": "ზ"}


def romanisations(georgian: str, limit: int = 200) -> set[str]:
    """Concrete Latin spellings of a Georgian word, for dictionary look-ups where a regex per name would be too
    slow (the given-name list): the national spelling and every spelling that differs from it in one or two
    letters (at most ``limit``)."""
    national = [NATIONAL.get(letter, letter) for letter in georgian]
    options = [(i, alt) for i, letter in enumerate(georgian) for alt in KA_TO_LATIN.get(letter, ())
               if alt != national[i]]
    out = {"".join(national)}
    for size in (1, 2):
        for combo in itertools.combinations(options, size):
            if len({i for i, _ in combo}) < size:
                continue
            spelled = list(national)
            for i, alt in combo:
                spelled[i] = alt
            out.add("".join(spelled))
            if len(out) >= limit:
                return out
    return out
