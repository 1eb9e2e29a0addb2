"""CLI commands for researchers starting and checking a study: init, bench."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser, str], None]) -> None:
    """Add the study-management sub-commands to the ``gtna`` parser."""
