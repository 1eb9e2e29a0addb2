"""Stem keys at the edges the other lemma tests leave open, and the key cache file a build keeps between runs.

Keys: the three-letter floor for the nominative plural, a final -ნ that belongs to the stem, dictionary forms
whose second letter is no vowel, and a form simplemma knows as another word's inflection (იყო). Cache: when the
file is stale (another simplemma version or data), what a save writes (Georgian as text; dictionary forms
looked up without any new key; the loaded entries with ``keep_loaded``), that an unchanged cache is not
rewritten, and that a build's cache folder is created with its parents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import simplemma
from shared_coding import fresh_lemma_tables  # noqa: F401  (the fixture of pytestmark)

from gtna_analysis.coding import lemmas

pytestmark = pytest.mark.usefixtures("fresh_lemma_tables")


@pytest.mark.parametrize(("word", "stem"), [
    ("ქალები", "ქალ"),  # nominative plural of a three-letter stem: the floor still allows it
    ("ები", "ები"), ("ებო", "ებო"),  # three letters: never cut
    ("ტელეფონს", "ტელეფონ"), ("ეკრანი", "ეკრან"),  # a final -ნ after the case ending is the stem's, not a plural
])
def test_georgian_stems_at_the_floor_and_a_final_n(word: str, stem: str) -> None:
    assert lemmas.strip_georgian(word) == stem


@pytest.mark.parametrize(("word", "expected"), [
    ("ტრენინგი", True), ("კადრი", True),  # nominative vowel after a consonant cluster
    ("იყო", False),  # simplemma knows it as a form of another verb: it means that form only
])
def test_more_dictionary_forms(word: str, expected: bool) -> None:
    assert lemmas.is_dictionary_form(word) is expected


def test_stem_patterns_with_inflected_and_dictionary_words() -> None:
    assert lemmas.stem_pattern("იყო ტრენინგი") is None
    assert lemmas.stem_pattern("ტრენინგი კადრი") == "ტრენინგ კადრ"


def fake_simplemma(root: Path, ka: int, en: int) -> Path:
    """A simplemma package folder whose ka/en dictionaries have the given sizes."""
    data = root / "simplemma" / "strategies" / "dictionaries" / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "ka.plzma").write_bytes(b"k" * ka)
    (data / "en.plzma").write_bytes(b"e" * en)
    return root / "simplemma" / "__init__.py"


def test_the_fingerprint_follows_simplemmas_version_and_each_dictionary(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real = lemmas._fingerprint()
    assert real == lemmas._fingerprint() and len(real) == 64
    monkeypatch.setattr(simplemma, "__file__", str(fake_simplemma(tmp_path, 10, 20)))
    base = lemmas._fingerprint()
    assert base != real
    fake_simplemma(tmp_path, 11, 20)
    other_ka = lemmas._fingerprint()
    fake_simplemma(tmp_path, 10, 21)
    other_en = lemmas._fingerprint()
    assert len({base, other_ka, other_en}) == 3  # new Georgian or English lemma data: a new fingerprint
    fake_simplemma(tmp_path, 10, 20)
    assert lemmas._fingerprint() == base
    monkeypatch.setattr(simplemma, "__version__", "99.0")
    assert lemmas._fingerprint() != base


def test_a_file_saved_with_another_simplemma_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = lemmas.KeyCache(tmp_path)
    cache.load()
    lemmas.word_key("women")
    cache.save()
    stored = json.loads((tmp_path / "lemma-keys.json").read_text(encoding="utf-8"))
    assert stored["fingerprint"] == lemmas._fingerprint()
    monkeypatch.setattr(simplemma, "__version__", "99.0")
    assert lemmas.KeyCache(tmp_path).load() == 0


@pytest.mark.parametrize("damage", [{"dictionary_forms": None}, {"keys": None}, {"keys": ["women"]}])
def test_a_file_without_both_tables_is_ignored(tmp_path: Path, damage: dict) -> None:
    path = tmp_path / "lemma-keys.json"
    stored = {"fingerprint": lemmas._fingerprint(), "keys": {"women": "woman"}, "dictionary_forms": {"ქალი": True}}
    path.write_text(json.dumps({**stored, **damage}), encoding="utf-8")
    assert lemmas.KeyCache(tmp_path).load() == 0
    assert lemmas._KEYS == {} and lemmas._DICTIONARY_FORMS == {}


def test_a_key_of_one_letter_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "lemma-keys.json"
    path.write_text(json.dumps({"fingerprint": lemmas._fingerprint(), "keys": {"i": "i", "ab": ""},
                                "dictionary_forms": {}}), encoding="utf-8")
    assert lemmas.KeyCache(tmp_path).load() == 2
    assert lemmas._KEYS == {"i": "i"}  # an empty key is no key


def test_an_unchanged_cache_is_not_written_again(tmp_path: Path) -> None:
    cache = lemmas.KeyCache(tmp_path)
    cache.load()
    lemmas.word_key("ქალებს")
    lemmas.is_dictionary_form("ქალი")
    cache.save()
    path = tmp_path / "lemma-keys.json"
    text = path.read_text(encoding="utf-8")
    assert "ქალებს" in text and "\\u" not in text  # Georgian written as text, not escaped
    path.write_text(json.dumps(json.loads(text), indent=1, ensure_ascii=False), encoding="utf-8")  # same content
    marked = path.read_text(encoding="utf-8")
    again = lemmas.KeyCache(tmp_path)
    assert again.load() == 1
    lemmas.word_key("ქალებს")
    lemmas.is_dictionary_form("ქალი")
    again.save()
    assert path.read_text(encoding="utf-8") == marked  # the same entries: the file is left alone


def test_a_new_dictionary_form_alone_is_saved(tmp_path: Path) -> None:
    cache = lemmas.KeyCache(tmp_path)
    cache.load()
    lemmas.word_key("women")
    cache.save()
    again = lemmas.KeyCache(tmp_path)
    again.load()
    lemmas.word_key("women")
    lemmas.is_dictionary_form("ქალი")  # no new key, one new dictionary form
    again.save()
    stored = json.loads((tmp_path / "lemma-keys.json").read_text(encoding="utf-8"))
    assert stored["keys"] == {"women": "woman"} and stored["dictionary_forms"] == {"ქალი": True}


def test_keep_loaded_keeps_the_entries_of_interviews_not_coded_again(tmp_path: Path) -> None:
    cache = lemmas.KeyCache(tmp_path)
    cache.load()
    lemmas.word_key("women")
    lemmas.is_dictionary_form("ქალი")  # a dictionary form only, no key
    cache.save()
    again = lemmas.KeyCache(tmp_path)
    again.load()
    lemmas.word_key("trainings")  # this build coded only an interview with "trainings"
    again.save(keep_loaded=True)
    stored = json.loads((tmp_path / "lemma-keys.json").read_text(encoding="utf-8"))
    assert stored["keys"] == {"trainings": "training", "women": "woman"}
    assert stored["dictionary_forms"] == {"ქალი": True}
    again.save()
    stored = json.loads((tmp_path / "lemma-keys.json").read_text(encoding="utf-8"))
    assert stored["keys"] == {"trainings": "training"} and stored["dictionary_forms"] == {}


def test_the_cache_folder_is_made_with_its_parents(tmp_path: Path) -> None:
    cache = lemmas.KeyCache(tmp_path / "processed" / ".cache")
    cache.load()
    lemmas.word_key("women")
    cache.save()
    assert json.loads((tmp_path / "processed" / ".cache" / "lemma-keys.json").read_text(encoding="utf-8"))["keys"] \
        == {"women": "woman"}
    assert sorted(p.name for p in (tmp_path / "processed" / ".cache").iterdir()) == ["lemma-keys.json"]


def test_keep_loaded_after_a_stale_file_keeps_this_builds_words(tmp_path: Path) -> None:
    path = tmp_path / "lemma-keys.json"
    path.write_text(json.dumps({"fingerprint": "another simplemma", "keys": {"women": "x"}, "dictionary_forms": {}}),
                    encoding="utf-8")
    cache = lemmas.KeyCache(tmp_path)
    assert cache.load() == 0
    lemmas.word_key("trainings")
    cache.save(keep_loaded=True)  # nothing was loaded: nothing else to keep
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["keys"] == {"trainings": "training"} and stored["fingerprint"] == lemmas._fingerprint()
