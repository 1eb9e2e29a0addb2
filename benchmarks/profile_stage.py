"""Profile one stage with pyinstrument in a child process; the text call tree goes into RESULTS.md.

Stages: ``build`` (``gtna build`` in-process on a study folder), ``coding`` (``AutoCoder.code`` on an N× corpus),
``reports`` (``render_reports`` for one agency, serial — the parent side: time spent waiting on kernels shows as
such; what runs inside a kernel is profiled by the ``kernel`` stage, which executes the report notebook's code
cells in-process).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

from .measure import PYTHON, emit, run_child

MAX_LINES = 60


def _profile(fn) -> str:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.002)
    profiler.start()
    try:
        fn()
    finally:
        profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False)


def stage_build(study: str, out: str) -> str:
    from gtna_analysis.cli import main

    return _profile(lambda: main(["build", "--study", study, "--out", out, "-q"]))


def stage_coding(scale: float, codebook: str, seed: int) -> str:
    import pandas as pd

    from gtna_analysis.coding.autocoder import AutoCoder
    from gtna_analysis.coding.codebook import load_codebook

    from .corpus import segment_texts

    texts = segment_texts(scale, seed)
    frame = pd.DataFrame({"segment_id": [f"S{i}" for i in range(len(texts))], "interview_id": "X", "agency": "a",
                          "start_char": 0, "text": texts})
    coder = AutoCoder(load_codebook(Path(codebook)))
    return _profile(lambda: coder.code(frame))


def stage_reports(study: str, processed: str, agency: str) -> str:
    from gtna_analysis.reports.batch import render_reports

    with tempfile.TemporaryDirectory() as out:
        return _profile(lambda: render_reports(Path(processed), Path(out), agencies=[agency], languages=["en"],
                                               jobs=1, include_cross=False, study=Path(study)))


def stage_kernel(study: str, processed: str, agency: str) -> str:
    """The report notebook's code cells executed in this process with the batch's parameters (no kernel)."""
    import os

    import matplotlib
    import nbformat

    from gtna_analysis.reports.batch import notebook_path

    matplotlib.use("Agg")
    nb = nbformat.read(str(notebook_path("agency_report")), as_version=4)
    namespace: dict = {"__name__": "__main__"}
    params = {"processed": str(Path(processed).resolve()), "study": str(Path(study).resolve()), "agency": agency,
              "lang": "en"}
    cells = [(re.sub(r"^\s*(get_ipython|%|!).*$", "", c.source, flags=re.M),
              "parameters" in c.get("metadata", {}).get("tags", [])) for c in nb.cells if c.cell_type == "code"]

    def run() -> None:
        for i, (source, is_parameters) in enumerate(cells):
            exec(compile(source, f"<cell {i}>", "exec"), namespace)
            if is_parameters:
                namespace.update(params)

    with tempfile.TemporaryDirectory() as cwd:
        old = os.getcwd()
        os.chdir(cwd)
        try:
            return _profile(run)
        finally:
            os.chdir(old)


STAGES = {"build": stage_build, "coding": stage_coding, "reports": stage_reports, "kernel": stage_kernel}


def trim(text: str, max_lines: int = MAX_LINES) -> str:
    """Drop pyinstrument's banner (keeping its duration line) and cut the call tree to ``max_lines``."""
    lines = [line.rstrip() for line in text.splitlines()]
    summary = next((m.group(0) for line in lines if (m := re.search(r"Duration:.*", line))), "")
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith(("Profile at", "Program:"))), 0)
    body = [line for line in lines[start:] if line.strip()]
    head = [re.sub(r"\s+", " ", summary)] if summary else []
    return "\n".join(head + body[:max_lines]) + ("\n…" if len(body) > max_lines else "")


def profile(stage: str, **kwargs) -> dict:
    """Run the stage in a child process; returns {"stage", "args", "text"} or {"error"}."""
    run = run_child([PYTHON, "-m", "benchmarks.profile_stage", "--stage", stage, "--args", json.dumps(kwargs)])
    if not run.ok:
        return {"stage": stage, "args": kwargs, "error": run.tail(), "seconds": run.seconds}
    return {"stage": stage, "args": kwargs, "text": trim(run.result()["text"]), "seconds": run.seconds}


def child_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stage", choices=sorted(STAGES), required=True)
    parser.add_argument("--args", default="{}")
    args = parser.parse_args(argv)
    emit({"text": STAGES[args.stage](**json.loads(args.args))})


if __name__ == "__main__":
    child_main()
