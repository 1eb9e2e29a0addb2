"""The letter models' n-gram tables, kept in the build cache so that a rebuild does not derive them again.

Why: the first paragraph in Latin letters a process has to judge (English, chat-style Latin Georgian, a legacy
font) makes ``letter_model`` derive its Georgian and English models from simplemma's word forms: ~0.6 s per
language, plus decoding simplemma's dictionaries for the training sample. A researcher who edits one transcript
with an English answer in it paid that on every rebuild. The tables are a pure function of simplemma's shipped
data, the sample transcripts' word counts (``word_counts.tsv``) and the training recipe in ``letter_model.py``,
so they are kept as ``<out>/.cache/letter-counts-<lang>-<fingerprint>.bin.gz`` after a successful build and read
back by the next one: the n-gram counts and the two tables the model derives from them (distinct followers and
totals per history), which took as long again to recompute. The file holds letter sequences of
public dictionary words and nothing from a study: ``tests/ingest/test_letter_counts.py`` compares a build's file
with one derived without any study.

The package ships the tables for the simplemma data it is locked to (``data/letter-counts-<lang>.bin.gz``, made by
``python -m gtna_analysis.ingest.letter_model``; a test fails when they no longer match a derivation): a first
build, with an empty cache folder, then derives nothing either. With another simplemma, or after an edit of the
recipe, their fingerprint no longer matches and they are ignored (derived once, then kept in the build cache).

Format (3): a magic line, a JSON header (format, language, fingerprint, SHA-256 of the body) and a binary body
that holds the counts row by row — each history (the letters before the last) once, with the letters that
follow it and their counts, its number of distinct followers and its total (``encode``). Why rows and not one
JSON object (format 2): reading 48,000 n-grams into a dict cost ~45 ms per language on every rebuild that judges
a Latin paragraph, yet such a rebuild asks for a few thousand of them. Now the histories and their two small
tables are read (~10,000 entries), and an n-gram's count is looked up in its history's row the first time the
model asks for it (``RowCounts``). A file that fails any check is ignored (the tables are derived as before) and
written again. The hash detects damage, not forgery: whoever can write the output folder can as well edit its
tables; the structural checks make sure that even a forged file can only give wrong counts, never an exception.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import sys
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from . import lexicon, word_counts
from .public_cache import PublicCacheFiles

FORMAT = 3  # 2: the followers and totals tables too; 3: binary, row by row (see the module docstring)


class NgramTables(NamedTuple):
    """A letter model's tables (letter_model.LetterModel)."""

    counts: Mapping[str, int]  # every 1..order-gram of the training words → its count (a Counter or RowCounts)
    followers: Counter[str]  # history → how many distinct letters follow it
    context_total: Counter[str]  # history → how often any letter follows it

MAGIC = b"GTNA-LETTER-COUNTS\n"
PREFIX = "letter-counts-"
LANGUAGES = ("ka", "en")
_RECIPE = (Path(__file__).with_name("letter_model.py"), Path(word_counts.__file__), word_counts.COUNTS_FILE)
SHIPPED = Path(__file__).with_name("data")  # the package's own copies (see the module docstring)


def shipped_path(lang: str) -> Path:
    return SHIPPED / f"{PREFIX}{lang}.bin.gz"


def shipped(lang: str) -> NgramTables | None:
    """The package's tables of ``lang``; None when absent, damaged or made for other data or another recipe."""
    try:
        return unpack(lang, shipped_path(lang).read_bytes())
    except (OSError, ValueError):
        return None


def pack(lang: str, tables: NgramTables) -> bytes:
    """``encode`` gzip-compressed (the form of both the package's and the cache's files): a fifth of the size,
    and the same tables always give the same bytes."""
    return gzip.compress(encode(lang, tables), compresslevel=9, mtime=0)


def unpack(lang: str, data: bytes) -> NgramTables:
    """The tables a packed file holds; ValueError when it is not a complete, undamaged one (see ``decode``)."""
    try:
        return decode(lang, gzip.decompress(data))
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError; a truncated stream an EOFError
        raise ValueError("damaged compression") from exc


