"""Interview metadata: the transcript header (or interviews.csv row) validated against the study.

Participants' names are needed only to pseudonymise the text; they are dropped before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.schema import LANGUAGES
from gtna_analysis.study import Study
from gtna_analysis.yamlio import LineDict, LineList

MODES = ("individual", "group")
GENDERS = ("female", "male", "other", "unknown")
LEVELS = ("senior", "mid", "junior", "unknown")
REQUIRED = ("interview_id", "agency", "mode", "language", "participants")
KNOWN_FIELDS = frozenset(("interview_id", "agency", "date", "mode", "language", "interviewer", "participants",
                          "file", "location", "duration", "notes", "transcriber", "wave"))
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# An interviewer is recorded by code (INT1, MB): a name here would reach the processed tables.
INTERVIEWER_RE = re.compile(r"^(?:[A-Z]{1,6}|[A-Za-z]{1,6}[-_]?\d{1,3})$")
INTERVIEW_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PARTICIPANT_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,15}$")
CSV_FIELDS = ("interview_id", "file", "agency", "date", "mode", "language", "interviewer", "participants")


@dataclass(frozen=True)
class Participant:
    id: str
    name: str = ""
    role: str = ""
    gender: str = "unknown"
    level: str = "unknown"


@dataclass
class InterviewMeta:
    interview_id: str
    agency: str
    mode: str
    language: str
    participants: list[Participant]
    date: str = ""
    interviewer: str = ""
    source: Path = field(default_factory=Path)

    def participant(self, pid: str) -> Participant | None:
        return next((p for p in self.participants if p.id.casefold() == pid.casefold()), None)


def _participants_from_csv_cell(cell: str) -> LineList:
    """``P1|Name|role|gender|level; P2|…`` → the same structure a YAML header gives."""
    out = LineList()
    out.item_lines = []
    for chunk in filter(None, (c.strip() for c in cell.split(";"))):
        parts = [p.strip() for p in chunk.split("|")] + [""] * 5
        entry = LineDict(zip(("id", "name", "role", "gender", "level"), parts[:5], strict=True))
        entry.key_lines = {}
        out.append({k: v for k, v in entry.items() if v})
        out.item_lines.append(0)
    return out


def load_interviews_csv(path: Path) -> dict[str, tuple[dict[str, object], int]]:
    """Rows of interviews.csv keyed by transcript file name (relative to transcripts/), with their line."""
    rows: dict[str, tuple[dict[str, object], int]] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GtnaError.at(path, 1, f"interviews.csv is not UTF-8 ({exc.reason})", "save it as UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("interview_id", "file") if c not in (reader.fieldnames or [])]
    if missing:
        raise GtnaError.at(path, 1, f"interviews.csv lacks column(s) {', '.join(missing)}",
                           f"columns: {', '.join(CSV_FIELDS)}")
    for row in reader:
        line = reader.line_num
        record: dict[str, object] = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
        if "participants" in record:
            record["participants"] = _participants_from_csv_cell(str(record["participants"]))
        key = str(record.get("file", "")).replace("\\", "/")
        if not key:
            raise GtnaError.at(path, line, "row without a file name", "give the path under transcripts/")
        if key in rows:
            raise GtnaError.at(path, line, f"file {key!r} listed twice (also on line {rows[key][1]})")
        rows[key] = (record, line)
    return rows


def _comparable(value: object) -> object:
    """Header and CSV values in one form: participants as sorted tuples of their non-empty fields."""
    if isinstance(value, list):
        return sorted(tuple(sorted((str(k), str(v).strip()) for k, v in item.items() if str(v).strip()))
                      if isinstance(item, dict) else (str(item),) for item in value)
    return str(value).strip()


def merge_metadata(header: LineDict | None, csv_row: tuple[dict[str, object], int] | None,
                   path: Path, csv_path: Path | None) -> tuple[dict[str, object], dict[str, int]]:
    """Combine header and CSV metadata; a field given differently in both is an error (which one is right?)."""
    merged: dict[str, object] = {}
    lines: dict[str, int] = {}
    if csv_row:
        record, line = csv_row
        merged.update({k: v for k, v in record.items() if k != "file"})
        lines.update({k: line for k in record})
    if header:
        for key, value in header.items():
            if key in merged and _comparable(merged[key]) != _comparable(value):
                where = f"{csv_path}:{lines[key]}"
                message = (f"participants differ from those in {where}" if key == "participants"
                           else f"{key} is {value!r} here but {merged[key]!r} in {where}")
                raise GtnaError.at(path, header.line_of(key), message,
                                   "keep one source of truth: remove it from the header or from the CSV")
            merged[key] = value
            lines[key] = header.line_of(key)
    return merged, lines


def validate_meta(data: dict[str, object], lines: dict[str, int], path: Path, study: Study,
                  header_line: int, warnings: list[str] | None = None) -> InterviewMeta:
    """Check every field; collect all problems of this file before raising. Unknown fields are warnings."""
    log = ProblemLog()

    def at(key: str) -> int:
        return lines.get(key, header_line)

    if not data:
        raise GtnaError.at(path, 1, "no interview metadata: add a YAML front-matter header or a row in "
                           "interviews.csv", "see README › Transcript files")
    for key in data:
        if key not in KNOWN_FIELDS and warnings is not None:
            warnings.append(f"{path}:{at(str(key))}: unknown header field {key!r} ignored "
                            f"(known: {', '.join(sorted(KNOWN_FIELDS))})")
    for key in REQUIRED:
        if key not in data or data[key] in (None, "", []):
            log.add(path, header_line, f"missing required field '{key}'")
    iid = str(data.get("interview_id", ""))
    if iid and not INTERVIEW_ID_RE.match(iid):
        log.add(path, at("interview_id"), f"interview_id {iid!r} may use letters, digits, '-', '_', '.'")
    agency = str(data.get("agency", ""))
    if agency and agency not in study.agencies:
        log.add(path, at("agency"), f"unknown agency {agency!r}",
                f"agencies in study.yml: {', '.join(study.agencies)}")
    mode = str(data.get("mode", ""))
    if mode and mode not in MODES:
        log.add(path, at("mode"), f"mode must be individual or group, not {mode!r}")
    date = str(data.get("date", "") or "")
    if date and not DATE_RE.match(date):
        log.add(path, at("date"), f"date {date!r} is not YYYY-MM-DD")
    interviewer = str(data.get("interviewer", "") or "")
    if interviewer and not INTERVIEWER_RE.match(interviewer):
        log.add(path, at("interviewer"), f"interviewer {interviewer!r} should be a code such as INT1",
                "names must not reach the processed tables; keep a key of codes elsewhere")
    language = str(data.get("language", ""))
    if language and language not in LANGUAGES:
        log.add(path, at("language"), f"unknown language {language!r}", "use ka or en")
    participants: list[Participant] = []
    raw = data.get("participants") or []
    if raw and not isinstance(raw, list):
        log.add(path, at("participants"), "participants must be a list of {id, name, role, gender, level}")
        raw = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        line = raw.line_of(i) if isinstance(raw, LineList) and raw.line_of(i) else at("participants")
        if not isinstance(item, dict) or not item.get("id"):
            log.add(path, line, "each participant needs at least an id, e.g. {id: P1, name: …}")
            continue
        pid = str(item["id"])
        if not PARTICIPANT_ID_RE.match(pid):
            log.add(path, line, f"participant id {pid!r} should be short, e.g. P1")
        if pid.casefold() in seen:
            log.add(path, line, f"duplicate participant id {pid!r}")
        seen.add(pid.casefold())
        gender = str(item.get("gender", "unknown")).lower()
        level = str(item.get("level", "unknown")).lower()
        if gender not in GENDERS:
            log.add(path, line, f"gender {gender!r} is not one of {', '.join(GENDERS)}")
        if level not in LEVELS:
            log.add(path, line, f"level {level!r} is not one of {', '.join(LEVELS)}")
        participants.append(Participant(pid, str(item.get("name", "") or "").strip(),
                                        str(item.get("role", "") or ""), gender, level))
    if mode == "individual" and len(participants) > 1:
        log.add(path, at("mode"), f"mode is individual but {len(participants)} participants are listed")
    log.raise_if_any()
    return InterviewMeta(iid, agency, mode, language, participants, date, interviewer, path)
