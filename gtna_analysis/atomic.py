"""Atomic output: write to a temporary file in the same folder, then rename over the target; publish a set of
files as one generation folder behind a pointer file.

A crash or a validation error half-way through a build must never leave a truncated parquet file that the
notebooks would then read as if it were complete, nor new tables next to old ones; nor may a power loss leave a
name pointing at data that never reached the disk (every publishing rename is preceded by an fsync of what it
publishes and followed by an fsync of its folder, see ``durable_replace``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from gtna_analysis.errors import GtnaError

# Directories can be fsynced on POSIX (which makes a rename durable); Windows cannot open a folder as a file, and
# NTFS journals its renames itself.
DIRECTORY_FSYNC = os.name != "nt"


def fsync_file(path: str | Path) -> None:
    """Force a written file's data to the disk.

    Why: ``os.replace`` is atomic for a *crash of the process*, but after a power loss the rename can be on disk
    while the renamed file's data is not (ext4 delayed allocation, XFS): the pointer would name empty files. So
    every file is flushed before the rename that publishes it."""
    # Windows flushes only through a handle open for writing; POSIX through any descriptor of the file
    fd = os.open(path, (os.O_RDWR | getattr(os, "O_BINARY", 0)) if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(path: str | Path) -> None:
    """Force a folder's entries (creations, renames) to the disk; nothing on Windows (see DIRECTORY_FSYNC)."""
    if not DIRECTORY_FSYNC:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems (certain network mounts) cannot sync a folder: nothing to gain
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def fsync_tree(folder: str | Path) -> None:
    """fsync every file under ``folder``, then every folder (deepest first), then ``folder`` itself."""
    folders = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fsync_file(Path(root) / name)
        folders.append(root)
    for root in reversed(folders):
        fsync_directory(root)


