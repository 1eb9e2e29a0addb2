"""Golden output of the sample build: what `gtna build --study data/raw` produces, table by table, reviewed.

Each processed table is stored as ``<table>.csv`` with its rows sorted (so a change in row order alone is not a
change — byte-identical rebuilds are tested separately) and floats written with 6 significant digits; each
interview's document text as ``documents/<interview_id>.txt``, so a diff reads like the change it is.

The files change only on purpose: after a change to the build that *should* change its output, run

    python -m tests.golden update        # or: make golden

review ``git diff tests/golden/`` like code, and commit it with the change. ``python -m tests.golden check``
prints the differences without writing anything (the test ``tests/golden/test_golden.py`` does the same).
"""

from __future__ import annotations

import contextlib
import difflib
import io
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parent.parent
SAMPLE = ROOT / "data" / "raw"
TABLES = ("interviews", "participants", "segments", "codings", "preferences", "designs", "codes")
UPDATE_COMMAND = "python -m tests.golden update"


def build_sample(out: Path) -> Path:
    """Run ``gtna build --study data/raw --out <out>`` through the CLI, as a user would."""
    from gtna_analysis.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", "--study", str(SAMPLE), "--out", str(out)])
    if code != 0:
        raise RuntimeError(f"gtna build failed with exit {code}:\n{stderr.getvalue()}")
    return out


def _cell(value: object) -> str:
    if isinstance(value, list | tuple | np.ndarray):
        return "|".join(_cell(v) for v in list(value))
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def table_text(frame: pd.DataFrame) -> str:
    """A table as CSV text with every cell rendered stably and the rows sorted."""
    rendered = pd.DataFrame({c: [_cell(v) for v in frame[c]] for c in frame.columns}, columns=list(frame.columns))
    rendered = rendered.sort_values(list(rendered.columns), kind="stable") if len(rendered.columns) else rendered
    return rendered.to_csv(index=False, lineterminator="\n")


def serialise(processed: Path) -> dict[str, str]:
    """Relative golden file name → expected text, for a processed folder."""
    from gtna_analysis.tables import read_table

    files = {f"{name}.csv": table_text(read_table(processed, name)) for name in TABLES}
    documents = read_table(processed, "documents")
    for interview_id, text in zip(documents["interview_id"], documents["text"], strict=True):
        files[f"documents/{interview_id}.txt"] = str(text)
    return files


def stored() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(GOLDEN.rglob("*")) if p.suffix in (".csv", ".txt") and p.is_file()}


def differences(actual: dict[str, str], expected: dict[str, str], context: int = 2, limit: int = 60) -> list[str]:
    """Unified diffs (golden → actual) of every file that differs, missing or extra; at most ``limit`` lines each."""
    out: list[str] = []
    for name in sorted(set(actual) | set(expected)):
        if actual.get(name) == expected.get(name):
            continue
        diff = list(difflib.unified_diff(expected.get(name, "").splitlines(), actual.get(name, "").splitlines(),
                                         f"golden/{name}", f"build/{name}", n=context, lineterm=""))
        out.append("\n".join(diff[:limit] + ([f"… {len(diff) - limit} more diff lines"] if len(diff) > limit
                                              else [])))
    return out


def update(files: dict[str, str]) -> list[str]:
    """Write the golden files (and delete those the build no longer makes); returns the names changed."""
    changed = [name for name in sorted(set(files) | set(stored())) if stored().get(name) != files.get(name)]
    for name in stored():
        if name not in files:
            (GOLDEN / name).unlink()
    for name, text in files.items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return changed


def current() -> dict[str, str]:
    """Build the sample into a temporary folder and serialise it."""
    base = Path(tempfile.mkdtemp(prefix="gtna-golden-"))
    try:
        return serialise(build_sample(base / "processed"))
    finally:
        shutil.rmtree(base, ignore_errors=True)
