"""Every command explains itself: --help with examples, documented exit codes, usage errors exit 2."""

from __future__ import annotations

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
