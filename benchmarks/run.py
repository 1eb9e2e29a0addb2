"""``make bench``: coding throughput, report batch cost, build time/memory and a profile → benchmarks/RESULTS.md.

    .venv/bin/python -m benchmarks.run             # full run, writes benchmarks/RESULTS.md (its 60-agency batch
                                                   # stage alone: est. 30–40 min on 2 idle cores)
    .venv/bin/python -m benchmarks.run --quick     # < 2 min smoke run, writes benchmarks/out/RESULTS-quick.md
    .venv/bin/python -m benchmarks.run --only coding,build --out /tmp/r.md

Speed claims live here, as ratios against baselines measured in the same run — never as timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import bench_batch, bench_build, bench_coding, bench_hyperscan, bench_reports, profile_stage, results
from .codebooks import write_codebook
from .corpus import DEFAULT_SEED
from .measure import ROOT, machine_info

STAGES = ("coding", "hyperscan", "reports", "batch", "build", "profile")
DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS.md"
QUICK_OUT = ROOT / "benchmarks" / "out" / "RESULTS-quick.md"


def full_config() -> dict:
    return {
        "scales": [1, 10, 100, 1000],
        "fast_repeats": lambda s: 5 if s <= 10 else 3 if s <= 100 else 2,
        "naive": True, "naive_full_max": 10, "naive_repeats": lambda s: 3, "naive_sample_segments": 400,
        "grep_repeats": 5, "table_max_scale": 100,
        "build_scales": [1, 10, 100], "build_repeats": lambda s: 3 if s <= 10 else 1,
        "incremental_scales": [10, 100], "incremental_repeats": 3, "verify_incremental": (10, 100),
        "report_agencies": [1, 2, 8], "report_jobs": [1, 2], "report_repeats": lambda n: 3,
        "report_lang": "all", "floor_repeats": 5,
        "profile_budget_s": 60, "synthetic_patterns": 1000, "profile_slowest": True,
        "hyperscan_scales": [1, 10, 100], "hyperscan_repeats": lambda s: 3 if s <= 10 else 2,
        "batch_agencies": 60, "batch_repeats": 1, "batch_jobs": [1, os.cpu_count() or 2],
    }


def quick_config() -> dict:
    return {
        "scales": [1, 10],
        "fast_repeats": lambda s: 3,
        "naive": True, "naive_full_max": 1, "naive_repeats": lambda s: 1, "naive_sample_segments": 0,
        "grep_repeats": 3, "table_max_scale": 10,
        "build_scales": [1, 10], "build_repeats": lambda s: 1,
        "incremental_scales": [10], "incremental_repeats": 1, "verify_incremental": (10,),
        "report_agencies": [1], "report_jobs": [1, 2], "report_repeats": lambda n: 1,
        "report_lang": "en", "floor_repeats": 2,
        "profile_budget_s": 10, "synthetic_patterns": 1000, "profile_slowest": False,
        "hyperscan_scales": [1], "hyperscan_repeats": lambda s: 1,
        "batch_agencies": 2, "batch_repeats": 1, "batch_jobs": [1, 2],
    }


def load_codebook_waiting(path: Path, wait: float, log) -> None:
    """The codebook may be mid-edit by someone else: retry until it loads or ``wait`` seconds have passed."""
    from gtna_analysis.coding.codebook import load_codebook
    from gtna_analysis.errors import GtnaError

    deadline = time.monotonic() + wait
    while True:
        try:
            load_codebook(path)
            return
        except GtnaError as exc:
            if time.monotonic() >= deadline:
                raise SystemExit(f"benchmarks: {path} does not load:\n{exc}") from None
            log(f"{path} does not load yet ({str(exc).splitlines()[0]}); retrying in 30 s")
            time.sleep(min(30, max(deadline - time.monotonic(), 1)))


def pick_profiles(data: dict, config: dict) -> list[dict]:
    """The slowest stage (largest wall time at its largest measured size), profiled at an affordable size; plus
    the coding stage, whose targets are the issue's headline."""
    candidates = []
    if "build" in data:
        ok = [r for r in data["build"]["summary"]["rows"] if r["runs"]]
        if ok:
            top = max(ok, key=lambda r: r["scale"])
            candidates.append(("build", top["seconds"], f"`gtna build` x{top['scale']:g}: {top['seconds']:.1f} s"))
    if "reports" in data:
        ok = [r for r in data["reports"]["summary"]["rows"] if r.get("jobs") == 1 and "wall_s" in r]
        if ok:
            top = max(ok, key=lambda r: r["agencies"])
            candidates.append(("reports", top["wall_s"],
                               f"`gtna report --all` {top['agencies']} agencies serial: {top['wall_s']:.1f} s"))
    if "coding" in data:
        real = [r for r in data["coding"]["summary"] if r["codebook"] == "real"]
        if real:
            top = max(real, key=lambda r: r["scale"])
            candidates.append(("coding", top["fast_s"], f"coding x{top['scale']:g}: {top['fast_s']:.1f} s"))
    plans = []
    if candidates and config["profile_slowest"]:
        stage, _, why = max(candidates, key=lambda c: c[1])
        plans.append((stage, "slowest stage — " + why))
    if "coding" in data and all(p[0] != "coding" for p in plans):
        plans.append(("coding", "coding stage, for its throughput targets"))
    return [{"stage": s, "why": w} for s, w in plans]


