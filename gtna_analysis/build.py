"""``gtna build``: study folder → processed tables (interviews, participants, segments, codings, …).

Stages: find the transcripts → read each and validate its metadata → pseudonymise, split into turns and align
to the questionnaire → code → assemble tables → write them. Problems in any file are collected with file and
line; by default one bad file stops the build before anything is written (the processed folder never mixes old
and new data: a build is published as one generation folder behind a pointer file), ``keep_going`` builds the
rest and reports what it skipped.

With a ``cache_dir`` the build is incremental: a transcript whose bytes (and metadata context) did not change is
neither read nor parsed again (see ingest/cache.py); the output is byte-identical either way.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import platform
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gtna_analysis import __version__
from gtna_analysis.atomic import publish_generation
from gtna_analysis.coding.autocoder import AutoCoder
from gtna_analysis.coding.codebook import Codebook, load_codebook
from gtna_analysis.coding.design_reviews import apply_reviews, load_reviews
from gtna_analysis.coding.designs import participant_designs
from gtna_analysis.coding.human import apply_rejections, merge_codings, self_contradictions
from gtna_analysis.coding.lemmas import KeyCache
from gtna_analysis.coding.patterns import PatternTimeout, start_regex_clock
from gtna_analysis.coding.preferences import extract_preferences
from gtna_analysis.errors import GtnaError, Problem, ProblemLog
from gtna_analysis.exchange.coding_files import load_study_codings
from gtna_analysis.ingest.cache import BuildCache, DerivedCache, context_hash, software_fingerprint
from gtna_analysis.ingest.letter_counts import LETTER_COUNTS
from gtna_analysis.ingest.lexicon import LEXICON
from gtna_analysis.ingest.pseudonymise import Pseudonymiser, StudyNames
from gtna_analysis.ingest.readers.limits import study_limits
from gtna_analysis.ingest.script_verdicts import VERDICTS
from gtna_analysis.ingest.transcripts import (
    ParsedInterview,
    Progress,
    collect_sources,
    no_progress,
    parse_all,
    read_all,
)
from gtna_analysis.paths import CODINGS_FOLDER, REVIEWS_FOLDER
from gtna_analysis.schema import DOCUMENT_COLUMNS, INTERVIEW_COLUMNS, PARTICIPANT_COLUMNS, SEGMENT_COLUMNS
from gtna_analysis.study import Study, load_study
from gtna_analysis.table_pieces import TablePiece, typed_alone
from gtna_analysis.table_pieces import join as join_pieces
from gtna_analysis.table_reuse import PreviousTables, frame_digest, record_published
from gtna_analysis.tables import write_json, write_table


@dataclass
class BuildResult:
    study: Study
    codebook: Codebook
    tables: dict[str, pd.DataFrame]
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replacements: Counter = field(default_factory=Counter)
    reread: list[str] = field(default_factory=list)  # interview files read this time (rest came from the cache)
    sources: dict[str, Path] = field(default_factory=dict)  # interview id -> transcript file (never written out)
    read_ids: dict[str, Path] = field(default_factory=dict)  # the same for every file whose metadata was valid
    names: StudyNames | None = None  # the study's participant names, to mask problem messages in the manifest
    cache_dir: Path | None = None  # the build cache it used, if any (write_outputs records its tables there)


def _cache_for(study: Study, cache_dir: str | Path | None) -> BuildCache | None:
    if cache_dir is None:
        return None
    parts = [p.read_bytes() for p in (study.root / "study.yml", study.questionnaire_path) if p and p.exists()]
    return BuildCache(cache_dir, context_hash(str(study.root.resolve()), *parts))


def build(study_dir: str | Path, keep_going: bool = False, cache_dir: str | Path | None = None,
          progress: Progress = no_progress) -> BuildResult:
    """Run the whole input side; raises GtnaError (all problems) unless ``keep_going``.

    A broken codebook does not stop the transcript checks: its problems are reported together with theirs
    (``gtna validate`` lists everything in one run), and then the build stops even with ``keep_going``.
    """
    study = load_study(study_dir)
    # the study's limits (environment variables still override them); simplemma's dictionaries and the letter
    # models' counts from the cache
    with study_limits(study.limits), LEXICON.reading_from(cache_dir), LETTER_COUNTS.reading_from(cache_dir), \
            VERDICTS.reading_from(cache_dir):
        return _build(study, keep_going, cache_dir, progress)


def _build(study: Study, keep_going: bool, cache_dir: str | Path | None, progress: Progress) -> BuildResult:
    log = ProblemLog()
    codebook_log = ProblemLog()
    derived = DerivedCache(cache_dir) if cache_dir is not None else None
    try:
        codebook: Codebook | None = _load_codebook(study.codebook_path, derived)
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
    key_cache = KeyCache(cache_dir) if cache_dir is not None else None
    if key_cache is not None:
        key_cache.load()
    tables = assemble_tables(parsed, study, codebook, derived)
    if key_cache is not None:
        # interviews whose codings came from the cache looked up no stem keys: keep their keys for the next
        # time they are coded (all of them recoded — first build, edited codebook — keeps only the used ones)
        key_cache.save(keep_loaded=derived is not None and derived.hits > 0)
    if derived is not None:
        if codebook.sha256:
            derived.keep("coder", _coder_key(codebook))  # a build that coded nothing still keeps it for the next
        derived.flush()
        if not log:
            derived.prune()
        LEXICON.save(cache_dir)  # copies of the dictionaries this build decoded, for the next (ingest/lexicon.py)
        LETTER_COUNTS.save(cache_dir)  # and of the letter models' counts (ingest/letter_counts.py)
        VERDICTS.save(cache_dir)  # the script verdicts of the paragraphs it judged (ingest/script_verdicts.py)
    warnings = [w for item in items for w in item.warnings] + [w for p in parsed for w in p.warnings] + \
        self_contradictions(tables["rejections"])
    sources = {p.meta.interview_id: p.meta.source for p in parsed}
    read_ids = {item.meta.interview_id: item.source.path for item in items}
    names = StudyNames([item.meta for item in items], study.keep_names) if log else None
    return BuildResult(study, codebook, tables, log.problems, warnings, replacements, reread, sources, read_ids,
                       names, None if cache_dir is None else Path(cache_dir))


def _load_codebook(path: Path, derived: DerivedCache | None) -> Codebook:
    """``load_codebook``, or with a cache the codebook loaded from these exact bytes by this software before
    (parsing and validating the sample codebook's 2,300 patterns is ~0.2 s of every rebuild; unpickling it
    ~2 ms). Only a valid codebook is ever stored, so a cached one needs no validation again."""
    if derived is None:
        return load_codebook(path)
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return load_codebook(path)  # it reports the missing or unreadable file
    key = [software_fingerprint(), str(Path(path).resolve()), str(path), raw]
    cached = derived.load("codebook", key)
    if isinstance(cached, Codebook) and cached.sha256 == hashlib.sha256(raw).hexdigest():
        return cached
    codebook = load_codebook(path)
    derived.store("codebook", key, codebook)
    return codebook


def assemble_tables(parsed: list[ParsedInterview], study: Study, codebook: Codebook,
                    derived: DerivedCache | None = None) -> dict[str, pd.DataFrame]:
    """The processed tables, in a stable order (sorted by interview id) so rebuilds are byte-identical.

    Consumes ``parsed``: each interview's segment dicts are released once they are in the segments frame."""
    parsed = sorted(parsed, key=lambda p: p.meta.interview_id)
    segments = pd.DataFrame([s for p in parsed for s in p.segments], columns=SEGMENT_COLUMNS)
    segments = segments.astype({"question_confidence": "float64", "t_start": "float64", "t_end": "float64"})
    interviews = pd.DataFrame([{
        "interview_id": p.meta.interview_id, "agency": p.meta.agency, "date": p.meta.date, "mode": p.meta.mode,
        "language": p.meta.language, "interviewer": p.meta.interviewer,
        "n_participants": len(p.meta.participants),
        "source_sha256": p.sha256,  # the file's name is not written: it may carry a participant's name
        "n_segments": len(p.segments), "words": sum(s["words"] for s in p.segments if
                                                    s["speaker_role"] != "interviewer"),
        "legacy_font_paragraphs": p.legacy_paragraphs, "chat_latin_paragraphs": p.chat_latin_paragraphs,
        "markers": p.markers,
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
    for p in parsed:  # the segment dicts now live in the frame (~1 KB each): not held twice while coding
        p.segments = []
    coded = code_segments(study, codebook, segments, unit=study.coding_unit, derived=derived)
    return {"interviews": interviews, "participants": participants, "segments": segments,
            "codings": coded["codings"], "rejections": coded["rejections"], "preferences": coded["preferences"],
            "designs": coded["designs"], "documents": documents}


def code_segments(study: Study, codebook: Codebook, segments: pd.DataFrame, unit: str = "segment",
                  derived: DerivedCache | None = None) -> dict[str, pd.DataFrame]:
    """The coding stage: participant segments → auto-codings, merged with the study's human coding files
    (keeping ``source`` auto | manual and ``coder``), less the auto codings researchers rejected (listed in
    ``rejections``) → training preferences.

    With ``derived`` (a build cache), what depends on one interview alone — its auto codings, its training
    designs, its preference rows — is taken from the cache when that interview's inputs did not change, and
    the coder is compiled only if some interview must be coded (see ``per_interview``). Human codings,
    rejections and design reviews are applied fresh every time."""
    coded = segments[segments["speaker_role"] != "interviewer"]
    try:
        start_regex_clock()  # each raw pattern's time budget is per build
        auto = _auto_codings(codebook, coded, unit, derived)
    except PatternTimeout as exc:
        where = Path(codebook.source or "codebook.yml")
        raise GtnaError.at(where, _pattern_line(where, exc.source), str(exc)) from None
    human = load_study_codings(study, codebook, segments)
    codings, rejections = apply_rejections(merge_codings(auto, human), human)
    topics = {q.id: q.topic for q in study.questions}
    topic_part = json.dumps(sorted(topics.items()), ensure_ascii=False)
    if derived is None:
        preferences = extract_preferences(segments, codings, topics)
        designs = participant_designs(segments, topics)
    else:
        segment_lists: dict[str, list] = {}  # the columns preferences and designs both read, listed once
        answers = _contents(segments, _PREFERENCE_INPUTS, segment_lists)
        coded_rows = _contents(codings, list(codings.columns))
        preferences = per_interview(
            derived, "preferences",
            {iid: [topic_part, rows, coded_rows.get(iid, b"")] for iid, rows in answers.items()},
            lambda ids: extract_preferences(_rows_of(segments, ids), _rows_of(codings, ids), topics),
            empty=lambda: extract_preferences(segments.iloc[0:0], codings.iloc[0:0], topics))
        design_rows = _contents(segments, _DESIGN_INPUTS, segment_lists)
        designs = per_interview(
            derived, "designs", {iid: [topic_part, rows] for iid, rows in design_rows.items()},
            lambda ids: participant_designs(_rows_of(segments, ids), topics),
            empty=lambda: participant_designs(segments.iloc[0:0], topics))
    participants = set(segments.loc[segments["speaker_role"] == "participant", "interview_id"] + ":"
                       + segments.loc[segments["speaker_role"] == "participant", "speaker_id"])
    reviews = load_reviews(study.root / REVIEWS_FOLDER, participants)
    agency_of = dict(zip(segments["interview_id"], segments["agency"], strict=True))
    return {"codings": codings, "rejections": rejections, "preferences": preferences,
            "designs": apply_reviews(designs, reviews, agency_of)}


# The segment columns each per-interview result reads (its cache key covers exactly these, plus the software).
_CODER_INPUTS = ["segment_id", "interview_id", "agency", "start_char", "text"]
_PREFERENCE_INPUTS = ["interview_id", "agency", "speaker_id", "speaker_role", "segment_id", "question_id", "text"]
_DESIGN_INPUTS = ["interview_id", "agency", "speaker_id", "speaker_role", "segment_id", "question_id", "turn_no",
                  "text"]


def _auto_codings(codebook: Codebook, coded: pd.DataFrame, unit: str, derived: DerivedCache | None
                  ) -> pd.DataFrame:
    """The auto codings of ``coded``; with a cache, an interview's codings are reused while its segments, the
    codebook's bytes, the coding unit and the software are the same, and the coder is compiled only when some
    interview must be coded. A codebook made in memory (no hash) is never cached."""
    if derived is None or not codebook.sha256:
        return AutoCoder.for_codebook(codebook).code(coded, unit=unit)
    return per_interview(
        derived, "codings",
        {iid: [codebook.sha256, unit, rows] for iid, rows in _contents(coded, _CODER_INPUTS).items()},
        lambda ids: _coder(codebook, derived).code(_rows_of(coded, ids), unit=unit),
        empty=lambda: _coder(codebook, derived).code(coded.iloc[0:0], unit=unit))


def _coder(codebook: Codebook, derived: DerivedCache) -> AutoCoder:
    """The compiled coder: this process's, else the one the build cache holds for this codebook and software
    (unpickled in ~0.2 s; compiling the sample codebook takes ~0.45 s), else compiled now and cached."""
    key = _coder_key(codebook)
    coder = AutoCoder.compiled(codebook)
    if coder is not None:
        if not derived.has("coder", key):  # compiled by an earlier build of this process: the next one needs it
            derived.store("coder", key, coder)
        return coder
    cached = derived.load("coder", key)
    if isinstance(cached, AutoCoder) and cached.codebook.sha256 == codebook.sha256:
        AutoCoder.remember(codebook, cached)
        return cached
    coder = AutoCoder.for_codebook(codebook)
    derived.store("coder", key, coder)
    return coder


def _coder_key(codebook: Codebook) -> list[bytes | str]:
    return [software_fingerprint(), codebook.sha256, str(codebook.source)]


def _contents(frame: pd.DataFrame, columns: list[str], lists: dict[str, list] | None = None) -> dict[str, bytes]:
    """Interview id → the exact content of its rows in ``columns`` (values and column types, in row order), as
    bytes for a cache key; interviews in sorted order (the order of every processed table).

    The values are pickled without pickle's memo (``_pickled``): equal values give equal bytes whether or not
    they are the same objects, and every type stays distinct (1, 1.0, True, "1"; -0.0 and 0.0). Pickling is
    ~9× faster than the ``repr`` this replaced, which escaped every character of every segment's text.
    ``lists``: the columns of ``frame`` already turned into lists by an earlier call (filled in by this one)."""
    types = repr([(c, str(frame[c].dtype)) for c in columns]).encode()
    positions: dict[str, list[int]] = {}
    lists = {} if lists is None else lists
    for column in ("interview_id", *columns):
        if column not in lists:
            lists[column] = frame[column].tolist()
    for i, iid in enumerate(lists["interview_id"]):
        positions.setdefault(str(iid), []).append(i)
    values = [lists[c] for c in columns]
    return {iid: types + b"|" + _pickled([[column[i] for i in positions[iid]] for column in values])
            for iid in sorted(positions)}


def _pickled(value: object) -> bytes:
    """``value``'s pickle without the memo (``Pickler.fast``), so identity never shows in the bytes; only for
    data without cycles (lists of plain values)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def _rows_of(frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    return frame[frame["interview_id"].isin(ids)]


def per_interview(derived: DerivedCache, kind: str, inputs: dict[str, list[bytes | str]],
                  compute: Callable[[list[str]], pd.DataFrame], empty: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A table computed interview by interview, each interview's rows cached under its ``inputs`` (everything
    they depend on) and the software fingerprint.

    ``compute(ids)`` makes the table for all the missing interviews in one call (one coder run, not one per
    interview); its rows are split by interview, each piece typed as computing it alone would type it
    (``table_pieces.typed_alone``), and stored as a ``TablePiece``. The result is the pieces joined in sorted
    interview order — what computing over all of them gives, as every such table is ordered by interview first
    (tests/test_build_cache.py compares warm and cold builds byte for byte). ``empty()`` makes the table of no
    rows (its columns and types)."""
    if not inputs:
        return empty()
    software = software_fingerprint()
    keys = {iid: [software, *parts] for iid, parts in inputs.items()}
    found = {iid: derived.load(kind, key) for iid, key in keys.items()}
    missing = [iid for iid, value in found.items() if not isinstance(value, TablePiece)]
    derived.hits += len(inputs) - len(missing)
    if missing:
        made = compute(missing)
        positions: dict[str, list[int]] = {}
        for i, iid in enumerate(made["interview_id"].tolist()):
            positions.setdefault(str(iid), []).append(i)
        for iid in missing:
            found[iid] = TablePiece.of(typed_alone(made.iloc[positions.get(iid, [])].reset_index(drop=True)))
            derived.store(kind, keys[iid], found[iid])
    pieces = [found[iid] for iid in inputs if len(found[iid])]
    return join_pieces(pieces) if pieces else empty()


def _pattern_line(codebook_file: Path, pattern: str) -> int | None:
    """The codebook line that holds ``pattern`` (the first one, as the codebook is read top-down)."""
    try:
        lines = codebook_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((i for i, line in enumerate(lines, start=1) if pattern in line), None)


def input_files(result: BuildResult) -> list[Path]:
    """Every study file the build read: study.yml, questionnaire, codebook, interviews.csv, transcripts, codings."""
    study = result.study
    files = {study.root / "study.yml", study.codebook_path}
    if study.questionnaire_path:
        files.add(study.questionnaire_path)
    if study.interviews_csv:
        files.add(study.interviews_csv)
    files.update(result.sources.values())
    for folder in (study.root / CODINGS_FOLDER, study.root / REVIEWS_FOLDER):
        if folder.is_dir():
            files.update(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return sorted(p for p in files if p.exists())


def _relative(problem: Problem, root: Path, public: dict[Path, str], names: StudyNames | None = None) -> str:
    """A problem with its path relative to the study (the manifest must not depend on where the study is), a
    transcript named by its public name (see ``_public_names``), never by its file name, and names in the message
    masked (an unknown speaker label can be a name)."""
    resolved = Path(problem.path).resolve()
    if resolved in public:
        path = public[resolved]
    else:
        try:
            path = resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            path = problem.path
    message, hint = problem.message, problem.hint
    if names is not None:
        mask = Pseudonymiser(names)
        message, hint = mask.apply(message), mask.apply(hint) if hint else hint
    return str(Problem(path, problem.line, message, hint))


def _public_names(result: BuildResult) -> dict[Path, str]:
    """Transcript file → the name the manifest may use: ``transcripts/<interview id>``, or for a skipped file
    whose id is unknown ``transcripts/sha256-<first 12 hex digits of its bytes>``. A file name can carry a
    participant's name (ნინო-ბერიძე-interview.md), so it never leaves the build."""
    public = {path.resolve(): f"transcripts/{iid}" for iid, path in {**result.read_ids, **result.sources}.items()}
    for problem in result.skipped:
        path = Path(problem.path)
        if path.resolve() not in public and path.is_file() and result.study.transcripts_dir.resolve() in \
                path.resolve().parents:
            public[path.resolve()] = f"transcripts/sha256-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}"
    return public


def write_outputs(result: BuildResult, out_dir: str | Path) -> Path:
    """Write every table plus a manifest (input hashes, versions, counts; no timestamps) as one unit.

    Files are written into a staging folder that becomes a new generation folder, published by replacing the
    ``CURRENT`` pointer in one step (atomic.publish_generation): an interrupted build leaves the previous
    outputs intact and readable, never half-replaced, and its litter is removed by the next build.
    """
    out = Path(out_dir)
    study = result.study
    public = _public_names(result)
    # relpath, not relative_to: study.yml may name a codebook outside the study (e.g. ../raw/codebook.yml)
    inputs = {public.get(p.resolve()) or Path(os.path.relpath(p, study.root)).as_posix():
              hashlib.sha256(p.read_bytes()).hexdigest() for p in input_files(result)}
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
        "script_conversions": {kind: int(result.tables["interviews"][f"{kind}_paragraphs"].sum())
                               for kind in ("legacy_font", "chat_latin")},
        "skipped": [_relative(p, study.root, public, result.names) for p in result.skipped],
        "software": {"gtna_workbench": __version__, "python": platform.python_version(),
                     "pandas": pd.__version__},
    }
    tables = {**result.tables, "codes": result.codebook.codes_frame()}
    previous = PreviousTables.of(out, result.cache_dir)
    published: dict[str, tuple[str, list[str]]] = {}
    with publish_generation(out) as stage:
        for name, frame in tables.items():
            csv = name != "documents"
            files = [f"{name}.parquet", *([f"{name}.csv"] if csv else [])]
            if result.cache_dir is None:
                write_table(frame, stage, name, csv=csv, staged=True)
                continue
            digest = frame_digest(frame, software_fingerprint())
            if not previous.take(name, digest, files, stage):
                write_table(frame, stage, name, csv=csv, staged=True)
            published[name] = (digest, files)
        write_json(stage / "manifest.json", manifest)
    record_published(result.cache_dir, out, published)
    _remove_flat_layout(out, [*tables, "suggestions"])
    return out


def _remove_flat_layout(out: Path, names: list[str]) -> None:
    """Delete tables a build before generation folders wrote straight into ``out`` (readers no longer see them,
    and a removed transcript must not survive there). Only a folder whose manifest says a build wrote it."""
    manifest = out / "manifest.json"
    try:
        if "data_hash" not in json.loads(manifest.read_text(encoding="utf-8")):
            return
    except (OSError, ValueError):
        return
    for name in names:
        for suffix in (".parquet", ".csv"):
            (out / f"{name}{suffix}").unlink(missing_ok=True)
    (out / "manifest.json").unlink(missing_ok=True)
