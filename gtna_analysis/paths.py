"""Where the package finds its own files (notebooks, templates, the study scaffold) and the study's folder names.

Located through ``importlib.resources`` so the same code works from a source checkout (``pip install -e``) and
from an installed wheel: a wheel carries the top-level ``notebooks/`` as ``gtna_analysis/_notebooks`` (see
``pyproject.toml``), while a checkout keeps one source of truth in ``notebooks/`` where researchers open it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "gtna_analysis"
CODINGS_FOLDER = "codings"  # <study>/codings/: human coding files merged by `gtna build`
GOLD_FOLDER = "gold"  # <study>/gold/: evaluation coding, never merged into a build
REVIEWS_FOLDER = "reviews"  # <study>/reviews/: corrected design sheets that replace extracted designs


def package_dir() -> Path:
    """The installed package folder (a real folder: the package is never imported from a zip)."""
    return Path(str(resources.files(PACKAGE)))


def notebooks_dir() -> Path:
    """The report notebooks: bundled in a wheel, else the checkout's top-level ``notebooks/``."""
    bundled = package_dir() / "_notebooks"
    if bundled.is_dir():
        return bundled
    return package_dir().parent / "notebooks"


def templates_dir() -> Path:
    """Jinja2 templates of the report sections, the index page and the nbconvert template."""
    return package_dir() / "templates"


def nbconvert_templates_dir() -> Path:
    return templates_dir() / "nbconvert"


def scaffold_dir() -> Path:
    """The study template copied by ``gtna init``."""
    return package_dir() / "scaffold"
