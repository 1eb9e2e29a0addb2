"""``gtna build``: study folder → processed tables (interviews, participants, segments, codings, …).

Stages: find the transcripts → read each and validate its metadata → pseudonymise, split into turns and align
to the questionnaire → code → assemble tables → write them. Problems in any file are collected with file and
line; by default one bad file stops the build before anything is written (the processed folder never mixes old
and new data), ``keep_going`` builds the rest and reports what it skipped.

With a ``cache_dir`` the build is incremental: a transcript whose bytes (and metadata context) did not change is
neither read nor parsed again (see ingest/cache.py); the output is byte-identical either way.
"""

from __future__ import annotations

import hashlib
import os
import platform
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import pandas as pd

from gtna_analysis import __version__
from gtna_analysis.atomic import staged_directory
from gtna_analysis.coding.autocoder import AutoCoder
from gtna_analysis.coding.codebook import Codebook, load_codebook
from gtna_analysis.coding.human import merge_codings
from gtna_analysis.coding.preferences import extract_preferences
from gtna_analysis.errors import GtnaError, Problem, ProblemLog
from gtna_analysis.exchange.coding_files import load_study_codings
from gtna_analysis.ingest.align import align_turns
from gtna_analysis.ingest.cache import BuildCache, context_hash
from gtna_analysis.ingest.clean import clean_line, count_markers
from gtna_analysis.ingest.interview import (
    InterviewMeta,
    load_interviews_csv,
    merge_metadata,
    validate_meta,
)
from gtna_analysis.ingest.pseudonymise import StudyNames, anonymous_participants
from gtna_analysis.ingest.readers import SUPPORTED_SUFFIXES, BodyLine, RawTranscript, read_transcript
from gtna_analysis.ingest.turns import parse_turns
from gtna_analysis.paths import CODINGS_FOLDER
from gtna_analysis.schema import DOCUMENT_COLUMNS, INTERVIEW_COLUMNS, PARTICIPANT_COLUMNS, SEGMENT_COLUMNS
from gtna_analysis.study import Study, load_study
from gtna_analysis.tables import write_json, write_table

T = TypeVar("T")
Progress = Callable[..., Iterable]  # (items, description, total) -> items, e.g. console.Output.progress



@dataclass
class Source:
    """One transcript file as found on disk (bytes read once: hashed, cached, parsed)."""

    path: Path
    rel: str  # path under transcripts/, the key of interviews.csv
    data: bytes
    csv_row: tuple[dict[str, object], int] | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def cache_extra(self) -> str:
        return f"{self.path.resolve()}|{self.csv_row!r}"


@dataclass
class ParsedInterview:
    """A transcript after cleaning, pseudonymisation, turn parsing and alignment. Holds no names."""

    meta: InterviewMeta
    document: str
    segments: list[dict]
    legacy_paragraphs: int
    sha256: str
    replacements: Counter = field(default_factory=Counter)
    markers: int = 0


@dataclass
class _Read:
    """A transcript whose metadata is known: read now (``raw``) or taken from the cache (``cached``)."""

    source: Source
    meta: InterviewMeta
    warnings: list[str]
    raw: RawTranscript | None = None
    cached: dict | None = None


