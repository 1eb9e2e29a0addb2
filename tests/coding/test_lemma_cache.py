"""The stem-key memo kept between builds (``lemmas.KeyCache``): same keys, stale files ignored, used words only."""

from __future__ import annotations

import json

import pytest

from gtna_analysis.coding import lemmas


@pytest.fixture
def fresh_tables(monkeypatch):
    """Empty memo tables for the test (the module's tables are process-wide)."""
    monkeypatch.setattr(lemmas, "_KEYS", {})
    monkeypatch.setattr(lemmas, "_DICTIONARY_FORMS", {})
    monkeypatch.setattr(lemmas, "_USED", set())


WORDS = ["ტრენინგებზე", "მასწავლებლის", "trainings", "women"]


def test_saved_keys_are_reused_without_lemma_data(tmp_path, fresh_tables, monkeypatch):
    cache = lemmas.KeyCache(tmp_path)
    assert cache.load() == 0
    keys = {w: lemmas.word_key(w) for w in WORDS}
    forms = {w: lemmas.is_dictionary_form(w) for w in ("ტრენინგი", "were")}
    cache.save()
    assert (tmp_path / "lemma-keys.json").is_file()

    monkeypatch.setattr(lemmas, "_KEYS", {})
    monkeypatch.setattr(lemmas, "_DICTIONARY_FORMS", {})

    def no_lemma_data(word):
        raise AssertionError(f"simplemma consulted for {word!r}")

    monkeypatch.setattr(lemmas, "_word_key", no_lemma_data)
    monkeypatch.setattr(lemmas, "_is_dictionary_form", no_lemma_data)
    assert lemmas.KeyCache(tmp_path).load() == len(WORDS)
    assert {w: lemmas.word_key(w) for w in WORDS} == keys
    assert {w: lemmas.is_dictionary_form(w) for w in forms} == forms
    assert keys["trainings"] == "training"


def _saved_after_women(tmp_path):
    """A cache file saved after one lookup ("women"): its path and its parsed contents, to be tampered with."""
    cache = lemmas.KeyCache(tmp_path)
    cache.load()
    lemmas.word_key("women")
    cache.save()
    path = tmp_path / "lemma-keys.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_a_stale_or_damaged_file_is_ignored(tmp_path, fresh_tables):
    path, stored = _saved_after_women(tmp_path)
    stored["fingerprint"] = "another simplemma"
    stored["keys"]["women"] = "wrong"
    path.write_text(json.dumps(stored), encoding="utf-8")
    lemmas._KEYS.clear()
    assert lemmas.KeyCache(tmp_path).load() == 0
    assert lemmas.word_key("women") == "woman"

    path.write_text("{not json", encoding="utf-8")
    assert lemmas.KeyCache(tmp_path).load() == 0


def test_a_key_longer_than_its_word_is_not_taken(tmp_path, fresh_tables):
    path, stored = _saved_after_women(tmp_path)
    stored["keys"]["women"] = "a key longer than the word"
    path.write_text(json.dumps(stored), encoding="utf-8")
    lemmas._KEYS.clear()
    lemmas.KeyCache(tmp_path).load()
    assert lemmas.word_key("women") == "woman"


def test_only_words_looked_up_since_load_are_kept(tmp_path, fresh_tables):
    cache = lemmas.KeyCache(tmp_path)
    cache.load()
    lemmas.word_key("women")
    lemmas.word_key("trainings")
    cache.save()
    second = lemmas.KeyCache(tmp_path)
    second.load()
    lemmas.word_key("women")  # a transcript with "trainings" was removed
    second.save()
    stored = json.loads((tmp_path / "lemma-keys.json").read_text(encoding="utf-8"))
    assert set(stored["keys"]) == {"women"}


def test_an_unwritable_cache_folder_is_no_error(tmp_path, fresh_tables):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    cache = lemmas.KeyCache(blocker / "cache")
    assert cache.load() == 0
    lemmas.word_key("women")
    cache.save()
    assert not (blocker / "cache").exists()
