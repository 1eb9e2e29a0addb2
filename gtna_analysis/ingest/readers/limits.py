"""Resource limits for input files and raw regexes: transcript size, ZIP containers (docx, odt, qdpx, xlsx),
symlinks, and the time a raw ``re:`` pattern may spend.

Why: every input is untrusted. A 2 MB .docx whose member inflates to 2 GiB ("zip bomb") took 4–10 GB of memory
before failing; a 200 MB transcript took minutes and gigabytes without a word. A real interview transcript is
0.05–2 MB of text, so the defaults leave two orders of magnitude of room while a hostile or mistaken file is
refused *before* it is read, with a message naming it.

Each limit has three sources, strongest first: the environment variable (``GTNA_MAX_TRANSCRIPT_MB`` …, for one
run or one machine), the study's ``limits:`` mapping in study.yml (``max_transcript_mb: 50``, kept with the data
it is for; see ``study_limits``), and the default below. The settings:

- ``max_transcript_mb`` (20): largest transcript file; above ``warn_transcript_mb`` (5) a build warns that the
  file is unusually large. It stays 20: a build still holds a transcript's segments and codings in memory (a
  20 MB one peaked at 0.8 GiB, see benchmarks/measured/large-transcripts.md), so a larger file is a decision for
  the study, not a default;
- ``max_unzipped_mb`` (200): largest uncompressed member of a ZIP container, checked against the size the
  archive declares and, while reading, against the bytes actually inflated;
- ``max_zip_members`` (10000): most members in one ZIP container;
- ``regex_timeout_s`` (5): seconds one raw ``re:`` pattern may spend on one text;
- ``regex_budget_s`` (60): seconds one raw ``re:`` pattern may spend over a whole build (a pattern that is fast
  on each answer but slow in sum — 0.1 s × 10,000 answers — would otherwise add minutes without a word).
"""

from __future__ import annotations

import contextlib
import os
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from gtna_analysis.errors import GtnaError

MB = 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    """One limit: its study.yml key, environment variable, default and unit (``MB``, ``count`` or ``s``)."""

    key: str
    env: str
    default: float
    unit: str


SETTINGS = {s.key: s for s in (
    Setting("max_transcript_mb", "GTNA_MAX_TRANSCRIPT_MB", 20, "MB"),
    Setting("warn_transcript_mb", "GTNA_WARN_TRANSCRIPT_MB", 5, "MB"),
    Setting("max_unzipped_mb", "GTNA_MAX_UNZIPPED_MB", 200, "MB"),
    Setting("max_zip_members", "GTNA_MAX_ZIP_MEMBERS", 10_000, "count"),
    Setting("regex_timeout_s", "GTNA_REGEX_TIMEOUT_S", 5, "s"),
    Setting("regex_budget_s", "GTNA_REGEX_BUDGET_S", 60, "s"),
)}
_BY_ENV = {s.env: s for s in SETTINGS.values()}
DEFAULTS = {s.env: s.default for s in SETTINGS.values()}
_STUDY: dict[str, float] = {}  # the limits: of the study being built (see study_limits)


def parse_positive(raw: object) -> float | None:
    """``raw`` as a positive finite number, or None (study.yml and the environment share this rule)."""
    if isinstance(raw, bool):
        return None
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if 0 < value < float("inf") else None


@contextlib.contextmanager
def study_limits(values: Mapping[str, float]) -> Iterator[None]:
    """Apply a study's ``limits:`` (validated keys → numbers) while the block runs, e.g. one build.

    Why a process-wide setting: the limits are checked deep in readers (a zip member inside a .qdpx in
    ``codings/``) that know nothing of the study; threading the study through every reader would couple them
    to it. Builds in one process run one at a time, and the previous settings are restored afterwards.
    """
    previous = dict(_STUDY)
    _STUDY.clear()
    _STUDY.update(values)
    try:
        yield
    finally:
        _STUDY.clear()
        _STUDY.update(previous)


