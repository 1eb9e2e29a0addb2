"""CLI commands of the coding engine: codebook export/import, exports (qdpx, xlsx, csv), agreement."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser, str], None]) -> None:
    """Add the coding-engine sub-commands to the ``gtna`` parser."""
