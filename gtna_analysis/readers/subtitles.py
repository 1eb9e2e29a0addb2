"""WebVTT and SRT transcripts (webvtt-py): cue times are kept, ``<v Name>`` voice tags become speakers.

Automatic transcription tools (Zoom, Teams, Whisper) export captions; one cue is one body line. A YAML header can
be given in a leading ``NOTE`` block (VTT) or, for SRT, through interviews.csv.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import GtnaError
from .base import BodyLine, RawTranscript, split_front_matter
from .encoding import decode_bytes


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    value = 0.0
    for part in parts:
        value = value * 60 + float(part)
    return round(value, 3)


def read_subtitles(path: Path) -> RawTranscript:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text, encoding, warnings = decode_bytes(path.read_bytes(), path)
    raw_lines = text.splitlines()
    timing_lines = [i + 1 for i, line in enumerate(raw_lines) if "-->" in line]
    try:
        fmt = "srt" if path.suffix.lower() == ".srt" else "vtt"
        captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format=fmt)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise GtnaError.at(path, None, f"malformed {path.suffix[1:].upper()} file: {exc}") from None
    header = None
    for comment in getattr(captions, "header_comments", []) or []:
        note_lines = comment.splitlines()
        note_start = next((i for i, line in enumerate(raw_lines) if line.strip() == "---"), 0)
        header, _ = split_front_matter(note_lines, path, first_line_no=note_start + 1)
        if header is not None:
            break
    body: list[BodyLine] = []
    for index, cue in enumerate(captions):
        line = timing_lines[index] + 1 if index < len(timing_lines) else 0
        body.append(BodyLine(line, " ".join(cue.text.splitlines()), _seconds(cue.start), _seconds(cue.end),
                             cue.voice or None))
    if not body:
        raise GtnaError.at(path, None, "no cues found in subtitle file")
    return RawTranscript(path, header, body, encoding, warnings)
