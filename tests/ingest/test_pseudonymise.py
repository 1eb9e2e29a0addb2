"""Pseudonymisation: inflected Georgian names in both scripts, personal numbers, phones, e-mails, counts;
and on the sample study: no header name, in any form found in the raw files, reaches the processed tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI_CODEBOOK, assert_no_header_names, copy_sample_study, header_names, name_form_regex

from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.ingest.interview import InterviewMeta, Participant
from gtna_analysis.ingest.pseudonymise import Pseudonymiser

OWN = InterviewMeta("MOES-02", "moes", "group", "ka", [
    Participant("P1", "მაია ცინცაძე"), Participant("P2", "ზურაბ ფხაკაძე"), Participant("P3", "Ketevan Gvinianidze"),
    Participant("P4", "სოფო ღლონტი"),
])
OTHER = InterviewMeta("GEOSTAT-01", "geostat", "group", "ka", [
    Participant("P1", "ნინო ბერიძე"), Participant("P2", "დავით ჭოხონელიძე")])
THIRD = InterviewMeta("MOES-04", "moes", "group", "ka", [Participant("P1", "დავით კაპანაძე")])


@pytest.fixture
def mask() -> Pseudonymiser:
    return Pseudonymiser.for_interview(OWN, [OTHER, THIRD])


@pytest.mark.parametrize(("text", "expected"), [
    ("როგორც მაიამ აღნიშნა", "როგორც [P1] აღნიშნა"),
    ("მაიასგან ვიცი, მაიასთან ერთად, მაიაც", "[P1] ვიცი, [P1] ერთად, [P1]"),
    ("ზურაბი და ზურაბთან, ზურაბო!", "[P2] და [P2], [P2]!"),
    ("ზურაბის აზრით, ზურაბისთვის, ზურაბმაც", "[P2] აზრით, [P2], [P2]"),
    ("სოფომაც თქვა, სოფოს ჰკითხეთ", "[P4] თქვა, [P4] ჰკითხეთ"),
    ("ღლონტის ნაშრომი, ცინცაძემ თქვა", "[P4] ნაშრომი, [P1] თქვა"),
    ("მაია ცინცაძე და ზურაბ ფხაკაძე", "[P1] და [P2]"),
    ("Maia and Zurab agreed; Ketevan's view; ქეთევანმა თქვა; გვინიანიძის", "[P1] and [P2] agreed; [P3] view; "
     "[P3] თქვა; [P3]"),
    ("Sopo Ghlonti", "[P4]"),
    ("ნინოს აზრით ბერიძის ნაშრომი", "[GEOSTAT-01:P1] აზრით [GEOSTAT-01:P1] ნაშრომი"),
    ("Nino Beridze said", "[GEOSTAT-01:P1] said"),
    ("დავითმა თქვა", "[NAME] თქვა"),
    ("დავით ჭოხონელიძემ თქვა", "[GEOSTAT-01:P2] თქვა"),
])
def test_names_in_inflected_forms_and_both_scripts(mask: Pseudonymiser, text: str, expected: str) -> None:
    assert mask.apply(text) == expected


@pytest.mark.parametrize("text", [
    "მაინც მაისში ვიყავით სოფელში", "სოფლად დავიწყოთ თამაშებით", "ზურაბიშვილი სხვა ადამიანია",
    "Maiami Beach", "Zurabishvili Street",
])
def test_other_words_are_left_alone(mask: Pseudonymiser, text: str) -> None:
    assert mask.apply(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("ჩემი მობილურია 599 48 27 13, დამირეკეთ", "ჩემი მობილურია [PHONE], დამირეკეთ"),
    ("+995 32 2 00 00 00 ან (032) 2 00 00 00", "[PHONE] ან [PHONE]"),
    ("tel: 599123456; +995599123456; 00995 577 12 34 56", "tel: [PHONE]; [PHONE]; [PHONE]"),
    ("599-12-34-56 და 2 12 34 56 და 212-34-56", "[PHONE] და [PHONE] და [PHONE]"),
    ("2017 2018 599 12 34 56 წელს", "2017 2018 [PHONE] წელს"),
    ("პ/ნ 01001012345, ID 62001045678.", "პ/ნ [PERSONAL-NO], ID [PERSONAL-NO]."),
    ("write to n.beridze@example.ge or k.x+gtna@mail.example.com.", "write to [EMAIL] or [EMAIL]."),
])
def test_numbers_and_emails(mask: Pseudonymiser, text: str, expected: str) -> None:
    assert mask.apply(text) == expected


@pytest.mark.parametrize("text", [
    "ბიუჯეტი 2 000 000 ლარი", "500 000 000 ლარი", "2017-2018 წლებში", "16 საათი, 2-3 დღე", "CEDAW 1979",
    "10 000 თანამშრომელი", "1 234 567", "ოქმი N 12345678",
])
def test_amounts_years_and_counts_are_not_phones(mask: Pseudonymiser, text: str) -> None:
    assert mask.apply(text) == text


def test_counts(mask: Pseudonymiser) -> None:
    mask.apply("მაიამ თქვა: 599 12 34 56, n@example.ge, 01001012345; ზურაბი.")
    assert dict(mask.counts) == {"participant_name": 2, "third_party_name": 0, "phone": 1, "email": 1,
                                 "personal_number": 1}


# --- the sample study ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    study = copy_sample_study(tmp_path_factory.mktemp("anon") / "raw", codebook=MINI_CODEBOOK)
    result = build(study)
    out = write_outputs(result, study.parent / "processed")
    return study, out, dict(result.replacements)


def raw_name_forms(study: Path) -> set[str]:
    """Every word in the raw transcript bodies that is a header name or an inflected form of one."""
    words: set[str] = set()
    regexes = [name_form_regex(t) for t in header_names(study)]
    for path in (study / "transcripts").rglob("*.md"):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for regex in regexes:
            words.update(m.group(0) for m in regex.finditer(body))
    return words


def test_sample_raw_transcripts_use_inflected_names(sample_build: tuple[Path, Path, dict]) -> None:
    """Guard for the next test: the raw files really contain the inflected forms it must catch."""
    forms = raw_name_forms(sample_build[0])
    assert {"ზურაბი", "გურამთან", "მაიასგან", "სოფომაც", "ნატოს", "ეკატერინეს"} <= forms
    assert len(forms) >= 25


def test_processed_tables_contain_no_raw_name_form(sample_build: tuple[Path, Path, dict]) -> None:
    study, out, _ = sample_build
    forms = raw_name_forms(study)
    leaks = []
    for path in sorted(current_generation(out).iterdir()):
        if path.suffix in (".csv", ".json"):
            text = path.read_text(encoding="utf-8")
        elif path.suffix == ".parquet":
            import pandas as pd

            frame = pd.read_parquet(path)
            text = "\n".join(frame[c].astype(str).str.cat(sep="\n") for c in frame.columns)
        else:
            continue
        words = set(re.findall(r"[\w'’@.]+", text))
        leaks += [f"{path.name}: {w}" for w in forms & words]
    assert not leaks


def test_processed_tables_pass_the_report_check(sample_build: tuple[Path, Path, dict]) -> None:
    study, out, _ = sample_build
    assert_no_header_names(study, out)


def test_sample_replacement_counts(sample_build: tuple[Path, Path, dict]) -> None:
    """Measured on the sample: every inflected mention (36), the 3 e-mails and the 1 phone number; the sample
    names no third party with a surname."""
    _, out, counts = sample_build
    assert counts == {"participant_name": 36, "third_party_name": 0, "email": 3, "phone": 1, "personal_number": 0}
    assert json.loads((current_generation(out) / "manifest.json").read_text(encoding="utf-8"))["replacements"] == counts


def test_the_check_itself_finds_names(tmp_path: Path, sample_build: tuple[Path, Path, dict]) -> None:
    study = sample_build[0]
    (tmp_path / "report.html").write_text("<p>როგორც &#4310;&#4323;&#4320;&#4304;&#4305;&#4312; თქვა</p>")
    with pytest.raises(AssertionError, match="ზურაბი"):
        assert_no_header_names(study, tmp_path)
    (tmp_path / "report.html").write_text('{"cells": ["Revaz\'s view"]}')
    (tmp_path / "report.html").rename(tmp_path / "nb.ipynb")
    with pytest.raises(AssertionError, match="Revaz"):
        assert_no_header_names(study, tmp_path)


def test_roles_are_pseudonymised_too(tmp_path: Path) -> None:
    from conftest import make_study

    text = ("---\ninterview_id: MOES-96\nagency: moes\nmode: individual\nlanguage: ka\nparticipants:\n"
            "  - {id: P1, name: ნანა ქიქოძე, role: assistant to Levan Japaridze}\n"
            "  - {id: P2, name: ლევან ჯაფარიძე, role: deputy head}\n---\n"
            "ინტერვიუერი: [Q1] პრიორიტეტები?\nP1: სტატისტიკა.\nP2: ძალადობის პრევენცია.\n")
    text = text.replace("mode: individual", "mode: group")
    study = make_study(tmp_path / "s", {"transcripts/moes/MOES-96.md": text})
    tables = build(study).tables
    assert tables["participants"]["role"].tolist() == ["assistant to [P2]", "deputy head"]


# --- through a build: file names, third parties, keep_names, hyphenation across lines ----------------------

NAMED_FILE = ("---\ninterview_id: MOES-95\nagency: moes\nmode: group\nlanguage: ka\nparticipants:\n"
              "  - {id: P1, name: ნინო ბერიძე, role: head of unit}\n  - {id: P2, name: გიორგი კაპანაძე}\n---\n"
              "ინტერვიუერი: [Q1] პრიორიტეტები?\n"
              "P1: გიორგი მჭედლიძის აზრით ძალადობის პრევენციაა, ირაკლი ღარიბაშვილმაც ასე თქვა. როგორც ბერი-\n"
              "ძეც აღნიშნავს, პ/ნ 010 240 123 45 არ გვჭირდება; nino (at) example (dot) ge\n"
              "P2: ბატონმა ზაალმა და თამარ ხარაიშვილმა მოაწყვეს.\n")


@pytest.fixture(scope="module")
def named_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    from conftest import MINI_STUDY_YML, make_study

    root = tmp_path_factory.mktemp("named")
    study = make_study(root / "study", {"transcripts/moes/ნინო-ბერიძე-interview.md": NAMED_FILE})
    (study / "study.yml").write_text(MINI_STUDY_YML + "keep_names: [ირაკლი ღარიბაშვილი]\n", encoding="utf-8")
    result = build(study)
    return study, current_generation(write_outputs(result, root / "processed")), dict(result.replacements)


def test_a_file_name_carrying_a_name_never_reaches_the_outputs(named_build: tuple[Path, Path, dict]) -> None:
    _, out, _ = named_build
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "ნინო" not in text and "ბერიძე" not in text, path.name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "transcripts/MOES-95" in manifest["inputs"]
    assert "source_file" not in pd.read_parquet(out / "interviews.parquet").columns


def test_third_parties_keep_names_and_counts_in_a_build(named_build: tuple[Path, Path, dict]) -> None:
    _, out, counts = named_build
    document = pd.read_parquet(out / "documents.parquet")["text"].iloc[0]
    assert "P1: [PERSON] აზრით ძალადობის პრევენციაა, ირაკლი ღარიბაშვილმაც ასე თქვა. როგორც [P1]\n" in document
    assert "\nაღნიშნავს, პ/ნ [PERSONAL-NO] არ გვჭირდება; [EMAIL]\n" in document
    assert "P2: ბატონმა [PERSON-2] და [PERSON-3] მოაწყვეს." in document
    assert counts == {"participant_name": 1, "third_party_name": 3, "personal_number": 1, "email": 1, "phone": 0}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["replacements"] == dict(sorted(counts.items()))


def test_keep_names_must_be_full_names(tmp_path: Path) -> None:
    from conftest import MINI_STUDY_YML, make_study

    from gtna_analysis.errors import GtnaError
    from gtna_analysis.study import load_study

    study = make_study(tmp_path / "s")
    (study / "study.yml").write_text(MINI_STUDY_YML + "keep_names:\n  - ირაკლი ღარიბაშვილი\n  - ღარიბაშვილი\n",
                                     encoding="utf-8")
    with pytest.raises(GtnaError, match=r"study\.yml:13: keep_names: 'ღარიბაშვილი' is not a full name"):
        load_study(study)
    (study / "study.yml").write_text(MINI_STUDY_YML + "keep_names: ირაკლი ღარიბაშვილი\n", encoding="utf-8")
    with pytest.raises(GtnaError, match=r"study\.yml:11: keep_names must be a list"):
        load_study(study)


def test_names_in_problem_messages_are_masked_in_the_manifest(tmp_path: Path) -> None:
    from conftest import make_study

    other = ("---\ninterview_id: MOES-94\nagency: moes\nmode: individual\nlanguage: ka\nparticipants:\n"
             "  - {id: P1, name: ლევან ჯაფარიძე}\n---\nინტერვიუერი: [Q1] პრიორიტეტები?\nბერიძე: სტატისტიკა.\n")
    study = make_study(tmp_path / "s", {"transcripts/moes/MOES-95.md": NAMED_FILE,
                                        "transcripts/moes/MOES-94.md": other})
    result = build(study, keep_going=True)
    assert any("unknown speaker label 'ბერიძე'" in str(p) for p in result.skipped)  # the console shows it
    published = current_generation(write_outputs(result, tmp_path / "out"))
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == [next(s for s in manifest["skipped"] if "unknown speaker label" in s)]
    assert manifest["skipped"][0].startswith("transcripts/MOES-94:10: unknown speaker label '[MOES-95:P1]'")
