"""Raw ``re:`` codebook patterns are bounded: size and repeat counts checked at load, every search under a
timeout that names the pattern (and, in a build, its codebook line) instead of hanging."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, study_with_pattern

from gtna_analysis.cli import main
from gtna_analysis.coding import patterns
from gtna_analysis.coding.codebook import load_codebook
from gtna_analysis.coding.patterns import PatternError, PatternTimeout, compile_pattern
from gtna_analysis.errors import GtnaError

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["---", "interview_id: MOES-95", "agency: moes", "mode: individual", "language: en", "interviewer: INT1",
          "participants:", "  - {id: P1, name: Ana Test, role: analyst, gender: female, level: mid}", "---",
          "Interviewer: What are your priorities?"]


@pytest.mark.parametrize(("pattern", "reason"), [
    ("re:a{99999999999}", "repeat count {99999999999} is above 1000"),
    ("re:a{2,5000}", "repeat count {2,5000} is above 1000"),
    ("re:" + "ab|" * 200 + "c", "too long"),
    ("re:(abc", "bad regex"),
    ("re:x*", "matches the empty string"),
])
def test_bad_raw_regex_is_a_pattern_error(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError) as info:
        compile_pattern(pattern)
    assert reason in str(info.value)


def test_literal_braces_and_small_repeats_are_fine() -> None:
    assert compile_pattern(r"re:\d{11}").regex.search("id 12345678901 ok")
    assert compile_pattern(r"re:a\{99999\}").regex.search("a{99999}")  # escaped: no repeat at all


def test_codebook_names_the_line_of_an_overflowing_repeat(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yml"
    path.write_text(MINI_CODEBOOK.replace('"online"]', '"online", "re:a{99999999999}"]'), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "re:a{" in text)
    with pytest.raises(GtnaError) as info:
        load_codebook(path)
    assert f"{path}:{line}: " in str(info.value) and "repeat count" in str(info.value)


def test_catastrophic_regex_times_out_with_the_pattern_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.2)
    compiled = compile_pattern("re:(x+x+)+y")
    with pytest.raises(PatternTimeout, match=r"'re:\(x\+x\+\)\+y' took more than 0\.2 s"):
        list(compiled.regex.finditer("x" * 5000))
    assert [m.group() for m in compiled.regex.finditer("xxy")] == ["xxy"]  # a normal text is matched


@pytest.mark.parametrize(("pattern", "line_text"), [
    ("re:(x+x+)+y", "x" * 5000),
    ("re:(a+)+$", "a" * 30000 + "b"),  # the case: hung the build under ``re``
])
def test_build_reports_a_timeout_at_the_codebook_line(pattern: str, line_text: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.2)
    study, codebook, line = study_with_pattern(tmp_path / "study", pattern,
                                               "\n".join([*HEADER, "P1: " + line_text]) + "\n")
    capsys.readouterr()
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "p")]) == 1
    err = capsys.readouterr().err
    assert f"{codebook}:{line}: pattern '{pattern}' took more than 0.2 s" in err and "Traceback" not in err
    assert not (tmp_path / "p" / "CURRENT").exists()  # nothing published
