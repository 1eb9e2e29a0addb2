"""Atomic output: write to a temporary file in the same folder, then rename over the target.

A crash or a validation error half-way through a build must never leave a truncated parquet file that the
notebooks would then read as if it were complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


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


@contextlib.contextmanager
def staged_directory(target: str | Path, last: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a hidden staging folder inside ``target``; on success move its files into ``target``.

    Each move is an atomic rename, and the files named in ``last`` (a manifest) move after all others, so
    readers that trust the manifest never see it next to tables from another build. On failure the staging
    folder is removed and ``target`` keeps its previous contents.
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
    try:
        yield stage
        files = sorted(p for p in stage.iterdir() if p.is_file())
        for path in sorted(files, key=lambda p: (p.name in last, p.name)):
            os.replace(path, target / path.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
