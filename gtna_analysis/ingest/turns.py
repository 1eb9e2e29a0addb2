"""Speaker turns: who speaks on each line, and the pseudonymised document text with character offsets.

A turn starts at a line beginning with ``[hh:mm:ss] Label:`` (timestamp optional) and runs until the next label,
across any number of lines and blank lines. Labels are resolved against the interview header: interviewer words
in Georgian and English (optionally numbered: ``Interviewer 2``, ``INT2``), numbered respondents
(რესპონდენტი 2, R2, P2, Respondent 2), participant ids and participant names (in either script). A line that
looks like a label but matches nobody is an error, because silently attributing a quote to the wrong person is
worse than stopping; a colon after ordinary words ("და კიდევ ერთი რამ: …", "მაგალითად: …") is prose.

The *document* is our canonical rendition of the transcript: one line per non-empty source line, with the
speaker label replaced by the speaker id (so names used as labels vanish) and the content pseudonymised. Segment
offsets are character offsets (not bytes) into this document; what lies between segments is only scaffolding
(timestamps, speaker ids, leading ``[Qn]`` tags, line breaks). REFI-QDA exports use the document as source text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gtna_analysis.errors import ProblemLog
from gtna_analysis.ingest.readers.base import BodyLine

from .interview import InterviewMeta
from .original_text import pseudonymised_original
from .pseudonymise import Pseudonymiser, transliterate
from .script_detect import Conversion

INTERVIEWER_WORDS = frozenset(
    w.casefold() for w in ("ინტერვიუერი", "ინტერვიუერ", "მოდერატორი", "ფასილიტატორი", "მკვლევარი", "კითხვა",
                           "Interviewer", "Interviewers", "Moderator", "Facilitator", "Researcher", "I", "Q",
                           "INT", "Int.", "ინტ.", "ინტ", "Mod.")
)
RESPONDENT_WORDS = ("რესპონდენტი", "რესპ.", "რესპ", "მონაწილე", "პასუხი", "respondent", "resp.", "resp",
                    "participant", "r", "p", "answer", "a")
_NUMBERED = re.compile(r"^(?P<word>.*?)\s*\.?\s*(?P<n>\d{1,2})?$")
_TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LINE_RE = re.compile(
    rf"^(?:[\[(](?P<ts>{_TIMESTAMP})[\])]\s*|(?P<bare_ts>\d{{1,2}}:\d{{2}}:\d{{2}})\s+)?"
    r"(?:(?P<label>[^\s:\[\]()][^:\[\]()?!,;\"„“]{0,38}?)\s*:(?:\s+|$))?"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
QUESTION_TAG_RE = re.compile(r"\[(Q\d+[a-z]?)\]")
_LEADING_TAG_RE = re.compile(r"^\[(Q\d+[a-z]?)\]\s*")
_QUESTION_LABEL = re.compile(r"^Q(\d+[a-z]?)$")
# A label that names somebody: one word (with an optional number), an id like P7/R2/INT3, or a Latin name.
_LABELISH_RE = re.compile(
    r"^(?:[^\W\d_]{1,20}\.?(?:\s?\d{1,2})?|[A-Z]{1,4}\d{0,2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+){1,2})$"
)
# Single words that introduce prose with a colon at the start of a line (not speakers).
PROSE_WORDS = frozenset(w.casefold() for w in (
    "მაგალითად", "მაგ", "ანუ", "კერძოდ", "ვთქვათ", "შედეგად", "მოკლედ", "ესეიგი", "ე.ი", "შენიშვნა", "პირველი",
    "მეორე", "მესამე", "პირველ", "ბოლოს", "ასე", "ამიტომ", "თუმცა", "ხოლო", "ფაქტობრივად", "მთავარი",
    "დასკვნა", "პრობლემა", "მიზეზი", "ციტატა", "შეკითხვა", "იდეა", "წინადადება", "ჩანაწერი", "განმარტება",
    "Example", "Note", "First", "Second", "Third", "Finally", "Namely", "However", "So", "Well", "Basically",
    "Problem", "Result", "Answer", "Quote", "Summary", "Conclusion", "Idea", "Reason", "Update", "Tip",
))
UNKNOWN_LABEL_HINT = ("use ინტერვიუერი/Interviewer, რესპონდენტი N/Respondent N, P N, or a participant id or "
                      "name from the header; if this is prose, do not start the line with 'word:'")


@dataclass
class Turn:
    """One speaker's uninterrupted contribution; ``start_char``/``end_char`` index the document."""

    turn_no: int
    speaker_id: str
    speaker_role: str  # interviewer | participant | unattributed
    line: int
    t_start: float | None = None
    t_end: float | None = None
    question_tag: str | None = None
    start_char: int = 0
    end_char: int = 0
    text: str = ""
    original_text: str = ""  # the text as typed, before Latin-typed Georgian was converted (pseudonymised too)
    conversions: set[str] = field(default_factory=set)  # legacy_font / chat_latin, when any line was converted


