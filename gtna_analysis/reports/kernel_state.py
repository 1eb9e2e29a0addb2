"""Run *inside* a report kernel: what a reused kernel resets so the next report sees what a new kernel shows.

``warm_up`` imports what every report imports (pandas, matplotlib, seaborn, the report library) and remembers
matplotlib's settings as they are before any report touched them; ``fresh`` (just before IPython's ``%reset -f``)
changes into the report's folder, closes figures, restores those settings, and clears the library's memo
caches and the warning registries (so a warning shown by the previous report is shown again). Imported modules
stay: that is the point of a warm kernel.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from typing import Any

_RC: dict[str, Any] | None = None
# Memo caches that hold nothing a report could leave behind, kept between reports: the report templates' Jinja
# environment depends only on the installed template files, and Jinja reloads a template whose file changed
# (``auto_reload``); compiling the templates again cost ~0.12 s CPU per report.
KEEP_CACHES = frozenset({"gtna_analysis.reports.narrative.environment"})


def warm_up() -> None:
    """Import the report stack once, noting matplotlib's pristine settings first."""
    global _RC
    import matplotlib.pyplot  # noqa: F401  (the inline backend configures itself on this import)
    from matplotlib import rcParams

    _RC = {k: v for k, v in rcParams.items() if k != "backend"}
    import gtna_analysis.reports.sections  # noqa: F401

    gc.collect()  # the imports' own cyclic garbage, before freezing what they leave
    freeze()


def freeze() -> None:
    """Move every object alive now out of the garbage collector's sight (``gc.freeze``), after a collection.

    Why: IPython's ``%reset -f`` runs two *full* collections, and a full collection walks every tracked object of
    the kernel — the imported libraries and whatever earlier reports left behind. That cost grew with each report
    (profiled: 0.5 s a collection at the 3rd report, 2.9 s at the 37th, under load), so a long batch got slower
    report by report. Frozen objects are still freed by reference counting; only cycles among them are not
    collected, and what is frozen here is what survived the collection just made: the imports and state that
    outlives reports (no report's figures or namespace). The next reset walks only what the last report made."""
    gc.freeze()


def fresh(cwd: str) -> None:
    """State a new kernel would have (the namespace is reset by ``%reset -f`` right after)."""
    os.chdir(cwd)
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt
        from matplotlib import rcParams

        plt.close("all")
        if _RC is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rcParams.update(_RC)
    for name, module in list(sys.modules.items()):
        if module is None:
            continue
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
        if name == "gtna_analysis" or name.startswith("gtna_analysis."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name \
                        and f"{name}.{getattr(value, '__name__', '')}" not in KEEP_CACHES:
                    value.cache_clear()
    warnings.onceregistry.clear()
