"""Tests of gtna_analysis.explore (a package, so that its conftest does not shadow tests/conftest.py)."""
