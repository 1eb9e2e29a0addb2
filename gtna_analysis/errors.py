"""User-facing errors: every problem names a file and a line so a researcher can fix the input.

A build collects problems instead of stopping at the first one, so that one run lists everything that is
wrong; the CLI prints them as ``path:line: message`` and exits 1. Tracebacks are for programming errors only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        text = f"{where}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


class GtnaError(Exception):
    """Raised for bad input; carries one or more located problems."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str | Path, line: int | None, message: str, hint: str = "") -> GtnaError:
        return cls(Problem(str(path), line, message, hint))


@dataclass
class ProblemLog:
    """Accumulates problems across many files; ``raise_if_any`` turns them into one GtnaError."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str | Path, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(str(path), line, message, hint))

    def extend(self, error: GtnaError) -> None:
        self.problems.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise GtnaError(self.problems)
