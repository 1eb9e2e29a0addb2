"""Each raw ``re:`` pattern has a time budget over the whole build (``regex_budget_s``), on top of the per-search
timeout: a pattern fast on every answer but slow in sum stops the build, naming the pattern and its codebook line.

Time is simulated (a clock that advances one second per reading), so nothing here depends on the machine's speed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, make_study, study_with_pattern

from gtna_analysis.cli import main
from gtna_analysis.coding import patterns
from gtna_analysis.coding.patterns import PatternBudgetExceeded, PatternTimeout, RegexClock, compile_pattern

HEADER = ["---", "interview_id: MOES-95", "agency: moes", "mode: individual", "language: en", "interviewer: INT1",
          "participants:", "  - {id: P1, name: Ana Test, role: analyst, gender: female, level: mid}", "---"]


class SteppingTime:
    """``time`` for patterns.py whose perf_counter advances ``step`` seconds per call: each search costs
    ``step`` simulated seconds, whatever the machine."""

    def __init__(self, step: float = 1.0):
        self.now, self.step = 0.0, step

    def perf_counter(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def stepping_time(monkeypatch: pytest.MonkeyPatch) -> SteppingTime:
    fake = SteppingTime()
    monkeypatch.setattr(patterns, "time", fake)
    return fake


def test_budget_is_per_pattern_and_in_total(stepping_time: SteppingTime, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = compile_pattern("re:bud[a-z]+")
    other = compile_pattern("re:ses+ion")
    monkeypatch.setattr(patterns, "_CLOCK", RegexClock(timeout=5, budget=3.5))  # after compiling (which searches)
    for _ in range(3):  # 3 simulated seconds: within the 3.5 s budget
        assert fast.regex.search("a budget line")
    assert other.regex.search("a session")  # another pattern has its own budget
    fast.regex.search("fourth search")  # allowed: 0.5 s left, spends 1 s
    with pytest.raises(PatternBudgetExceeded, match=r"'re:bud\[a-z\]\+' spent more than its 3\.5 s budget"):
        fast.regex.search("a budget line")
    assert other.regex.search("a session")  # still within its own budget


def test_finditer_charges_every_search(stepping_time: SteppingTime, monkeypatch: pytest.MonkeyPatch) -> None:
    regex = compile_pattern("re:x[0-9]").regex
    monkeypatch.setattr(patterns, "_CLOCK", RegexClock(timeout=5, budget=4))
    assert [m.group() for m in regex.finditer("x1 x2 x3")] == ["x1", "x2", "x3"]  # 4 searches: budget spent
    with pytest.raises(PatternBudgetExceeded):
        list(regex.finditer("x4"))


def test_a_new_build_starts_a_new_clock(stepping_time: SteppingTime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "REGEX_BUDGET", 2)
    regex = compile_pattern("re:y[0-9]").regex
    patterns.start_regex_clock()
    regex.search("y1")
    regex.search("y2")
    with pytest.raises(PatternBudgetExceeded):
        regex.search("y3")
    patterns.start_regex_clock()
    assert regex.search("y3")


def test_budget_exceeded_is_a_timeout_for_the_build() -> None:
    assert issubclass(PatternBudgetExceeded, PatternTimeout)  # so the build reports it at its codebook line


def test_build_stops_at_the_codebook_line_of_a_pattern_slow_in_sum(
        tmp_path: Path, stepping_time: SteppingTime, capsys: pytest.CaptureFixture[str]) -> None:
    pattern = "re:online[a-z]*"
    answers = [f"P1: We met online{i % 3 * 'x'} and online again." for i in range(20)]
    study, codebook, line = study_with_pattern(
        tmp_path / "study", pattern,
        "\n".join([*HEADER, *(f"Interviewer: And then?\n{a}" for a in answers)]) + "\n",
        study_yml_extra="limits:\n  regex_budget_s: 5\n")
    capsys.readouterr()
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "p")]) == 1
    err = capsys.readouterr().err
    assert f"{codebook}:{line}: pattern '{pattern}' spent more than its 5 s budget" in err
    assert "Traceback" not in err and not (tmp_path / "p" / "CURRENT").exists()


def test_the_same_build_passes_with_a_larger_budget(tmp_path: Path, stepping_time: SteppingTime,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTNA_REGEX_BUDGET_S", "100000")  # the environment overrides the study's 5 s
    study = make_study(tmp_path / "study", {"transcripts/moes/MOES-95.md": "\n".join(
        [*HEADER, "Interviewer: And then?", *(f"P1: We met online{i} times." for i in range(20))]) + "\n"})
    (study / "study.yml").write_text((study / "study.yml").read_text(encoding="utf-8")
                                     + "limits:\n  regex_budget_s: 5\n", encoding="utf-8")
    codebook = study / "codebook.yml"
    codebook.write_text(MINI_CODEBOOK.replace('"online"]', '"online", "re:online[0-9]+"]'), encoding="utf-8")
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "p"), "-q"]) == 0