def parse_timestamp(stamp: str) -> float:
    value = 0.0
    for part in stamp.replace(",", ".").split(":"):
        value = value * 60 + float(part)
    return round(value, 3)


def resolve_label(label: str, meta: InterviewMeta) -> tuple[str, str] | None:
    """Map a speaker label to (speaker_id, role); None when it matches nobody."""
    label = " ".join(label.split())
    key = label.casefold()
    interviewer = meta.interviewer or "INT"
    if key == interviewer.casefold():
        return interviewer, "interviewer"
    numbered = _NUMBERED.match(label)
    word, number = (numbered.group("word").casefold(), numbered.group("n")) if numbered else (key, None)
    if word in INTERVIEWER_WORDS:
        return (interviewer if number is None or number == "1" else f"INT{number}"), "interviewer"
    if word in RESPONDENT_WORDS:
        if number is None:
            return (meta.participants[0].id, "participant") if len(meta.participants) == 1 else None
        n = int(number)
        person = meta.participant(f"P{n}") or (meta.participants[n - 1] if 1 <= n <= len(meta.participants)
                                               else None)
        return (person.id, "participant") if person else None
    person = meta.participant(label)
    if person:
        return person.id, "participant"
    for person in meta.participants:
        full = " ".join(person.name.split()).casefold()
        names = {full, *full.split(), transliterate(full), *transliterate(full).split()}
        if key in names - {""}:
            return person.id, "participant"
    return None


def spoken_part(text: str) -> str:
    """What a line says after its timestamp and speaker label (the whole line when it has no label).

    Script detection judges this part: a Georgian label ("ინტერვიუერი:") in front of a short answer typed in
    Latin letters would otherwise outweigh it, and the same words would be converted after "P1:" but not after
    "რესპონდენტი 1:"."""
    match = _LINE_RE.match(text)
    if match is None or not match.group("label") or not _is_labelish(match.group("label")):
        return text
    return match.group("rest")


def _is_labelish(label: str) -> bool:
    label = " ".join(label.split())
    return bool(_LABELISH_RE.match(label)) and label.rstrip(".").casefold() not in PROSE_WORDS