def profile_args(stage: str, data: dict, config: dict, work: Path, codebook: Path) -> list[tuple[str, dict]]:
    budget = config["profile_budget_s"]
    if stage == "build":
        ok = [r for r in data["build"]["summary"]["rows"] if r["runs"] and r["seconds"] <= budget]
        ok = ok or [min(data["build"]["summary"]["rows"], key=lambda r: r["scale"])]
        scale = max(ok, key=lambda r: r["scale"])["scale"]
        return [("build", {"study": str(work / "build" / f"study-x{scale:g}"),
                           "out": str(work / "build" / f"profile-x{scale:g}")})]
    if stage == "reports":
        study, processed = work / "reports" / "study-1ag", work / "reports" / "processed-1ag"
        return [("kernel", {"study": str(study), "processed": str(processed), "agency": "agency1"}),
                ("reports", {"study": str(study), "processed": str(processed), "agency": "agency1"})]
    rows = [r for r in data["coding"]["summary"] if r["codebook"] == "real" and r["fast_s"] * 1.5 <= budget]
    scale = max((r["scale"] for r in rows), default=1)
    return [("coding", {"scale": scale, "codebook": str(codebook), "seed": data["seed"]})]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small scales, single runs (< 2 min)")
    parser.add_argument("--only", default=",".join(STAGES), help=f"comma-separated subset of {','.join(STAGES)}")
    parser.add_argument("--out", type=Path, default=None, help="results markdown (default: benchmarks/RESULTS.md, "
                                                                "or benchmarks/out/RESULTS-quick.md with --quick)")
    parser.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--codebook", type=Path, default=ROOT / "data" / "raw" / "codebook.yml")
    parser.add_argument("--wait-codebook", type=float, default=0, metavar="SECONDS",
                        help="retry loading a codebook that is being edited for up to this long")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--render", type=Path, default=None, metavar="RAW_JSON",
                        help="measure nothing: rewrite the results markdown from a run's raw figures "
                             "(benchmarks/out/results.json), e.g. after changing how results are described")
    args = parser.parse_args(argv)
    if args.render:
        out_path = args.out or DEFAULT_OUT
        data = json.loads(args.render.read_text(encoding="utf-8"))
        data["rerendered"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        out_path.write_text(results.render(data), encoding="utf-8")
        print(f"wrote {out_path} from {args.render}")
        return 0
    stages = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(sorted(unknown))}; choose from {', '.join(STAGES)}")
    config = quick_config() if args.quick else full_config()
    out_path = args.out or (QUICK_OUT if args.quick else DEFAULT_OUT)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)

    load_codebook_waiting(args.codebook, args.wait_codebook, log)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="gtna-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    codebook = work / "codebook.yml"
    shutil.copyfile(args.codebook, codebook)  # a snapshot: the same codebook for every stage of this run
    data: dict = {"quick": args.quick, "seed": args.seed, "machine": machine_info(), "stages": stages}
    log(f"benchmarks ({'quick' if args.quick else 'full'}): {', '.join(stages)}; scratch {work}")
    try:
        if "coding" in stages:
            synthetic = write_codebook(work / f"codebook-synthetic{config['synthetic_patterns']}.yml",
                                       config["synthetic_patterns"], args.seed)
            raw = bench_coding.run({**config, "seed": args.seed},
                                   {"real": codebook, f"synthetic{config['synthetic_patterns']}": synthetic},
                                   work / "coding", log)
            data["coding"] = {"results": raw, "summary": bench_coding.summarise(raw)}
        if "hyperscan" in stages:
            raw = bench_hyperscan.run({**config, "seed": args.seed}, codebook, work / "hyperscan", log)
            data["hyperscan"] = {"results": raw, "summary": bench_hyperscan.summarise(raw)}
        if "batch" in stages:
            raw = bench_batch.run({**config, "seed": args.seed}, codebook, work / "batch", log)
            data["batch"] = {"results": raw, "summary": bench_batch.summarise(raw)}
        if "reports" in stages:
            raw = bench_reports.run({**config, "seed": args.seed}, codebook, work / "reports", log)
            data["reports"] = {"results": raw,
                               "summary": bench_reports.summarise(raw, data["machine"]["usable_cores"])}
        if "build" in stages:
            raw = bench_build.run({**config, "seed": args.seed}, codebook, work / "build", log)
            data["build"] = {"results": raw, "summary": bench_build.summarise(raw)}
        if "profile" in stages:
            data["profiles"] = []
            for plan in pick_profiles(data, config):
                for stage, kwargs in profile_args(plan["stage"], data, config, work, codebook):
                    log(f"profiling {stage} {kwargs}")
                    data["profiles"].append({**profile_stage.profile(stage, **kwargs), "why": plan["why"]})
    finally:
        data["total_seconds"] = time.perf_counter() - started
        data["loadavg_end"] = os.getloadavg()
        raw_path = ROOT / "benchmarks" / "out" / ("results-quick.json" if args.quick else "results.json")
        raw_path.parent.mkdir(parents=True, exist_ok=True)
        raw_path.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(results.render(data), encoding="utf-8")
    log(f"wrote {out_path} (raw figures: {raw_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
