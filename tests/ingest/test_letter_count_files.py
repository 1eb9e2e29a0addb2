"""The letter models' table files piece by piece (``ingest.letter_counts``), without deriving a model: what the
fingerprint covers, the file's exact layout (so the same tables give the same bytes, and Georgian is stored as
UTF-8 text), each way a file is refused, and which copy ``load`` and ``save`` use."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from gtna_analysis.ingest import letter_counts, lexicon
from gtna_analysis.ingest.letter_counts import (
    MAGIC,
    LetterCounts,
    NgramTables,
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
    digest = hashlib.sha256(b"gtna-letter-counts-v2|ka|data-ka|")
    for path in recipe:
        digest.update(path.read_bytes() + b"\0")
    assert fingerprint("ka") == digest.hexdigest() != fingerprint("en")
    assert file_name("ka") == f"letter-counts-ka-{digest.hexdigest()[:24]}.json.gz"
    before = fingerprint("ka")
    for path in recipe:
        path.write_bytes(path.read_bytes() + b" ")
        fingerprint.cache_clear()
        assert fingerprint("ka") != before
        before = fingerprint("ka")
    monkeypatch.setattr(lexicon, "fingerprint", lambda lang: None)  # simplemma's data not found
    fingerprint.cache_clear()
    assert fingerprint("ka") is None and file_name("ka") is None


def test_the_file_layout(recipe: list[Path]) -> None:
    raw = encode("ka", TABLES)
    body = '{"counts":{"ა":3,"ბა":1},"followers":{"ბ":1},"context_total":{"ბ":1}}'.encode()
    header = {"fingerprint": fingerprint("ka"), "format": 2, "lang": "ka", "sha256": hashlib.sha256(body).hexdigest()}
    assert raw == MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body
    assert MAGIC == b"GTNA-LETTER-COUNTS\n"
    packed = pack("ka", TABLES)
    assert gzip.decompress(packed) == raw and packed == pack("ka", TABLES)
    assert packed[4:8] == b"\0\0\0\0" and packed[8] == 2  # no time stamp; the highest compression level
    assert unpack("ka", packed) == TABLES and decode("ka", raw) == TABLES


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda raw: raw.replace(MAGIC, b"GTNA-LETTER-COUNTS"), "not a letter-counts file"),
    (lambda raw: MAGIC + b'{"format": 2', "written for another language, format or data"),  # no line end
    (lambda raw: MAGIC + b"\xff\xfe\n{}", "damaged header"),
    (lambda raw: MAGIC + b"[1, 2]\n{}", "written for another language, format or data"),
    (lambda raw: raw.replace(b'"format": 2', b'"format": 1'), "written for another language, format or data"),
    (lambda raw: raw.replace(b'"lang": "ka"', b'"lang": "en"'), "written for another language, format or data"),
    (lambda raw: raw.replace(b":3", b":4", 1), "checksum"),
    (lambda raw: raw + b"\n", "checksum"),  # the header ends at the first line end, whatever follows
])
def test_each_damage_is_refused_with_its_reason(recipe: list[Path], damage, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason}$"):
        decode("ka", damage(encode("ka", TABLES)))


@pytest.mark.parametrize("body", [b'{"counts":{},"followers":{}}', b'[1]', b'{"counts":{},"followers":{},'
                                  b'"context_total":[]}', b'{"counts":{},"followers":{},"context_total":{},"x":{}}'])
def test_a_body_that_is_not_the_three_tables_is_refused(recipe: list[Path], body: bytes) -> None:
    header = {"fingerprint": fingerprint("ka"), "format": 2, "lang": "ka", "sha256": hashlib.sha256(body).hexdigest()}
    with pytest.raises(ValueError, match=r"^not a letter model's tables$"):
        decode("ka", MAGIC + json.dumps(header).encode() + b"\n" + body)


def test_damaged_compression_is_a_value_error(recipe: list[Path]) -> None:
    packed = pack("ka", TABLES)
    for bad in (b"not gzip", packed[:-8], packed[:12]):
        with pytest.raises(ValueError, match=r"^damaged compression$"):
            unpack("ka", bad)


def test_shipped_tables_absent_damaged_or_for_other_data_are_none(recipe: list[Path], tmp_path: Path) -> None:
    shipped_dir = tmp_path / "shipped"
    assert shipped("ka") is None  # absent
    shipped_dir.mkdir()
    (shipped_dir / "letter-counts-ka.json.gz").write_bytes(b"junk")
    assert shipped("ka") is None
    (shipped_dir / "letter-counts-ka.json.gz").write_bytes(pack("ka", TABLES))
    assert shipped("ka") == TABLES and letter_counts.shipped_path("en") == shipped_dir / "letter-counts-en.json.gz"


def test_load_prefers_the_cache_folder_then_the_package(recipe: list[Path], tmp_path: Path) -> None:
    counts = LetterCounts()
    cache = tmp_path / "cache"
    cache.mkdir()
    (tmp_path / "shipped").mkdir()
    package = NgramTables(Counter({"ა": 1}), Counter(), Counter())
    (tmp_path / "shipped" / "letter-counts-ka.json.gz").write_bytes(pack("ka", package))
    with counts.reading_from(cache):
        assert counts.load("ka") == package and counts._known == {}  # the package's need no copy
        (cache / file_name("ka")).write_bytes(pack("ka", TABLES))
        assert counts.load("ka") == TABLES and counts._known == {"ka": TABLES}
        assert counts.load("de") is None
        # a language the models do not have is never loaded, even from a file written for it
        (cache / file_name("de")).write_bytes(pack("de", TABLES))
        (tmp_path / "shipped" / "letter-counts-de.json.gz").write_bytes(pack("de", TABLES))
        assert counts.load("de") is None and "de" not in counts._known
    assert counts.load("en") is None  # no cache folder, no package copy


def test_save_writes_what_is_known_and_removes_other_versions(recipe: list[Path], tmp_path: Path) -> None:
    counts = LetterCounts()
    out = tmp_path / "out"
    out.mkdir()
    for stale in ("letter-counts-ka-000000000000000000000000.json.gz", "letter-counts-en-old.json",
                  "letter-counts-ka.json.gz"):
        (out / stale).write_bytes(b"old")
    (out / "lexicon-ka-x.bin").write_bytes(b"other data")
    counts.remember("ka", TABLES)
    counts.save(out)
    assert sorted(p.name for p in out.iterdir()) == sorted([file_name("ka"), "lexicon-ka-x.bin"])
    assert unpack("ka", (out / file_name("ka")).read_bytes()) == TABLES
