"""Tests of gtna_analysis.ingest (a package, so that its conftest does not shadow tests/conftest.py)."""
