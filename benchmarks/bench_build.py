"""``gtna build``: wall time, CPU time and peak memory per scale; incremental rebuild after one transcript changes.

Each build is a fresh ``python -m gtna_analysis build`` child (exactly what ``gtna build`` runs); its peak RSS is
its own (``wait4``). Incremental: after a full build into ``<out>``, (a) rebuild with nothing changed, (b) append
a sentence to one transcript and rebuild — repeated with a different sentence each time — and check that the
incremental result is identical to a from-scratch build of the changed study. When the CLI keeps no cache in
``<out>/.cache`` but the library's ``build()`` accepts ``cache_dir``, the incremental part is measured through the
library API in a child process instead (and labelled so).
"""

from __future__ import annotations

import inspect
import json
import re
import shutil
from pathlib import Path

from gtna_analysis import schema

from .measure import MB, MIB, PYTHON, RESULT_PREFIX, child_main, median, run_child, timed

_REREAD = re.compile(r"\bread (\d+) transcript")
TABLES = (*schema.TABLES, "codes")
CHANGE_SENTENCES = ("ეს წინადადება ბენჩმარკისთვის დაემატა.", "This sentence was added by the benchmark.",
                    "კიდევ ერთი ახალი წინადადება ტრენინგის შესახებ.", "Another new sentence about training.")


def cli_build(study: Path, out: Path) -> list[str]:
    return [PYTHON, "-m", "gtna_analysis", "build", "--study", str(study), "--out", str(out), "-v"]


def api_supports_cache() -> bool:
    from gtna_analysis import build as build_module

    return "cache_dir" in inspect.signature(build_module.build).parameters


def child_api_build(study: str, out: str, cache_dir: str) -> dict:
    from gtna_analysis.build import build, write_outputs

    seconds, _cpu, result = timed(build, study, cache_dir=cache_dir)
    write_outputs(result, out)
    reread = getattr(result, "reread", None)
    return {"build_seconds": seconds, "reread": None if reread is None else len(reread),
            "interviews": len(result.tables["interviews"])}


def _measure(argv: list[str]) -> dict:
    run = run_child(argv)
    record = {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "max_rss": run.max_rss,
              "ok": run.ok, "notes": _notes(run.stdout + run.stderr)}
    if not run.ok:
        record["error"] = run.tail()
    else:
        try:
            record["result"] = run.result()
        except RuntimeError:  # the CLI: its -v output says how many transcripts it read
            reread = _REREAD.search(run.stdout + run.stderr)
            if reread:
                record["result"] = {"reread": int(reread.group(1))}
    return record


def _notes(output: str) -> list[str]:
    keep = ("cache", "re-read", "reread", "unchanged")
    return [line.strip() for line in output.splitlines()
            if not line.startswith(RESULT_PREFIX) and any(k in line.lower() for k in keep)][:4]


def change_one_transcript(study: Path, round_no: int) -> Path:
    """Append a sentence to the last paragraph of the first transcript (its bytes change, its names do not)."""
    path = sorted((study / "transcripts").rglob("*.md"))[0]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text} {CHANGE_SENTENCES[round_no % len(CHANGE_SENTENCES)]}\n", encoding="utf-8")
    return path


def compare_outputs(a: Path, b: Path) -> list[str]:
    """Names of the tables (and manifest) that differ between two processed folders."""
    import pandas as pd

    from gtna_analysis.atomic import current_generation

    a, b = current_generation(a), current_generation(b)
    differ = []
    for name in TABLES:
        pa, pb = a / f"{name}.parquet", b / f"{name}.parquet"
        if pa.exists() != pb.exists() or (pa.exists() and not pd.read_parquet(pa).equals(pd.read_parquet(pb))):
            differ.append(name)
    ma, mb = a / "manifest.json", b / "manifest.json"
    if ma.exists() and mb.exists() and json.loads(ma.read_text()) != json.loads(mb.read_text()):
        differ.append("manifest.json")
    return differ


def run(config: dict, codebook: Path, workdir: Path, log) -> dict:
    """``config``: build_scales, build_repeats(scale), incremental_scales, incremental_repeats, seed."""
    from .corpus import write_study

    workdir.mkdir(parents=True, exist_ok=True)
    results: dict = {"rows": [], "incremental": [], "api_cache": None}
    for scale in config["build_scales"]:
        study = workdir / f"study-x{scale:g}"
        out = workdir / f"processed-x{scale:g}"
        log(f"build x{scale:g}: writing the synthetic study")
        gen_seconds, _, counts = timed(write_study, study, scale, config["seed"], codebook=codebook)
        runs = []
        for i in range(config["build_repeats"](scale)):
            log(f"build x{scale:g}: full build {i + 1}")
            shutil.rmtree(out, ignore_errors=True)
            runs.append(_measure(cli_build(study, out)))
            if not runs[-1]["ok"]:
                log(f"build x{scale:g} FAILED: {runs[-1]['error']}")
                break
        results["rows"].append({"scale": scale, "study": counts, "gen_seconds": gen_seconds, "runs": runs})
        if scale in config["incremental_scales"] and runs and runs[-1]["ok"]:
            results["incremental"].append(_incremental(config, scale, study, out, workdir, log))
    return results


