"""Script verdicts kept across builds (``ingest.script_verdicts``): a paragraph judged once is not judged again
while it and the software are unchanged, a kept verdict equals a fresh one, nothing in the file reveals a word of
a paragraph, a damaged or foreign entry is judged afresh, and a rebuild after editing an English transcript
judges only the edited paragraph yet writes what a build without any cache writes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, copy_sample_study

from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.ingest import script_detect, script_verdicts
from gtna_analysis.ingest.script_verdicts import FILE, ScriptVerdicts

ENGLISH = "We would need a short online module, maybe two days, says Nino Beridze from the ministry."
CHAT = "chven gvinda treningi genderul tanasworobaze, ori dghe sakmarisia"
MKHEDRULI = "ჩვენ გვჭირდება ტრენინგი გენდერულ თანასწორობაზე."


class Judged:
    """The paragraphs whose words script_detect.detect really scored (a Mkhedruli or empty paragraph is judged
    without scoring and never kept)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.texts: list[str] = []
        real = script_detect.detect

        def counted(text: str):
            found = real(text)
            if found.scores:
                self.texts.append(text)
            return found

        monkeypatch.setattr(script_verdicts, "detect", counted)


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> Judged:
    return Judged(monkeypatch)


def judge_and_save(folder: Path, *texts: str) -> list:
    verdicts = ScriptVerdicts()
    with verdicts.reading_from(folder):
        found = [verdicts.detect(t) for t in texts]
        verdicts.save(folder)
    return found


