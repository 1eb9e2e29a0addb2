"""Public names of a sub-package, imported on first use (PEP 562).

Each sub-package lists its public API in ``__init__`` without importing its modules up front: importing
``gtna_analysis.coding.patterns`` must not pull in scikit-learn, nor ``gtna report`` matplotlib in the parent
process that only schedules the notebooks.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module


def lazy_api(package: str, api: dict[str, str]) -> tuple[list[str], Callable[[str], object], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for ``package``; ``api`` maps a public name to its module."""

    def __getattr__(name: str) -> object:
        if name in api:
            return getattr(import_module(f".{api[name]}", package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(api)

    return sorted(api), __getattr__, __dir__
