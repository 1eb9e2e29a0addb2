"""The build cache's entries one by one (``ingest.cache``), without building a study: how an entry is named and
keyed, what a sealed blob holds, which failures mean "recompute" (never a traceback, never an unpickled foreign
blob), what ``prune`` keeps, and what the software fingerprint follows.

Names and keys are pinned to their derivation on purpose: a name must not reveal its key (the key is what
decrypts the pseudonymised segments), and a changed derivation without a new ``CACHE_FORMAT`` would leave every
researcher's old entries unreachable without saying why."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gtna_analysis import __version__
from gtna_analysis.ingest import cache as cache_module
from gtna_analysis.ingest.cache import (
    CACHE_FORMAT,
    BuildCache,
    DerivedCache,
    context_hash,
    seal,
    unseal,
)

KEY = hashlib.sha256(b"k").digest()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def length_prefixed(prefix: str, *parts: bytes) -> hashlib._Hash:
    digest = hashlib.sha256(prefix.encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest


# --- hashes ------------------------------------------------------------------------------------------------------

def test_context_hash_is_the_length_prefixed_digest_of_format_version_and_parts() -> None:
    assert CACHE_FORMAT == 4
    expected = length_prefixed(f"gtna-cache-v4|{__version__}", "ნინო".encode(), b"\x00\x01").hexdigest()
    assert context_hash("ნინო", b"\x00\x01") == expected
    assert context_hash("ab", "c") != context_hash("a", "bc")  # parts never run into each other
    assert context_hash("ab") == context_hash(b"ab")  # text is hashed as its UTF-8 bytes


def test_context_hash_follows_the_software_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = context_hash("x")
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert context_hash("x") != before


# --- sealed blobs ------------------------------------------------------------------------------------------------

def test_a_sealed_blob_is_a_12_byte_nonce_then_the_aes_gcm_ciphertext_of_the_pickle() -> None:
    value = {"text": "ნინო ამბობს", "n": [1, 2.5]}
    blob = seal(KEY, "entry.bin", value)
    plain = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(blob) == 12 + len(plain) + 16  # nonce, ciphertext, 16-byte tag
    assert AESGCM(KEY).decrypt(blob[:12], blob[12:], b"entry.bin") == plain  # bound to the name as associated data
    assert unseal(KEY, "entry.bin", blob) == value


def test_a_blob_shorter_than_a_nonce_is_refused_before_decrypting() -> None:
    for blob in (b"", b"\x00" * 11):
        with pytest.raises(InvalidTag):
            unseal(KEY, "entry.bin", blob)


def _record_gc_state() -> str:
    GC_STATES.append(gc.isenabled())
    return "restored"


GC_STATES: list[bool] = []


class _Probe:
    """Unpickles by calling ``_record_gc_state``: what the collector's state is *while* unpickling."""

    def __reduce__(self) -> tuple:
        return _record_gc_state, ()


def test_the_garbage_collector_is_paused_while_unpickling_and_left_as_it_was() -> None:
    blob = seal(KEY, "e", _Probe())
    GC_STATES.clear()
    assert gc.isenabled()
    assert unseal(KEY, "e", blob) == "restored"
    assert GC_STATES == [False] and gc.isenabled()
    gc.disable()
    try:
        assert unseal(KEY, "e", blob) == "restored"
        assert GC_STATES == [False, False] and not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


def test_the_collector_is_resumed_when_unpickling_fails() -> None:
    nonce = b"\x01" * 12
    blob = nonce + AESGCM(KEY).encrypt(nonce, b"not a pickle", b"e")
    with pytest.raises(pickle.UnpicklingError):
        unseal(KEY, "e", blob)
    assert gc.isenabled()


# --- transcript entries ------------------------------------------------------------------------------------------

def test_a_transcript_entry_is_named_and_keyed_from_context_content_and_row(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "c", "ctx")
    raw = "ნინო".encode()
    cache.store(raw, "row-1", {"meta": 1})
    name = sha(f"id|ctx|{sha(raw)}|row-1".encode())[:40] + ".bin"
    assert [p.name for p in (tmp_path / "c").iterdir()] == [name]
    key = hashlib.sha256(b"key|ctx|" + raw).digest()
    assert unseal(key, name, (tmp_path / "c" / name).read_bytes()) == {"meta": 1}
    assert key.hex() not in name and sha(key)[:40] not in name  # the name does not give the key away
    assert cache.used == {name}


