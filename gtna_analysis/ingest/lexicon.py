"""simplemma's Georgian and English dictionaries, read from a derived copy in the build cache instead of decoded.

Why: the pseudonymiser asks "is this a known word?" for every surname candidate (``names.known_georgian``,
``known_english``) and the coder lemmatises every new word (``coding/lemmas.py``). Both need simplemma's form →
lemma dictionaries, which simplemma ships front-coded and lzma-compressed and decodes into a Python dict on first
use: ~0.65 s for Georgian and ~0.35 s for English, paid by every rebuild that parses one edited transcript —
most of such a rebuild's time. Here the decoded dictionary is kept as one flat file per language in the build
cache (``<out>/.cache/simplemma-<lang>-<fingerprint>.lexicon``): the keys sorted as UTF-8 bytes in one blob with
an offset array, each key's lemma as an index into the blob of distinct lemmas. Loading it maps the file into
memory (``PublicCacheFiles.read_mapped``: only the pages a look-up touches are read) and checks its CRC-32 the
first time a process meets the file in its present state (~0.03 s for Georgian, then ~6 ms); a look-up is a
binary search (a few µs), and nothing is decoded that is not looked up. (sqlite, measured: ~1.4 s to write the
Georgian table and ~12 µs per look-up; marisa-trie, which simplemma's own ``TrieDictionaryFactory`` uses, is not
available to this project.)

The copy is simplemma's public word data and nothing else: it is derived from simplemma's data files alone, never
from a study (``tests/ingest/test_lexicon.py`` checks a build's copy against one written with no study at all),
so unlike the transcript entries it needs no encryption. It is keyed by this format, simplemma's version and the
SHA-256 of the language's shipped data file: another simplemma — even the same version with other data — is a
different file name, and the old file is removed by the next successful build. A copy that is truncated, fails
its CRC-32 or does not match its header is ignored (the dictionary is decoded as before) and written again.
The CRC detects damage, not forgery: whoever can write the output folder can as well edit the published tables.

Look-ups go through simplemma's own strategies (``DictionaryLookupStrategy`` for ``is_known``, ``DefaultStrategy``
for ``lemmatize``), given this module's ``Lexicon`` through simplemma's public ``DictionaryFactory`` protocol, so
the answers are simplemma's: the same key → value data, looked up by the same rules. Without a cache folder (or
for a language without a copy) the ``Lexicon`` hands out simplemma's own decoded dictionary, shared with every
other user of simplemma in the process (``letter_model`` trains on it).
"""

from __future__ import annotations

import array
import hashlib
import json
import sys
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import accumulate
from mmap import mmap
from pathlib import Path

import simplemma
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY, DictionaryFactory
from simplemma.utils import normalize_token

from .public_cache import PublicCacheFiles

Buffer = bytes | mmap  # a flat file's bytes: read (tests, another folder's copy) or mapped (a build's cache)
FORMAT = 1
MAGIC = b"GTNA-LEXICON\n"
SUFFIX = ".lexicon"
LANGUAGES = ("ka", "en")  # the languages kept as copies: the ones this package looks words up in
_BLOCK = 64  # keys per block of the in-memory index (see ``FlatDictionary``)
_DATA = Path(simplemma.__file__).parent / "strategies" / "dictionaries" / "data"


@cache
def fingerprint(lang: str) -> str | None:
    """What a copy of ``lang`` depends on: this format, simplemma's version and its shipped data file's bytes.
    None when the data file is not where simplemma 1.x/2.x keep it (another layout): no copy is then used."""
    path = _DATA / f"{lang}.plzma"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    version = getattr(simplemma, "__version__", "?")
    digest = hashlib.sha256(f"gtna-lexicon-v{FORMAT}|{version}|{lang}|".encode())
    digest.update(data)
    return digest.hexdigest()


def file_name(lang: str) -> str | None:
    fp = fingerprint(lang)
    return None if fp is None else f"simplemma-{lang}-{fp[:24]}{SUFFIX}"


