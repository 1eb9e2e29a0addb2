"""pytest plugin for mutation runs: empty the named ``functools`` caches when a test session starts.

Why: mutmut 3 runs every mutant's tests in a child forked from a process that has already run the whole test
selection (its stats and clean runs). A function whose results a cache kept from those runs is then never called
with the mutant active, so its mutants "survive" although the tests would catch them: all of
``translit._decode``'s did (``read_chat_word`` held every chat word the tests read). ``--fresh-cache
module:function`` (repeatable; ``module:Class.method`` for a cached method) empties such a cache in each child
before its tests run. ``benchmarks/mutation.py`` adds it for the modules in ``FRESH_CACHES``.
"""

from __future__ import annotations

import importlib

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fresh-cache", action="append", default=[], metavar="MODULE:FUNCTION",
                     help="functools cache to empty before the tests run (mutation testing)")


def pytest_sessionstart(session: pytest.Session) -> None:
    for spec in session.config.getoption("fresh_cache"):
        module, _, path = spec.partition(":")
        target = importlib.import_module(module)
        for name in path.split("."):
            target = getattr(target, name)
        target.cache_clear()
