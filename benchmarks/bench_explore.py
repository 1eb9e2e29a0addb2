"""Opening the explore workbench, against the floor of what any workbench must pay in the same run.

    .venv/bin/python -m benchmarks.bench_explore               # 5 alternating runs of each, on the sample study
    .venv/bin/python -m benchmarks.bench_explore --repeats 3 --code /path/to/other/checkout   # another version

Each measurement is a fresh Python process (a kernel opening the notebook starts from nothing too):

* *floor*: import the workbench modules (pandas, ipywidgets, anywidget, the library) and load the built sample
  study (``ExploreData.load`` plus the segment and coding joins every view uses);
* *open*: the same, then construct the workbench (``Workbench(data)``: every tab's widgets and the first page
  of passages).

Floor and open runs alternate, so machine load hits both alike; the figure is median(open) / median(floor), and
the workbench's own share, median of (open − floor) measured inside the open runs. ``--code`` puts another
checkout's ``gtna_analysis`` first on the path (to measure a version before a change in the same run).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from .measure import PYTHON, ROOT, child_main, median, run_child

SAMPLE = ROOT / "data" / "raw"


def child(study: str, processed: str, open_workbench: bool) -> dict:
    """One measured start: times of the imports, the load and (``open_workbench``) the construction."""
    start = time.perf_counter()
    import ipywidgets  # noqa: F401  (the widgets' own import is part of the floor)

    from gtna_analysis.explore import widgets
    from gtna_analysis.explore.data import ExploreData

    imported = time.perf_counter()
    data = ExploreData.load(study, processed)
    _ = data.segments, data.codings  # the joins every view needs
    loaded = time.perf_counter()
    if open_workbench:
        widgets.Workbench(data)
    opened = time.perf_counter()
    return {"import_s": imported - start, "load_s": loaded - imported, "workbench_s": opened - loaded,
            "total_s": opened - start, "module": widgets.__file__}


def build_sample(folder: Path) -> Path:
    """A copy of the sample study, built (setup, not measured)."""
    from gtna_analysis.cli import main

    study = folder / "study"
    shutil.copytree(SAMPLE, study, ignore=shutil.ignore_patterns(".*", "processed", "memos"))
    if main(["build", "--study", str(study), "-q"]) != 0:
        raise SystemExit("benchmarks: the sample study did not build")
    return study


def measure(study: Path, repeats: int, code: Path | None) -> dict:
    env = {"PYTHONPATH": ":".join(filter(None, [str(code) if code else "", str(ROOT)]))}
    runs: dict[str, list[dict]] = {"floor": [], "open": []}
    for _ in range(repeats):
        for kind in ("floor", "open"):
            task = {"study": str(study), "processed": str(study / "processed"), "open_workbench": kind == "open"}
            # cwd: the study's folder, not the checkout (``-m`` puts the cwd first on the path, before --code)
            done = run_child([PYTHON, "-m", "benchmarks.bench_explore", "--child", json.dumps(task)],
                             cwd=study.parent, env=env)
            if not done.ok:
                raise SystemExit(f"benchmarks: explore child failed:\n{done.tail()}")
            runs[kind].append({**done.result(), "wall_s": done.seconds, "max_rss": done.max_rss})
    floor = median([r["wall_s"] for r in runs["floor"]])
    opened = median([r["wall_s"] for r in runs["open"]])
    return {
        "module": runs["open"][0]["module"], "repeats": repeats, "floor_s": floor, "open_s": opened,
        "ratio": opened / floor,
        "import_s": median([r["import_s"] for r in runs["open"]]),
        "load_s": median([r["load_s"] for r in runs["open"]]),
        "workbench_s": median([r["workbench_s"] for r in runs["open"]]),
        "peak_mib_open": median([r["max_rss"] for r in runs["open"]]) / 2**20,
    }


def report(result: dict) -> str:
    rows = [("floor: imports + load (process wall, median)", f"{result['floor_s']:.2f} s"),
            ("open: floor + Workbench(data) (process wall, median)", f"{result['open_s']:.2f} s"),
            ("open ÷ floor", f"{result['ratio']:.2f}"),
            ("inside open runs: imports / load / workbench (medians)",
             f"{result['import_s']:.2f} / {result['load_s']:.2f} / {result['workbench_s']:.2f} s"),
            ("peak RSS of an open run (median)", f"{result['peak_mib_open']:.0f} MiB")]
    lines = [f"Explore workbench on the sample study ({result['repeats']} alternating runs; code: "
             f"{result['module']})", "", "| measure | value |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--code", type=Path, help="a checkout whose gtna_analysis is measured instead")
    args = parser.parse_args(argv)
    if args.child:
        child_main(child, ["--child", args.child])
        return
    with tempfile.TemporaryDirectory(prefix="gtna-bench-explore-") as tmp:
        study = build_sample(Path(tmp))
        print(report(measure(study, args.repeats, args.code.resolve() if args.code else None)))


if __name__ == "__main__":
    main()
