"""Resource limits for input files: transcript size, ZIP containers (docx, odt, qdpx, xlsx) and symlinks.

Why: every input is untrusted. A 2 MB .docx whose member inflates to 2 GiB ("zip bomb") took 4–10 GB of memory
before failing; a 200 MB transcript took minutes and gigabytes without a word. A real interview transcript is
0.05–2 MB of text, so the defaults below leave two orders of magnitude of room while a hostile or mistaken file
is refused *before* it is read, with a message naming it. The limits can be raised for unusual studies with
environment variables (megabytes):

- ``GTNA_MAX_TRANSCRIPT_MB`` (default 20): largest transcript file (a build holds a transcript and its segments
  in memory: RSS passed 0.7 GB partway through a build of a 20 MB one); above ``GTNA_WARN_TRANSCRIPT_MB``
  (default 5) a build warns that the file is unusually large;
- ``GTNA_MAX_UNZIPPED_MB`` (default 200): largest uncompressed member of a ZIP container, checked against the
  size the archive declares and, while reading, against the bytes actually inflated;
- ``GTNA_MAX_ZIP_MEMBERS`` (default 10000): most members in one ZIP container.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

from gtna_analysis.errors import GtnaError

MB = 1024 * 1024
DEFAULTS = {"GTNA_MAX_TRANSCRIPT_MB": 20, "GTNA_WARN_TRANSCRIPT_MB": 5, "GTNA_MAX_UNZIPPED_MB": 200,
            "GTNA_MAX_ZIP_MEMBERS": 10_000}
_CHUNK = 1024 * 1024


def limit(name: str) -> int:
    """The limit ``name`` of DEFAULTS in bytes (a member count for GTNA_MAX_ZIP_MEMBERS), from the environment
    when set there; a value that is not a positive number is an error naming the variable."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else float(DEFAULTS[name])
    except ValueError:
        value = -1.0
    if not value > 0:
        raise GtnaError.at(name, None, f"must be a positive number, got {raw!r}", f"default: {DEFAULTS[name]}")
    return int(value) if name == "GTNA_MAX_ZIP_MEMBERS" else int(value * MB)


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
                           "split it into one file per interview, or raise GTNA_MAX_TRANSCRIPT_MB")


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
                               "not a document this tool reads; raise GTNA_MAX_ZIP_MEMBERS if it is genuine")
        maximum = limit("GTNA_MAX_UNZIPPED_MB")
        for info in members:
            if info.file_size > maximum:
                raise GtnaError.at(path, None, f"member {info.filename!r} expands to {_mb(info.file_size)}, above "
                                   f"the {_mb(maximum)} limit", "raise GTNA_MAX_UNZIPPED_MB if the file is genuine")
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
                                       "limit", "raise GTNA_MAX_UNZIPPED_MB if the file is genuine")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise GtnaError.at(path, None, f"member {member!r} is damaged ({exc})",
                           "open it in the program that wrote it and save it again") from None
    return b"".join(chunks)
