"""Incremental build: unchanged transcripts are not read again, outputs stay byte-identical, and the cache (inside
the processed folder) never holds a participant's name in readable form."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, copy_sample_study, header_names
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.ingest import letter_counts
from gtna_analysis.ingest.lexicon import encode


def snapshot(folder: Path) -> dict[str, str]:
    """Hashes of the published files (the generation CURRENT names: its number differs between the builds)."""
    published = current_generation(folder)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(published.iterdir()) if p.is_file()}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return copy_sample_study(tmp_path / "raw", codebook=MINI_CODEBOOK)


def test_unchanged_files_are_not_read_again(study: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "processed" / ".cache"
    first = build(study, cache_dir=cache)
    assert len(reads) == 13 and len(first.reread) == 13
    reads.clear()
    second = build(study, cache_dir=cache)
    assert reads == [] and second.reread == []
    for name, table in first.tables.items():
        assert table.equals(second.tables[name]), name
    assert second.replacements == first.replacements


def test_one_changed_transcript_is_the_only_one_read(study: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "p" / ".cache"
    build(study, cache_dir=cache)
    changed = study / "transcripts" / "moes" / "MOES-03.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("ასეთ შემთხვევაში რა ხდება?",
                                                                   "ასეთ შემთხვევაში რა ხდება ხოლმე?"),
                       encoding="utf-8")
    reads.clear()
    result = build(study, cache_dir=cache)
    assert reads == ["MOES-03.md"] and result.reread == ["moes/MOES-03.md"]
    assert result.tables["segments"]["text"].str.contains("რა ხდება ხოლმე").any()


def test_cached_and_fresh_builds_write_identical_bytes(study: Path, tmp_path: Path) -> None:
    fresh = write_outputs(build(study), tmp_path / "fresh")
    incremental = tmp_path / "incremental"
    write_outputs(build(study, cache_dir=incremental / ".cache"), incremental)
    write_outputs(build(study, cache_dir=incremental / ".cache"), incremental)
    assert snapshot(current_generation(fresh)) == snapshot(current_generation(incremental))


def test_a_new_name_anywhere_reparses_everything(study: Path, tmp_path: Path, reads: list[str]) -> None:
    """Names from other interviews are masked too, so a header change invalidates every parsed transcript."""
    cache = tmp_path / "p" / ".cache"
    build(study, cache_dir=cache)
    header = study / "transcripts" / "geostat" / "GEOSTAT-03.md"
    text = header.read_text(encoding="utf-8")
    header.write_text(text.replace("name: ნათია ქორიძე", "name: ნათია ჯინჭარაძე"), encoding="utf-8")
    reads.clear()
    result = build(study, cache_dir=cache)
    assert len(result.reread) == 13 and sorted(reads) == sorted(set(reads)) and len(reads) == 13
    segments = result.tables["segments"]
    assert not segments["text"].str.contains("ჯინჭარაძე").any()


def test_cache_holds_no_readable_names(study: Path, tmp_path: Path) -> None:
    cache = tmp_path / "p" / ".cache"
    result = build(study, cache_dir=cache)
    # simplemma's dictionaries (*.lexicon) hold public words, given names among them, and the letter models'
    # counts their letter sequences ("ნატო" is a 4-gram of many words): they are checked apart, as exactly what
    # simplemma's data alone gives (tests/ingest/test_lexicon.py, tests/ingest/test_letter_counts.py)
    public = [p for p in cache.iterdir() if p.suffix == ".lexicon" or p.name.startswith(letter_counts.PREFIX)]
    assert len([p for p in public if p.suffix == ".lexicon"]) == 2  # (the letter tables come with the package)
    blobs = b"".join(p.read_bytes() for p in cache.iterdir() if p not in public)
    for path in cache.glob("*.lexicon"):
        lang = path.name.split("-")[1]
        assert path.read_bytes() == encode(lang, DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang))
    assert len(list(cache.glob("*.bin"))) == 13  # blobs: the entries, lemma-keys.json and the derived entries
    # per interview its auto codings, designs and preference rows; the codebook and the compiled coder
    assert len(list(cache.glob("*.derived"))) == 3 * 13 + 2
    for name in header_names(study):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert name.encode(encoding) not in blobs, name
    assert b"MOES-01" not in blobs and b"segments" not in blobs
    entries = b"".join(p.read_bytes() for p in cache.iterdir() if p.suffix in (".bin", ".derived"))
    matched = result.tables["codings"]["matched_text"]  # (lemma-keys.json lists single words, by design)
    assert len(matched) and not any(m.encode() in entries for m in matched if len(m) >= 8)  # codings encrypted


def test_damaged_entries_are_ignored(study: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "p" / ".cache"
    build(study, cache_dir=cache)
    for entry in sorted(cache.glob("*.bin"))[:2]:  # transcript entries (derived ones are *.derived)
        data = bytearray(entry.read_bytes())
        data[10] ^= 0xFF
        entry.write_bytes(bytes(data))
    reads.clear()
    assert len(build(study, cache_dir=cache).tables["interviews"]) == 13
    assert len(reads) == 2


def test_stale_entries_are_pruned(study: Path, tmp_path: Path) -> None:
    cache = tmp_path / "p" / ".cache"
    build(study, cache_dir=cache)
    (study / "transcripts" / "moes" / "MOES-05.md").unlink()
    assert len(build(study, cache_dir=cache).tables["interviews"]) == 12
    assert len(list(cache.glob("*.bin"))) == 12  # one entry per transcript (lemma-keys.json besides)


def test_a_failed_build_stores_nothing(study: Path, tmp_path: Path) -> None:
    from gtna_analysis.errors import GtnaError

    bad = study / "transcripts" / "moes" / "MOES-02.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("რესპონდენტი 3:", "რესპონდენტი 7:", 1), encoding="utf-8")
    with pytest.raises(GtnaError):
        build(study, cache_dir=tmp_path / "p" / ".cache")
    assert not (tmp_path / "p").exists()
    assert len(build(study, keep_going=True, cache_dir=tmp_path / "p" / ".cache").tables["interviews"]) == 12
    assert len(list((tmp_path / "p" / ".cache").glob("*.bin"))) == 12


def test_problems_are_reported_even_when_other_files_are_cached(study: Path, tmp_path: Path) -> None:
    from gtna_analysis.errors import GtnaError

    cache = tmp_path / "p" / ".cache"
    build(study, cache_dir=cache)
    bad = study / "transcripts" / "moes" / "MOES-02.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("რესპონდენტი 3:", "რესპონდენტი 7:", 1), encoding="utf-8")
    with pytest.raises(GtnaError, match="unknown speaker label 'რესპონდენტი 7'"):
        build(study, cache_dir=cache)


def test_sealed_entries_open_only_with_their_key_and_name() -> None:
    """AES-GCM authenticates the ciphertext and the entry's name: an altered, truncated, renamed or foreign entry
    raises instead of being unpickled (the callers then recompute it)."""
    from cryptography.exceptions import InvalidTag

    from gtna_analysis.ingest.cache import seal, unseal

    key, other = hashlib.sha256(b"a").digest(), hashlib.sha256(b"b").digest()
    value = {"segments": ["ნინო ამბობს", 3]}
    blob = seal(key, "x.bin", value)
    assert unseal(key, "x.bin", blob) == value
    assert seal(key, "x.bin", value) != blob  # a fresh nonce each time
    assert b"\xe1\x83\x9c\xe1\x83\x98" not in blob  # "ნი" in UTF-8: the text is not there in the clear
    altered = bytearray(blob)
    altered[len(blob) // 2] ^= 1
    for bad_key, name, data in [(other, "x.bin", blob), (key, "y.bin", blob), (key, "x.bin", bytes(altered)),
                                (key, "x.bin", blob[:-1]), (key, "x.bin", blob[:5]), (key, "x.bin", b"")]:
        with pytest.raises(InvalidTag):
            unseal(bad_key, name, data)