@dataclass
class BuildResult:
    study: Study
    codebook: Codebook
    tables: dict[str, pd.DataFrame]
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replacements: Counter = field(default_factory=Counter)
    reread: list[str] = field(default_factory=list)  # interview files read this time (rest came from the cache)


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
                        log.add(f, 1, f"unsupported file type {f.suffix!r}",
                                f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
        elif child.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(child)
    return files


def collect_sources(study: Study, log: ProblemLog) -> list[Source]:
    """Every transcript's bytes and interviews.csv row; CSV rows naming no existing file are problems."""
    csv_rows: dict[str, tuple[dict[str, object], int]] = {}
    if study.interviews_csv:
        try:
            csv_rows = load_interviews_csv(study.interviews_csv)
        except GtnaError as exc:
            log.extend(exc)
    sources: list[Source] = []
    for path in discover_transcripts(study, log):
        rel = path.relative_to(study.transcripts_dir).as_posix()
        try:
            sources.append(Source(path, rel, path.read_bytes(), csv_rows.get(rel)))
        except OSError as exc:
            log.add(path, 1, f"cannot read file: {exc.strerror or exc}")
    found = {s.rel for s in sources}
    for rel, (_, line) in csv_rows.items():
        if rel not in found:
            log.add(study.interviews_csv or "interviews.csv", line, f"no transcript file {rel!r} under "
                    f"{study.transcripts_dir}", "the file column is the path under transcripts/")
    return sources


def read_metadata(source: Source, study: Study) -> tuple[RawTranscript, InterviewMeta, list[str]]:
    """Read one transcript and validate its metadata (header and/or interviews.csv row)."""
    raw = read_transcript(source.path)
    warnings = list(raw.warnings)
    data, lines = merge_metadata(raw.header, source.csv_row, source.path, study.interviews_csv)
    header_line = raw.header.line if raw.header is not None else 1
    meta = validate_meta(data, lines, source.path, study, header_line, warnings)
    folder = source.path.parent.name if source.path.parent != study.transcripts_dir else None
    if folder and folder in study.agencies and meta.agency != folder:
        raise GtnaError.at(source.path, lines.get("agency", header_line),
                           f"agency {meta.agency!r} but the file is in folder {folder!r}")
    return raw, meta, warnings


def _no_progress(items: Iterable[T], description: str, total: int | None = None) -> Iterable[T]:
    return items


def read_all(study: Study, sources: list[Source], log: ProblemLog, cache: BuildCache | None = None,
             progress: Progress = _no_progress) -> list[_Read]:
    """Metadata of every transcript (from the cache when the file is unchanged); duplicates are problems."""
    out: list[_Read] = []
    seen_ids: dict[str, Path] = {}
    for source in progress(sources, "reading", len(sources)):
        cached = cache.load(source.data, source.cache_extra) if cache else None
        try:
            if cached is not None:
                item = _Read(source, cached["meta"], cached["warnings"], cached=cached)
            else:
                raw, meta, warnings = read_metadata(source, study)
                item = _Read(source, meta, warnings, raw=raw)
            iid = item.meta.interview_id
            if iid in seen_ids:
                raise GtnaError.at(source.path, 1 if item.raw is None or item.raw.header is None
                                   else item.raw.header.line_of("interview_id"),
                                   f"duplicate interview_id {iid!r} (also in {seen_ids[iid]})")
            seen_ids[iid] = source.path
            out.append(item)
        except GtnaError as exc:
            log.extend(exc)
    return out


def parse_interview(raw: RawTranscript, meta: InterviewMeta, study: Study, names: StudyNames,
                    sha256: str = "") -> ParsedInterview:
    """Clean, pseudonymise, split into turns and align one transcript; raise GtnaError listing its problems."""
    log = ProblemLog()
    cleaned: list[BodyLine] = []
    legacy = 0
    for body in raw.body:
        text, converted = clean_line(body.text)
        legacy += converted
        cleaned.append(BodyLine(body.line, text, body.t_start, body.t_end, body.speaker))
    pseudonymiser = names.for_interview(meta)
    document, turns = parse_turns(cleaned, meta, pseudonymiser, set(study.question_ids), log)
    if not any(t.speaker_role == "participant" for t in turns) and not log:
        log.add(raw.path, raw.body[0].line if raw.body else 1, "no participant turns found",
                "start answers with a speaker label such as 'P1:' or 'რესპონდენტი 1:'")
    log.raise_if_any()
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
    anonymous = replace(meta, participants=anonymous_participants(meta, pseudonymiser))
    return ParsedInterview(anonymous, document, segments, legacy, sha256 or hashlib.sha256(
        raw.path.read_bytes()).hexdigest(), Counter(pseudonymiser.counts), count_markers(document))


def names_fingerprint(metas: list[InterviewMeta]) -> str:
    """Hash of every (interview, participant, name): parsed text stays valid while this does not change."""
    items = sorted((m.interview_id, p.id, p.name) for m in metas for p in m.participants)
    return hashlib.sha256(repr(items).encode()).hexdigest()


def _cache_for(study: Study, cache_dir: str | Path | None) -> BuildCache | None:
    if cache_dir is None:
        return None
    parts = [p.read_bytes() for p in (study.root / "study.yml", study.questionnaire_path) if p and p.exists()]
    return BuildCache(cache_dir, context_hash(str(study.root.resolve()), *parts))


def parse_all(items: list[_Read], study: Study, log: ProblemLog, cache: BuildCache | None,
              progress: Progress = _no_progress) -> tuple[list[ParsedInterview], list[str], list[tuple[Source, dict]]]:
    """Parse every transcript (or take it from the cache).

    Returns the parsed interviews, the files read, and the new cache entries, which the caller stores only once
    the build has succeeded (a failed build writes nothing into the output folder, not even cache entries).
    """
    names = StudyNames([item.meta for item in items])
    fingerprint = names_fingerprint([item.meta for item in items])
    parsed: list[ParsedInterview] = []
    reread: list[str] = []
    pending: list[tuple[Source, dict]] = []
    for item in progress(items, "parsing", len(items)):
        if item.cached is not None and item.cached.get("names") == fingerprint:
            parsed.append(item.cached["parsed"])
            continue
        try:
            raw = item.raw or read_transcript(item.source.path)
            reread.append(item.source.rel)
            result = parse_interview(raw, item.meta, study, names, item.source.sha256)
        except GtnaError as exc:
            log.extend(exc)
            continue
        parsed.append(result)
        if cache is not None:
            pending.append((item.source, {"meta": item.meta, "warnings": item.warnings, "names": fingerprint,
                                          "parsed": result}))
    return parsed, reread, pending


def build(study_dir: str | Path, keep_going: bool = False, cache_dir: str | Path | None = None,
          progress: Progress = _no_progress) -> BuildResult:
    """Run the whole input side; raises GtnaError (all problems) unless ``keep_going``.

    A broken codebook does not stop the transcript checks: its problems are reported together with theirs
    (``gtna validate`` lists everything in one run), and then the build stops even with ``keep_going``.
    """
    study = load_study(study_dir)
    log = ProblemLog()
    codebook_log = ProblemLog()
    try:
        codebook: Codebook | None = load_codebook(study.codebook_path)
    except GtnaError as exc:
        codebook_log.extend(exc)
        codebook = None
    cache = _cache_for(study, cache_dir)
    items = read_all(study, collect_sources(study, log), log, cache, progress)
    parsed, reread, pending = parse_all(items, study, log, cache, progress)
    if codebook is None:
        raise GtnaError(codebook_log.problems + log.problems)
    if log and not keep_going:
        log.raise_if_any()
    if not parsed:
        raise GtnaError(log.problems or [Problem(str(study.transcripts_dir), None, "no transcripts found")])
    if cache is not None:
        for source, entry in pending:
            cache.store(source.data, source.cache_extra, entry)
        if not log:
            cache.prune()
    replacements: Counter = Counter()
    for p in parsed:
        replacements.update(p.replacements)
    tables = assemble_tables(parsed, study, codebook)
    warnings = [w for item in items for w in item.warnings]
    return BuildResult(study, codebook, tables, log.problems, warnings, replacements, reread)


def assemble_tables(parsed: list[ParsedInterview], study: Study, codebook: Codebook) -> dict[str, pd.DataFrame]:
    """The processed tables, in a stable order (sorted by interview id) so rebuilds are byte-identical."""
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
        "legacy_font_paragraphs": p.legacy_paragraphs, "markers": p.markers,
        "pseudonymised": sum(p.replacements.values()),
    } for p in parsed], columns=INTERVIEW_COLUMNS)
    participants = pd.DataFrame([{
        "interview_id": p.meta.interview_id, "agency": p.meta.agency, "participant_id": person.id,
        "participant_key": f"{p.meta.interview_id}:{person.id}", "role": person.role,
        "gender": person.gender, "level": person.level, "mode": p.meta.mode,
    } for p in parsed for person in p.meta.participants], columns=PARTICIPANT_COLUMNS)
    documents = pd.DataFrame([{"interview_id": p.meta.interview_id, "agency": p.meta.agency,
                               "language": p.meta.language, "text": p.document} for p in parsed],
                             columns=DOCUMENT_COLUMNS)
    coded = code_segments(study, codebook, segments, unit=study.coding_unit)
    return {"interviews": interviews, "participants": participants, "segments": segments,
            "codings": coded["codings"], "preferences": coded["preferences"], "documents": documents}


