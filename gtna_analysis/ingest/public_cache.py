"""Files of public, study-independent data in a build's cache folder: simplemma's dictionaries (lexicon.py) and
the letter models' tables (letter_counts.py).

Why one place: both follow the same rules. A process reads them from the cache folder of the build it is running
(``reading_from``); a file that is absent or fails its checks is ignored and the data derived as before; after a
successful build each file the folder lacks is written atomically (a torn file would fail its checks anyway), and
a folder that cannot be written is no error — the next build derives the data again. Files for another version of
the data are removed, so the folder does not fill up across upgrades.

Large files (the dictionaries, 4–18 MB) are mapped into memory rather than read (``read_mapped``): a rebuild looks
up a few hundred words, so it touches a few pages, not the whole file. Their checksum would still read all of it,
so a file that passed its full check is recorded in ``CHECKED`` with its size, modification time and inode; a
later process that finds the file in the same state skips the checksum, as ``make`` trusts an unchanged file. A
file rewritten, replaced or touched in any way is checked in full again. (The checks detect damage, not forgery:
whoever can write the cache folder can as well edit the published tables.)
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
CHECKED = "checked-files.json"  # file name -> [size, mtime_ns, inode] of a state that passed its full check


def _state(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _checked(directory: Path) -> dict:
    try:
        record = json.loads((directory / CHECKED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _record_checked(directory: Path, name: str, state: list[int]) -> None:
    """Remember that ``name`` in ``state`` passed its full check (entries of files that are gone are dropped);
    a record that cannot be written is no error (the next process checks the file in full)."""
    record = {n: s for n, s in _checked(directory).items() if (directory / n).is_file()}
    record[name] = state
    with contextlib.suppress(OSError):
        replace_file(directory, CHECKED, (json.dumps(record, sort_keys=True) + "\n").encode())


def replace_file(directory: Path, name: str, data: bytes) -> None:
    """``directory/name`` replaced by ``data`` in one rename. Not fsynced: a file torn by a crash fails its checks
    (or, the record of checks, parses as nothing) and is derived again."""
    tmp = directory / f".{name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, directory / name)


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

    def read_mapped(self, name: str | None, decode: Callable[[mmap.mmap, bool], T]) -> T | None:
        """Like ``read`` for a large file: ``decode`` gets the file mapped read-only into memory, and whether the
        file, in its present state, already passed the full check (see the module docstring)."""
        if self.directory is None or name is None:
            return None
        path = self.directory / name
        try:
            with path.open("rb") as fh:
                state = _state(os.fstat(fh.fileno()))
                mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # absent, unreadable, or empty (an empty file cannot be mapped)
            return None
        checked = _checked(self.directory).get(name) == state
        try:
            value = decode(mapped, checked)
        except ValueError:
            return None
        self._valid.add(path)
        if not checked:
            _record_checked(self.directory, name, state)
        return value

    def write(self, directory: Path, name: str | None, data: Callable[[], bytes], mapped: bool = False) -> None:
        """Write ``data()`` as ``directory/name`` unless this process knows that file to be intact there;
        ``mapped``: a file read with ``read_mapped``, whose new state is recorded as checked."""
        if name is None or directory / name in self._valid:
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
            replace_file(directory, name, data())
        except OSError:
            return
        self._valid.add(directory / name)
        if mapped:  # written from data just derived or checked: no need to check it again
            with contextlib.suppress(OSError):
                _record_checked(directory, name, _state((directory / name).stat()))

    @staticmethod
    def remove_others(directory: Path, pattern: str, current: Iterable[str | None]) -> None:
        """Delete the files matching ``pattern`` that are not ``current`` (written for other data)."""
        keep = {name for name in current if name}
        if directory.is_dir():
            for path in directory.glob(pattern):
                if path.name not in keep:
                    with contextlib.suppress(OSError):  # Windows refuses to delete a file another process maps
                        path.unlink(missing_ok=True)
