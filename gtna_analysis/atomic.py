"""Atomic output: write to a temporary file in the same folder, then rename over the target; publish a set of
files as one generation folder behind a pointer file.

A crash or a validation error half-way through a build must never leave a truncated parquet file that the
notebooks would then read as if it were complete, nor new tables next to old ones.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from gtna_analysis.errors import GtnaError


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target`` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
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
        os.replace(stage, final)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    write_text_atomic(folder / POINTER, final.name + "\n")
    clean_litter(folder)  # the generations before this one
