"""Report batch cost: ``gtna report --all`` against the floor of papermill running an import-only notebook.

For 1, 2 and 8 agencies (synthetic studies whose agencies each hold about as much data as a sample agency), the
batch runs as a fresh ``python -m gtna_analysis report --all`` child, serially and with ``--jobs 2``. The floor is
``papermill.execute_notebook`` of a one-cell notebook (``import gtna_analysis.reports.sections``) with the same kernel —
kernel start + the report module's imports + papermill's own overhead, i.e. what any report must pay.

per-report cost = serial batch wall time / notebooks in the batch; overhead ratio = per-report cost / floor.
The floor runs with papermill's defaults (the target's definition). The batch stops kernels with
``shutdown_kernel="immediate"``, which papermill's default graceful shutdown does not, so the same floor is also
timed with that setting (interleaved with the default runs) and the ratio against it is reported next to it.
parallel speed-up = serial wall / ``--jobs 2`` wall (ideal: min(cores, notebooks)).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

from .measure import MIB, PYTHON, child_main, median, run_child

FLOOR_SOURCE = "import gtna_analysis.reports.sections"
_JOB_LINE = re.compile(r"^\s*(?P<label>[\w.-]+/[a-z]{2}): (?P<status>ok|FAILED) in (?P<seconds>[\d.]+)s", re.M)


def write_floor_notebook(path: Path, kernel_name: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    nb.metadata["kernelspec"] = {"name": kernel_name, "display_name": kernel_name, "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def child_floor(notebook: str, repeats: int, kernel_name: str) -> dict:
    """In a fresh process (papermill imported once, like the batch's own process): time each execution, with
    papermill's default kernel shutdown and with the batch's (``KERNEL_SHUTDOWN``), alternately."""
    import papermill

    from gtna_analysis.reports.batch import KERNEL_SHUTDOWN

    times: list[float] = []
    batch_settings: list[float] = []
    out = Path(notebook).with_suffix(".out.ipynb")
    for _ in range(repeats):
        for extra, into in (({}, times), ({"shutdown_kernel": KERNEL_SHUTDOWN}, batch_settings)):
            start = time.perf_counter()
            papermill.execute_notebook(notebook, str(out), kernel_name=kernel_name, progress_bar=False,
                                       log_output=False, cwd=str(Path(notebook).parent), **extra)
            into.append(time.perf_counter() - start)
    return {"times": times, "batch_settings_times": batch_settings, "shutdown": KERNEL_SHUTDOWN}


def report_cmd(study: Path, processed: Path, out: Path, jobs: int, lang: str) -> list[str]:
    return [PYTHON, "-m", "gtna_analysis", "report", "--all", "--study", str(study), "--processed", str(processed),
            "--out", str(out), "--jobs", str(jobs), "--lang", lang, "-v"]


def kernel_name() -> str:
    try:
        from gtna_analysis.reports.batch import KERNEL_NAME

        return KERNEL_NAME
    except Exception:
        return "python3"


def run(config: dict, codebook: Path, workdir: Path, log) -> dict:
    """``config``: report_agencies, report_jobs, report_repeats(n_agencies), report_lang, floor_repeats, seed."""
    from .corpus import load_sample, write_study

    workdir.mkdir(parents=True, exist_ok=True)
    kernel = kernel_name()
    results: dict = {"kernel": kernel, "lang": config["report_lang"], "rows": []}
    floor_nb = write_floor_notebook(workdir / "floor" / "floor.ipynb", kernel)
    log("reports: floor (import-only notebook)")
    floor = run_child([PYTHON, "-m", "benchmarks.bench_reports", "--child",
                       json.dumps({"notebook": str(floor_nb), "repeats": config["floor_repeats"],
                                   "kernel_name": kernel})])
    measured = floor.result() if floor.ok else {}
    results["floor"] = measured.get("times", [])
    results["floor_batch_settings"] = measured.get("batch_settings_times", [])
    results["floor_shutdown"] = measured.get("shutdown", "")
    if not floor.ok:
        results["floor_error"] = floor.tail()
    per_agency_words = load_sample().words / max(len(load_sample().agencies), 1)
    for n in config["report_agencies"]:
        study = workdir / f"study-{n}ag"
        processed = workdir / f"processed-{n}ag"
        write_study(study, n_agencies=n, seed=config["seed"], codebook=codebook, words=round(n * per_agency_words))
        build = run_child([PYTHON, "-m", "gtna_analysis", "build", "--study", str(study), "--out", str(processed)])
        if not build.ok:
            results["rows"].append({"agencies": n, "error": f"build failed: {build.tail()}"})
            continue
        for jobs in config["report_jobs"]:
            runs = []
            for i in range(config["report_repeats"](n)):
                out = workdir / f"reports-{n}ag-j{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                log(f"reports: {n} agencies, --jobs {jobs}, run {i + 1}")
                run = run_child(report_cmd(study, processed, out, jobs, config["report_lang"]))
                jobs_seen = [(m["label"], m["status"], float(m["seconds"]))
                             for m in _JOB_LINE.finditer(run.stdout + run.stderr)]
                runs.append({"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "ok": run.ok,
                             "max_rss": run.max_rss, "jobs": jobs_seen,
                             "notebooks": len(list(out.rglob("*.ipynb"))) if out.exists() else 0,
                             "error": "" if run.ok else run.tail()})
            results["rows"].append({"agencies": n, "jobs": jobs, "runs": runs})
    return results


def summarise(results: dict, cores: int) -> dict:
    floor = median(results.get("floor", []))
    floor_same = median(results.get("floor_batch_settings", [])) if results.get("floor_batch_settings") else 0.0
    rows = []
    serial: dict[int, float] = {}
    for row in results["rows"]:
        if "error" in row:
            rows.append({"agencies": row["agencies"], "error": row["error"]})
            continue
        ok = [r for r in row["runs"] if r["ok"]]
        wall = median([r["seconds"] for r in ok])
        notebooks = max((r["notebooks"] for r in ok), default=0)
        per_job = [s for r in ok for _, _, s in r["jobs"]]
        entry = {"agencies": row["agencies"], "jobs": row["jobs"], "runs": len(ok),
                 "cpu_s": median([r["cpu_seconds"] for r in ok]),
                 "peak_mib": max((r["max_rss"] for r in ok), default=0) / MIB,
                 "failed": len(row["runs"]) - len(ok), "notebooks": notebooks, "wall_s": wall,
                 "per_report_s": wall / notebooks if notebooks else float("nan"), "median_job_s": median(per_job),
                 "floor_batch_s": floor * notebooks / min(row["jobs"], notebooks or 1),
                 "error": next((r["error"] for r in row["runs"] if not r["ok"]), "")}
        entry["overhead_ratio"] = entry["per_report_s"] / floor if floor else float("nan")
        entry["overhead_ratio_batch_settings"] = (entry["per_report_s"] / floor_same if floor_same
                                                  else float("nan"))
        entry["vs_floor_batch"] = wall / entry["floor_batch_s"] if entry["floor_batch_s"] else float("nan")
        if row["jobs"] == 1:
            serial[row["agencies"]] = wall
        rows.append(entry)
    for entry in rows:
        if entry.get("wall_s") is not None and entry["jobs"] > 1:
            base = serial.get(entry["agencies"])
            if base:
                entry["speedup"] = base / entry["wall_s"]
                entry["ideal_speedup"] = min(cores, entry["jobs"], entry["notebooks"])
    return {"floor_s": floor, "floor_runs": len(results.get("floor", [])), "rows": rows,
            "floor_batch_settings_s": floor_same, "floor_shutdown": results.get("floor_shutdown", ""),
            "kernel": results["kernel"], "lang": results["lang"], "floor_error": results.get("floor_error", "")}


if __name__ == "__main__":
    child_main(child_floor)
