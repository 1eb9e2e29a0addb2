"""The letter models' table files piece by piece (``ingest.letter_counts``), without deriving a model: what the
fingerprint covers, the file's exact layout (so the same tables give the same bytes, and Georgian is stored as
UTF-8 text), each way a file is refused, and which copy ``load`` and ``save`` use."""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import struct
from collections import Counter
from pathlib import Path

import pytest

from gtna_analysis.ingest import letter_counts, lexicon
from gtna_analysis.ingest.letter_counts import (
    MAGIC,
    LetterCounts,
    NgramTables,
    RowCounts,
    decode,
    encode,
    file_name,
    fingerprint,
    pack,
    shipped,
    unpack,
)

TABLES = NgramTables(Counter({"ბა": 1, "ა": 3}), Counter({"ბ": 1}), Counter({"ბ": 1}))


@pytest.fixture
def recipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The recipe files as copies this test may edit; simplemma's data fingerprint fixed; no shipped tables."""
    copies = []
    for i, path in enumerate(letter_counts._RECIPE):
        copy = tmp_path / f"recipe-{i}"
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    monkeypatch.setattr(letter_counts, "_RECIPE", tuple(copies))
    monkeypatch.setattr(lexicon, "fingerprint", lambda lang: f"data-{lang}")
    monkeypatch.setattr(letter_counts, "SHIPPED", tmp_path / "shipped")
    fingerprint.cache_clear()
    yield copies
    fingerprint.cache_clear()


def test_the_fingerprint_covers_format_language_data_and_each_recipe_file(recipe: list[Path],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    digest = hashlib.sha256(b"gtna-letter-counts-v3|ka|data-ka|")
    for path in recipe:
        digest.update(path.read_bytes() + b"\0")
    assert fingerprint("ka") == digest.hexdigest() != fingerprint("en")
    assert file_name("ka") == f"letter-counts-ka-{digest.hexdigest()[:24]}.bin.gz"
    before = fingerprint("ka")
    for path in recipe:
        path.write_bytes(path.read_bytes() + b" ")
        fingerprint.cache_clear()
        assert fingerprint("ka") != before
        before = fingerprint("ka")
    monkeypatch.setattr(lexicon, "fingerprint", lambda lang: None)  # simplemma's data not found
    fingerprint.cache_clear()
    assert fingerprint("ka") is None and file_name("ka") is None


def body_of(histories: list[str], letters: str, followers: list[int], totals: list[int], starts: list[int],
            counts: list[int], sizes: tuple[int, int] | None = None) -> bytes:
    """A body laid out by hand (little-endian, as the format says)."""
    history_bytes, letter_bytes = "\0".join(histories).encode(), letters.encode()
    n_histories, n_grams = sizes or (len(histories), len(counts))
    numbers = b"".join(struct.pack(f"<{len(n)}q", *n) for n in (followers, totals, starts, counts))
    return struct.pack("<4Q", n_histories, n_grams, len(history_bytes), len(letter_bytes)) + history_bytes + \
        letter_bytes + numbers


def file_of(body: bytes) -> bytes:
    header = {"fingerprint": fingerprint("ka"), "format": 3, "lang": "ka", "sha256": hashlib.sha256(body).hexdigest()}
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def test_the_file_layout(recipe: list[Path]) -> None:
    """Histories sorted ("" is the unigram row), each row's letters and counts; followers and totals per history
    (0 where the tables have none); where each row starts."""
    raw = encode("ka", TABLES)
    assert raw == file_of(body_of(["", "ბ"], "აა", [0, 1], [0, 1], [0, 1, 2], [3, 1]))
    assert MAGIC == b"GTNA-LETTER-COUNTS\n"
    packed = pack("ka", TABLES)
    assert gzip.decompress(packed) == raw and packed == pack("ka", TABLES)
    assert packed[4:8] == b"\0\0\0\0" and packed[8] == 2  # no time stamp; the highest compression level
    assert unpack("ka", packed) == TABLES and decode("ka", raw) == TABLES
    assert encode("ka", decode("ka", raw)) == raw  # tables read back write the same file


def test_counts_are_read_row_by_row_as_asked(recipe: list[Path]) -> None:
    tables = NgramTables(Counter({"ა": 3, "ბა": 1, "ბე": 2, "\x02ბ": 5, "ბეა": 4}), Counter({"ბ": 2, "": 1}),
                         Counter({"ბ": 3, "": 3}))
    counts = decode("ka", encode("ka", tables)).counts
    assert isinstance(counts, RowCounts) and dict.__len__(counts) == 0  # nothing read before it is asked
    asked = ("ბე", "ბა", "ა", "\x02ბ", "ბეა", "ბო", "ო", "ჯა", "ბეაა")
    assert [counts[g] for g in asked] == [2, 1, 3, 5, 4, 0, 0, 0, 0]
    assert dict.__len__(counts) == 9 and counts["ბე"] == 2  # the second look-up answers from the memo
    assert len(counts) == 5 and sorted(counts) == sorted(tables.counts) and counts == tables.counts
    assert "ბა" in counts and "ბო" not in counts and 1 not in counts and "" not in counts
    assert counts.get("ბა") == 1 and counts.get("ბო") is None and counts.get("ბო", 0) == 0
    assert dict(counts.items()) == dict(tables.counts) and counts.copy() == tables.counts
    assert counts != Counter({"ა": 3}) and counts != 5 and pickle.loads(pickle.dumps(counts)) == tables.counts


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda raw: raw.replace(MAGIC, b"GTNA-LETTER-COUNTS"), "not a letter-counts file"),
    (lambda raw: MAGIC + b'{"format": 2', "written for another language, format or data"),  # no line end
    (lambda raw: MAGIC + b"\xff\xfe\n{}", "damaged header"),
    (lambda raw: MAGIC + b"[1, 2]\n{}", "written for another language, format or data"),
    (lambda raw: raw.replace(b'"format": 3', b'"format": 2'), "written for another language, format or data"),
    (lambda raw: raw.replace(b'"lang": "ka"', b'"lang": "en"'), "written for another language, format or data"),
    (lambda raw: raw[:-8] + bytes([raw[-8] ^ 1]) + raw[-7:], "checksum"),  # a count changed
    (lambda raw: raw + b"\n", "checksum"),  # the header ends at the first line end, whatever follows
])
def test_each_damage_is_refused_with_its_reason(recipe: list[Path], damage, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason}$"):
        decode("ka", damage(encode("ka", TABLES)))


