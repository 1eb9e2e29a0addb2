"""Terminal output for the CLI: one place that knows about --quiet/--verbose and progress bars (rich)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")


class Output:
    """Verbosity-aware printing; errors always go to stderr."""

    def __init__(self, verbosity: int = 1):
        self.verbosity = verbosity
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    def info(self, message: str) -> None:
        if self.verbosity >= 1:
            self.out.print(message, markup=False)

    def detail(self, message: str) -> None:
        if self.verbosity >= 2:
            self.out.print(message, markup=False)

    def error(self, message: str) -> None:
        self.err.print(message, markup=False, style="red")

    def warn(self, message: str) -> None:
        self.err.print(message, markup=False, style="yellow")

    def progress(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        """Iterate with a progress bar on an interactive terminal (plain iteration otherwise)."""
        if self.verbosity < 1 or not sys.stderr.isatty():
            yield from items
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=self.err, transient=True) as bar:
            yield from bar.track(items, description=description, total=total)


OUTPUT = Output()
