"""Speaker turns: who speaks on each line, and the pseudonymised document text with character offsets.

A turn starts at a line beginning with ``[hh:mm:ss] Label:`` (timestamp optional) and runs until the next label.
Labels are resolved against the interview header: interviewer words in Georgian and English, numbered
respondents (რესპონდენტი 2, R2, P2, Respondent 2), participant ids and participant names. A line that looks like
a label but matches nobody is an error, because silently attributing a quote to the wrong person is worse.

The *document* is our canonical rendition of the transcript: one line per source line, with the speaker label
replaced by the participant id (so names used as labels vanish) and the content pseudonymised. Segment offsets
are character offsets (not bytes) into this document, which is also what REFI-QDA exports as the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .anonymise import Pseudonymiser
from .errors import ProblemLog
from .interview import InterviewMeta
from .readers.base import BodyLine

INTERVIEWER_WORDS = frozenset(
    w.casefold() for w in ("ინტერვიუერი", "მოდერატორი", "ფასილიტატორი", "მკვლევარი", "კითხვა", "Interviewer",
                           "Moderator", "Facilitator", "Researcher", "I", "Q", "INT", "Int.", "ინტ.")
)
RESPONDENT_WORDS = ("რესპონდენტი", "რესპ.", "რესპ", "მონაწილე", "respondent", "resp.", "resp", "participant",
                    "r", "p")
_RESPONDENT_RE = re.compile(
    r"^(?:%s)\s*\.?\s*(\d{1,2})?$" % "|".join(re.escape(w) for w in RESPONDENT_WORDS), re.IGNORECASE
)
_LINE_RE = re.compile(
    r"^(?:\[(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]\s*)?"
    r"(?:(?P<label>[^\s:\[\]()][^:\[\]()?!,;]{0,38}?)\s*:(?:\s+|$))?"
    r"(?P<rest>.*)$"
)
_QTAG_RE = re.compile(r"^\[(Q\d+[a-z]?)\]\s*")
_LABELISH_RE = re.compile(r"^(?:[^\W\d_]{1,20}\.?(?:\s?\d{1,2})?|[A-Z]{1,4}\d{0,2})$")


@dataclass
class Turn:
    turn_no: int
    speaker_id: str
    speaker_role: str  # interviewer | participant | unattributed
    line: int
    content: list[str] = field(default_factory=list)
    t_start: float | None = None
    t_end: float | None = None
    question_tag: str | None = None
    start_char: int = 0
    end_char: int = 0
    text: str = ""


def parse_timestamp(stamp: str) -> float:
    value = 0.0
    for part in stamp.replace(",", ".").split(":"):
        value = value * 60 + float(part)
    return round(value, 3)


def resolve_label(label: str, meta: InterviewMeta) -> tuple[str, str] | None:
    """Map a speaker label to (speaker_id, role); None when it matches nobody."""
    key = label.strip().casefold()
    if key in INTERVIEWER_WORDS or (meta.interviewer and key == meta.interviewer.casefold()):
        return (meta.interviewer or "INT"), "interviewer"
    match = _RESPONDENT_RE.match(label.strip())
    if match:
        number = match.group(1)
        if number is None:
            return (meta.participants[0].id, "participant") if len(meta.participants) == 1 else None
        person = meta.participant(f"P{int(number)}")
        return (person.id, "participant") if person else None
    person = meta.participant(label.strip())
    if person:
        return person.id, "participant"
    for person in meta.participants:
        names = person.name.casefold().split()
        if names and (key == person.name.casefold() or key in names):
            return person.id, "participant"
    return None


def parse_turns(lines: list[BodyLine], meta: InterviewMeta, pseudonymiser: Pseudonymiser,
                known_questions: set[str], log: ProblemLog) -> tuple[str, list[Turn]]:
    """Split cleaned body lines into turns and build the pseudonymised document text."""
    turns: list[Turn] = []
    doc_parts: list[str] = []
    offset = 0
    current: Turn | None = None

    def start_turn(speaker_id: str, role: str, line: int, t_start: float | None, t_end: float | None) -> Turn:
        turn = Turn(len(turns) + 1, speaker_id, role, line, t_start=t_start, t_end=t_end)
        turns.append(turn)
        return turn

    for body in lines:
        if not body.text.strip():
            continue
        m = _LINE_RE.match(body.text)
        assert m is not None  # the pattern matches every string
        stamp, label, rest = m.group("ts"), m.group("label"), m.group("rest")
        t_start = parse_timestamp(stamp) if stamp else body.t_start
        resolved = None
        if body.speaker:  # a VTT voice tag names the speaker
            resolved = resolve_label(body.speaker, meta)
            if resolved is None:
                log.add(meta.source, body.line, f"unknown speaker {body.speaker!r} in voice tag",
                        f"participants: {', '.join(p.id for p in meta.participants)}")
                continue
        if label is not None:
            by_label = resolve_label(label, meta)
            if by_label is not None:
                resolved = by_label
            elif _LABELISH_RE.match(label.strip()):
                log.add(meta.source, body.line, f"unknown speaker label {label.strip()!r}",
                        "use ინტერვიუერი/Interviewer, რესპონდენტი N, P N, or a participant id from the header")
                continue
            else:  # "მაგალითად, ჩვენ: …" is prose with a colon, not a label
                rest = body.text[m.start("label"):]
        prefix = ""
        if stamp:
            prefix += f"[{stamp}] "
        if resolved is not None:
            speaker_id, role = resolved
            current = start_turn(speaker_id, role, body.line, t_start, body.t_end)
            prefix += f"{speaker_id}: "
            if role == "interviewer":
                tag = _QTAG_RE.match(rest)
                if tag:
                    qid = tag.group(1)
                    if qid in known_questions:
                        current.question_tag = qid
                    else:
                        log.add(meta.source, body.line, f"question tag [{qid}] is not in the questionnaire",
                                f"known: {', '.join(sorted(known_questions))}")
                    prefix += tag.group(0)
                    rest = rest[tag.end():]
        elif current is None:
            current = start_turn("", "unattributed", body.line, t_start, body.t_end)
        else:
            if body.t_end is not None:
                current.t_end = body.t_end
        content = pseudonymiser.apply(rest.strip())
        line_text = prefix + content
        if current.content:
            current.content.append(content)
        else:
            current.content = [content]
            current.start_char = offset + len(prefix)
        current.end_char = offset + len(line_text)
        doc_parts.append(line_text + "\n")
        offset += len(line_text) + 1
    document = "".join(doc_parts)
    for turn in turns:
        turn.text = document[turn.start_char:turn.end_char]
    return document, [t for t in turns if t.text.strip() or t.speaker_role != "unattributed"]
