"""A municipal-scale report batch: N agencies × 2 languages (default 60), warm kernels, against plain Python.

- plain:  one Python process imports the report library once and makes every report's sections (the same
          ``ReportContext.load`` + ``header`` + ``section`` calls the notebooks make, charts drawn as ``show`` draws
          them): what the reports cost without notebooks, kernels or HTML export — the floor the batch is held to.
- batch:  ``gtna report --all`` as a fresh process, ``--jobs 1`` and ``--jobs J`` (J = usable cores).

Ratios come from one run with the runs interleaved (plain, serial, parallel, plain, …), so load from other
work on the machine hits them alike; CPU time (user + system of the process tree) is given next to wall time
because it is what a shared machine distorts least. Memory: the peak of the *sum* of the batch's processes'
RSS (the batch, its workers and their kernels), sampled every 0.2 s with psutil.

    python -m benchmarks.bench_batch --agencies 60 --repeats 1 --out benchmarks/out/batch.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path

from .measure import MIB, PYTHON, ROOT, child_main, median, run_child


# --------------------------------------------------------------------------------------------- plain Python
def child_plain(processed: str, study: str, agencies: list[str], languages: list[str]) -> dict:
    """Every report's sections in this process (imports once), as the notebooks make them: a chart as
    ``sections.show`` renders it in an HTML-only batch (wide and narrow SVG), a figure to PNG."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from gtna_analysis.reports import plots
    from gtna_analysis.reports import sections as report

    start = time.perf_counter()
    pieces = 0

    def render(item: object) -> None:
        nonlocal pieces
        if isinstance(item, list | tuple):
            for part in item:
                render(part)
        elif isinstance(item, plots.Chart):  # what ``sections.show`` makes of a chart in an HTML-only batch: the
            plots.chart_html(item)            # wide and narrow SVG (the PNG only comes with a Word copy)
            pieces += 1
        elif isinstance(item, Figure):
            plots.png_bytes(item)
            plt.close(item)
            pieces += 1
        else:
            str(item)
            pieces += 1

    reports = 0
    for target in [*agencies, None]:
        for lang in languages:
            ctx = report.ReportContext.load(processed, target, lang, study)
            render(report.header(ctx))
            for name in report.SECTIONS[ctx.kind]:
                render(report.section(ctx, name))
            reports += 1
    return {"reports": reports, "pieces": pieces, "loop_seconds": time.perf_counter() - start}


# --------------------------------------------------------------------------------------------- measuring
def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        total = root.memory_info().rss
        for child in root.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # it exited between the listing and the reading
                total += child.memory_info().rss
        return total
    except psutil.Error:
        return 0


def run_sampled(argv: list[str]) -> dict:
    """Run ``argv`` (under the rusage wrapper, for CPU time) while sampling the RSS sum of its process tree."""
    peak = 0
    done = threading.Event()
    holder: dict = {}

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            pid = holder.get("pid")
            if pid:
                peak = max(peak, _tree_rss(pid))
            done.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        run = run_child(argv, on_start=lambda pid: holder.__setitem__("pid", pid))
    finally:
        done.set()
        thread.join()
    return {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "max_rss_one": run.max_rss, "peak_rss_sum": peak,
            "ok": run.ok, "error": "" if run.ok else run.tail(), "result": run.result() if "BENCH-RESULT" in
            run.stdout else None, "failed_lines": [line for line in (run.stdout + run.stderr).splitlines()
                                                   if "FAILED" in line][:5]}


def run(config: dict, codebook: Path, workdir: Path, log) -> dict:
    """``config``: batch_agencies, batch_repeats, batch_jobs, seed."""
    from .corpus import agency_ids, load_sample, write_study

    n = config["batch_agencies"]
    workdir.mkdir(parents=True, exist_ok=True)
    study, processed = workdir / f"study-{n}ag", workdir / f"processed-{n}ag"
    sample = load_sample()
    per_agency_words = sample.words / max(len(sample.agencies), 1)
    if config.get("reuse") and (study / "study.yml").exists() and (processed / "CURRENT").exists():
        log(f"batch: reusing the {n}-agency study and build in {workdir}")  # same seed: the same study
        counts = json.loads((workdir / f"study-{n}ag.json").read_text(encoding="utf-8")) \
            if (workdir / f"study-{n}ag.json").exists() else {}
    else:
        log(f"batch: writing a {n}-agency study")
        counts = write_study(study, n_agencies=n, seed=config["seed"], codebook=codebook,
                             words=round(n * per_agency_words))
        build = run_child([PYTHON, "-m", "gtna_analysis", "build", "--study", str(study), "--out", str(processed)])
        if not build.ok:
            return {"agencies": n, "error": f"build failed: {build.tail()}"}
        (workdir / f"study-{n}ag.json").write_text(json.dumps(counts, default=str), encoding="utf-8")
    agencies = agency_ids(sample, n)
    languages = ["ka", "en"]
    plain_spec = json.dumps({"processed": str(processed), "study": str(study), "agencies": agencies,
                             "languages": languages})
    results: dict = {"agencies": n, "languages": languages, "study": counts, "reports": (n + 1) * len(languages),
                     "cores": os.cpu_count(), "plain": [], "batch": {str(j): [] for j in config["batch_jobs"]},
                     "load_start": os.getloadavg()}
    partial = config.get("partial")  # a long run: each run's figures saved as soon as it ends
    for i in range(config["batch_repeats"]):
        log(f"batch: plain Python, run {i + 1}")
        results["plain"].append(run_sampled([PYTHON, "-m", "benchmarks.bench_batch", "--child", plain_spec]))
        _save_partial(partial, results, log)
        for jobs in config["batch_jobs"]:
            out = workdir / f"reports-{n}ag-j{jobs}"
            log(f"batch: gtna report --all --jobs {jobs}, run {i + 1}")
            results["batch"][str(jobs)].append(run_sampled(
                [PYTHON, "-m", "gtna_analysis", "report", "--all", "--study", str(study), "--processed",
                 str(processed), "--out", str(out), "--jobs", str(jobs), "-q"]))
            _save_partial(partial, results, log)
    results["load_end"] = os.getloadavg()
    return results


