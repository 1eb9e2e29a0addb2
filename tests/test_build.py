"""`gtna build` / `gtna validate` through the CLI: every format in one study, bad input as `path:line: message`
with exit 1 and nothing half-written, --keep-going, raw files untouched, byte-identical rebuilds, atomic output."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import assert_no_header_names, make_study

from gtna_analysis import build as build_module
from gtna_analysis.atomic import current_generation
from gtna_analysis.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
GOOD = {"transcripts/moes/MOES-90.md": (FIXTURES / "good_ka.md").read_text(encoding="utf-8"),
        "transcripts/moes/MOES-89.md": (FIXTURES / "good_en.md").read_text(encoding="utf-8")}
DOCX_LINES = ["---", "interview_id: MOES-93", "agency: moes", "mode: individual", "language: ka", "interviewer: INT1",
              "participants:", "  - {id: P1, name: ლევან ჯაფარიძე, role: analyst, gender: male, level: mid}", "---",
              "ინტერვიუერი: [Q4] რა ინსტრუმენტებს იყენებთ გენდერული მეინსტრიმინგისთვის?",
              "P1: სტატისტიკას სქესის მიხედვით ვაწარმოებთ. ლევანმა იცის ეს ყველაზე კარგად."]
ODT_LINES = ["---", "interview_id: MOLHSA-94", "agency: molhsa", "mode: individual", "language: ka",
             "participants:", "  - {id: P1, name: ხათუნა ლორთქიფანიძე, gender: female, level: senior}", "---",
             "ინტერვიუერი: [Q6] როგორი ფორმატის ტრენინგი იქნებოდა თქვენთვის ყველაზე მისაღები?",
             "რესპონდენტი 1: პირისპირ. ხათუნას ჰკითხეთ, ხათუნასთან ვმუშაობ."]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(folder: Path) -> dict[str, str]:
    """Path -> sha256 of every file under folder (hidden ones included, except the build cache)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".cache" not in p.relative_to(folder).parts}


@pytest.fixture
def all_formats(tmp_path: Path) -> Path:
    """A study with md (ka, en), docx, odt, vtt and srt (+ interviews.csv) transcripts."""
    from transcript_files import make_docx, make_odt

    study = make_study(tmp_path / "study", GOOD)
    shutil.copy(FIXTURES / "formats" / "MOES-91.vtt", study / "transcripts" / "moes")
    (study / "transcripts" / "molhsa").mkdir()
    shutil.copy(FIXTURES / "formats" / "MOLHSA-92.srt", study / "transcripts" / "molhsa")
    shutil.copy(FIXTURES / "formats" / "interviews.csv", study / "interviews.csv")
    make_docx(study / "transcripts" / "moes" / "MOES-93.docx", DOCX_LINES)
    make_odt(study / "transcripts" / "molhsa" / "MOLHSA-94.odt", ODT_LINES)
    return study


