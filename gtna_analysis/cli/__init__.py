"""The ``gtna`` command line (also ``python -m gtna_analysis``): one module per command group, ``main`` here."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