class FlatDictionary(Mapping[str, str]):
    """A read-only str → str mapping over the flat file's bytes (see the module docstring for the layout)."""

    __slots__ = ("_firsts", "_key_ends", "_keys_at", "_positions", "_value_ends", "_value_of", "_values_at", "raw")

    def __init__(self, raw: Buffer, header: dict):
        sections = _sections(raw, header)
        self.raw = raw  # the whole file (read or mapped), so that another cache folder can be given the same bytes
        self._key_ends = _array("I", raw, sections["key_ends"], header["count"])
        self._value_ends = _array("I", raw, sections["value_ends"], header["values"])
        self._value_of = _array(header["value_index"], raw, sections["value_of"], header["count"])
        # the two blobs stay in ``raw`` (keys are cut straight from it): copying them out was a third of a load
        (self._keys_at, keys_end), (self._values_at, values_end) = sections["keys"], sections["values"]
        if (self._key_ends and self._key_ends[-1] != keys_end - self._keys_at) or \
                (self._value_ends and self._value_ends[-1] != values_end - self._values_at):
            raise ValueError("offsets do not match the blobs")
        self._positions = range(len(self._key_ends))
        # every _BLOCK-th key as bytes: a C-level bisect finds the block, ~6 Python-level probes the key in it
        ends, at = self._key_ends, self._keys_at
        self._firsts = [raw[at + (ends[i - 1] if i else 0):at + ends[i]] for i in range(0, len(ends), _BLOCK)]

    def _key(self, i: int) -> bytes:
        at = self._keys_at
        return self.raw[at + (self._key_ends[i - 1] if i else 0):at + self._key_ends[i]]

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        """The lemma of ``key``, or ``default``: what simplemma's look-ups call (a miss is the common case)."""
        target = key.encode()
        block = bisect_right(self._firsts, target) - 1
        if block < 0:
            return default
        start = block * _BLOCK
        i = bisect_left(self._positions, target, start, min(start + _BLOCK, len(self._positions)), key=self._key)
        if i == len(self._positions) or self._key(i) != target:
            return default
        v = self._value_of[i]
        at = self._values_at
        return self.raw[at + (self._value_ends[v - 1] if v else 0):at + self._value_ends[v]].decode()

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (self._key(i).decode() for i in self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def _array(typecode: str, raw: Buffer, section: tuple[int, int], count: int) -> memoryview:
    """The section as ``count`` native integers — a view of ``raw``, not a copy (the file may be mapped)."""
    start, end = section
    if array.array(typecode).itemsize * count != end - start:
        raise ValueError("section size")
    return memoryview(raw)[start:end].cast(typecode)


_SECTIONS = ("key_ends", "value_ends", "value_of", "keys", "values")


def _sections(raw: Buffer, header: dict) -> dict[str, tuple[int, int]]:
    """Where the body's sections lie in ``raw`` (start, end), in order, each ``header["sizes"][name]`` bytes long;
    the body must end with the last. Offsets, not copies: the blobs are cut from ``raw`` look-up by look-up."""
    body = raw.find(b"\n", len(MAGIC)) + 1
    if body == 0:
        raise ValueError("damaged header")
    sections, at = {}, body
    for name in _SECTIONS:
        size = header["sizes"][name]
        if not isinstance(size, int) or size < 0:
            raise ValueError("damaged header")
        sections[name] = (at, at + size)
        at += size
    if at != len(raw):
        raise ValueError("truncated or padded")
    return sections


def encode(lang: str, dictionary: Mapping[str, str]) -> bytes:
    """The flat file of a form → lemma dictionary; a pure function of ``dictionary`` and ``fingerprint(lang)``
    (keys sorted, lemmas numbered in key order: the same dictionary always gives the same bytes)."""
    raw = getattr(dictionary, "_dict", None)  # simplemma 2 keeps bytes -> bytes behind its str facade: no decoding
    if not isinstance(raw, dict):
        raw = {k.encode(): v.encode() for k, v in dictionary.items()}
    keys = sorted(raw)  # simplemma's own order is sorted already (then this is one pass, and so is values)
    values = list(raw.values()) if keys == list(raw) else [raw[k] for k in keys]
    numbers = {value: i for i, value in enumerate(dict.fromkeys(values))}
    index_type = "H" if len(numbers) <= 0xFFFF else "I"
    sections = {
        "key_ends": array.array("I", accumulate(map(len, keys))).tobytes(),
        "value_ends": array.array("I", accumulate(map(len, numbers))).tobytes(),
        "value_of": array.array(index_type, map(numbers.__getitem__, values)).tobytes(),
        "keys": b"".join(keys),
        "values": b"".join(numbers),
    }
    body = b"".join(sections[n] for n in _SECTIONS)
    header = {"format": FORMAT, "lang": lang, "fingerprint": fingerprint(lang), "byteorder": sys.byteorder,
              "count": len(keys), "values": len(numbers), "value_index": index_type,
              "sizes": {n: len(sections[n]) for n in _SECTIONS}, "crc32": zlib.crc32(body)}
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def decode(lang: str, raw: Buffer, checked: bool = False) -> FlatDictionary:
    """The mapping a flat file holds; ValueError when it is not a complete, undamaged copy of ``lang`` for this
    simplemma and format. ``checked``: this very file passed the checksum before (``PublicCacheFiles
    .read_mapped``), so it is not computed again; the header and the sections' sizes are always checked."""
    if raw[:len(MAGIC)] != MAGIC:
        raise ValueError("not a lexicon file")
    try:
        end = raw.find(b"\n", len(MAGIC))
        if end < 0:
            raise ValueError("no end of header")
        header = json.loads(raw[len(MAGIC):end])
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("damaged header") from exc
    expected = {"format": FORMAT, "lang": lang, "fingerprint": fingerprint(lang), "byteorder": sys.byteorder}
    if not isinstance(header, dict) or any(header.get(k) != v for k, v in expected.items()):
        raise ValueError("written for another simplemma, language, format or byte order")
    try:
        if header["value_index"] not in ("H", "I"):
            raise ValueError("damaged header")
        if not checked and zlib.crc32(memoryview(raw)[end + 1:]) != header["crc32"]:
            raise ValueError("checksum")
        return FlatDictionary(raw, header)
    except (KeyError, TypeError) as exc:
        raise ValueError("damaged header") from exc


class Lexicon(PublicCacheFiles, DictionaryFactory):
    """simplemma's ``DictionaryFactory``: each language's dictionary from its copy in ``directory`` when there is
    a valid one, else simplemma's own (decoded once per process, shared with every other simplemma user)."""

    def __init__(self) -> None:
        super().__init__()
        self._loaded: dict[str, Mapping[str, str]] = {}

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        mapping = self._loaded.get(lang)
        if mapping is None:
            mapping = self._read(lang) or DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
            self._loaded[lang] = mapping
        return mapping

    def _read(self, lang: str) -> FlatDictionary | None:
        """The copy in the cache folder; None when absent or damaged (simplemma's data is decoded then, and
        ``save`` writes the copy again)."""
        return self.read_mapped(file_name(lang) if lang in LANGUAGES else None,
                                lambda raw, checked: decode(lang, raw, checked))

    def save(self, directory: str | Path) -> None:
        """Write a copy of each language this process looked words up in that ``directory`` has no intact copy
        of (atomically; a cache that cannot be written is no error), and remove copies for another simplemma."""
        directory = Path(directory)
        for lang, mapping in list(self._loaded.items()):
            self.write(directory, file_name(lang) if lang in LANGUAGES else None,
                       lambda lang=lang, mapping=mapping: mapping.raw if isinstance(mapping, FlatDictionary)
                       else encode(lang, mapping), mapped=True)
        self.remove_others(directory, f"simplemma-*{SUFFIX}", map(file_name, LANGUAGES))


LEXICON = Lexicon()
_LOOKUP = DictionaryLookupStrategy(LEXICON)
_LEMMATIZER = simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=LEXICON))


def is_known(word: str, lang: str) -> bool:
    """``simplemma.is_known(word, lang=lang)`` for one language, through the ``Lexicon``."""
    if not isinstance(word, str) or not word:
        raise ValueError(f"not a word: {word!r}")
    return _LOOKUP.get_lemma(normalize_token(word), lang) is not None


def lemmatize(word: str, lang: str) -> str:
    """``simplemma.lemmatize(word, lang=lang)`` through the ``Lexicon``."""
    return _LEMMATIZER.lemmatize(word, lang)