def test_build_every_format(all_formats: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "processed"
    code, stdout, stderr = run(capsys, "build", "--study", all_formats, "--out", out)
    assert code == 0, stderr
    assert "pseudonymised:" in stdout
    interviews = pd.read_parquet(current_generation(out) / "interviews.parquet")
    assert list(interviews["interview_id"]) == ["MOES-89", "MOES-90", "MOES-91", "MOES-93", "MOLHSA-92", "MOLHSA-94"]
    assert interviews.set_index("interview_id").loc["MOLHSA-92", "interviewer"] == "INT2"  # from interviews.csv
    assert interviews.set_index("interview_id").loc["MOES-90", "markers"] == 1
    segments = pd.read_parquet(current_generation(out) / "segments.parquet")
    vtt = segments[segments["interview_id"] == "MOES-91"]
    assert list(vtt["speaker_id"]) == ["INT1", "P1", "P2", "INT1"]
    assert list(vtt["t_start"]) == [1.0, 6.0, 15.0, 15.0] and vtt["t_end"].iloc[1] == 14.0
    assert vtt["question_id"].iloc[1] == "Q1"
    documents = pd.read_parquet(current_generation(out) / "documents.parquet").set_index("interview_id")["text"]
    for row in segments.itertuples():
        assert documents[row.interview_id][row.start_char:row.end_char] == row.text
    assert_no_header_names(all_formats, out)
    manifest = json.loads((current_generation(out) / "manifest.json").read_text(encoding="utf-8"))
    assert "interviews.csv" in manifest["inputs"] and "questionnaire.yml" in manifest["inputs"]
    assert manifest["replacements"]["participant_name"] >= 9 and manifest["replacements"]["phone"] == 2


BAD = [
    ("empty.md", 1, "empty file"),
    ("binary.md", 1, "binary file, not a text transcript"),
    ("truncated.docx", 1, "not a readable .docx file"),
    ("unknown_agency.md", 3, "unknown agency 'nasa'"),
    ("duplicate_id.md", 2, "duplicate interview_id 'MOES-90'"),
    ("missing_field.md", 2, "missing required field 'mode'"),
    ("unknown_speaker.md", 12, "unknown speaker label 'რესპონდენტი 3'"),
    ("malformed_front_matter.md", 6, "invalid YAML"),
    ("unclosed_front_matter.md", 1, "front matter opened with '---' is never closed"),
]


@pytest.mark.parametrize(("name", "line", "message"), BAD)
def test_bad_input_is_reported_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      name: str, line: int, message: str) -> None:
    study = make_study(tmp_path / "study", GOOD)
    bad = study / "transcripts" / "moes" / name
    shutil.copy(FIXTURES / "bad" / name, bad)
    out = tmp_path / "processed"
    code, _, stderr = run(capsys, "build", "--study", study, "--out", out)
    assert code == 1
    assert f"{bad}:{line}: {message}" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not out.exists()
    code, _, stderr = run(capsys, "validate", "--study", study)
    assert code == 1 and f"{bad}:{line}: {message}" in stderr


def test_failed_build_keeps_the_previous_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = make_study(tmp_path / "study", GOOD)
    out = tmp_path / "processed"
    assert run(capsys, "build", "--study", study, "--out", out)[0] == 0
    before = snapshot(out)
    shutil.copy(FIXTURES / "bad" / "unknown_speaker.md", study / "transcripts" / "moes")
    assert run(capsys, "build", "--study", study, "--out", out)[0] == 1
    assert snapshot(out) == before


