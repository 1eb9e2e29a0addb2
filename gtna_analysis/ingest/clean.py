"""Text cleaning for transcripts: encoding repair, Unicode NFC, whitespace, transcription markers, legacy fonts.

Why each step exists:
- mojibake: UTF-8 Georgian opened as Windows-1252 (or -1251) and saved again turns ნ into "áƒœ"; ftfy reverses it.
- NFC: the same visible text can be stored in several code-point sequences; pattern matching needs one.
- legacy fonts: before Unicode, Georgian was typed with Latin keys and shown with fonts such as AcadNusx, so
  "საქართველოში" is stored as "saqarTveloSi". Such paragraphs are detected and converted to Mkhedruli. Bracketed
  markers, e-mail addresses, web addresses, all-capital acronyms (CEDAW) and an English speaker label are kept
  as they are: they were typed in Latin on purpose, and an e-mail must stay recognisable to be masked.
- markers: [inaudible], (laughs), [იცინის] … are normalised to one English tag so they can be excluded from
  coding (``mask_markers``) and counted.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# AcadNusx / Georgian keyboard layout: the Latin key that produces each Mkhedruli letter.
LEGACY_TO_MKHEDRULI = {
    "a": "ა", "b": "ბ", "g": "გ", "d": "დ", "e": "ე", "v": "ვ", "z": "ზ", "T": "თ", "i": "ი", "k": "კ",
    "l": "ლ", "m": "მ", "n": "ნ", "o": "ო", "p": "პ", "J": "ჟ", "r": "რ", "s": "ს", "t": "ტ", "u": "უ",
    "f": "ფ", "q": "ქ", "R": "ღ", "y": "ყ", "S": "შ", "C": "ჩ", "c": "ც", "Z": "ძ", "w": "წ", "W": "ჭ",
    "x": "ხ", "j": "ჯ", "h": "ჰ",
}
_LEGACY_TABLE = str.maketrans(LEGACY_TO_MKHEDRULI)
_LEGACY_CAPITALS = "TJRSCZW"



def _words(text: str) -> frozenset[str]:
    """A word list written as one string (long lists stay readable)."""
    return frozenset(text.split())


# Frequent Georgian words that cannot be mistaken for English once typed in Latin (no "is", "an", "me", "am").
_GEORGIAN_COMMON = _words(
    "და რომ არის ეს არ ჩვენ თუ რა ასევე უნდა ძალიან ყველა იყო ჩვენი კი ერთი მაგრამ როგორც ამ მათ ვერ ხომ უკვე "
    "ბევრი ასე რაც მხოლოდ კიდევ ძირითადად ანუ მაგალითად თქვენ თქვენი ჩემი ჩვენთან აქ იქ სადაც როცა ისე ვიდრე "
    "მერე შემდეგ უფრო ყველაზე საკმაოდ რამდენიმე თითქმის გენდერული თანასწორობის ტრენინგი ტრენინგის ქალთა ქალები "
    "ქალების კაცები სამინისტრო სამინისტროში უწყება უწყებაში თანამშრომლები თანამშრომლებს საკითხი საკითხები"
)
_ENGLISH_COMMON = _words(
    "the and of to is in that it for we on are with as be this have not was they our but you he she there "
    "what which who from at by or an if so do does did has had would should could will can about their them "
    "training gender equality women staff ministry"
)
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_GEORGIAN = re.compile(r"[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")
# Spans that are never converted: [markers]/[timestamps]/[Q1], e-mails, URLs, acronyms, an English speaker label.
_PROTECTED = re.compile(
    r"^(?:\[[\d:.,]+\]\s*)?(?:(?:Interviewer|Moderator|Facilitator|Respondent|Participant|Resp\.?)(?:\s*\d{1,2})?"
    r"|[A-Z]{1,4}\d{0,2})\s*:(?=\s|$)"
    r"|\[[^\]\n]*\]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:https?://|www\.)\S+"
    r"|\b[A-Z]{2,}s?\b"
)

# Transcription markers: canonical tag -> variants (case-insensitive, inside [] or ()).
MARKERS: dict[str, tuple[str, ...]] = {
    "inaudible": ("inaudible", "unclear", "unintelligible", "indistinct", "გაუგებარია", "გაურკვეველია",
                  "არ ისმის", "ვერ გაირჩევა", "გაუგებრად", "გაუგებარი"),
    "laughter": ("laughs", "laughter", "laughing", "laugh", "იცინის", "იცინიან", "სიცილი"),
    "crosstalk": ("crosstalk", "cross-talk", "cross talk", "overlapping", "overlapping speech",
                  "ერთდროულად საუბრობენ", "ერთდროული საუბარი", "ერთმანეთს აწყვეტინებენ"),
    "pause": ("pause", "long pause", "silence", "პაუზა", "ხანგრძლივი პაუზა", "დუმილი", "დუმს"),
}
_MARKER_LOOKUP = {variant.casefold(): tag for tag, variants in MARKERS.items() for variant in variants}
_MARKER_RE = re.compile(r"[\[(]\s*([^\[\]()\n]{2,40}?)\s*[\])]")
# Canonical tags hold no space or NUL: coding.prepare_chunk masks markers in many segments joined by " \x00 ",
# which is only the same as masking each segment while no marker can reach across that separator.
CANONICAL_MARKER_RE = re.compile(r"\[(?:%s)\]" % "|".join(MARKERS))

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise_markers(text: str) -> str:
    """Rewrite known transcription markers to ``[inaudible]``, ``[laughter]``, ``[crosstalk]``, ``[pause]``."""

    def replace(match: re.Match[str]) -> str:
        tag = _MARKER_LOOKUP.get(" ".join(match.group(1).split()).casefold())
        return f"[{tag}]" if tag else match.group(0)

    return _MARKER_RE.sub(replace, text)


def _convertible(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, may_convert) pieces around the protected spans."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], True))
        pieces.append((m.group(0), False))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], True))
    return pieces


def looks_like_legacy_georgian(text: str) -> bool:
    """True when a paragraph of Latin letters reads as Georgian once mapped through the legacy keyboard.

    Decided per paragraph on evidence, not per file: a Georgian transcript may quote English ("gender
    mainstreaming"), and converting that would destroy it. Evidence for Georgian: frequent Georgian words after
    conversion, and words with a legacy capital inside (``saqarTvelo``: T=თ, S=შ, C=ჩ …), which English never
    has. Evidence for English: frequent English words.
    """
    plain = " ".join(piece for piece, ok in _convertible(text) if ok)
    latin_words = _LATIN_WORD.findall(plain)
    latin = sum(len(w) for w in latin_words)
    if latin < 6 or latin < 4 * len(_GEORGIAN.findall(text)):
        return False
    english = sum(w.lower() in _ENGLISH_COMMON for w in latin_words)
    georgian = sum(w.translate(_LEGACY_TABLE) in _GEORGIAN_COMMON for w in latin_words)
    inner_capitals = sum(1 for w in latin_words if len(w) > 2 and any(c in _LEGACY_CAPITALS for c in w[1:])
                         and not w.isupper())
    evidence = georgian + inner_capitals
    return evidence >= 2 and evidence > 2 * english


def convert_legacy_georgian(text: str) -> str:
    """Map legacy-font Latin letters to Mkhedruli, leaving protected spans (markers, e-mails, acronyms) alone."""
    return "".join(piece.translate(_LEGACY_TABLE) if ok else piece for piece, ok in _convertible(text))


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


def count_markers(text: str) -> int:
    """Number of canonical transcription markers in ``text``."""
    return len(CANONICAL_MARKER_RE.findall(text))