def _save_partial(path: Path | None, results: dict, log) -> None:
    if path is not None:
        path.write_text(json.dumps({**results, "load_now": os.getloadavg()}, indent=1, default=str), encoding="utf-8")
        log(f"batch: figures so far in {path}")


def summarise(results: dict) -> dict:
    if "error" in results:
        return results
    reports = results["reports"]
    plain_ok = [r for r in results["plain"] if r["ok"]]
    plain_wall, plain_cpu = median([r["seconds"] for r in plain_ok]), median([r["cpu_seconds"] for r in plain_ok])
    rows = []
    serial = None
    for jobs, runs in sorted(results["batch"].items(), key=lambda kv: int(kv[0])):
        ok = [r for r in runs if r["ok"]]
        wall, cpu = median([r["seconds"] for r in ok]), median([r["cpu_seconds"] for r in ok])
        row = {"jobs": int(jobs), "runs": len(ok), "failed_runs": len(runs) - len(ok), "wall_s": wall, "cpu_s": cpu,
               "per_report_s": wall / reports, "per_report_cpu_s": cpu / reports,
               "vs_plain_wall": wall / plain_wall if plain_wall else float("nan"),
               "vs_plain_cpu": cpu / plain_cpu if plain_cpu else float("nan"),
               "peak_mib": max((r["peak_rss_sum"] for r in ok), default=0) / MIB,
               "error": next((r["error"] for r in runs if not r["ok"]), "")}
        if int(jobs) == 1:
            serial = wall
        rows.append(row)
    for row in rows:
        row["speedup"] = serial / row["wall_s"] if serial and row["wall_s"] else float("nan")
        row["ideal"] = min(row["jobs"], results["cores"] or 1)
    return {"agencies": results["agencies"], "reports": reports, "plain_wall_s": plain_wall, "plain_cpu_s": plain_cpu,
            "plain_per_report_s": plain_wall / reports if reports else float("nan"),
            "plain_peak_mib": max((r["peak_rss_sum"] for r in plain_ok), default=0) / MIB,
            "rows": rows, "load_start": results["load_start"], "load_end": results["load_end"],
            "runs": len(plain_ok)}


def render(summary: dict) -> str:
    """The RESULTS.md section."""
    if "error" in summary:
        return f"## Report batch at municipal scale\n\nnot measured: {summary['error']}\n"
    lines = [f"## Report batch at municipal scale ({summary['agencies']} agencies × 2 languages)", "",
             f"{summary['reports']} reports (every agency in ka and en, plus the cross-agency report per language), "
             f"warm kernels. Plain Python (the same sections, no notebooks): {summary['plain_wall_s']:.1f} s wall, "
             f"{summary['plain_cpu_s']:.1f} s CPU, {summary['plain_per_report_s']:.2f} s per report, peak "
             f"{summary['plain_peak_mib']:.0f} MiB. Load average at start / end: "
             f"{', '.join(f'{x:.1f}' for x in summary['load_start'])} / "
             f"{', '.join(f'{x:.1f}' for x in summary['load_end'])} (the CPU was shared with other work).", "",
             "| --jobs | wall s | CPU s | per report s (wall) | ÷ plain (wall) | ÷ plain (CPU) | speed-up vs serial "
             "| peak RSS, all processes | runs |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in summary["rows"]:
        speed = "–" if row["jobs"] == 1 else f"{row['speedup']:.2f}× (ideal {row['ideal']}×)"
        lines.append(f"| {row['jobs']} | {row['wall_s']:.1f} | {row['cpu_s']:.1f} | {row['per_report_s']:.2f} | "
                     f"{row['vs_plain_wall']:.2f}× | {row['vs_plain_cpu']:.2f}× | {speed} | "
                     f"{row['peak_mib']:.0f} MiB | {row['runs']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, os.cpu_count() or 2])
    parser.add_argument("--seed", type=int, default=20180313)
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / "out" / "batch")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "batch.json")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the study and build an earlier run left in --workdir (same --agencies and seed)")
    args = parser.parse_args(argv)
    config = {"batch_agencies": args.agencies, "batch_repeats": args.repeats, "batch_jobs": args.jobs,
              "seed": args.seed, "reuse": args.reuse, "partial": args.out.with_suffix(".partial.json")}

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    raw = run(config, ROOT / "data" / "raw" / "codebook.yml", args.workdir, log)
    summary = summarise(raw)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"raw": raw, "summary": summary}, indent=1, default=str), encoding="utf-8")
    print(render(summary))
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv:
        child_main(child_plain)
    else:
        raise SystemExit(main())