def test_keep_going_builds_the_rest_and_lists_what_was_skipped(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    study = make_study(tmp_path / "study", GOOD)
    for name, _, _ in BAD:
        shutil.copy(FIXTURES / "bad" / name, study / "transcripts" / "moes" / name)
    (study / "transcripts" / "nasa").mkdir()
    out = tmp_path / "processed"
    code, stdout, stderr = run(capsys, "build", "--study", study, "--out", out, "--keep-going")
    assert code == 1
    for name, line, message in BAD:
        assert f"{study / 'transcripts' / 'moes' / name}:{line}: {message}" in stderr
    assert f"{study / 'transcripts' / 'nasa'}: folder 'nasa' is not an agency id" in stderr
    interviews = pd.read_parquet(current_generation(out) / "interviews.parquet")
    assert sorted(interviews["interview_id"]) == ["MOES-89", "MOES-90"]
    manifest = json.loads((current_generation(out) / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["skipped"]) == len(BAD) + 1
    skipped = "\n".join(manifest["skipped"])
    # transcripts are named by interview id (or a hash of their bytes when even that is unknown), never by file
    assert "transcripts/MOES-82:12: unknown speaker label 'რესპონდენტი 3'" in skipped
    assert re.search(r"transcripts/sha256-[0-9a-f]{12}:2: missing required field 'mode'", skipped)
    assert not any(name in skipped for name, _, _ in BAD)
    assert "built 2 interviews" in stdout


def test_interviews_csv_conflicts_and_orphans(all_formats: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = all_formats / "interviews.csv"
    rows = csv.read_text(encoding="utf-8")
    csv.write_text(rows + "MOES-90,moes/MOES-90.md,moes,2018-03-15,individual,ka,INT1,P1|ნინო ბერიძე\n"
                   "X-1,moes/missing.md,moes,,,,,\n", encoding="utf-8")
    code, _, stderr = run(capsys, "validate", "--study", all_formats)
    transcript = all_formats / "transcripts" / "moes" / "MOES-90.md"
    assert code == 1
    assert f"{transcript}:5: mode is 'group' here but 'individual' in {csv}:3" in stderr
    assert f"{csv}:4: no transcript file 'moes/missing.md'" in stderr


def test_header_and_csv_participants_must_agree(all_formats: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = all_formats / "interviews.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "MOES-89,moes/MOES-89.md,,,,,,P1|Tamar Kobalia|analyst\n",
                   encoding="utf-8")
    code, _, stderr = run(capsys, "validate", "--study", all_formats)
    assert code == 1 and "MOES-89.md:8: participants differ from those in" in stderr


def test_validate_writes_nothing_and_raw_files_never_change(all_formats: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    code, stdout, _ = run(capsys, "validate", "--study", all_formats)
    assert code == 0 and "OK: 6 interviews" in stdout and "nothing written" in stdout
    assert snapshot(tmp_path) == before
    raw_before = snapshot(all_formats)
    assert run(capsys, "build", "--study", all_formats, "--out", tmp_path / "p")[0] == 0
    assert snapshot(all_formats) == raw_before


def test_second_build_is_byte_identical(all_formats: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run(capsys, "build", "--study", all_formats, "--out", first)[0] == 0
    assert run(capsys, "build", "--study", all_formats, "--out", second)[0] == 0
    assert snapshot(current_generation(first)) == snapshot(current_generation(second))
    assert run(capsys, "build", "--study", all_formats, "--out", first)[0] == 0
    assert snapshot(current_generation(first)) == snapshot(current_generation(second))
    # the rebuild is a new generation; the old one is gone and nothing else is left behind
    assert sorted(p.name for p in first.iterdir()) == [".cache", "CURRENT", "gen-000002"]


def test_interrupted_write_leaves_previous_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    study = make_study(tmp_path / "study", GOOD)
    out = tmp_path / "processed"
    assert run(capsys, "build", "--study", study, "--out", out)[0] == 0
    before = snapshot(out)
    (study / "transcripts" / "moes" / "MOES-89.md").unlink()
    calls = []
    original = build_module.write_table

    def failing(frame: pd.DataFrame, directory: Path, name: str, csv: bool = True, **kwargs) -> None:
        calls.append(name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        original(frame, directory, name, csv, **kwargs)

    monkeypatch.setattr(build_module, "write_table", failing)
    capsys.readouterr()
    assert main(["build", "--study", str(study), "--out", str(out)]) == 1  # a message, not a traceback
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(out) == before


def test_missing_study_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "validate", "--study", tmp_path / "nope")
    assert code == 1 and f"{tmp_path / 'nope'}: study folder not found" in stderr


def test_encodings_legacy_font_and_mojibake_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-1252, to make mojibake)
    from transcript_files import legacy

    answer = "ჩვენ ვფიქრობთ, რომ გენდერული თანასწორობის საკითხები ძალიან მნიშვნელოვანია."
    header = ("---\ninterview_id: MOES-95\nagency: moes\nmode: individual\nlanguage: ka\nroom: 12\n"
              "participants:\n  - {id: P1, name: ნანა ქიქოძე}\n---\n")
    body = (f"ინტერვიუერი: [Q1] პრიორიტეტები?\nP1: {legacy(answer)}\n"
            f"P1: {answer.encode('utf-8').decode('sloppy-windows-1252')} ნანამ იცის.\n")
    study = make_study(tmp_path / "study", {"transcripts/moes/MOES-95.txt": (header + body).encode("utf-16")})
    out = tmp_path / "processed"
    code, _, stderr = run(capsys, "build", "--study", study, "--out", out)
    assert code == 0, stderr
    assert f"{study / 'transcripts' / 'moes' / 'MOES-95.txt'}:6: unknown header field 'room' ignored" in stderr
    segments = pd.read_parquet(current_generation(out) / "segments.parquet")
    assert list(segments["text"]) == ["პრიორიტეტები?", answer, f"{answer} [P1] იცის."]
    assert pd.read_parquet(current_generation(out) / "interviews.parquet")["legacy_font_paragraphs"].tolist() == [1]


def test_validate_reports_codebook_and_transcript_problems_together(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    study = make_study(tmp_path / "study", GOOD)
    shutil.copy(FIXTURES / "bad" / "unknown_speaker.md", study / "transcripts" / "moes")
    codebook = study / "codebook.yml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace("id: training.online", "id: online"),
                        encoding="utf-8")
    code, _, stderr = run(capsys, "validate", "--study", study)
    assert code == 1
    assert f"{codebook}:" in stderr and "code id 'online' must be 'training.<snake_case>'" in stderr
    assert "unknown_speaker.md:12: unknown speaker label" in stderr