@cache
def fingerprint(lang: str) -> str | None:
    """What ``lang``'s counts depend on: this format, simplemma's data (``lexicon.fingerprint``) and the bytes of
    the training recipe and the word counts. None when simplemma's data file cannot be found (no copy is used)."""
    data = lexicon.fingerprint(lang)
    if data is None:
        return None
    digest = hashlib.sha256(f"gtna-letter-counts-v{FORMAT}|{lang}|{data}|".encode())
    for path in _RECIPE:
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_name(lang: str) -> str | None:
    fp = fingerprint(lang)
    return None if fp is None else f"{PREFIX}{lang}-{fp[:24]}.bin.gz"


_SIZES = struct.Struct("<4Q")  # histories, n-grams, bytes of the histories, bytes of the letters


def encode(lang: str, tables: NgramTables) -> bytes:
    """The file of ``tables``: the same tables always give the same bytes (histories sorted, each row's letters
    sorted). Body: ``_SIZES``; the histories as UTF-8 joined by NUL; each n-gram's last letter, row after row,
    as UTF-8; then little-endian int64 arrays: followers and total per history, where each history's row starts
    (one more than there are histories) and each n-gram's count."""
    counts = tables.counts.complete() if isinstance(tables.counts, RowCounts) else tables.counts
    rows: dict[str, list[tuple[str, int]]] = {}
    for gram, count in counts.items():
        if not gram or "\0" in gram:
            raise ValueError(f"not an n-gram: {gram!r}")
        rows.setdefault(gram[:-1], []).append((gram[-1], count))
    histories = sorted(set(rows) | set(tables.followers) | set(tables.context_total))
    letters: list[str] = []
    values: list[int] = []
    starts = [0]
    for history in histories:
        for letter, count in sorted(rows.get(history, ())):
            letters.append(letter)
            values.append(count)
        starts.append(len(values))
    history_bytes, letter_bytes = "\0".join(histories).encode(), "".join(letters).encode()
    numbers = [[tables.followers[h] for h in histories], [tables.context_total[h] for h in histories], starts,
               values]
    body = _SIZES.pack(len(histories), len(values), len(history_bytes), len(letter_bytes)) + history_bytes + \
        letter_bytes + b"".join(_int64(n) for n in numbers)
    header = {"format": FORMAT, "lang": lang, "fingerprint": fingerprint(lang),
              "sha256": hashlib.sha256(body).hexdigest()}
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def _int64(numbers: list[int]) -> bytes:
    values = array("q", numbers)
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def _int64s(data: memoryview) -> array:
    values = array("q")
    values.frombytes(data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def decode(lang: str, raw: bytes) -> NgramTables:
    """The tables a file holds; ValueError unless it is a complete, undamaged file for ``lang`` and this data."""
    if not raw.startswith(MAGIC):
        raise ValueError("not a letter-counts file")
    end = raw.find(b"\n", len(MAGIC))
    try:
        header = json.loads(raw[len(MAGIC):end]) if end > 0 else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("damaged header") from exc
    expected = {"format": FORMAT, "lang": lang, "fingerprint": fingerprint(lang)}
    if not isinstance(header, dict) or any(header.get(k) != v for k, v in expected.items()):
        raise ValueError("written for another language, format or data")
    body = memoryview(raw)[end + 1:]
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise ValueError("checksum")
    return _tables(body)


def _tables(body: memoryview) -> NgramTables:
    """The tables of a body whose checksum matched; ValueError for any inconsistency (a forged file)."""
    if len(body) < _SIZES.size:
        raise ValueError("not a letter model's tables")
    n_histories, n_grams, history_size, letter_size = _SIZES.unpack(body[:_SIZES.size])
    position = _SIZES.size
    if len(body) != position + history_size + letter_size + 8 * (3 * n_histories + 1 + n_grams):
        raise ValueError("not a letter model's tables")
    try:
        histories = bytes(body[position:position + history_size]).decode().split("\0")
        position += history_size
        letters = bytes(body[position:position + letter_size]).decode()
    except UnicodeDecodeError as exc:
        raise ValueError("not a letter model's tables") from exc
    position += letter_size
    if histories == [""] and n_histories == 0:
        histories = []
    arrays = []
    for size in (n_histories, n_histories, n_histories + 1, n_grams):
        arrays.append(_int64s(body[position:position + 8 * size]))
        position += 8 * size
    followers, totals, starts, counts = arrays
    if len(histories) != n_histories or len(set(histories)) != n_histories or len(letters) != n_grams \
            or starts[0] != 0 or starts[-1] != n_grams or any(a > b for a, b in pairwise(starts)):
        raise ValueError("not a letter model's tables")
    follower_table, total_table = Counter(), Counter()
    dict.update(follower_table, zip(histories, followers, strict=True))
    dict.update(total_table, zip(histories, totals, strict=True))
    return NgramTables(RowCounts(histories, letters, starts, counts), follower_table, total_table)


class RowCounts(dict):
    """n-gram → count, like a Counter (an n-gram not in the tables counts 0), looked up in its history's row
    the first time it is asked for.

    Why a dict: the letter model asks for the same n-grams over and over, and a dict answers a key it holds at C
    speed; the dict itself is only the memo of what was asked. Everything that speaks of the whole table —
    ``len``, iteration, ``in``, ``get``, equality, ``complete`` — answers for all its n-grams."""

    def __init__(self, histories: list[str], letters: str, starts: array, counts: array):
        super().__init__()
        self._row = {history: i for i, history in enumerate(histories)}
        self._letters, self._starts, self._counts = letters, starts, counts
        self._complete: Counter[str] | None = None

    def __missing__(self, gram: str) -> int:  # _find, inlined: this runs ~8,000 times a rebuild
        row = self._row.get(gram[:-1]) if gram else None
        count = 0
        if row is not None:
            at = self._letters.find(gram[-1], self._starts[row], self._starts[row + 1])
            if at >= 0:
                count = self._counts[at]
        self[gram] = count
        return count

    def _find(self, gram: object) -> int | None:
        """The count of ``gram`` in its history's row; None when the row does not hold it."""
        row = self._row.get(gram[:-1]) if isinstance(gram, str) and gram else None
        if row is None:
            return None
        at = self._letters.find(gram[-1], self._starts[row], self._starts[row + 1])
        return None if at < 0 else self._counts[at]

    def complete(self) -> Counter[str]:
        """Every n-gram and its count (built once, when something needs the whole table)."""
        if self._complete is None:
            table: Counter[str] = Counter()
            for history, row in self._row.items():
                for at in range(self._starts[row], self._starts[row + 1]):
                    table[history + self._letters[at]] = self._counts[at]
            self._complete = table
        return self._complete

    def get(self, gram: object, default: object = None) -> object:
        count = self._find(gram)
        return default if count is None else count

    def __contains__(self, gram: object) -> bool:
        return self._find(gram) is not None

    def copy(self) -> Counter[str]:  # type: ignore[override]
        return self.complete().copy()

    def __len__(self) -> int:
        return len(self._counts)

    def __iter__(self) -> Iterator[str]:
        return iter(self.complete())

    def keys(self):  # type: ignore[override]
        return self.complete().keys()

    def values(self):  # type: ignore[override]
        return self.complete().values()

    def items(self):  # type: ignore[override]
        return self.complete().items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowCounts):
            other = other.complete()
        if not isinstance(other, Mapping):
            return NotImplemented
        return self.complete() == (other if isinstance(other, Counter) else Counter(other))

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RowCounts({len(self)} n-grams)"

    def __reduce__(self):
        return Counter, (dict(self.complete()),)