def durable_replace(source: str | Path, target: str | Path) -> None:
    """``os.replace`` that survives a power loss: the source (a file, or a folder whose files were synced) is
    synced before the rename and the target's folder after it."""
    if Path(source).is_file():
        fsync_file(source)
    os.replace(source, target)
    fsync_directory(Path(target).parent)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target`` in one rename (durably:
    the data is on disk before the name points at it)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        durable_replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_open(target: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a file for writing atomically (text by default, ``mode='wb'`` for bytes)."""
    with atomic_path(target) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
        with open(tmp, mode, **kwargs) as fh:
            yield fh


def write_text_atomic(target: str | Path, text: str) -> None:
    with atomic_open(target) as fh:
        fh.write(text)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    with atomic_open(target, "wb") as fh:
        fh.write(data)


POINTER = "CURRENT"  # a one-line text file naming the published generation folder
_GENERATION = re.compile(r"gen-(\d{6,})")
_STAGE = re.compile(r"\.gen-(\d{6,})\.tmp")


def current_generation(folder: str | Path) -> Path:
    """The folder that holds ``folder``'s published files: the generation named by its ``CURRENT`` pointer.

    A folder without a pointer (written before generations existed, or any plain folder of tables) is its own
    generation, so old processed folders and hand-made test folders stay readable.
    """
    folder = Path(folder)
    pointer = folder / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return folder
    if not _GENERATION.fullmatch(name) or not (folder / name).is_dir():
        raise GtnaError.at(pointer, 1, f"names no generation folder of {folder} ({name[:40]!r})",
                           "delete CURRENT and the gen-* folders and run `gtna build` again")
    return folder / name


def _generation_number(name: str) -> int | None:
    match = _GENERATION.fullmatch(name) or _STAGE.fullmatch(name)
    return int(match.group(1)) if match else None


def clean_litter(folder: str | Path) -> list[Path]:
    """Remove what an interrupted run left in ``folder``: staging folders, unpublished generations and the
    hidden ``.*.tmp`` files of atomic writes. Returns what was removed.

    Only names this module creates are touched, so a folder shared with other files is safe. It assumes one
    writer at a time (two builds into the same folder at once would remove each other's staging folder).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    try:
        current = current_generation(folder).name
    except GtnaError:
        current = None
    removed: list[Path] = []
    for path in folder.iterdir():
        name = path.name
        stale_folder = path.is_dir() and (_STAGE.fullmatch(name) or name.startswith(".staging-")
                                         or (_GENERATION.fullmatch(name) and name != current))
        stale_file = path.is_file() and name.startswith(".") and (name.endswith(".tmp")
                                                                  or name.endswith(".tmp.ipynb"))
        if stale_folder:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        elif stale_file:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@contextlib.contextmanager
def publish_generation(folder: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder inside ``folder``; on success it becomes the published generation.

    Why: a build writes many files that only make sense together. They go into ``.gen-<n>.tmp/``, which is
    renamed to ``gen-<n>/`` when complete; then the ``CURRENT`` pointer is replaced in one ``os.replace``. A
    reader that follows the pointer sees either every file of the old build or every file of the new one,
    never a mix, whenever the writer is killed. A pointer file rather than a symlink because researchers on
    Windows often cannot create symlinks. After the switch older generations are deleted (a transcript removed
    from the study must not survive in an old generation); what an interrupted run left is deleted by the next.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)  # the CLI refuses a --out whose parent is missing (a typo)
    numbers = [n for n in (_generation_number(p.name) for p in folder.iterdir()) if n is not None]
    clean_litter(folder)  # numbers are counted first so that a name is never reused
    number = max(numbers, default=0) + 1
    while True:
        stage = folder / f".gen-{number:06d}.tmp"
        try:
            stage.mkdir()
            break
        except FileExistsError:
            number += 1
    try:
        yield stage
        final = folder / f"gen-{number:06d}"
        fsync_tree(stage)  # every table on disk before the generation gets its name …
        durable_replace(stage, final)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    write_text_atomic(folder / POINTER, final.name + "\n")  # … and before the pointer names it (fsynced too)
    clean_litter(folder)  # the generations before this one


BATCH_JOURNAL = ".complete"  # in a batch staging folder: the files to move in, written once all are rendered
_BATCH_STAGE = re.compile(r"\.batch-[A-Za-z0-9_]+\.tmp")
INDEX = "index.html"


def _is_litter(name: str) -> bool:
    return name.startswith(".") and (name.endswith(".tmp") or name.endswith(".tmp.ipynb"))


@contextlib.contextmanager
def publish_batch(folder: str | Path) -> Iterator[Path]:
    """Yield a staging folder inside ``folder``; what is written there (in ``folder``'s layout) is published in
    one step that can be rolled forward.

    Why: each report page and the index are written atomically, but a batch is many pages that belong
    together (the index links them; the cross-agency report compares the agencies' pages). Killed half-way, the
    old way left new pages next to old ones. Now every page is rendered into ``.batch-*.tmp/``; when all are
    there, their list is written to its journal (``.complete``, fsynced with the files); then they are moved in,
    the index last, and the staging folder removed. A run killed before the journal leaves an incomplete stage,
    which the next batch deletes (with its temporary files); one killed after it leaves a complete stage, which
    the next batch *rolls forward* (finishes moving), so the folder always ends up holding one whole batch. It
    assumes one batch at a time per folder, as the build assumes one build per processed folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recover_batches(folder)
    stage = Path(tempfile.mkdtemp(prefix=".batch-", suffix=".tmp", dir=folder))
    try:
        yield stage
        commit_batch(stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    roll_forward(stage, folder)


def commit_batch(stage: Path) -> list[str]:
    """Mark a staging folder complete: fsync its files, then write the journal listing them (index last)."""
    files = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")
                   if p.is_file() and not _is_litter(p.name) and p.name != BATCH_JOURNAL)
    files.sort(key=lambda rel: rel == INDEX)  # stable: the index moves last, so it never links to a missing page
    fsync_tree(stage)
    write_text_atomic(stage / BATCH_JOURNAL, "".join(f"{rel}\n" for rel in files))
    return files


def roll_forward(stage: Path, folder: Path) -> list[str]:
    """Move a complete stage's files into ``folder`` (those already moved by an interrupted run are skipped),
    the index last, then remove the stage. Returns the files moved."""
    files = [line for line in (stage / BATCH_JOURNAL).read_text(encoding="utf-8").splitlines() if line]
    moved, touched = [], set()
    for rel in files:
        source, target = stage / rel, folder / rel
        if not source.is_file():
            continue  # moved before the interruption
        if rel == INDEX:
            for parent in sorted(touched, key=lambda p: -len(p.parts)):  # the pages' names on disk first
                fsync_directory(parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        touched.add(target.parent)
        moved.append(rel)
    for parent in touched:
        fsync_directory(parent)
    shutil.rmtree(stage, ignore_errors=True)
    return moved


def recover_batches(folder: str | Path) -> dict[str, list[Path]]:
    """Deal with the staging folders an interrupted batch left in ``folder``: roll complete ones forward,
    delete incomplete ones. Returns ``{"rolled_forward": [...], "removed": [...]}``."""
    folder = Path(folder)
    done: dict[str, list[Path]] = {"rolled_forward": [], "removed": []}
    if not folder.is_dir():
        return done
    for stage in sorted(folder.iterdir()):
        if not (stage.is_dir() and _BATCH_STAGE.fullmatch(stage.name)):
            continue
        if (stage / BATCH_JOURNAL).is_file():
            roll_forward(stage, folder)
            done["rolled_forward"].append(stage)
        else:
            shutil.rmtree(stage, ignore_errors=True)
            done["removed"].append(stage)
    return done
