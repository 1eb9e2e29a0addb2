"""The letter models' n-gram tables, kept in the build cache so that a rebuild does not derive them again.

Why: the first paragraph in Latin letters a process has to judge (English, chat-style Latin Georgian, a legacy
font) makes ``letter_model`` derive its Georgian and English models from simplemma's word forms: ~0.6 s per
language, plus decoding simplemma's dictionaries for the training sample. A researcher who edits one transcript
with an English answer in it paid that on every rebuild. The tables are a pure function of simplemma's shipped
data, the sample transcripts' word counts (``word_counts.tsv``) and the training recipe in ``letter_model.py``,
so they are kept as ``<out>/.cache/letter-counts-<lang>-<fingerprint>.json.gz`` after a successful build and read
back (~0.03 s) by the next one: the n-gram counts and the two tables the model derives from them (distinct
followers and totals per history), which took as long again to recompute. The file holds letter sequences of
public dictionary words and nothing from a study: ``tests/ingest/test_letter_counts.py`` compares a build's file
with one derived without any study.

The package ships the tables for the simplemma data it is locked to (``data/letter-counts-<lang>.json.gz``, made by
``python -m gtna_analysis.ingest.letter_model``; a test fails when they no longer match a derivation): a first
build, with an empty cache folder, then derives nothing either. With another simplemma, or after an edit of the
recipe, their fingerprint no longer matches and they are ignored (derived once, then kept in the build cache).

Format: a magic line, a JSON header (format, language, fingerprint, SHA-256 of the body) and a JSON body with the
three tables (n-gram → count, history → distinct followers, history → total). A file that fails any check is
ignored (the tables are derived as before) and written again. The hash detects damage, not forgery: whoever can
write the output folder can as well edit its tables.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import NamedTuple

from . import lexicon, word_counts
from .public_cache import PublicCacheFiles

FORMAT = 2  # 2: the followers and totals tables too


class NgramTables(NamedTuple):
    """A letter model's tables (letter_model.LetterModel)."""

    counts: Counter[str]  # every 1..order-gram of the training words → its count
    followers: Counter[str]  # history → how many distinct letters follow it
    context_total: Counter[str]  # history → how often any letter follows it

MAGIC = b"GTNA-LETTER-COUNTS\n"
PREFIX = "letter-counts-"
LANGUAGES = ("ka", "en")
_RECIPE = (Path(__file__).with_name("letter_model.py"), Path(word_counts.__file__), word_counts.COUNTS_FILE)
SHIPPED = Path(__file__).with_name("data")  # the package's own copies (see the module docstring)


def shipped_path(lang: str) -> Path:
    return SHIPPED / f"{PREFIX}{lang}.json.gz"


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
    return None if fp is None else f"{PREFIX}{lang}-{fp[:24]}.json.gz"


def encode(lang: str, tables: NgramTables) -> bytes:
    """The file of ``tables``: the same tables always give the same bytes (keys sorted)."""
    body = json.dumps({name: dict(sorted(table.items())) for name, table in tables._asdict().items()},
                      ensure_ascii=False, separators=(",", ":")).encode()
    header = {"format": FORMAT, "lang": lang, "fingerprint": fingerprint(lang),
              "sha256": hashlib.sha256(body).hexdigest()}
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


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
    tables = json.loads(bytes(body))
    if not isinstance(tables, dict) or sorted(tables) != sorted(NgramTables._fields) or \
            not all(isinstance(table, dict) for table in tables.values()):
        raise ValueError("not a letter model's tables")
    return NgramTables(**{name: Counter(table) for name, table in tables.items()})


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
        self.remove_others(directory, f"{PREFIX}*.json*", map(file_name, LANGUAGES))


LETTER_COUNTS = LetterCounts()