GOOD = (["", "ბ"], "აა", [1, 1], [3, 1], [0, 1, 2], [3, 1])


@pytest.mark.parametrize("body", [
    b"", b"[1]", body_of(*GOOD)[:-1], body_of(*GOOD) + b"\0",
    body_of(*GOOD, sizes=(3, 2)), body_of(*GOOD, sizes=(2, 1)),  # sizes that do not add up
    body_of(["", "ბ"], "ააა", [1, 1], [3, 1], [0, 1, 2], [3, 1]),  # more letters than n-grams
    body_of(["ბ", "ბ"], "აა", [1, 1], [3, 1], [0, 1, 2], [3, 1]),  # a history twice
    body_of(["", "ბ"], "აა", [1, 1], [3, 1], [0, 2, 1], [3, 1]),  # rows that run backwards
    body_of(["", "ბ"], "აა", [1, 1], [3, 1], [1, 1, 2], [3, 1]),  # a row that does not start at 0
    body_of(["", "ბ"], "აა", [1, 1], [3, 1], [0, 1, 1], [3, 1]),  # rows that leave n-grams out
    body_of(["", "ბ"], "აა", [1, 1], [3, 1], [0, -1, 2], [3, 1]),
    body_of(["", "ბ"], "აა", [1, 1], [3, 1], [0, 1, 2], [3, 1])[:32] + b"\xff" + body_of(*GOOD)[33:],  # not UTF-8
])
def test_a_body_that_is_not_the_three_tables_is_refused(recipe: list[Path], body: bytes) -> None:
    assert decode("ka", file_of(body_of(*GOOD))).counts["ბა"] == 1  # the good body itself is read
    with pytest.raises(ValueError, match=r"^not a letter model's tables$"):
        decode("ka", file_of(body))


def test_damaged_compression_is_a_value_error(recipe: list[Path]) -> None:
    packed = pack("ka", TABLES)
    for bad in (b"not gzip", packed[:-8], packed[:12]):
        with pytest.raises(ValueError, match=r"^damaged compression$"):
            unpack("ka", bad)


def test_shipped_tables_absent_damaged_or_for_other_data_are_none(recipe: list[Path], tmp_path: Path) -> None:
    shipped_dir = tmp_path / "shipped"
    assert shipped("ka") is None  # absent
    shipped_dir.mkdir()
    (shipped_dir / "letter-counts-ka.bin.gz").write_bytes(b"junk")
    assert shipped("ka") is None
    (shipped_dir / "letter-counts-ka.bin.gz").write_bytes(pack("ka", TABLES))
    assert shipped("ka") == TABLES and letter_counts.shipped_path("en") == shipped_dir / "letter-counts-en.bin.gz"


def test_load_prefers_the_cache_folder_then_the_package(recipe: list[Path], tmp_path: Path) -> None:
    counts = LetterCounts()
    cache = tmp_path / "cache"
    cache.mkdir()
    (tmp_path / "shipped").mkdir()
    package = NgramTables(Counter({"ა": 1}), Counter(), Counter())
    (tmp_path / "shipped" / "letter-counts-ka.bin.gz").write_bytes(pack("ka", package))
    with counts.reading_from(cache):
        assert counts.load("ka") == package and counts._known == {}  # the package's need no copy
        (cache / file_name("ka")).write_bytes(pack("ka", TABLES))
        assert counts.load("ka") == TABLES and counts._known == {"ka": TABLES}
        assert counts.load("de") is None
        # a language the models do not have is never loaded, even from a file written for it
        (cache / file_name("de")).write_bytes(pack("de", TABLES))
        (tmp_path / "shipped" / "letter-counts-de.bin.gz").write_bytes(pack("de", TABLES))
        assert counts.load("de") is None and "de" not in counts._known
    assert counts.load("en") is None  # no cache folder, no package copy


def test_save_writes_what_is_known_and_removes_other_versions(recipe: list[Path], tmp_path: Path) -> None:
    counts = LetterCounts()
    out = tmp_path / "out"
    out.mkdir()
    for stale in ("letter-counts-ka-000000000000000000000000.bin.gz", "letter-counts-en-old.json",
                  "letter-counts-ka.bin.gz", "letter-counts-ka-000000000000000000000000.json.gz"):
        (out / stale).write_bytes(b"old")
    (out / "lexicon-ka-x.bin").write_bytes(b"other data")
    counts.remember("ka", TABLES)
    counts.save(out)
    assert sorted(p.name for p in out.iterdir()) == sorted([file_name("ka"), "lexicon-ka-x.bin"])
    assert unpack("ka", (out / file_name("ka")).read_bytes()) == TABLES
