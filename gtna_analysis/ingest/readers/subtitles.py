"""WebVTT and SRT transcripts (webvtt-py): cue times are kept, ``<v Name>`` voice tags become speakers.

Automatic transcription tools (Zoom, Teams, Otter, Whisper) export captions. Each cue becomes one body line,
except that a line inside a cue starting with a speaker prefix (``P2: …``) or a dialogue dash (``- …``) starts a
new line; other wrapped lines are joined with a space. The YAML header goes in a leading ``NOTE`` block (VTT), at
the very top of an SRT file, or in interviews.csv.

Turns, as the README promises: a cue whose ``Name:`` prefix repeats the speaker of the line before loses the
prefix, so consecutive cues of one speaker (Zoom writes the name into every cue) continue one turn, as voice tags
do. A cue of dialogue dashes (``- So two days?`` / ``- Yes.``) holds an exchange, the subtitle convention for a change
of speaker inside a cue: each dash line switches to the other party — the speaker before the current one — and is
marked with that speaker like a voice tag, so the follow-up question goes to the interviewer and the answer back to
the participant. A dash line with its own ``Name:`` or voice keeps that name. With no earlier second speaker to
switch to (a dash cue at the very start), the line stays with the current speaker and the reader warns there.
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
_PREFIX_LABEL = re.compile(r"^(?P<label>[^\s:\[\]()][^:\[\]()?!,;]{0,38}):\s+(?P<rest>.*)$", re.DOTALL)


def _seconds(stamp: str) -> float:
    value = 0.0
    for part in stamp.replace(",", ".").split(":"):
        value = value * 60 + float(part)
    return round(value, 3)


def _cue_lines(text: str) -> list[tuple[str, bool]]:
    """Split a cue's text where a new speaker starts; join wrapped lines. Each line: (text, began with a dash)."""
    out: list[tuple[str, bool]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        undashed = _DIALOGUE_DASH.sub("", line)
        if out and undashed == line and not _SPEAKER_PREFIX.match(line):
            out[-1] = (f"{out[-1][0]} {line}", out[-1][1])
        else:
            out.append((undashed, undashed != line))
    return out


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class _Speakers:
    """Who spoke the line before (``current``) and who spoke before that (``other``), by label as written."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.other: str | None = None

    def switch(self, label: str) -> None:
        if not _same(self.current, label):
            self.other, self.current = self.current, label


def _prefix_label(line: str) -> tuple[str, str] | None:
    """(label, rest) for a ``Name: text`` line whose label looks like a name (at most three words), else None."""
    match = _PREFIX_LABEL.match(line)
    if match is None or len(match.group("label").split()) > 3:
        return None
    return match.group("label").strip(), match.group("rest")


def _cue_body(cue_lines: list[tuple[str, bool]], voice: str | None, first: int, times: tuple[float, float],
              speakers: _Speakers, warnings: list[str], path: Path) -> list[BodyLine]:
    """Body lines of one cue, with the turn rules of the module docstring applied."""
    dialogue = sum(dashed for _, dashed in cue_lines) >= 2
    body: list[BodyLine] = []
    for k, (line, dashed) in enumerate(cue_lines):
        speaker = voice if k == 0 and voice else None
        prefixed = _prefix_label(line)
        if speaker:
            speakers.switch(speaker)
        elif prefixed is not None:
            label, rest = prefixed
            if _same(label, speakers.current):
                line = rest  # the same speaker goes on: no new turn
            speakers.switch(label)
        elif dialogue and dashed:
            if speakers.other is None:
                warnings.append(f"{path}:{first + k}: a dialogue dash starts a second speaker here, but no "
                                "earlier speaker is known; the line stays with the current speaker "
                                "(write 'Name: …' after the dash)")
            else:
                speaker = speakers.other
                speakers.switch(speaker)
        body.append(BodyLine(first + k, line, *times, speaker))
    return body


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
    speakers = _Speakers()
    warnings = list(warnings)
    for index, cue in enumerate(captions):
        first = timing_lines[index] + 1 if index < len(timing_lines) else 1
        times = (_seconds(cue.start), _seconds(cue.end))
        body.extend(_cue_body(_cue_lines(cue.text), cue.voice or None, first, times, speakers, warnings, path))
    if not body:
        raise GtnaError.at(path, 1, "no cues found in subtitle file")
    return RawTranscript(path, header, body, encoding, warnings)