def code_segments(study: Study, codebook: Codebook, segments: pd.DataFrame,
                  unit: str = "segment") -> dict[str, pd.DataFrame]:
    """The coding stage: participant segments → auto-codings, merged with the study's human coding files
    (keeping ``source`` auto | manual and ``coder``) → training preferences."""
    coded = segments[segments["speaker_role"] != "interviewer"]
    auto = AutoCoder(codebook).code(coded, unit=unit)
    codings = merge_codings(auto, load_study_codings(study, codebook, segments))
    preferences = extract_preferences(segments, codings, {q.id: q.topic for q in study.questions})
    return {"codings": codings, "preferences": preferences}


def input_files(result: BuildResult) -> list[Path]:
    """Every study file the build read: study.yml, questionnaire, codebook, interviews.csv, transcripts, codings."""
    study = result.study
    files = {study.root / "study.yml", study.codebook_path}
    if study.questionnaire_path:
        files.add(study.questionnaire_path)
    if study.interviews_csv:
        files.add(study.interviews_csv)
    files.update(study.root / f for f in result.tables["interviews"]["source_file"])
    codings = study.root / CODINGS_FOLDER
    if codings.is_dir():
        files.update(p for p in codings.rglob("*") if p.is_file() and not p.name.startswith("."))
    return sorted(p for p in files if p.exists())


