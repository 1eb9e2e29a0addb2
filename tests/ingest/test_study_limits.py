"""``limits:`` in study.yml: the resource limits kept with the study they are for, validated at their line,
with the environment variables still overriding them for one run."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_study

from gtna_analysis.cli import main
from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.readers.limits import MB, SETTINGS, limit, setting, study_limits
from gtna_analysis.study import load_study

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPT = (ROOT / "tests" / "fixtures" / "ingest" / "good_en.md").read_text(encoding="utf-8")


def study_with_limits(tmp_path: Path, block: str) -> Path:
    study = make_study(tmp_path / "study", {"transcripts/moes/MOES-89.md": TRANSCRIPT})
    (study / "study.yml").write_text((study / "study.yml").read_text(encoding="utf-8") + block, encoding="utf-8")
    return study


def yml_line(study: Path, text: str) -> int:
    lines = (study / "study.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_every_setting_is_read_from_study_yml(tmp_path: Path) -> None:
    block = "limits:\n" + "".join(f"  {key}: {index + 2}.5\n" for index, key in enumerate(SETTINGS))
    study = load_study(study_with_limits(tmp_path, block))
    assert study.limits == {key: index + 2.5 for index, key in enumerate(SETTINGS)}
    assert set(SETTINGS) == {"max_transcript_mb", "warn_transcript_mb", "max_unzipped_mb", "max_zip_members",
                             "regex_timeout_s", "regex_budget_s"}


@pytest.mark.parametrize(("block", "needle", "message"), [
    ("limits:\n  max_transcript_mb: 50\n  max_transcirpt_mb: 80\n", "max_transcirpt_mb",
     "limits: unknown key 'max_transcirpt_mb'"),
    ("limits:\n  max_unzipped_mb: 0\n", "max_unzipped_mb", "limits: max_unzipped_mb must be a positive number, "
     "got 0"),
    ("limits:\n  regex_timeout_s: -2\n", "regex_timeout_s", "limits: regex_timeout_s must be a positive number"),
    ("limits:\n  max_zip_members: lots\n", "max_zip_members", "limits: max_zip_members must be a positive number, "
     "got 'lots'"),
    ("limits:\n  regex_budget_s: .nan\n", "regex_budget_s", "limits: regex_budget_s must be a positive number"),
    ("limits:\n  max_transcript_mb: true\n", "max_transcript_mb", "limits: max_transcript_mb must be a positive "
     "number, got True"),
    ("limits: [max_transcript_mb]\n", "limits:", "limits must be a mapping of setting: number"),
])
def test_bad_limits_are_errors_at_their_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], block: str,
                                             needle: str, message: str) -> None:
    study = study_with_limits(tmp_path, block)
    with pytest.raises(GtnaError) as info:
        load_study(study)
    assert f"{study / 'study.yml'}:{yml_line(study, needle)}: {message}" in str(info.value)
    capsys.readouterr()
    assert main(["validate", "--study", str(study)]) == 1
    err = capsys.readouterr().err
    assert f"study.yml:{yml_line(study, needle)}: {message}" in err and "Traceback" not in err


def test_study_value_applies_during_the_block_and_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GTNA_MAX_TRANSCRIPT_MB", raising=False)
    assert limit("GTNA_MAX_TRANSCRIPT_MB") == 20 * MB
    with study_limits({"max_transcript_mb": 50, "regex_budget_s": 7}):
        assert limit("GTNA_MAX_TRANSCRIPT_MB") == 50 * MB
        assert setting("regex_budget_s") == 7
        monkeypatch.setenv("GTNA_MAX_TRANSCRIPT_MB", "3")
        assert limit("max_transcript_mb") == 3 * MB
    assert limit("GTNA_MAX_TRANSCRIPT_MB") == 3 * MB  # the environment's, the study's is gone
    monkeypatch.delenv("GTNA_MAX_TRANSCRIPT_MB")
    assert limit("GTNA_MAX_TRANSCRIPT_MB") == 20 * MB


def test_build_refuses_a_transcript_above_the_study_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GTNA_MAX_TRANSCRIPT_MB", raising=False)
    study = study_with_limits(tmp_path, "limits:\n  max_transcript_mb: 0.0001\n")  # ~100 bytes; the file is 529
    capsys.readouterr()
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "p")]) == 1
    err = capsys.readouterr().err
    assert "MOES-89.md: file is" in err and "above the 0.0 MB limit" in err
    assert "raise max_transcript_mb under limits: in study.yml" in err
    monkeypatch.setenv("GTNA_MAX_TRANSCRIPT_MB", "1")  # the environment overrides the study for one run
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "p"), "-q"]) == 0
    assert limit("GTNA_MAX_TRANSCRIPT_MB") == 1 * MB
    monkeypatch.delenv("GTNA_MAX_TRANSCRIPT_MB")
    assert limit("GTNA_MAX_TRANSCRIPT_MB") == 20 * MB  # the build's study limits do not outlive it
