"""The study folder: which agencies were interviewed, the interview guide, and where the inputs live.

A study folder (``data/raw`` by default) is immutable input. Everything here only reads and validates it;
problems are collected with file and line so ``gtna validate`` can list all of them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.ingest.readers.limits import SETTINGS, parse_positive
from gtna_analysis.schema import CODING_UNITS, LANGUAGES
from gtna_analysis.yamlio import LineDict, LineList, load_yaml_file

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
QUESTION_ID_RE = re.compile(r"^Q\d+[a-z]?$")
# The keys study.yml may use. A misspelt key (``codbook:``) would otherwise be ignored and its default used
# without a word, so an unknown key is an error at its line.
TOP_KEYS = ("study", "agencies", "keep_names", "limits")
STUDY_KEYS = ("id", "title", "languages", "default_language", "fictional", "questionnaire", "codebook",
              "transcripts", "coding_unit")
AGENCY_KEYS = ("id", "name", "short", "wave")


def _unknown_keys(node: LineDict, known: tuple[str, ...], path: Path, where: str, log: ProblemLog) -> None:
    for key in node:
        if key not in known:
            log.add(path, node.line_of(key), f"{where}unknown key {str(key)!r}", f"known keys: {', '.join(known)}")


@dataclass(frozen=True)
class Agency:
    id: str
    name: dict[str, str]
    short: dict[str, str]
    wave: int | None = None

    def label(self, lang: str) -> str:
        return self.name.get(lang) or self.name.get("en") or self.id


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    text: dict[str, str]


@dataclass
class Study:
    root: Path
    id: str
    title: dict[str, str]
    languages: list[str]
    default_language: str
    fictional: bool
    agencies: dict[str, Agency]
    questions: list[Question]
    codebook_path: Path
    transcripts_dir: Path
    interviews_csv: Path | None = None
    questionnaire_path: Path | None = None
    coding_unit: str = "segment"
    keep_names: list[str] = field(default_factory=list)  # public figures whose names stay (see pseudonymise.py)
    limits: dict[str, float] = field(default_factory=dict)  # limits: of study.yml (see ingest/readers/limits.py)
    extra: dict = field(default_factory=dict)

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)


def _bilingual(value: object, path: Path, line: int, what: str, log: ProblemLog, required: bool = True
               ) -> dict[str, str]:
    """Accept ``{ka: .., en: ..}`` (or a plain string, used for every language)."""
    if isinstance(value, str) and value.strip():
        return {lang: value for lang in LANGUAGES}
    if isinstance(value, dict):
        unknown = [k for k in value if k not in LANGUAGES]
        if unknown:
            log.add(path, line, f"{what}: unknown language {unknown[0]!r}", f"use one of {', '.join(LANGUAGES)}")
        out = {k: str(v) for k, v in value.items() if k in LANGUAGES and v}
        if required and not out:
            log.add(path, line, f"{what}: needs a label in ka and/or en")
        return out
    if required:
        log.add(path, line, f"{what}: missing or not a {{ka: ..., en: ...}} mapping")
    return {}


def _load_questionnaire(path: Path, log: ProblemLog) -> list[Question]:
    try:
        data = load_yaml_file(path)
    except GtnaError as exc:
        log.extend(exc)
        return []
    if not isinstance(data, LineDict) or not isinstance(data.get("questions"), LineList):
        log.add(path, getattr(data, "line", 1), "expected a mapping with a 'questions' list")
        return []
    questions: list[Question] = []
    seen: set[str] = set()
    items: LineList = data["questions"]
    for i, item in enumerate(items):
        line = items.line_of(i)
        if not isinstance(item, LineDict):
            log.add(path, line, "each question must be a mapping with id, topic, text")
            continue
        qid = str(item.get("id", ""))
        if not QUESTION_ID_RE.match(qid):
            log.add(path, item.line_of("id"), f"question id {qid!r} must look like Q1, Q2, … Q12")
            continue
        if qid in seen:
            log.add(path, item.line_of("id"), f"duplicate question id {qid!r}")
            continue
        seen.add(qid)
        text = _bilingual(item.get("text"), path, item.line_of("text"), f"question {qid} text", log)
        questions.append(Question(qid, str(item.get("topic", "")), text))
    return questions


def load_study(root: str | Path) -> Study:
    """Load and validate ``study.yml`` and the questionnaire; raise GtnaError listing every problem."""
    root = Path(root)
    study_file = root / "study.yml"
    if not root.is_dir():
        raise GtnaError.at(root, None, "study folder not found", "create one with `gtna init PATH`")
    data = load_yaml_file(study_file)
    log = ProblemLog()
    if not isinstance(data, LineDict):
        raise GtnaError.at(study_file, 1, "expected a mapping with 'study' and 'agencies'")
    _unknown_keys(data, TOP_KEYS, study_file, "", log)
    meta = data.get("study")
    if isinstance(meta, LineDict):
        _unknown_keys(meta, STUDY_KEYS, study_file, "study: ", log)
    else:
        log.add(study_file, data.line, "missing 'study:' section")
        meta = LineDict()
        meta.key_lines = {}
    sid = str(meta.get("id", "study"))
    title = _bilingual(meta.get("title", sid), study_file, meta.line_of("title"), "study title", log)
    languages = list(meta.get("languages", list(LANGUAGES)))
    for lang in languages:
        if lang not in LANGUAGES:
            log.add(study_file, meta.line_of("languages"), f"unknown language {lang!r}",
                    f"supported: {', '.join(LANGUAGES)}")
    default_language = str(meta.get("default_language", languages[0] if languages else "ka"))

    agencies: dict[str, Agency] = {}
    raw_agencies = data.get("agencies")
    if not isinstance(raw_agencies, LineList) or not raw_agencies:
        log.add(study_file, data.line_of("agencies"), "'agencies' must be a non-empty list")
        raw_agencies = LineList()
        raw_agencies.item_lines = []
    for i, item in enumerate(raw_agencies):
        line = raw_agencies.line_of(i)
        if not isinstance(item, LineDict):
            log.add(study_file, line, "each agency must be a mapping with id and name")
            continue
        aid = str(item.get("id", ""))
        _unknown_keys(item, AGENCY_KEYS, study_file, f"agency {aid}: ", log)
        if not ID_RE.match(aid):
            log.add(study_file, item.line_of("id"), f"agency id {aid!r} must be lowercase letters, digits, _",
                    "e.g. moes, molhsa, geostat, tbilisi_city_hall")
            continue
        if aid in agencies:
            log.add(study_file, item.line_of("id"), f"duplicate agency id {aid!r}")
            continue
        name = _bilingual(item.get("name"), study_file, item.line_of("name"), f"agency {aid} name", log)
        short = _bilingual(item.get("short", name), study_file, item.line_of("short"), f"agency {aid} short",
                           log, required=False) or name
        wave = item.get("wave")
        agencies[aid] = Agency(aid, name, short, int(wave) if isinstance(wave, int) else None)

    questionnaire = root / str(meta.get("questionnaire", "questionnaire.yml"))
    questions = _load_questionnaire(questionnaire, log)
    codebook_path = root / str(meta.get("codebook", "codebook.yml"))
    if not codebook_path.exists():
        log.add(codebook_path, None, "codebook not found", "set study.codebook in study.yml")
    transcripts_dir = root / str(meta.get("transcripts", "transcripts"))
    if not transcripts_dir.is_dir():
        log.add(transcripts_dir, None, "transcripts folder not found")
    interviews_csv = root / "interviews.csv"
    coding_unit = str(meta.get("coding_unit", "segment"))
    if coding_unit not in CODING_UNITS:
        log.add(study_file, meta.line_of("coding_unit"), f"coding_unit {coding_unit!r} is not one of "
                f"{', '.join(CODING_UNITS)}")
    keep_names = _keep_names(data.get("keep_names"), study_file, data.line_of("keep_names"), log)
    limits = _limits(data.get("limits"), study_file, data.line_of("limits"), log)
    log.raise_if_any()
    return Study(
        root=root,
        id=sid,
        title=title,
        languages=languages,
        default_language=default_language,
        fictional=bool(meta.get("fictional", False)),
        agencies=agencies,
        questions=questions,
        codebook_path=codebook_path,
        transcripts_dir=transcripts_dir,
        interviews_csv=interviews_csv if interviews_csv.exists() else None,
        questionnaire_path=questionnaire,
        coding_unit=coding_unit,
        keep_names=keep_names,
        limits=limits,
    )


def _keep_names(value: object, path: Path, line: int | None, log: ProblemLog) -> list[str]:
    """``keep_names:`` — a list of full names (given name and surname) of public figures in public roles, whose
    names the pseudonymiser leaves in place when they are mentioned as third parties."""
    if value is None:
        return []
    if not isinstance(value, list):
        log.add(path, line, "keep_names must be a list of full names", "e.g. keep_names: [ირაკლი ღარიბაშვილი]")
        return []
    names: list[str] = []
    for i, item in enumerate(value):
        item_line = value.line_of(i) if isinstance(value, LineList) else line
        if not isinstance(item, str) or len(item.split()) < 2:
            log.add(path, item_line, f"keep_names: {item!r} is not a full name",
                    "give the given name and the surname, e.g. ირაკლი ღარიბაშვილი")
            continue
        names.append(" ".join(item.split()))
    return names


def _limits(value: object, path: Path, line: int | None, log: ProblemLog) -> dict[str, float]:
    """``limits:`` — resource limits for this study (``max_transcript_mb: 50`` …), each a positive number; the
    environment variables still override them for one run."""
    if value is None:
        return {}
    if not isinstance(value, LineDict):
        log.add(path, line, "limits must be a mapping of setting: number", "e.g. limits: {max_transcript_mb: 50}")
        return {}
    limits: dict[str, float] = {}
    for key, raw in value.items():
        if key not in SETTINGS:
            log.add(path, value.line_of(key), f"limits: unknown key {str(key)!r}", f"known keys: {', '.join(SETTINGS)}")
            continue
        number = parse_positive(raw) if isinstance(raw, int | float) else None
        if number is None:
            log.add(path, value.line_of(key), f"limits: {key} must be a positive number, got {raw!r}",
                    f"default: {SETTINGS[key].default:g} {SETTINGS[key].unit}")
            continue
        limits[key] = number
    return limits