def _relative(problem: Problem, root: Path) -> str:
    """A problem with its path relative to the study (the manifest must not depend on where the study is)."""
    try:
        path = Path(problem.path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        path = problem.path
    return str(Problem(path, problem.line, problem.message, problem.hint))


def write_outputs(result: BuildResult, out_dir: str | Path) -> Path:
    """Write every table plus a manifest (input hashes, versions, counts; no timestamps) as one unit.

    Files are written into a staging folder first and moved into place only when all were written, manifest
    last, so an interrupted build leaves the previous outputs intact rather than half-replaced.
    """
    out = Path(out_dir)
    study = result.study
    # relpath, not relative_to: study.yml may name a codebook outside the study (e.g. ../raw/codebook.yml)
    inputs = {Path(os.path.relpath(p, study.root)).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in input_files(result)}
    data_hash = hashlib.sha256("".join(f"{k}={v}\n" for k, v in sorted(inputs.items())).encode()).hexdigest()
    manifest = {
        "study_id": study.id,
        "study_title": study.title,
        "fictional": study.fictional,
        "agencies": {a.id: {"name": a.name, "short": a.short} for a in study.agencies.values()},
        "agency_order": list(study.agencies),
        "languages": study.languages,
        "codebook": {"id": result.codebook.id, "version": result.codebook.version,
                     "sha256": result.codebook.sha256},
        "inputs": inputs,
        "data_hash": data_hash[:16],
        "counts": {name: len(frame) for name, frame in result.tables.items()},
        "replacements": dict(sorted(result.replacements.items())),
        "skipped": [_relative(p, study.root) for p in result.skipped],
        "software": {"gtna_workbench": __version__, "python": platform.python_version(),
                     "pandas": pd.__version__},
    }
    with staged_directory(out, last=("manifest.json",)) as stage:
        for name, frame in result.tables.items():
            write_table(frame, stage, name, csv=name != "documents")
        write_table(result.codebook.codes_frame(), stage, "codes")
        write_json(stage / "manifest.json", manifest)
    return out
