"""Notebooks stay clean and thin: no committed outputs, .ipynb and jupytext .py twins in step, explore works."""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_three_notebooks_exist() -> None:
    assert {p.stem for p in NOTEBOOKS} == {"agency_report", "cross_agency", "explore"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_no_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_matches_its_py_percent_twin(path: Path) -> None:
    twin = path.with_suffix(".py")
    assert twin.exists(), f"{twin} missing: run `make notebooks`"
    a = [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]
    b = [(c.cell_type, c.source.strip()) for c in jupytext.read(twin).cells]
    assert a == b


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin(path: Path) -> None:
    """Logic belongs in gtna_analysis: no def/class/loops in notebooks, short code cells."""
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 8, cell.source
            assert not any(line.lstrip().startswith(("def ", "class ", "for ", "while "))
                           for line in cell.source.splitlines()), cell.source


def test_parameters_cell_is_tagged() -> None:
    for path in NOTEBOOKS:
        nb = jupytext.read(path)
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), path