def test_a_kept_verdict_equals_a_fresh_one_and_is_not_judged_again(tmp_path: Path, judged: Judged) -> None:
    first = judge_and_save(tmp_path, ENGLISH, CHAT, MKHEDRULI)
    assert first == [script_detect.detect(t) for t in (ENGLISH, CHAT, MKHEDRULI)]
    assert first[0].kind == "english" and first[1].kind == "chat_latin"
    entries = json.loads((tmp_path / FILE).read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 2  # the Mkhedruli paragraph needed no word scoring: not kept
    judged.texts.clear()
    assert judge_and_save(tmp_path, ENGLISH, CHAT) == first[:2]
    assert judged.texts == []


def test_without_a_cache_folder_every_paragraph_is_judged_and_nothing_is_written(tmp_path: Path,
                                                                                 judged: Judged) -> None:
    verdicts = ScriptVerdicts()
    with verdicts.reading_from(None):
        assert verdicts.detect(ENGLISH) == script_detect.detect(ENGLISH)
        assert verdicts.detect(ENGLISH) == script_detect.detect(ENGLISH)
    assert judged.texts == [ENGLISH, ENGLISH]
    assert verdicts.directory is None and not list(tmp_path.iterdir())


def test_the_file_holds_no_word_of_any_paragraph(tmp_path: Path) -> None:
    judge_and_save(tmp_path, ENGLISH, CHAT)
    raw = (tmp_path / FILE).read_bytes()
    for word in {*ENGLISH.replace(",", "").replace(".", "").split(), *CHAT.replace(",", "").split()}:
        if len(word) >= 3:
            assert word.encode() not in raw and word.lower().encode() not in raw, word
    for kind in script_detect.KINDS:  # not even the verdict: it is sealed with a key only the paragraph gives
        assert kind.encode() not in raw


@pytest.mark.parametrize("damage", ["flip a byte", "swap two entries", "not base64", "not json", "wrong format",
                                    "entries not a dict", "truncated"])
def test_a_damaged_or_foreign_entry_is_judged_afresh(tmp_path: Path, judged: Judged, damage: str) -> None:
    first = judge_and_save(tmp_path, ENGLISH, CHAT)
    path = tmp_path / FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    names = sorted(data["entries"])
    if damage == "flip a byte":
        token = bytearray(data["entries"][names[0]].encode())
        token[20] = ord("A") if token[20] != ord("A") else ord("B")
        data["entries"][names[0]] = token.decode()
    elif damage == "swap two entries":  # each entry is bound to its name
        a, b = names
        data["entries"][a], data["entries"][b] = data["entries"][b], data["entries"][a]
    elif damage == "not base64":
        data["entries"][names[0]] = "%%%"
    elif damage == "wrong format":
        data["format"] = 99
    elif damage == "entries not a dict":
        data["entries"] = list(data["entries"])
    text = json.dumps(data)
    if damage == "not json":
        text = "{" + text
    if damage == "truncated":
        text = text[:len(text) // 2]
    path.write_text(text, encoding="utf-8")
    judged.texts.clear()
    assert judge_and_save(tmp_path, ENGLISH, CHAT) == first
    assert judged.texts  # judged again, without an error
    judged.texts.clear()
    assert judge_and_save(tmp_path, ENGLISH, CHAT) == first and judged.texts == []  # and kept sound again


def test_another_version_of_the_software_judges_again(tmp_path: Path, judged: Judged,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    judge_and_save(tmp_path, ENGLISH)
    monkeypatch.setattr(script_verdicts, "software_fingerprint", lambda: "another version")
    judged.texts.clear()
    judge_and_save(tmp_path, ENGLISH)
    assert judged.texts == [ENGLISH]


def test_save_keeps_what_the_build_used_or_was_told_to_keep(tmp_path: Path) -> None:
    judge_and_save(tmp_path, ENGLISH, CHAT)
    stored = sorted(json.loads((tmp_path / FILE).read_text(encoding="utf-8"))["entries"])
    verdicts = ScriptVerdicts()
    with verdicts.reading_from(tmp_path):
        mark = verdicts.mark()
        verdicts.detect(CHAT)
        verdicts.detect(MKHEDRULI)
        chat_entry = verdicts.used_since(mark)
        assert len(chat_entry) == 1 and chat_entry[0] in stored
        mark = verdicts.mark()
        verdicts.detect(CHAT)  # a paragraph two transcripts share belongs to both
        assert verdicts.used_since(mark) == chat_entry
        verdicts.save(tmp_path)
        assert list(json.loads((tmp_path / FILE).read_text(encoding="utf-8"))["entries"]) == chat_entry
    verdicts = ScriptVerdicts()
    with verdicts.reading_from(tmp_path):
        verdicts.keep([*chat_entry, "not-an-entry"])
        verdicts.save(tmp_path)
    assert list(json.loads((tmp_path / FILE).read_text(encoding="utf-8"))["entries"]) == chat_entry


def test_an_unwritable_folder_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    judge_and_save(blocked, ENGLISH)
    assert blocked.read_text() == "not a folder"


def snapshot(folder: Path) -> dict[str, str]:
    published = current_generation(folder)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(published.iterdir()) if p.is_file()}


def test_a_rebuild_judges_only_the_edited_paragraph(tmp_path: Path, judged: Judged) -> None:
    study = copy_sample_study(tmp_path / "raw", codebook=MINI_CODEBOOK)
    out, cache = tmp_path / "p", tmp_path / "p" / ".cache"
    write_outputs(build(study, cache_dir=cache), out)
    assert len(judged.texts) > 20  # the sample's English interview has many Latin paragraphs
    judged.texts.clear()
    write_outputs(build(study, cache_dir=cache), out)  # nothing changed: every transcript from the cache
    assert judged.texts == [] and (cache / FILE).exists()
    kept = json.loads((cache / FILE).read_text(encoding="utf-8"))["entries"]
    assert len(kept) > 20  # kept although no paragraph was judged: the transcripts' cache entries name them
    english = next(p for p in sorted((study / "transcripts").rglob("*.md"))
                   if "training" in p.read_text(encoding="utf-8").lower())
    english.write_text(english.read_text(encoding="utf-8").rstrip("\n") + " We would like a short online module.\n",
                       encoding="utf-8")
    write_outputs(build(study, cache_dir=cache), out)
    assert len(judged.texts) == 1 and judged.texts[0].endswith("We would like a short online module.")
    fresh = tmp_path / "fresh"
    write_outputs(build(study), fresh)
    assert snapshot(out) == snapshot(fresh)
