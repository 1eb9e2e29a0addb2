"""``gtna build``: study folder → processed tables (interviews, participants, segments, codings, …).

Every transcript is read, cleaned, pseudonymised, split into turns and aligned to the questionnaire. Problems
in any file are collected; by default one bad file stops the build before anything is written (so the processed
folder never mixes old and new data), ``keep_going`` builds the rest and reports what it skipped.
"""

from __future__ import annotations

import hashlib
import platform
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__
from .align import align_turns
from .anonymise import Pseudonymiser
from .clean import clean_line
from .codebook import Codebook, load_codebook
from .errors import GtnaError, Problem, ProblemLog
from .interview import InterviewMeta, load_interviews_csv, merge_metadata, validate_meta
from .readers import SUPPORTED_SUFFIXES, BodyLine, RawTranscript, read_transcript
from .stage_coding import code_segments
from .study import Study, load_study
from .tables import write_json, write_table
from .turns import parse_turns

SEGMENT_COLUMNS = ["interview_id", "agency", "segment_id", "turn_no", "speaker_id", "speaker_role",
                   "question_id", "question_confidence", "question_method", "start_char", "end_char",
                   "t_start", "t_end", "line", "text", "language", "words"]


@dataclass
class ParsedInterview:
    meta: InterviewMeta
    document: str
    segments: list[dict]
    legacy_paragraphs: int
    sha256: str


@dataclass
class BuildResult:
    study: Study
    codebook: Codebook
    tables: dict[str, pd.DataFrame]
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replacements: Counter = field(default_factory=Counter)


