"""Latin-typed Georgian back to Mkhedruli: the legacy-font keyboard table and a model of chat-style spelling.

Two different things are typed with Latin keys:

- **legacy-font text** (AcadNusx and friends): each key stands for exactly one Georgian letter, case matters
  (``T`` = თ, ``t`` = ტ, ``S`` = შ), so conversion is a fixed table;
- **chat-style Latin Georgian** ("chventvis", "tanasworoba", "q'velas"): people spell sounds, with digraphs
  (sh, ch, ts, dz, kh, gh, zh), apostrophes for ejectives or none, and informal letters (w for წ, x for ხ, q for
  ქ or ყ). One Latin spelling can stand for several letters (t = თ/ტ, ch = ჩ/ჭ, ts = ც/წ) and a digraph may
  also be two letters. We model it as a noisy channel: how likely each Georgian letter is spelled each way
  (``CHAT_SPELLINGS``), times how plausible the Georgian word is (letter_model.georgian_model: n-grams plus
  simplemma's word list). A beam search finds the most probable Georgian word; its probability is also the
  evidence the script detector weighs against English and the legacy table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .letter_model import LetterModel, georgian_model

# AcadNusx / Georgian keyboard layout: the Latin key that produces each Mkhedruli letter.
LEGACY_TO_MKHEDRULI = {
    "a": "ა", "b": "ბ", "g": "გ", "d": "დ", "e": "ე", "v": "ვ", "z": "ზ", "T": "თ", "i": "ი", "k": "კ",
    "l": "ლ", "m": "მ", "n": "ნ", "o": "ო", "p": "პ", "J": "ჟ", "r": "რ", "s": "ს", "t": "ტ", "u": "უ",
    "f": "ფ", "q": "ქ", "R": "ღ", "y": "ყ", "S": "შ", "C": "ჩ", "c": "ც", "Z": "ძ", "w": "წ", "W": "ჭ",
    "x": "ხ", "j": "ჯ", "h": "ჰ",
}
LEGACY_TABLE = str.maketrans(LEGACY_TO_MKHEDRULI)
LEGACY_CAPITALS = frozenset("TJRSCZW")

# How people spell each Georgian letter in Latin when chatting, with rough shares (each letter's sum is 1).
# Sources of the variants: the national romanisation (2002), the older scientific one with apostrophes for
# ejectives, and keyboard habits (w, x, q, c). Shares only need to rank alternatives; the word model decides.
CHAT_SPELLINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "ა": (("a", 1.0),), "ბ": (("b", 1.0),), "გ": (("g", 1.0),), "დ": (("d", 1.0),), "ე": (("e", 1.0),),
    "ვ": (("v", 0.95), ("w", 0.05)), "ზ": (("z", 1.0),),
    "თ": (("t", 0.85), ("th", 0.1), ("t'", 0.05)),
    "ი": (("i", 0.97), ("y", 0.03)), "კ": (("k", 0.85), ("k'", 0.15)), "ლ": (("l", 1.0),),
    "მ": (("m", 1.0),), "ნ": (("n", 1.0),), "ო": (("o", 1.0),), "პ": (("p", 0.85), ("p'", 0.15)),
    "ჟ": (("zh", 0.55), ("j", 0.4), ("jh", 0.05)), "რ": (("r", 1.0),), "ს": (("s", 1.0),),
    "ტ": (("t", 0.8), ("t'", 0.2)), "უ": (("u", 1.0),),
    "ფ": (("f", 0.45), ("p", 0.4), ("ph", 0.15)),
    "ქ": (("q", 0.55), ("k", 0.4), ("kh", 0.05)),
    "ღ": (("gh", 0.75), ("g", 0.25)),
    "ყ": (("y", 0.35), ("q", 0.35), ("q'", 0.25), ("k", 0.05)),
    "შ": (("sh", 1.0),), "ჩ": (("ch", 0.9), ("c", 0.1)),
    "ც": (("ts", 0.5), ("c", 0.45), ("tz", 0.05)),
    "ძ": (("dz", 0.8), ("z", 0.2)),
    "წ": (("w", 0.4), ("ts", 0.3), ("ts'", 0.15), ("c", 0.05), ("c'", 0.05), ("tz", 0.05)),
    "ჭ": (("ch", 0.6), ("ch'", 0.3), ("tch", 0.1)),
    "ხ": (("kh", 0.5), ("x", 0.5)),
    "ჯ": (("j", 0.9), ("dj", 0.1)), "ჰ": (("h", 1.0),),
}
APOSTROPHES = "'’‘`ʼ"
_APOSTROPHE_TABLE = str.maketrans({a: "'" for a in APOSTROPHES})
# spelling -> (letter, log share) — what the decoder reads
_READINGS: dict[str, list[tuple[str, float]]] = {}
for _letter, _spellings in CHAT_SPELLINGS.items():
    for _spelling, _share in _spellings:
        _READINGS.setdefault(_spelling, []).append((_letter, math.log(_share)))
_LONGEST = max(map(len, _READINGS))
_STRAY_APOSTROPHE = math.log(0.02)  # an apostrophe no spelling explains ("ar'a"): read as nothing, rarely
_BEAM = 12


@dataclass(frozen=True)
class Reading:
    """The best Georgian reading of one Latin word: the word and log P(Latin spelling, Georgian word)."""

    georgian: str
    logprob: float


def legacy_to_mkhedruli(text: str) -> str:
    """Map legacy-font Latin letters to Mkhedruli (everything else unchanged)."""
    return text.translate(LEGACY_TABLE)


def chat_key(word: str) -> str:
    """The spelling the chat model reads: lower case, one kind of apostrophe."""
    return word.translate(_APOSTROPHE_TABLE).lower()


@lru_cache(maxsize=50_000)
def read_chat_word(word: str) -> Reading:
    """Most probable Mkhedruli word for a chat-style Latin word (a beam search over the spelling channel)."""
    return _decode(chat_key(word), georgian_model())


def _decode(latin: str, model: LetterModel) -> Reading:
    # beams[i]: hypotheses that have read latin[:i], as {georgian: (log P(spelling|word) + log P_ngram, channel)}
    beams: list[dict[str, tuple[float, float]]] = [{} for _ in range(len(latin) + 1)]
    beams[0][""] = (0.0, 0.0)

    def offer(j: int, georgian: str, total: float, channel: float) -> None:
        if total > beams[j].get(georgian, (-math.inf, 0.0))[0]:
            beams[j][georgian] = (total, channel)

    for i in range(len(latin)):
        best = sorted(beams[i].items(), key=lambda kv: kv[1][0], reverse=True)[:_BEAM]
        for j in range(i + 1, min(len(latin), i + _LONGEST) + 1):
            for letter, share in _READINGS.get(latin[i:j], ()):
                for georgian, (total, channel) in best:
                    step = model.next_logprob(georgian[-(model.order - 1):], letter)
                    offer(j, georgian + letter, total + share + step, channel + share)
        if latin[i] == "'":
            for georgian, (total, channel) in best:
                offer(i + 1, georgian, total + _STRAY_APOSTROPHE, channel + _STRAY_APOSTROPHE)
    finals = [(g, channel + model.mix(g, total - channel + model.end_logprob(g)))
              for g, (total, channel) in beams[-1].items() if g]
    if not finals:
        return Reading("", -math.inf)
    georgian, score = max(finals, key=lambda kv: kv[1])
    return Reading(georgian, score)