def test_a_transcript_entry_is_found_only_for_the_same_content_row_and_context(tmp_path: Path) -> None:
    BuildCache(tmp_path, "ctx").store(b"text", "row", ["parsed"])
    fresh = BuildCache(tmp_path, "ctx")
    assert fresh.load(b"text", "row") == ["parsed"]
    assert fresh.used == {sha(f"id|ctx|{sha(b'text')}|row".encode())[:40] + ".bin"}
    assert BuildCache(tmp_path, "ctx").load(b"text!", "row") is None
    assert BuildCache(tmp_path, "ctx").load(b"text", "row2") is None
    other = BuildCache(tmp_path, "ctx2")
    assert other.load(b"text", "row") is None and other.used == set()


def test_an_unreadable_transcript_entry_is_a_miss_and_not_used(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, "ctx")
    cache.store(b"text", "row", "value")
    (name,) = cache.used
    reader = BuildCache(tmp_path, "ctx")
    (tmp_path / name).write_bytes(b"\x00" * 40)  # damaged
    assert reader.load(b"text", "row") is None
    key = hashlib.sha256(b"key|ctx|text").digest()
    nonce = b"\x02" * 12
    (tmp_path / name).write_bytes(nonce + AESGCM(key).encrypt(nonce, b"not a pickle", name.encode()))
    assert reader.load(b"text", "row") is None  # decrypts, but from another version of the code
    (tmp_path / name).unlink()
    (tmp_path / name).mkdir()  # not a file at all
    assert reader.load(b"text", "row") is None
    assert reader.used == set()


def test_prune_deletes_only_the_unused_entries_of_its_kind(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, "ctx")
    cache.store(b"a", "", 1)
    (tmp_path / "old.bin").write_bytes(b"x")
    (tmp_path / "kept.derived").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    cache.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*cache.used, "kept.derived", "notes.txt"])
    BuildCache(tmp_path / "absent", "ctx").prune()  # no folder yet: nothing to do, no error
    assert not (tmp_path / "absent").exists()


# --- derived entries ---------------------------------------------------------------------------------------------

def derived_name_and_key(kind: str, *parts: bytes) -> tuple[str, bytes]:
    material = length_prefixed(f"gtna-derived-v4|{kind}", *parts).digest()
    return sha(b"id|" + material)[:40] + ".derived", hashlib.sha256(b"key|" + material).digest()


def test_a_derived_entry_is_named_and_keyed_from_kind_and_parts(tmp_path: Path) -> None:
    cache = DerivedCache(tmp_path / "a" / "b")  # folders made with their parents on the first write
    cache.store("codings", ["seg", b"\x01"], {"rows": 3})
    name, key = derived_name_and_key("codings", b"seg", b"\x01")
    assert cache.used == {name} and list(cache.pending) == [name]
    assert not (tmp_path / "a").exists()  # nothing written before flush
    cache.flush()
    assert cache.pending == {}
    assert [p.name for p in (tmp_path / "a" / "b").iterdir()] == [name]  # no temporary file left
    assert unseal(key, name, (tmp_path / "a" / "b" / name).read_bytes()) == {"rows": 3}


def test_a_derived_entry_is_found_only_for_the_same_kind_and_parts(tmp_path: Path) -> None:
    writer = DerivedCache(tmp_path)
    writer.store("codings", ["a", "b"], "value")
    writer.flush()
    reader = DerivedCache(tmp_path)
    assert reader.has("codings", ["a", "b"]) and reader.load("codings", ["a", "b"]) == "value"
    assert reader.used == writer.used and reader.hits == 0  # hits are counted by the caller
    for kind, parts in [("designs", ["a", "b"]), ("codings", ["ab"]), ("codings", ["a", "b", ""])]:
        assert not reader.has(kind, parts) and reader.load(kind, parts) is None
    assert len(reader.used) == 1


def test_an_unreadable_derived_entry_is_a_miss_but_still_exists(tmp_path: Path) -> None:
    cache = DerivedCache(tmp_path)
    name, key = derived_name_and_key("k", b"p")
    (tmp_path / name).write_bytes(b"\x00" * 50)
    assert cache.has("k", ["p"]) and cache.load("k", ["p"]) is None
    nonce = b"\x03" * 12
    (tmp_path / name).write_bytes(nonce + AESGCM(key).encrypt(nonce, b"not a pickle", name.encode()))
    assert cache.load("k", ["p"]) is None and cache.used == set()