def parse_turns(lines: list[BodyLine], meta: InterviewMeta, pseudonymiser: Pseudonymiser,
                known_questions: set[str], log: ProblemLog,
                conversions: Sequence[Conversion | None] | None = None) -> tuple[str, list[Turn]]:
    """Split cleaned body lines into turns and build the pseudonymised document text.

    Problems (unknown speakers, unknown question tags) go to ``log``; the offending line is left out.
    ``conversions`` (parallel to ``lines``) tells which lines were converted from Latin-typed Georgian; a turn's
    ``original_text`` is then built from the typed text of those lines, pseudonymised like the document.
    """
    turns: list[Turn] = []
    parts: list[str] = []
    offset = 0
    original_parts: list[str] = []  # the document as typed: differs from ``parts`` only on converted lines
    original_offset = 0
    original_span: dict[int, list[int]] = {}  # turn_no -> [start, end] in the typed document
    current: Turn | None = None
    started: set[int] = set()  # turns that have content (an empty turn keeps offsets just after its label)
    converted = False  # any line converted from Latin-typed Georgian (else the typed document is the document)
    for index, body in enumerate(lines):
        if not body.text.strip():
            continue
        m = _LINE_RE.match(body.text)
        assert m is not None  # the pattern matches every string
        stamp = m.group("ts") or m.group("bare_ts")
        label, rest = m.group("label"), m.group("rest")
        # rest == synthetic + body.text[rest_start:] throughout, so the typed text of ``rest`` can be found
        rest_start, synthetic = m.start("rest"), ""
        resolved = None
        from_voice = False
        if body.speaker:  # a VTT voice tag names the speaker
            resolved = resolve_label(body.speaker, meta)
            from_voice = True
            if resolved is None:
                log.add(meta.source, body.line, f"unknown speaker {body.speaker!r} in voice tag", UNKNOWN_LABEL_HINT)
                continue
        question_label = _QUESTION_LABEL.match(label.strip()) if label else None
        if question_label:  # "Q3: …" — the interviewer asking guide question 3
            resolved = (meta.interviewer or "INT"), "interviewer"
            synthetic = f"[Q{question_label.group(1)}] "
            rest = synthetic + rest
        elif label is not None:
            by_label = resolve_label(label, meta)
            if by_label is not None:
                resolved, from_voice = by_label, False
            elif _is_labelish(label) and not body.speaker:
                log.add(meta.source, body.line, f"unknown speaker label {label.strip()!r}", UNKNOWN_LABEL_HINT)
                continue
            else:  # "მაგალითად, ჩვენ: …" is prose with a colon, not a label
                rest, rest_start = body.text[m.start("label"):], m.start("label")
        prefix = f"[{stamp}] " if stamp else ""
        t_start = parse_timestamp(stamp) if stamp else body.t_start
        if from_voice and current is not None and resolved == (current.speaker_id, current.speaker_role):
            resolved = None  # the next caption of the same voice continues the turn
        if resolved is not None:
            speaker_id, role = resolved
            current = Turn(len(turns) + 1, speaker_id, role, body.line, t_start, body.t_end)
            current.start_char = current.end_char = offset + len(prefix) + len(speaker_id) + 2
            turns.append(current)
            prefix += f"{speaker_id}: "
            lead = _LEADING_TAG_RE.match(rest) if role == "interviewer" else None
            if lead:
                prefix += lead.group(0)
                rest = rest[lead.end():]
                rest_start += max(0, lead.end() - len(synthetic))
                synthetic = synthetic[lead.end():]
                _tag(current, lead.group(1), known_questions, meta, body.line, log)
        elif current is None:
            current = Turn(len(turns) + 1, "", "unattributed", body.line, t_start, body.t_end)
            current.start_char = current.end_char = offset + len(prefix)
            turns.append(current)
        elif body.t_end is not None:
            current.t_end = body.t_end
        if current.speaker_role == "interviewer":
            for qid in QUESTION_TAG_RE.findall(rest):
                _tag(current, qid, known_questions, meta, body.line, log)
        content = pseudonymiser.apply(rest.strip())
        conversion = conversions[index] if conversions else None
        original = content
        if conversion is not None:
            original = pseudonymised_original(conversion, rest_start, synthetic, content, pseudonymiser)
            current.conversions.add(conversion.kind)
        start = offset + len(prefix)
        original_start = original_offset + len(prefix)
        if content:
            if current.turn_no not in started:
                started.add(current.turn_no)
                current.start_char = start
                original_span[current.turn_no] = [original_start, original_start]
            current.end_char = start + len(content)
            original_span[current.turn_no][1] = original_start + len(original)
        line_text = prefix + content + "\n"
        parts.append(line_text)
        offset += len(line_text)
        if conversion is not None:
            converted = True
        original_parts.append(line_text if original is content else prefix + original + "\n")
        original_offset += len(prefix) + len(original) + 1
    document = "".join(parts)
    del parts  # the lines live on in the document; peak memory is one copy of the text, not two
    # The typed document differs only where a line was converted; without any, each turn's original_text is its
    # text (the same object: a large transcript does not hold its text twice).
    typed = "".join(original_parts) if converted else None
    del original_parts
    for turn in turns:
        turn.text = document[turn.start_char:turn.end_char]
        span = original_span.get(turn.turn_no)
        turn.original_text = typed[span[0]:span[1]] if span and typed is not None and turn.conversions else turn.text
    _fill_end_times(turns)
    return document, turns


def _tag(turn: Turn, qid: str, known: set[str], meta: InterviewMeta, line: int, log: ProblemLog) -> None:
    """Record a ``[Qn]`` tag on an interviewer turn (the last tag of a turn wins: answers follow it)."""
    if qid in known:
        turn.question_tag = qid
    else:
        log.add(meta.source, line, f"question tag [{qid}] is not in the questionnaire",
                f"known: {', '.join(sorted(known, key=lambda q: (len(q), q)))}")


def _fill_end_times(turns: list[Turn]) -> None:
    """A timestamped turn without an end time ends where the next timestamped turn starts."""
    following: float | None = None
    for turn in reversed(turns):
        if turn.t_end is None and turn.t_start is not None and following is not None and following >= turn.t_start:
            turn.t_end = following
        if turn.t_start is not None:
            following = turn.t_start
