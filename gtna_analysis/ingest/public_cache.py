"""Files of public, study-independent data in a build's cache folder: simplemma's dictionaries (lexicon.py) and
the letter models' tables (letter_counts.py).

Why one place: both follow the same rules. A process reads them from the cache folder of the build it is running
(``reading_from``); a file that is absent or fails its checks is ignored and the data derived as before; after a
successful build each file the folder lacks is written atomically (a torn file would fail its checks anyway), and
a folder that cannot be written is no error — the next build derives the data again. Files for another version of
the data are removed, so the folder does not fill up across upgrades.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class PublicCacheFiles:
    """Where a process reads its public cache files from, and which files it knows to be intact."""

    def __init__(self) -> None:
        self.directory: Path | None = None  # the cache folder of the build running now, if any
        self._valid: set[Path] = set()  # files read (or written) intact in this process

    @contextlib.contextmanager
    def reading_from(self, directory: str | Path | None) -> Iterator[None]:
        """Look for files in ``directory`` (a build's cache folder) while the block runs."""
        previous, self.directory = self.directory, None if directory is None else Path(directory)
        try:
            yield
        finally:
            self.directory = previous

    def read(self, name: str | None, decode: Callable[[bytes], T]) -> T | None:
        """``decode`` of file ``name`` in the current folder, or None (no folder, no file, or a file ``decode``
        rejects with ValueError)."""
        if self.directory is None or name is None:
            return None
        path = self.directory / name
        try:
            value = decode(path.read_bytes())
        except (OSError, ValueError):
            return None
        self._valid.add(path)
        return value

    def write(self, directory: Path, name: str | None, data: Callable[[], bytes]) -> None:
        """Write ``data()`` as ``directory/name`` unless this process knows that file to be intact there."""
        if name is None or directory / name in self._valid:
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tmp = directory / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(data())
            os.replace(tmp, directory / name)
        except OSError:
            return
        self._valid.add(directory / name)

    @staticmethod
    def remove_others(directory: Path, pattern: str, current: Iterable[str | None]) -> None:
        """Delete the files matching ``pattern`` that are not ``current`` (written for other data)."""
        keep = {name for name in current if name}
        if directory.is_dir():
            for path in directory.glob(pattern):
                if path.name not in keep:
                    path.unlink(missing_ok=True)
