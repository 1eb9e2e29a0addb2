"""Text cleaning for transcripts: encoding repair, Unicode NFC, whitespace, transcription markers, Latin-typed
Georgian.

Why each step exists:
- mojibake: UTF-8 Georgian opened as Windows-1252 (or -1251) and saved again turns ნ into "áƒœ"; ftfy reverses it.
- NFC: the same visible text can be stored in several code-point sequences; pattern matching needs one.
- Latin-typed Georgian: before Unicode, Georgian was typed with Latin keys and shown with fonts such as
  AcadNusx ("საქართველოში" stored as "saqarTveloSi"); on phones and in e-mails people still type it in Latin,
  chat-style ("saqartveloshi"). script_detect.py tells these apart from English per paragraph and converts only
  when it is sure; an unsure paragraph is kept as typed and reported. The text before conversion is kept
  (``CleanParagraph.original``) so the segments table can carry it next to the converted text.
- markers: [inaudible], (laughs), [იცინის] … are normalised to one English tag so they can be excluded from
  coding (``mask_markers``) and counted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ftfy

from .script_detect import Conversion, Detection, convert, detect, protected_pieces
from .script_verdicts import VERDICTS
from .translit import LEGACY_TO_MKHEDRULI, legacy_to_mkhedruli
from .turns import spoken_part

__all__ = ["LEGACY_TO_MKHEDRULI", "CleanParagraph", "clean_line", "clean_paragraph", "convert_legacy_georgian",
           "count_markers", "looks_like_legacy_georgian", "mask_markers", "normalise_markers"]

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


def looks_like_legacy_georgian(text: str) -> bool:
    """True when ``text`` is confidently legacy-font (AcadNusx) Georgian (see script_detect.detect)."""
    found = detect(text)
    return found.converts and found.kind == "legacy_font"


def convert_legacy_georgian(text: str) -> str:
    """Map legacy-font Latin letters to Mkhedruli, leaving protected spans (markers, e-mails, acronyms) alone."""
    return "".join(legacy_to_mkhedruli(piece) if ok else piece for piece, ok in protected_pieces(text))


@dataclass(frozen=True)
class CleanParagraph:
    """One cleaned line/paragraph: its text (converted to Mkhedruli when we were sure), what was detected, and
    the conversion (None when nothing was converted; then ``original == text``)."""

    text: str
    detection: Detection
    conversion: Conversion | None = None

    @property
    def original(self) -> str:
        return self.conversion.original if self.conversion else self.text

    @property
    def kind(self) -> str:
        """"" | legacy_font | chat_latin: the conversion applied."""
        return self.conversion.kind if self.conversion else ""

    @property
    def unsure(self) -> bool:
        """Latin letters we could not confidently call English or Georgian: left as typed, worth a warning."""
        return not self.detection.confident


def clean_paragraph(text: str) -> CleanParagraph:
    """Clean one line/paragraph: repair, normalise, and convert Latin-typed Georgian when confident."""
    text = ftfy.fix_encoding(text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = normalise_markers(text)
    # the speaker label's script says nothing about the answer's; a paragraph judged by an earlier build of
    # this cache folder is not judged again (script_verdicts.py)
    found = VERDICTS.detect(spoken_part(text))
    if not found.converts:
        return CleanParagraph(text, found)
    conversion = _normalise_converted_markers(convert(text, found.kind))
    return CleanParagraph(conversion.text, found, conversion)


def clean_line(text: str) -> tuple[str, bool]:
    """Clean one line/paragraph; returns (clean text, whether Latin-typed Georgian was converted)."""
    cleaned = clean_paragraph(text)
    return cleaned.text, cleaned.conversion is not None


def _normalise_converted_markers(conversion: Conversion) -> Conversion:
    """Markers typed in Latin-typed Georgian ("(icinis)") become tags once converted; the pieces a marker spans
    are merged into one, so the original of every piece is still known."""
    text = conversion.text
    spans = [m.span() for m in _MARKER_RE.finditer(text)
             if " ".join(m.group(1).split()).casefold() in _MARKER_LOOKUP]
    if not spans:
        return conversion
    groups: list[tuple[set[int], int, int, list[str]]] = []  # (spans touched, start, end, originals)
    position = 0
    for original, converted in conversion.pieces:
        end = position + len(converted)
        touched = {i for i, (a, b) in enumerate(spans) if a < end and b > position}
        if touched and groups and groups[-1][0] & touched:
            groups[-1][0].update(touched)
            groups[-1] = (groups[-1][0], groups[-1][1], end, groups[-1][3] + [original])
        else:
            groups.append((touched, position, end, [original]))
        position = end
    return Conversion(conversion.kind, tuple(
        ("".join(originals), normalise_markers(text[start:end]) if touched else text[start:end])
        for touched, start, end, originals in groups))


def mask_markers(text: str) -> str:
    """Blank out canonical markers (same length) so the auto-coder never matches inside them."""
    return CANONICAL_MARKER_RE.sub(lambda m: " " * len(m.group(0)), text)


def count_markers(text: str) -> int:
    """Number of canonical transcription markers in ``text``."""
    return len(CANONICAL_MARKER_RE.findall(text))