class LetterCounts(PublicCacheFiles):
    """The tables of each language: read from a build cache folder while ``reading_from`` it, remembered once
    derived, and written by ``save`` into a folder that has no intact copy."""

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[str, NgramTables] = {}

    def load(self, lang: str) -> NgramTables | None:
        """The tables of ``lang`` from the current cache folder, else the package's (which need no copy in the
        cache), or None."""
        tables = self.read(file_name(lang) if lang in LANGUAGES else None, lambda raw: unpack(lang, raw))
        if tables is not None:
            self._known[lang] = tables
            return tables
        return shipped(lang) if lang in LANGUAGES else None

    def remember(self, lang: str, tables: NgramTables) -> None:
        """Tables this process derived: ``save`` writes them."""
        self._known[lang] = tables

    def save(self, directory: str | Path) -> None:
        """Write the tables this process has for each language into ``directory`` unless an intact copy is there
        (atomically; a cache that cannot be written is no error); remove files for other data or recipes."""
        directory = Path(directory)
        for lang, tables in list(self._known.items()):
            self.write(directory, file_name(lang), lambda lang=lang, tables=tables: pack(lang, tables))
        self.remove_others(directory, f"{PREFIX}*", map(file_name, LANGUAGES))


LETTER_COUNTS = LetterCounts()

