"""Text cleaning for transcripts: encoding repair, Unicode NFC, whitespace, transcription markers, legacy fonts.

Why each step exists:
- mojibake: UTF-8 Georgian opened as Windows-1252 and saved again turns ნ into "áƒœ"; ftfy reverses that.
- NFC: the same visible text can be stored in several code-point sequences; pattern matching needs one.
- legacy fonts: before Unicode, Georgian was typed with Latin keys and shown with fonts such as AcadNusx, so
  "gender" in those documents is stored as "genderuli" → "გენდერული". Such paragraphs are detected and converted.
- markers: [inaudible], (laughs), [იცინის] … are normalised to one English tag so they can be excluded from
  coding and counted.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# AcadNusx / "Georgian keyboard" layout: the Latin key that produces each Mkhedruli letter.
LEGACY_TO_MKHEDRULI = {
    "a": "ა", "b": "ბ", "g": "გ", "d": "დ", "e": "ე", "v": "ვ", "z": "ზ", "T": "თ", "i": "ი", "k": "კ",
    "l": "ლ", "m": "მ", "n": "ნ", "o": "ო", "p": "პ", "J": "ჟ", "r": "რ", "s": "ს", "t": "ტ", "u": "უ",
    "f": "ფ", "q": "ქ", "R": "ღ", "y": "ყ", "S": "შ", "C": "ჩ", "c": "ც", "Z": "ძ", "w": "წ", "W": "ჭ",
    "x": "ხ", "j": "ჯ", "h": "ჰ",
}
_LEGACY_TABLE = str.maketrans(LEGACY_TO_MKHEDRULI)

# Frequent Georgian function words: a converted paragraph that contains them is Georgian.
_GEORGIAN_COMMON = frozenset(
    ["და", "რომ", "არის", "ეს", "არ", "ის", "ჩვენ", "მე", "თუ", "ან", "რა", "ასევე", "უნდა", "ძალიან", "ყველა", "იყო", "ჩვენი", "კი", "ერთი", "მაგრამ", "როგორც", "ამ", "იმ", "მათ", "ვერ", "ხომ", "უკვე", "ბევრი", "გენდერული", "თანასწორობის", "ტრენინგი"]
)
_ENGLISH_COMMON = frozenset(
    ["the", "and", "of", "to", "is", "in", "that", "it", "for", "we", "on", "are", "with", "as", "be", "this", "have", "not", "was", "they", "our", "but"]
)
_WORD = re.compile(r"[A-Za-z]+")
_LATIN = re.compile(r"[A-Za-z]")
_GEORGIAN = re.compile(r"[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")

# Transcription markers: canonical tag -> variants (case-insensitive, inside [] or ()).
MARKERS: dict[str, tuple[str, ...]] = {
    "inaudible": ("inaudible", "unclear", "unintelligible", "გაუგებარია", "გაურკვეველია", "არ ისმის",
                  "ვერ გაირჩევა", "გაუგებრად"),
    "laughter": ("laughs", "laughter", "laughing", "იცინის", "იცინიან", "სიცილი"),
    "crosstalk": ("crosstalk", "cross-talk", "overlapping", "ერთდროულად საუბრობენ", "ერთდროული საუბარი"),
    "pause": ("pause", "long pause", "silence", "პაუზა", "დუმილი"),
}
_MARKER_LOOKUP = {variant.casefold(): tag for tag, variants in MARKERS.items() for variant in variants}
_MARKER_RE = re.compile(r"[\[(]\s*([^\[\]()\n]{2,40}?)\s*[\])]")
CANONICAL_MARKER_RE = re.compile(r"\[(?:%s)\]" % "|".join(MARKERS))

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise_markers(text: str) -> str:
    """Rewrite known transcription markers to ``[inaudible]``, ``[laughter]``, ``[crosstalk]``, ``[pause]``."""

    def replace(match: re.Match[str]) -> str:
        tag = _MARKER_LOOKUP.get(match.group(1).casefold())
        return f"[{tag}]" if tag else match.group(0)

    return _MARKER_RE.sub(replace, text)


def looks_like_legacy_georgian(text: str) -> bool:
    """True when a paragraph of Latin letters reads as Georgian once mapped through the legacy keyboard.

    Decided per paragraph on evidence, not per file: a Georgian transcript may quote English (CEDAW, "gender
    mainstreaming"), and converting those would destroy them.
    """
    latin = len(_LATIN.findall(text))
    if latin < 12 or latin < 4 * len(_GEORGIAN.findall(text)):
        return False
    words = _WORD.findall(text)
    english_hits = sum(w.lower() in _ENGLISH_COMMON for w in words)
    converted = text.translate(_LEGACY_TABLE)
    georgian_hits = sum(w in _GEORGIAN_COMMON for w in re.findall(r"[\u10d0-\u10ff]+", converted))
    return georgian_hits >= 2 and georgian_hits > 2 * english_hits


def convert_legacy_georgian(text: str) -> str:
    """Map legacy-font Latin letters to Mkhedruli (only call on paragraphs that passed detection)."""
    return text.translate(_LEGACY_TABLE)


def clean_line(text: str) -> tuple[str, bool]:
    """Clean one line/paragraph; returns (clean text, whether legacy-font conversion was applied)."""
    text = ftfy.fix_encoding(text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    converted = False
    if looks_like_legacy_georgian(text):
        text, converted = convert_legacy_georgian(text), True
    return normalise_markers(text), converted


def mask_markers(text: str) -> str:
    """Blank out canonical markers (same length) so the auto-coder never matches inside them."""
    return CANONICAL_MARKER_RE.sub(lambda m: " " * len(m.group(0)), text)
