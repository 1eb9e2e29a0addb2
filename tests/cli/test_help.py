"""Every command explains itself: --help with examples, documented exit codes, usage errors exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtna_analysis.cli import build_parser, main

COMMANDS = [["validate"], ["build"], ["report"], ["init"], ["codebook", "export"], ["codebook", "import"],
            ["export"], ["agreement"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_examples(command: list[str], capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_top_level_help_lists_every_command_and_exit_codes(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("validate", "build", "report", "init", "codebook", "export", "agreement"):
        assert name in out
    assert "exit codes" in out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["report", "--lang", "fr"])
    assert exit_info.value.code == 2


def test_missing_study_is_a_located_error(tmp_path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--study", str(tmp_path / "nope")]) == 1
    assert f"{tmp_path / 'nope'}: study folder not found" in capsys.readouterr().err


def test_file_system_mistakes_are_messages_not_tracebacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file where a folder belongs (and the reverse) is an input problem: one line, exit 1."""
    a_file = tmp_path / "a-file"
    a_file.write_text("", encoding="utf-8")
    study = Path(__file__).resolve().parents[2] / "data" / "raw"
    assert main(["build", "--study", str(study), "--out", str(a_file), "-q"]) == 1
    assert main(["codebook", "import", str(tmp_path), "--out", str(tmp_path / "x.yml")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(a_file) in err and str(tmp_path) in err
