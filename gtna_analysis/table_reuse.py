"""Table files a rebuild takes over from the generation it replaces instead of encoding them again.

Why: after one transcript edit most tables come out exactly as before (the codebook's codes, the participants,
rejections, and the designs and preferences of interviews whose answers did not change), yet writing them as
parquet and CSV is about a third of the time spent writing a build's tables. Each build that has a cache folder
records there, for the generation it published, a digest of every table and the size and modification time of
each of its files (``RECORD``). The next build links — or, where the file system has no hard links, copies — a
file from the previous generation when its table's digest is the same and the file is still the one recorded.

The digest is a SHA-256 of the pickles of the frame's columns (name, type, values; not the index, which is not
written), under the software fingerprint (this package's code, pandas') and pyarrow's version. Equal pickles
mean equal columns, hence — with the same code and libraries — byte-identical files. The values are pickled in a
canonical form (``_canonical``), column by column, because a frame's own pickle also holds how memory happens to
hold it (its column groups, Arrow chunks and slices), which differs between a table made in one go and one
joined from cached pieces; what is left (e.g. equal Python objects shared or not in an object column) can only
make equal tables look different, which costs a write. A file that was changed, replaced or touched since it was
published is written afresh, as is everything when the record is missing, damaged, or names another generation
or folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gtna_analysis.atomic import current_generation, write_text_atomic
from gtna_analysis.errors import GtnaError

RECORD = "published-tables.json"  # in the build's cache folder


def frame_digest(frame: pd.DataFrame, software: str) -> str:
    """The digest that stands for the files ``tables.write_table`` makes of ``frame`` with this ``software``."""
    import pyarrow

    digest = hashlib.sha256(f"{software}|pyarrow {pyarrow.__version__}|{len(frame.columns)}|".encode())
    for name, column in frame.items():  # column by column: a frame's pickle also holds how pandas grouped them
        data = pickle.dumps((name, str(column.dtype), _canonical(column.array)), protocol=pickle.HIGHEST_PROTOCOL)
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _canonical(values: object) -> object:
    """The column's values in a form whose pickle depends on the values alone, not on how memory holds them:
    a table joined from cached pieces holds its strings in several Arrow chunks, or as a slice of a larger
    buffer, and a nullable integer column keeps arbitrary numbers under its missing values. Without this, most
    rebuilds after an edit would find the unchanged designs, preferences and codings "changed"."""
    import pyarrow

    if hasattr(values, "__arrow_array__"):  # Arrow-backed (pandas' str columns): one chunk, no offset
        chunks = values.__arrow_array__()
        array = chunks.combine_chunks() if isinstance(chunks, pyarrow.ChunkedArray) else chunks
        # the indices from numpy (zero-copy), not from a range (one Python int each): half the cost per column
        return array.take(pyarrow.array(np.arange(len(array), dtype=np.int64))) if len(array) else array
    if isinstance(values, pd.arrays.IntegerArray | pd.arrays.FloatingArray | pd.arrays.BooleanArray):
        missing = values.isna()
        return missing, values.fillna(values.dtype.type(0)).to_numpy()
    return values


def _folder_id(out: Path) -> str:
    """Which processed folder a record is about (a cache may serve several through the library); hashed, as a
    folder's path may hold a name."""
    return hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:16]


def _file_state(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


@dataclass
class PreviousTables:
    """The generation a build is about to replace and what its record says of its tables."""

    generation: Path | None = None
    tables: dict[str, dict] = field(default_factory=dict)  # name -> {"digest": ..., "files": {file: [size, mtime]}}
    reused: list[str] = field(default_factory=list)  # tables this build took over, for tests and the log

    @classmethod
    def of(cls, out: Path, cache_dir: str | Path | None) -> PreviousTables:
        """What can be reused in ``out`` (nothing without a cache folder or a valid record of its generation)."""
        if cache_dir is None:
            return cls()
        try:
            generation = current_generation(out)
            record = json.loads((Path(cache_dir) / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError, GtnaError):  # no output yet, a damaged pointer or record: write everything
            return cls()
        if not isinstance(record, dict) or record.get("generation") != generation.name or generation == out \
                or record.get("folder") != _folder_id(out) or not isinstance(record.get("tables"), dict):
            return cls()
        return cls(generation, record["tables"])

    def take(self, name: str, digest: str, files: list[str], stage: Path) -> bool:
        """Link (or copy) table ``name``'s ``files`` into ``stage`` when the previous generation published the
        same digest and its files are unchanged; False (nothing left in ``stage``) otherwise."""
        entry = self.tables.get(name)
        if self.generation is None or not isinstance(entry, dict) or entry.get("digest") != digest \
                or not isinstance(entry.get("files"), dict) or sorted(entry["files"]) != sorted(files):
            return False
        taken: list[Path] = []
        try:
            for file in files:
                source = self.generation / file
                if _file_state(source) != entry["files"][file]:
                    raise FileNotFoundError(file)  # edited or replaced since it was published
                try:
                    os.link(source, stage / file)
                except OSError:  # no hard links here (some network and FAT drives)
                    shutil.copyfile(source, stage / file)
                taken.append(stage / file)
        except OSError:
            for path in taken:
                path.unlink(missing_ok=True)
            return False
        self.reused.append(name)
        return True


def record_published(cache_dir: str | Path | None, out: Path, digests: dict[str, tuple[str, list[str]]]) -> None:
    """Write the record of the generation ``out`` now publishes: each table's digest and its files' states.
    A record that cannot be written is no error (the next build writes every table)."""
    if cache_dir is None:
        return
    generation = current_generation(out)
    try:
        tables = {name: {"digest": digest, "files": {f: _file_state(generation / f) for f in files}}
                  for name, (digest, files) in digests.items()}
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        record = {"generation": generation.name, "folder": _folder_id(out), "tables": tables}
        write_text_atomic(Path(cache_dir) / RECORD, json.dumps(record, sort_keys=True) + "\n")
    except OSError:
        return
