"""Transcripts of a study, found, read and parsed: the ingest half of ``gtna build``.

find the files under ``transcripts/<agency>/`` (with their interviews.csv rows) → read each and validate its
metadata → clean, pseudonymise, split into turns and align to the questionnaire. Problems are collected with file
and line, never raised one at a time; parsed interviews hold no participant names. With a BuildCache, an
unchanged transcript is neither read nor parsed again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.study import Study

from .align import align_turns
from .cache import BuildCache
from .clean import clean_paragraph, count_markers
from .interview import InterviewMeta, load_interviews_csv, merge_metadata, validate_meta
from .pseudonymise import PSEUDONYMISER_VERSION, StudyNames, anonymous_participants, join_hyphenated_lines
from .readers import SUPPORTED_SUFFIXES, BodyLine, RawTranscript, read_transcript
from .readers.limits import check_transcript_file
from .script_verdicts import VERDICTS
from .turns import parse_turns

T = TypeVar("T")
UNSURE_SCRIPT = ("paragraph in Latin letters could be English or Latin-typed Georgian (legacy font or chat "
                 "spelling); left as typed, not converted")
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
    chat_latin_paragraphs: int = 0
    warnings: list[str] = field(default_factory=list)  # "path:line: …" (unsure script detection)


@dataclass
class ReadTranscript:
    """A transcript whose metadata is known: read now (``raw``) or taken from the cache (``cached``)."""

    source: Source
    meta: InterviewMeta
    warnings: list[str]
    raw: RawTranscript | None = None
    cached: dict | None = None

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
                if (f.is_file() or f.is_symlink()) and not f.name.startswith((".", "~$")):  # broken links too
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
            check_transcript_file(path, study.root)  # links out of the study and huge files: refused unread
            sources.append(Source(path, rel, path.read_bytes(), csv_rows.get(rel)))
        except GtnaError as exc:
            log.extend(exc)
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


def no_progress(items: Iterable[T], description: str, total: int | None = None) -> Iterable[T]:
    return items


def read_all(study: Study, sources: list[Source], log: ProblemLog, cache: BuildCache | None = None,
             progress: Progress = no_progress) -> list[ReadTranscript]:
    """Metadata of every transcript (from the cache when the file is unchanged); duplicates are problems."""
    out: list[ReadTranscript] = []
    seen_ids: dict[str, Path] = {}
    for source in progress(sources, "reading", len(sources)):
        cached = cache.load(source.data, source.cache_extra) if cache else None
        try:
            if cached is not None:
                item = ReadTranscript(source, cached["meta"], cached["warnings"], cached=cached)
            else:
                raw, meta, warnings = read_metadata(source, study)
                item = ReadTranscript(source, meta, warnings, raw=raw)
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
    """Clean, pseudonymise, split into turns and align one transcript; raise GtnaError listing its problems.

    ``raw.body`` is consumed (emptied once cleaned) so a large transcript is not held in memory three times."""
    log = ProblemLog()
    texts: list[str] = []
    conversions = []
    warnings: list[str] = []
    for body in raw.body:
        paragraph = clean_paragraph(body.text)
        texts.append(paragraph.text)
        conversions.append(paragraph.conversion)
        if paragraph.unsure:
            warnings.append(f"{raw.path}:{body.line}: {UNSURE_SCRIPT}")
    kinds = Counter(c.kind for c in conversions if c is not None)
    joined = join_hyphenated_lines(texts, names)  # ბერი- / ძეც: a name across lines
    del texts  # one list of line texts at a time (a large transcript's lines are most of its memory)
    cleaned = [BodyLine(body.line, text, body.t_start, body.t_end, body.speaker)
               for body, text in zip(raw.body, joined, strict=True)]
    del joined
    first_line = raw.body[0].line if raw.body else 1
    raw.body = []  # consumed: the raw lines are not kept next to the cleaned ones and the turns
    pseudonymiser = names.for_interview(meta)
    document, turns = parse_turns(cleaned, meta, pseudonymiser, set(study.question_ids), log, conversions)
    if not any(t.speaker_role == "participant" for t in turns) and not log:
        log.add(raw.path, first_line, "no participant turns found",
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
            "t_end": turn.t_end, "line": turn.line, "text": turn.text, "original_text": turn.original_text,
            "script_conversion": "+".join(sorted(turn.conversions)), "language": meta.language,
            "words": len(turn.text.split()),
        })
    anonymous = replace(meta, participants=anonymous_participants(meta, pseudonymiser))
    return ParsedInterview(anonymous, document, segments, kinds["legacy_font"], sha256 or hashlib.sha256(
        raw.path.read_bytes()).hexdigest(), Counter(pseudonymiser.counts), count_markers(document),
        kinds["chat_latin"], warnings)


def names_fingerprint(metas: list[InterviewMeta], keep_names: list[str] | None = None) -> str:
    """Hash of every (interview, participant, name), the kept names and the pseudonymiser's version: parsed text
    stays valid while this does not change."""
    items = sorted((m.interview_id, p.id, p.name) for m in metas for p in m.participants)
    return hashlib.sha256(repr((PSEUDONYMISER_VERSION, items, keep_names or [])).encode()).hexdigest()

def parse_all(items: list[ReadTranscript], study: Study, log: ProblemLog, cache: BuildCache | None,
              progress: Progress = no_progress) -> tuple[list[ParsedInterview], list[str], list[tuple[Source, dict]]]:
    """Parse every transcript (or take it from the cache).

    Returns the parsed interviews, the files read, and the new cache entries, which the caller stores only once
    the build has succeeded (a failed build writes nothing into the output folder, not even cache entries).
    """
    names: StudyNames | None = None  # compiled for the first transcript parsed: a rebuild from the cache needs none
    fingerprint = names_fingerprint([item.meta for item in items], study.keep_names)
    parsed: list[ParsedInterview] = []
    reread: list[str] = []
    pending: list[tuple[Source, dict]] = []
    for item in progress(items, "parsing", len(items)):
        if item.cached is not None and item.cached.get("names") == fingerprint:
            parsed.append(item.cached["parsed"])
            VERDICTS.keep(item.cached.get("verdicts", ()))  # its paragraphs' verdicts, for its next edit
            continue
        if names is None:
            names = StudyNames([item.meta for item in items], study.keep_names)
        try:
            raw = item.raw or read_transcript(item.source.path)
            item.raw = None  # parsed text replaces the raw lines: do not hold both for the rest of the build
            reread.append(item.source.rel)
            mark = VERDICTS.mark()
            result = parse_interview(raw, item.meta, study, names, item.source.sha256)
        except GtnaError as exc:
            log.extend(exc)
            continue
        finally:
            raw = None
        parsed.append(result)
        if cache is not None:
            pending.append((item.source, {"meta": item.meta, "warnings": item.warnings, "names": fingerprint,
                                          "parsed": result, "verdicts": VERDICTS.used_since(mark)}))
    return parsed, reread, pending
