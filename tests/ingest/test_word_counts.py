"""The frequent-word counts behind the letter models (``ingest.word_counts``): read per language from the shipped
file, and derived from sample transcripts — speaker labels and timestamps are not words, each transcript counts
in its header's language, participants' names and their inflected forms are left out (the file ships in the
package: it must hold no name), and a word said once does not count."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gtna_analysis.ingest import word_counts as word_counts_module
from gtna_analysis.ingest.word_counts import derive, main, word_counts


@pytest.fixture
def counts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "word_counts.tsv"
    monkeypatch.setattr(word_counts_module, "COUNTS_FILE", path)
    word_counts.cache_clear()
    yield path
    word_counts.cache_clear()


def test_the_counts_of_one_language_are_read_from_the_file(counts_file: Path) -> None:
    counts_file.parent.mkdir()
    counts_file.write_text("# language\tword\tcount\nka\tდა\t12\n\nen\tthe\t7\nka\tკი\t3\n#en\tx\t1\n",
                           encoding="utf-8")
    assert word_counts("ka") == Counter({"და": 12, "კი": 3})
    assert word_counts("en") == Counter({"the": 7})
    assert word_counts("de") == Counter()
    counts_file.write_text("ka\tსხვა\t2\n", encoding="utf-8")
    assert word_counts("ka") == Counter({"და": 12, "კი": 3})  # read once per process


def test_the_shipped_counts_hold_frequent_words_only() -> None:
    for lang, frequent in (("ka", "და"), ("en", "the")):
        counts = word_counts(lang)
        assert counts[frequent] == max(counts.values()) and min(counts.values()) >= 2


def write(study: Path, rel: str, text: str) -> None:
    path = study / "transcripts" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def header(language: str | None, *names: str) -> str:
    people = "".join(f"  - {{id: P{i + 1}, name: {name}}}\n" for i, name in enumerate(names))
    lang = f"language: {language}\n" if language else ""
    return f"---\ninterview_id: X\n{lang}participants:\n{people}---\n"


def test_words_are_counted_by_language_without_labels_names_and_single_words(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write(one, "moes/a.md", header("ka", "მაია ბერიძე", "ია") +
          "[00:01:02] ინტერვიუერი: და კი, და კი? მაიამ თქვა\n"
          "რესპონდენტი 2: კი ბერიძემ თქვა და ია იქ იყო ია\n"
          "P1: მაია English words ignored here\n")
    write(one, "moes/sub/b.md", header(None, "ლუკა") + "P1: კი ლუკამ თქვა\n")  # no language: Georgian
    write(one, "moes/c.txt", header("ka") + "P1: არა არა არა\n")  # only .md transcripts
    write(two, "x/d.md", header("en", "Nino Smith") +
          "Interviewer 1: The the THE training, training-module. Nino said so; smith too.\n"
          "Speaker: Module ნინო ნინო ok\n")
    counts = derive([one, two])
    assert counts == {
        "ka": Counter({"კი": 4, "და": 3, "თქვა": 3, "ია": 2}),
        "en": Counter({"the": 3, "training": 2, "module": 2}),
    }


def test_a_label_is_at_most_thirty_characters_before_its_colon(tmp_path: Path) -> None:
    write(tmp_path, "a.md", header("en") + f"{'x' * 30}: word word\n{'y' * 31}: word\n"
                                           "P1 12: one\nP1 123: one\n: two two\nnote:no space\nnote:no space\n")
    counts = derive([tmp_path])["en"]
    # the 31-character "label" and "P1 123" are text ("y…y", "p" once: dropped), ": two" and "note:no" too
    assert counts == Counter({"word": 3, "one": 2, "two": 2, "note": 2, "no": 2, "space": 2})


def test_three_letter_names_are_their_own_stem_and_shorter_ones_ignored(tmp_path: Path) -> None:
    write(tmp_path, "a.md", header("ka", "ანა", "ია") + "P1: ანა ანა ანამ ანამ ია ია იას იას ან ან\n")
    assert derive([tmp_path])["ka"] == Counter({"ია": 2, "იას": 2, "ან": 2})


def test_main_writes_the_file_sorted_by_count_then_word(counts_file: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "s"
    write(study, "a.md", header("ka") + "P1: კი კი და და და ბ ბ\n")
    write(study, "b.md", header("en") + "P1: yes yes no no\n")
    assert main([str(study)]) == 0
    assert counts_file.read_text(encoding="utf-8") == (
        f"# language\tword\tcount — derived by gtna_analysis/ingest/word_counts.py from {study}\n"
        "en\tno\t2\nen\tyes\t2\nka\tდა\t3\nka\tბ\t2\nka\tკი\t2\n")
    assert capsys.readouterr().out == f"{counts_file}: en 2 words, ka 3 words\n"
    assert word_counts("ka") == Counter({"და": 3, "ბ": 2, "კი": 2})


def test_name_stems_drop_inflected_forms_only(tmp_path: Path) -> None:
    """ლალი → stem ლალ: ლალის goes, ლამაზი ("beautiful") and გუშინ stay; a participant without a name drops
    nothing ("none", "xxxl" stay)."""
    write(tmp_path, "a.md", header("ka", "ლალი ხელაძე") + "P1: ლალის ლალის ლამაზი ლამაზი გუშინ გუშინ ხელაძის ხელაძის\n")
    write(tmp_path, "b.md", "---\ninterview_id: Y\nlanguage: en\nparticipants:\n  - {id: P1}\n---\n"
                            "P1: none none nonstop nonstop xxxl xxxl\n")
    assert derive([tmp_path]) == {"ka": Counter({"ლამაზი": 2, "გუშინ": 2}),
                                  "en": Counter({"none": 2, "nonstop": 2, "xxxl": 2})}


def test_a_transcript_in_another_language_is_counted_as_latin_words(tmp_path: Path) -> None:
    write(tmp_path, "a.md", header("de") + "P1: Gut gut, sehr gut\n")
    assert derive([tmp_path]) == {"ka": Counter(), "en": Counter(), "de": Counter({"gut": 3})}


def test_main_names_every_study_and_runs_again(counts_file: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write(one, "a.md", header("en") + "P1: yes yes\n")
    write(two, "b.md", header("en") + "P1: no no\n")
    assert main([str(one), str(two)]) == 0
    assert main([str(one), str(two)]) == 0  # the data folder exists now
    assert counts_file.read_text(encoding="utf-8").splitlines()[0].endswith(f" from {one} {two}")


def test_four_letter_names_lose_their_last_letter(tmp_path: Path) -> None:
    """ბაძე → stem ბაძ: the genitive and instrumental (ბაძის, ბაძით), which drop the -ე, are left out too."""
    write(tmp_path, "a.md", header("ka", "ლია ბაძე") + "P1: ბაძის ბაძის ბაძით ბაძით ბაძე ბაძე კი კი\n")
    assert derive([tmp_path])["ka"] == Counter({"კი": 2})
