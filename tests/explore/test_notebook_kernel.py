"""Every notebook declares the project's registered kernel (``gtna``, installed by ``make venv``), so a
researcher's own JupyterLab opens it with the Python that has the library — and stays thin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_notebooks_and_their_twins_declare_the_gtna_kernel() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = re.search(r'ipykernel install .*--name (\S+) --display-name "([^"]+)"', makefile)
    assert install, "the Makefile registers the project kernel"
    name, display = install.groups()
    assert NOTEBOOKS
    for path in NOTEBOOKS:
        spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert (spec["name"], spec["display_name"]) == (name, display), path
        twin = jupytext.read(path.with_suffix(".py")).metadata["kernelspec"]
        assert (twin["name"], twin["display_name"]) == (name, display), path.with_suffix(".py")


def test_explore_notebook_is_two_cells_of_code() -> None:
    cells = [c for c in jupytext.read(ROOT / "notebooks" / "explore.ipynb").cells if c.cell_type == "code"]
    assert len(cells) == 2
    assert "explore.workbench(" in cells[1].source