def _incremental(config: dict, scale: float, study: Path, out: Path, workdir: Path, log) -> dict:
    cli_cache = (out / ".cache").is_dir()
    record: dict = {"scale": scale, "cli_cache": cli_cache, "via": "cli" if cli_cache else None}
    api = None
    if not cli_cache:
        try:
            api = api_supports_cache()
        except Exception as exc:
            record["api_error"] = f"{type(exc).__name__}: {exc}"
            api = False
        if not api:
            log(f"build x{scale:g}: no cache in {out}/.cache and build() has no cache_dir — incremental skipped")
            return record
        record["via"] = "api"

    def rebuild(target: Path) -> dict:
        if cli_cache:
            return _measure(cli_build(study, target))
        spec = json.dumps({"study": str(study), "out": str(target), "cache_dir": str(target / ".cache")})
        return _measure([PYTHON, "-m", "benchmarks.bench_build", "--child", spec])

    if not cli_cache:  # prime the library cache with one full build
        log(f"build x{scale:g}: priming the build cache through the library API")
        record["api_full"] = rebuild(out)
    log(f"build x{scale:g}: rebuild, nothing changed")
    record["nochange"] = [rebuild(out) for _ in range(config["incremental_repeats"])]
    record["changed"] = []
    for i in range(config["incremental_repeats"]):
        change_one_transcript(study, i)
        log(f"build x{scale:g}: rebuild after changing one transcript ({i + 1})")
        record["changed"].append(rebuild(out))
    if scale in config.get("verify_incremental", ()):
        fresh = workdir / f"processed-x{scale:g}-fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        log(f"build x{scale:g}: from-scratch build of the changed study, to compare")
        record["fresh"] = rebuild(fresh)
        record["differs"] = compare_outputs(out, fresh) if record["fresh"]["ok"] else ["fresh build failed"]
        shutil.rmtree(fresh, ignore_errors=True)
    return record


def summarise(results: dict) -> dict:
    rows = []
    for row in results["rows"]:
        ok = [r for r in row["runs"] if r["ok"]]
        rows.append({"scale": row["scale"], "interviews": row["study"].get("interviews", 0),
                     "words": row["study"].get("words", 0), "mb": row["study"].get("bytes", 0) / MB,
                     "runs": len(ok), "failed": len(row["runs"]) - len(ok),
                     "seconds": median([r["seconds"] for r in ok]),
                     "cpu_seconds": median([r["cpu_seconds"] for r in ok]),
                     "peak_mib": max((r["max_rss"] for r in ok), default=0) / MIB,
                     "error": next((r.get("error", "") for r in row["runs"] if not r["ok"]), "")})
    incremental = []
    for inc in results["incremental"]:
        full = next((r for r in rows if r["scale"] == inc["scale"]), None)
        entry = {"scale": inc["scale"], "via": inc["via"], "cli_cache": inc["cli_cache"],
                 "interviews": full["interviews"] if full else 0,
                 "full_s": full["seconds"] if full else float("nan"), "api_error": inc.get("api_error", "")}
        if inc.get("via"):
            nochange = [r for r in inc["nochange"] if r["ok"]]
            changed = [r for r in inc["changed"] if r["ok"]]
            entry.update(nochange_s=median([r["seconds"] for r in nochange]),
                         changed_s=median([r["seconds"] for r in changed]),
                         changed_runs=len(changed), nochange_runs=len(nochange),
                         changed_peak_mib=max((r["max_rss"] for r in changed), default=0) / MIB,
                         reread=[r.get("result", {}).get("reread") for r in changed],
                         notes=next((r["notes"] for r in changed if r["notes"]), []),
                         differs=inc.get("differs"))
            if inc.get("via") == "api" and inc.get("api_full", {}).get("ok"):
                entry["full_api_s"] = inc["api_full"]["seconds"]
        incremental.append(entry)
    return {"rows": rows, "incremental": incremental}


if __name__ == "__main__":
    child_main(child_api_build)