def discover_transcripts(study: Study, log: ProblemLog) -> list[Path]:
    """Transcript files under ``transcripts/<agency>/``; an unknown agency folder is reported, not ignored."""
    files: list[Path] = []
    for child in sorted(study.transcripts_dir.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            if child.name not in study.agencies:
                log.add(child, None, f"folder {child.name!r} is not an agency id in study.yml",
                        f"agencies: {', '.join(study.agencies)}")
                continue
            for f in sorted(child.rglob("*")):
                if f.is_file() and not f.name.startswith((".", "~$")):
                    if f.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(f)
                    else:
                        log.add(f, None, f"unsupported file type {f.suffix!r}",
                                f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
        elif child.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(child)
    return files


def read_all(study: Study, log: ProblemLog) -> list[tuple[RawTranscript, InterviewMeta]]:
    """Read every transcript and validate its metadata; failures go to ``log`` with file and line."""
    csv_rows = load_interviews_csv(study.interviews_csv) if study.interviews_csv else {}
    out: list[tuple[RawTranscript, InterviewMeta]] = []
    seen_ids: dict[str, Path] = {}
    for path in discover_transcripts(study, log):
        rel = path.relative_to(study.transcripts_dir).as_posix()
        try:
            raw = read_transcript(path)
            data, lines = merge_metadata(raw.header, csv_rows.get(rel), path, study.interviews_csv)
            header_line = raw.header.line if raw.header is not None else 1
            meta = validate_meta(data, lines, path, study, header_line)
            folder_agency = path.parent.name if path.parent != study.transcripts_dir else None
            if folder_agency and folder_agency in study.agencies and meta.agency != folder_agency:
                raise GtnaError.at(path, lines.get("agency", header_line),
                                   f"agency {meta.agency!r} but the file is in folder {folder_agency!r}")
            if meta.interview_id in seen_ids:
                raise GtnaError.at(path, lines.get("interview_id", header_line),
                                   f"duplicate interview_id {meta.interview_id!r} (also in "
                                   f"{seen_ids[meta.interview_id]})")
            seen_ids[meta.interview_id] = path
            out.append((raw, meta))
        except GtnaError as exc:
            log.extend(exc)
        except OSError as exc:
            log.add(path, None, f"cannot read file: {exc.strerror or exc}")
    return out


def parse_interview(raw: RawTranscript, meta: InterviewMeta, study: Study, all_meta: list[InterviewMeta],
                    replacements: Counter) -> ParsedInterview:
    """Clean, pseudonymise, split into turns and align one transcript."""
    log = ProblemLog()
    cleaned: list[BodyLine] = []
    legacy = 0
    for body in raw.body:
        text, converted = clean_line(body.text)
        legacy += converted
        cleaned.append(BodyLine(body.line, text, body.t_start, body.t_end, body.speaker))
    pseudonymiser = Pseudonymiser.for_interview(meta, all_meta)
    document, turns = parse_turns(cleaned, meta, pseudonymiser, set(study.question_ids), log)
    if not any(t.speaker_role == "participant" for t in turns) and not log:
        log.add(raw.path, raw.body[0].line if raw.body else None, "no participant turns found",
                "start answers with a speaker label such as 'P1:' or 'რესპონდენტი 1:'")
    log.raise_if_any()
    replacements.update(pseudonymiser.counts)
    alignments = align_turns(turns, study.questions)
    segments = []
    for turn, al in zip(turns, alignments, strict=True):
        segments.append({
            "interview_id": meta.interview_id, "agency": meta.agency,
            "segment_id": f"{meta.interview_id}-{turn.turn_no:03d}", "turn_no": turn.turn_no,
            "speaker_id": turn.speaker_id, "speaker_role": turn.speaker_role,
            "question_id": al.question_id, "question_confidence": al.confidence, "question_method": al.method,
            "start_char": turn.start_char, "end_char": turn.end_char, "t_start": turn.t_start,
            "t_end": turn.t_end, "line": turn.line, "text": turn.text, "language": meta.language,
            "words": len(turn.text.split()),
        })
    sha = hashlib.sha256(raw.path.read_bytes()).hexdigest()
    return ParsedInterview(meta, document, segments, legacy, sha)


def build(study_dir: str | Path, keep_going: bool = False) -> BuildResult:
    """Run the whole input side; raises GtnaError (all problems) unless ``keep_going``."""
    study = load_study(study_dir)
    codebook = load_codebook(study.codebook_path)
    log = ProblemLog()
    read = read_all(study, log)
    all_meta = [m for _, m in read]
    replacements: Counter = Counter()
    parsed: list[ParsedInterview] = []
    warnings: list[str] = []
    for raw, meta in read:
        warnings.extend(raw.warnings)
        try:
            parsed.append(parse_interview(raw, meta, study, all_meta, replacements))
        except GtnaError as exc:
            log.extend(exc)
    if log and not keep_going:
        log.raise_if_any()
    if not parsed:
        raise GtnaError(log.problems or [Problem(str(study.transcripts_dir), None, "no transcripts found")])
    tables = assemble_tables(parsed, study, codebook)
    return BuildResult(study, codebook, tables, log.problems, warnings, replacements)


def assemble_tables(parsed: list[ParsedInterview], study: Study, codebook: Codebook) -> dict[str, pd.DataFrame]:
    parsed = sorted(parsed, key=lambda p: p.meta.interview_id)
    segments = pd.DataFrame([s for p in parsed for s in p.segments], columns=SEGMENT_COLUMNS)
    segments = segments.astype({"question_confidence": "float64", "t_start": "float64", "t_end": "float64"})
    interviews = pd.DataFrame([{
        "interview_id": p.meta.interview_id, "agency": p.meta.agency, "date": p.meta.date, "mode": p.meta.mode,
        "language": p.meta.language, "interviewer": p.meta.interviewer,
        "n_participants": len(p.meta.participants),
        "source_file": p.meta.source.relative_to(study.root).as_posix(), "source_sha256": p.sha256,
        "n_segments": len(p.segments), "words": sum(s["words"] for s in p.segments if
                                                    s["speaker_role"] != "interviewer"),
        "legacy_font_paragraphs": p.legacy_paragraphs,
    } for p in parsed])
    participants = pd.DataFrame([{
        "interview_id": p.meta.interview_id, "agency": p.meta.agency, "participant_id": person.id,
        "participant_key": f"{p.meta.interview_id}:{person.id}", "role": person.role,
        "gender": person.gender, "level": person.level, "mode": p.meta.mode,
    } for p in parsed for person in p.meta.participants])
    documents = pd.DataFrame([{"interview_id": p.meta.interview_id, "agency": p.meta.agency,
                               "language": p.meta.language, "text": p.document} for p in parsed])
    coded = code_segments(study, codebook, segments)
    return {"interviews": interviews, "participants": participants, "segments": segments,
            "codings": coded["codings"], "preferences": coded["preferences"], "documents": documents}


def write_outputs(result: BuildResult, out_dir: str | Path) -> Path:
    """Write every table atomically plus a manifest of inputs, versions and counts (no timestamps)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in result.tables.items():
        write_table(frame, out, name, csv=name != "documents")
    write_table(result.codebook.codes_frame(), out, "codes")
    study = result.study
    inputs = {}
    for path in sorted([study.root / "study.yml", study.codebook_path]
                       + [study.root / f for f in result.tables["interviews"]["source_file"]]):
        inputs[path.relative_to(study.root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    data_hash = hashlib.sha256("".join(f"{k}={v}\n" for k, v in sorted(inputs.items())).encode()).hexdigest()
    manifest = {
        "study_id": study.id,
        "study_title": study.title,
        "fictional": study.fictional,
        "agencies": {a.id: {"name": a.name, "short": a.short} for a in study.agencies.values()},
        "languages": study.languages,
        "codebook": {"id": result.codebook.id, "version": result.codebook.version,
                     "sha256": result.codebook.sha256},
        "inputs": inputs,
        "data_hash": data_hash[:16],
        "counts": {name: len(frame) for name, frame in result.tables.items()},
        "replacements": dict(sorted(result.replacements.items())),
        "skipped": [str(p) for p in result.skipped],
        "software": {"gtna_workbench": __version__, "python": platform.python_version(),
                     "pandas": pd.__version__},
    }
    write_json(out / "manifest.json", manifest)
    return out