def setting(name: str) -> float:
    """The value of a setting (by environment variable name or study.yml key) in its own unit: the environment
    variable when set, else the study's ``limits:`` value, else the default. A bad environment value is an error
    naming the variable."""
    spec = _BY_ENV.get(name) or SETTINGS[name]
    raw = os.environ.get(spec.env, "").strip()
    if raw:
        value = parse_positive(raw)
        if value is None:
            raise GtnaError.at(spec.env, None, f"must be a positive number, got {raw!r}", f"default: {spec.default:g}")
        return value
    return _STUDY.get(spec.key, spec.default)


def limit(name: str) -> int:
    """A size limit in bytes (a member count for ``max_zip_members``), see ``setting``."""
    spec = _BY_ENV.get(name) or SETTINGS[name]
    value = setting(name)
    return int(value * MB) if spec.unit == "MB" else int(value)


def _hint(key: str) -> str:
    spec = SETTINGS[key]
    return f"raise {spec.key} under limits: in study.yml (or {spec.env} for one run)"


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def check_transcript_file(path: Path, study_root: Path) -> None:
    """Refuse a transcript that is a link to a file outside the study, or larger than the maximum; called
    before the file is read so neither costs memory."""
    try:
        real = path.resolve(strict=True)
        real.relative_to(study_root.resolve())
    except ValueError:
        raise GtnaError.at(path, None, f"is a link to {real}, outside the study folder; not read",
                           "copy the transcript into the study folder instead of linking to it") from None
    except OSError:
        raise GtnaError.at(path, None, "is a broken link", "remove it or copy the transcript here") from None
    size = path.stat().st_size
    maximum = limit("GTNA_MAX_TRANSCRIPT_MB")
    if size > maximum:
        raise GtnaError.at(path, None, f"file is {_mb(size)}, above the {_mb(maximum)} limit for a transcript",
                           f"split it into one file per interview, or {_hint('max_transcript_mb')}")


def size_warnings(path: Path) -> list[str]:
    """A warning for a transcript far larger than an interview usually is (it slows every build)."""
    size = path.stat().st_size
    threshold = limit("GTNA_WARN_TRANSCRIPT_MB")
    if size > threshold:
        return [f"{path}: unusually large transcript ({_mb(size)}); is it one interview? Builds will be slow"]
    return []


def check_zip(path: str | Path, zf: zipfile.ZipFile | None = None) -> None:
    """Refuse a ZIP container with too many members or a member declaring more than the uncompressed limit.

    The declared sizes come from the central directory and cost nothing to check. Python's ``zipfile`` never
    inflates a member beyond its declared size (a member that lies fails its CRC check instead), so with the
    declared sizes bounded, so is what any reader built on ``zipfile`` (python-docx, odfpy, openpyxl) inflates.
    A file that is no zip at all passes: the reader of its format reports that in its own words.
    """
    path = Path(path)
    opened = zf is None
    try:
        if zf is None:
            try:
                zf = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError, ValueError):
                return  # not a zip at all: no bomb; the format's own reader says what is wrong with it
        members = zf.infolist()
        most = limit("GTNA_MAX_ZIP_MEMBERS")
        if len(members) > most:
            raise GtnaError.at(path, None, f"archive has {len(members)} members, more than {most}",
                               f"not a document this tool reads; if it is genuine, {_hint('max_zip_members')}")
        maximum = limit("GTNA_MAX_UNZIPPED_MB")
        for info in members:
            if info.file_size > maximum:
                raise GtnaError.at(path, None, f"member {info.filename!r} expands to {_mb(info.file_size)}, above "
                                   f"the {_mb(maximum)} limit", f"if the file is genuine, {_hint('max_unzipped_mb')}")
    finally:
        if opened and zf is not None:
            zf.close()


def read_member(zf: zipfile.ZipFile, member: str, path: str | Path) -> bytes:
    """A member's bytes, read through a capped stream: refused once more than the limit has been inflated,
    whatever the archive declared."""
    maximum = limit("GTNA_MAX_UNZIPPED_MB")
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > maximum:
                    raise GtnaError.at(path, None, f"member {member!r} expands to more than the {_mb(maximum)} "
                                       "limit", f"if the file is genuine, {_hint('max_unzipped_mb')}")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise GtnaError.at(path, None, f"member {member!r} is damaged ({exc})",
                           "open it in the program that wrote it and save it again") from None
    return b"".join(chunks)
