"""The letter models' n-gram tables in the build cache and in the package: read back, they give exactly the
models derived from simplemma's data; a damaged file is ignored; the files hold public data only; the package's
copies match a fresh derivation; and a rebuild that must judge Latin text derives nothing and decodes no simplemma
dictionary."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, copy_sample_study

from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.ingest import letter_counts, letter_model, lexicon, script_detect, translit
from gtna_analysis.ingest.letter_counts import LETTER_COUNTS, MAGIC, decode, encode, file_name, pack, unpack
from gtna_analysis.ingest.letter_model import ngram_tables


def _tables(counts: dict[str, int]):
    return ngram_tables(Counter(counts))

WORDS = ["chventvis", "gamarjoba", "training", "tbilisi", "ministry", "genderuli", "qalebi", "budget", "the",
         "xelshekruleba", "zzq", "ქალი", "ტრენინგები", "და", "სამინისტრო"]


# what a new process has not computed yet: the models, and the per-word scores and readings made with them
MEMOS = (letter_model.georgian_model, letter_model.english_model, script_detect.score_word, translit.read_chat_word)


@pytest.fixture
def fresh_models(tmp_path_factory, monkeypatch):
    """Models derived again inside the test (and again by whoever needs them after it), without the package's
    tables (the build cache is what these tests are about). The per-word memos go too: an earlier test in this
    process may have scored every word of the sample, and then no model would be asked for at all."""
    monkeypatch.setattr(letter_counts, "SHIPPED", tmp_path_factory.mktemp("no-shipped-tables"))
    for memo in MEMOS:
        memo.cache_clear()
    saved = (dict(LETTER_COUNTS._known), set(LETTER_COUNTS._valid))
    yield
    for memo in MEMOS:
        memo.cache_clear()
    LETTER_COUNTS._known, LETTER_COUNTS._valid = saved


def _scores() -> list[float]:
    g, e = letter_model.georgian_model(), letter_model.english_model()
    return [g.logprob(w) for w in WORDS] + [e.logprob(w) for w in WORDS] + \
        [float(g.listed(w)) + 2 * float(e.listed(w)) for w in WORDS]


def _no_deriving(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("derived although the cache holds the counts")
    monkeypatch.setattr(letter_model, "_ngram_counts", refuse)
    monkeypatch.setattr(letter_model, "_simplemma_dictionary", refuse)


def test_counts_read_back_give_the_same_models(tmp_path, fresh_models, monkeypatch):
    derived = _scores()  # no cache folder: counted from simplemma's forms
    LETTER_COUNTS.save(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([file_name("ka"), file_name("en")])
    for model in (letter_model.georgian_model, letter_model.english_model):
        model.cache_clear()
    _no_deriving(monkeypatch)
    with LETTER_COUNTS.reading_from(tmp_path):
        assert _scores() == derived


def test_the_file_is_a_pure_function_of_the_tables(fresh_models):
    counts = {"\x02\x02\x02ა": 3, "ბა": 1, "ბე": 2, "ა": 7}
    raw = encode("ka", _tables(counts))
    assert raw == encode("ka", _tables(dict(reversed(list(counts.items())))))
    assert decode("ka", raw) == _tables(counts)
    assert decode("ka", raw).followers["ბ"] == 2 and decode("ka", raw).context_total["ბ"] == 3
    with pytest.raises(ValueError):
        decode("en", raw)  # written for the other language


def _damaged(raw: bytes) -> list[bytes]:
    header_end = raw.index(b"\n", len(MAGIC))
    header = json.loads(raw[len(MAGIC):header_end])
    flipped = bytearray(raw)
    flipped[len(raw) - 3] ^= 0x01
    other = dict(header, fingerprint="0" * 64)
    forged_sum = raw[:-8] + bytes([raw[-8] ^ 2]) + raw[-7:]  # a count changed, the sum not
    not_counts = b'{"counts":{"a":1}}'
    wrong_body = MAGIC + json.dumps(dict(header, sha256=hashlib.sha256(not_counts).hexdigest()),
                                    sort_keys=True).encode() + b"\n" + not_counts
    return [raw[:-1], bytes(flipped), b"", raw.replace(MAGIC, b"GTNA-OTHER\n", 1), raw[:len(MAGIC) + 5],
            MAGIC + json.dumps(other, sort_keys=True).encode() + raw[header_end:], forged_sum, wrong_body]


def test_damaged_files_are_ignored_and_written_again(tmp_path, fresh_models):
    raw = encode("ka", _tables({"\x02\x02\x02ა": 3, "ბა": 1}))
    packed = pack("ka", _tables({"\x02\x02\x02ა": 3, "ბა": 1}))
    for bad in [*(gzip.compress(b) for b in _damaged(raw)), raw, packed[:-4], packed[:20], b""]:
        if bad not in (packed[:-4], packed[:20], b"", raw):
            with pytest.raises(ValueError):
                decode("ka", gzip.decompress(bad))
        with pytest.raises(ValueError):
            unpack("ka", bad)
        (tmp_path / file_name("ka")).write_bytes(bad)
        with LETTER_COUNTS.reading_from(tmp_path):
            assert LETTER_COUNTS.load("ka") is None
    LETTER_COUNTS._valid.discard(tmp_path / file_name("ka"))
    LETTER_COUNTS.remember("ka", _tables({"ა": 2}))
    LETTER_COUNTS.save(tmp_path)
    assert unpack("ka", (tmp_path / file_name("ka")).read_bytes()) == _tables({"ა": 2})


def test_files_for_other_data_are_removed(tmp_path, fresh_models):
    stale = tmp_path / f"{letter_counts.PREFIX}ka-{'0' * 24}.bin.gz"
    stale.write_bytes(b"old")
    LETTER_COUNTS.remember("ka", _tables({"ა": 2}))
    LETTER_COUNTS.save(tmp_path)
    assert not stale.exists() and (tmp_path / file_name("ka")).exists()


def test_an_unwritable_cache_is_no_error(tmp_path, fresh_models):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    LETTER_COUNTS.remember("ka", _tables({"ა": 2}))
    LETTER_COUNTS.save(blocked)  # mkdir fails: nothing written, nothing raised
    assert blocked.read_text() == "not a folder"


def _published(folder: Path) -> dict[str, bytes]:
    gen = current_generation(folder)
    return {p.name: p.read_bytes() for p in sorted(gen.iterdir()) if p.is_file()}


def test_a_rebuild_judging_latin_text_derives_nothing_and_writes_the_same_bytes(tmp_path, fresh_models,
                                                                                  monkeypatch):
    study = copy_sample_study(tmp_path / "raw", codebook=MINI_CODEBOOK)
    out, cache = tmp_path / "p", tmp_path / "p" / ".cache"
    write_outputs(build(study, cache_dir=cache), out)
    files = {p.name: p.read_bytes() for p in cache.glob(f"{letter_counts.PREFIX}*")}
    assert sorted(files) == sorted([file_name("ka"), file_name("en")])  # the sample has Latin paragraphs
    # public data only: the same bytes as counts derived with no study at all
    for model in (letter_model.georgian_model, letter_model.english_model):
        model.cache_clear()
    LETTER_COUNTS._known.clear()
    letter_model.georgian_model(), letter_model.english_model()
    alone = tmp_path / "alone"
    LETTER_COUNTS.save(alone)
    assert {p.name: p.read_bytes() for p in alone.iterdir()} == files

    # edit the English transcript: a new process (no models yet) rebuilds it from the cache's counts and copies
    english = next(p for p in sorted((study / "transcripts").rglob("*.md"))
                   if "training" in p.read_text(encoding="utf-8").lower())
    english.write_text(english.read_text(encoding="utf-8").rstrip("\n") + " We would like a short online module.\n",
                       encoding="utf-8")
    for memo in MEMOS:  # a new process
        memo.cache_clear()
    _no_deriving(monkeypatch)
    monkeypatch.setattr(lexicon, "DEFAULT_DICTIONARY_FACTORY", None)  # decoding simplemma's data would fail
    lexicon.LEXICON._loaded.clear()
    write_outputs(build(study, cache_dir=cache), out)
    assert letter_model.english_model.cache_info().currsize == 1  # the rebuild did judge Latin text
    monkeypatch.undo()
    lexicon.LEXICON._loaded.clear()
    for model in (letter_model.georgian_model, letter_model.english_model):
        model.cache_clear()
    fresh = tmp_path / "fresh"
    write_outputs(build(study), fresh)
    assert _published(out) == _published(fresh)
    shutil.rmtree(alone)


def test_the_package_tables_match_a_fresh_derivation():
    """If this fails after a simplemma upgrade or an edit of letter_model.py / word_counts.py / word_counts.tsv:
    run ``python -m gtna_analysis.ingest.letter_model`` and commit the two files."""
    for lang in letter_counts.LANGUAGES:
        assert letter_counts.shipped_path(lang).read_bytes() == pack(lang, letter_model.derived_tables(lang)), lang


def test_models_come_from_the_package_without_deriving_or_caching(tmp_path, monkeypatch):
    for model in (letter_model.georgian_model, letter_model.english_model):
        model.cache_clear()
    saved = dict(LETTER_COUNTS._known)
    LETTER_COUNTS._known.clear()
    try:
        _no_deriving(monkeypatch)
        with LETTER_COUNTS.reading_from(tmp_path):  # an empty cache folder: a first build
            _scores()
        LETTER_COUNTS.save(tmp_path)
        assert not list(tmp_path.iterdir())  # nothing to copy into the cache: the package has them
        monkeypatch.setattr(letter_counts, "fingerprint", lambda lang: "another simplemma")
        assert letter_counts.shipped("ka") is None  # made for other data: ignored
    finally:
        for model in (letter_model.georgian_model, letter_model.english_model):
            model.cache_clear()
        LETTER_COUNTS._known.clear()
        LETTER_COUNTS._known.update(saved)