def test_keep_protects_an_entry_from_prune(tmp_path: Path) -> None:
    writer = DerivedCache(tmp_path)
    writer.store("coder", ["v1"], "compiled")
    writer.store("codings", ["old"], "rows")
    writer.flush()
    (tmp_path / "other.bin").write_bytes(b"x")
    build = DerivedCache(tmp_path)
    build.keep("coder", ["v1"])
    build.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([derived_name_and_key("coder", b"v1")[0],
                                                                 "other.bin"])
    DerivedCache(tmp_path / "absent").prune()
    assert not (tmp_path / "absent").exists()


def test_a_derived_entry_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = DerivedCache(blocked)
    cache.store("k", ["p"], "v")
    cache.flush()  # mkdir fails: the next build computes it again
    assert cache.pending == {} and blocked.read_text(encoding="utf-8") == "not a folder"


def test_a_derived_entry_is_written_through_a_hidden_temporary_file(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str | Path, dst: str | Path) -> None:
        replaced.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", spy)
    cache = DerivedCache(tmp_path)
    cache.store("k", ["p"], "v")
    cache.flush()
    name = derived_name_and_key("k", b"p")[0]
    assert replaced == [(f".{name}.{os.getpid()}.tmp", name)]


# --- software fingerprint ----------------------------------------------------------------------------------------

@pytest.fixture
def fake_simplemma(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """simplemma pointed at a package folder whose dictionaries this test writes; the fingerprint recomputed."""
    import simplemma

    package = tmp_path / "simplemma"
    data = package / "strategies" / "dictionaries" / "data"
    data.mkdir(parents=True)
    (data / "ka.plzma").write_bytes(b"x" * 10)
    monkeypatch.setattr(simplemma, "__file__", str(package / "__init__.py"))
    monkeypatch.setattr(simplemma, "__version__", "1.0", raising=False)
    monkeypatch.setattr(cache_module, "_SOFTWARE", None)
    return data


def fingerprint_again(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(cache_module, "_SOFTWARE", None)
    return cache_module.software_fingerprint()


def test_the_fingerprint_follows_the_size_and_names_of_simplemmas_dictionaries(
        fake_simplemma: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache_module.software_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    (fake_simplemma / "ka.plzma").write_bytes(b"x" * 11)
    resized = fingerprint_again(monkeypatch)
    (fake_simplemma / "en.plzma").write_bytes(b"")
    added = fingerprint_again(monkeypatch)
    (fake_simplemma / "en.plzma").rename(fake_simplemma / "de.plzma")
    renamed = fingerprint_again(monkeypatch)
    assert len({first, resized, added, renamed}) == 4
    (fake_simplemma / "de.plzma").unlink()
    assert fingerprint_again(monkeypatch) == resized  # the same files: the same fingerprint


def test_the_fingerprint_follows_simplemmas_and_pandas_versions(fake_simplemma: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas
    import simplemma

    first = cache_module.software_fingerprint()
    monkeypatch.setattr(simplemma, "__version__", "2.0")
    simplemma_changed = fingerprint_again(monkeypatch)
    monkeypatch.setattr(pandas, "__version__", "9.9.9")
    pandas_changed = fingerprint_again(monkeypatch)
    assert len({first, simplemma_changed, pandas_changed}) == 3


def test_the_fingerprint_is_computed_once_per_process(fake_simplemma: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache_module.software_fingerprint()
    (fake_simplemma / "ka.plzma").write_bytes(b"")
    assert cache_module.software_fingerprint() == first  # not re-read on every call


def test_the_fingerprint_names_each_source_file(fake_simplemma: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Moving code from one module to another (same bytes in total) is a change too: paths are hashed."""
    package = Path(cache_module.__file__).resolve().parent.parent
    first = cache_module.software_fingerprint()
    real_relative = Path.relative_to

    def renamed(self: Path, *other: object) -> Path:
        rel = real_relative(self, *other)
        return Path("renamed.py") if rel.as_posix() == "schema.py" else rel

    monkeypatch.setattr(Path, "relative_to", renamed)
    assert (package / "schema.py").is_file()
    assert fingerprint_again(monkeypatch) != first


def test_the_fingerprint_does_not_need_simplemmas_version(fake_simplemma: Path, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A simplemma without ``__version__`` (older releases had none) still gives a fingerprint: its data files do."""
    import simplemma

    monkeypatch.delattr(simplemma, "__version__")
    assert re.fullmatch(r"[0-9a-f]{64}", cache_module.software_fingerprint())
