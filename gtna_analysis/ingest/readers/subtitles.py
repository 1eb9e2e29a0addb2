"""WebVTT and SRT transcripts (webvtt-py): cue times are kept, ``<v Name>`` voice tags become speakers.

Automatic transcription tools (Zoom, Teams, Whisper) export captions. Each cue becomes one body line, except that
a line inside a cue starting with a speaker prefix (``P2: …``) or a dialogue dash (``- …``) starts a new line, so
two speakers sharing a cue are told apart; other wrapped lines are joined with a space. The YAML header goes in a
leading ``NOTE`` block (VTT), at the very top of an SRT file, or in interviews.csv.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from gtna_analysis.errors import GtnaError

from .base import BodyLine, RawTranscript, split_front_matter
from .encoding import decode_bytes

_DIALOGUE_DASH = re.compile(r"^[-–—]\s+")
_SPEAKER_PREFIX = re.compile(r"^(?:\[[\d:.,]+\]\s*)?[^\s:\[][^:]{0,38}:\s")


def _seconds(stamp: str) -> float:
    value = 0.0
    for part in stamp.replace(",", ".").split(":"):
        value = value * 60 + float(part)
    return round(value, 3)


def _cue_lines(text: str) -> list[str]:
    """Split a cue's text where a new speaker starts; join wrapped lines."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        undashed = _DIALOGUE_DASH.sub("", line)
        if out and undashed == line and not _SPEAKER_PREFIX.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(undashed)
    return out


def read_subtitles(path: Path) -> RawTranscript:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text, encoding, warnings = decode_bytes(path.read_bytes(), path)
    raw_lines = text.splitlines()
    is_srt = path.suffix.lower() == ".srt"
    header, skip = (split_front_matter(raw_lines, path) if is_srt else (None, 0))
    if skip:  # blank out the header so webvtt sees a plain SRT file and line numbers stay true
        text = "\n" * skip + "\n".join(raw_lines[skip:])
        raw_lines = text.splitlines()
    timing_lines = [i + 1 for i, line in enumerate(raw_lines) if "-->" in line]
    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO(text.lstrip("\n")), format="srt" if is_srt else "vtt")
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        raise GtnaError.at(path, 1, f"malformed {path.suffix[1:].upper()} file: {exc}") from None
    for comment in getattr(captions, "header_comments", []) or []:
        note_start = next((i for i, line in enumerate(raw_lines) if line.strip() == "---"), 0)
        header, _ = split_front_matter(comment.splitlines(), path, first_line_no=note_start + 1)
        if header is not None:
            break
    body: list[BodyLine] = []
    for index, cue in enumerate(captions):
        first = timing_lines[index] + 1 if index < len(timing_lines) else 1
        t_start, t_end = _seconds(cue.start), _seconds(cue.end)
        for k, line in enumerate(_cue_lines(cue.text)):
            body.append(BodyLine(first + k, line, t_start, t_end, (cue.voice or None) if k == 0 else None))
    if not body:
        raise GtnaError.at(path, 1, "no cues found in subtitle file")
    return RawTranscript(path, header, body, encoding, warnings)
