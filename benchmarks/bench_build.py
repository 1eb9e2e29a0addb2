"""``gtna build``: wall time, CPU time and peak memory per scale; incremental rebuild after one transcript changes.

Each build is a fresh ``python -m gtna_analysis build`` child (exactly what ``gtna build`` runs); its peak RSS is
its own (``wait4``). Incremental: after a full build into ``<out>``, (a) rebuild with nothing changed, (b) append
a sentence to one transcript and rebuild — repeated with a different sentence each time — and check that the
incremental result is identical to a from-scratch build of the changed study. When the CLI keeps no cache in
``<out>/.cache`` but the library's ``build()`` accepts ``cache_dir``, the incremental part is measured through the
library API in a child process instead (and labelled so).

``python -m benchmarks.bench_build [--repeats 3] [--baseline /tmp/old-checkout]`` measures what a researcher
waits for, as CPU time of the work after start-up (see ``WORK_CHILD``): (a) the first build into an empty folder,
(b) a rebuild with nothing changed, (c) a rebuild after editing the codebook, (d) a rebuild after editing one
transcript; baselines (other checkouts) are interleaved round by round, and the warm (c)/(d) outputs are
compared byte for byte with a build that uses no cache.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import shutil
from pathlib import Path

from gtna_analysis import schema

from .measure import MB, MIB, PYTHON, RESULT_PREFIX, ROOT, emit, median, run_child, timed

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


def change_english_transcript(study: Path, round_no: int) -> Path:
    """Append an English sentence to the transcript with the most Latin letters in its body (an interview held
    in English): re-parsing it makes the build judge Latin paragraphs, which needs the letter models."""
    def latin_letters(path: Path) -> int:
        body = path.read_text(encoding="utf-8").split("\n---", 1)[-1]  # after the YAML front matter
        return len(_LATIN.findall(body))

    path = max(sorted((study / "transcripts").rglob("*.md")), key=latin_letters)
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text} {CHANGE_SENTENCES[1 + 2 * (round_no % 2)]}\n", encoding="utf-8")
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


# --------------------------------------------------------------------------- what a researcher waits for

LOOP_STEPS = ("a_first_build", "b_nothing_changed", "c_codebook_edited", "d_transcript_edited",
              "e_english_transcript_edited")
_LATIN = re.compile(r"[A-Za-z]")
_EDITABLE_LIST = re.compile(r"^(\s+en: \[)", re.MULTILINE)


# The child that measures one build: a script of its own (not this module), so that it runs against any
# checkout's gtna_analysis, older commits included. Imports (interpreter + ``gtna_analysis.build`` and the
# CLI) are start-up; ``build()`` + ``write_outputs()`` into ``out`` (cache in ``out/.cache``) is work.
WORK_CHILD = """
import json, sys, time
from pathlib import Path
task = json.loads(sys.argv[1])
cpu0 = time.process_time()
import gtna_analysis.cli
from gtna_analysis.build import build, write_outputs
startup = time.process_time() - cpu0
wall0, cpu1 = time.perf_counter(), time.process_time()
result = build(task["study"], cache_dir=None if task.get("no_cache") else Path(task["out"]) / ".cache")
write_outputs(result, task["out"])
print("BENCH-RESULT " + json.dumps({"startup_cpu": startup, "work_cpu": time.process_time() - cpu1,
                                    "work_wall": time.perf_counter() - wall0,
                                    "reread": len(getattr(result, "reread", None) or [])}), flush=True)
"""


def _work_child(root: Path, study: Path, out: Path, no_cache: bool = False):
    spec = json.dumps({"study": str(study), "out": str(out), "no_cache": no_cache})
    return run_child([PYTHON, "-c", WORK_CHILD, spec], cwd=root, env={"PYTHONPATH": str(root)})


def edit_codebook(study: Path, round_no: int) -> None:
    """A researcher's tweak: one more English pattern in the first code that has English patterns."""
    path = study / "codebook.yml"
    text = path.read_text(encoding="utf-8")
    edited, n = _EDITABLE_LIST.subn(rf'\1"benchmark edit {round_no}", ', text, count=1)
    if not n:
        raise RuntimeError(f"{path}: no English pattern list to edit")
    path.write_text(edited, encoding="utf-8")


def researcher_loop(study: Path, out: Path, repeats: int, roots: dict[str, Path], log=print) -> dict:
    """(a) first build into an empty folder, (b) rebuild with nothing changed, (c) rebuild after a codebook edit,
    (d) rebuild after a transcript edit, (e) rebuild after an edit of an English transcript — for each code tree
    in ``roots`` (name → checkout), interleaved round by round so that load changes hit every tree alike. Each
    tree works on its own copy of ``study`` (the edits accumulate over the rounds in the same way). Then, per
    tree, the last warm output is compared with a build of the edited study that uses no cache."""
    results: dict = {name: {step: [] for step in LOOP_STEPS} for name in roots}
    copies = {}
    for name in roots:
        copies[name] = out / f"study-{name}"
        shutil.rmtree(copies[name], ignore_errors=True)
        shutil.copytree(study, copies[name])
    for round_no in range(repeats):
        for name, root in roots.items():
            target = out / f"processed-{name}"
            shutil.rmtree(target, ignore_errors=True)
            for step in LOOP_STEPS:
                if step == "c_codebook_edited":
                    edit_codebook(copies[name], round_no)
                elif step == "d_transcript_edited":
                    change_one_transcript(copies[name], round_no)
                elif step == "e_english_transcript_edited":
                    change_english_transcript(copies[name], round_no)
                run = _work_child(root, copies[name], target)
                record = run.result() if run.ok else {"error": run.tail()}
                record["load"] = os.getloadavg()[0]
                results[name][step].append(record)
                log(f"round {round_no + 1} {name} {step}: {record}")
    for name, root in roots.items():
        fresh = out / f"processed-{name}-fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        run = _work_child(root, copies[name], fresh, no_cache=True)
        results[name]["fresh_equals_warm"] = run.ok and _same_files(out / f"processed-{name}", fresh)
    return results


def _same_files(a: Path, b: Path) -> bool:
    """Every published file (parquet, csv, manifest) byte-identical."""
    from gtna_analysis.atomic import current_generation

    a, b = current_generation(a), current_generation(b)
    names = sorted(p.name for p in a.iterdir() if p.is_file())
    return names == sorted(p.name for p in b.iterdir() if p.is_file()) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20180313)
    parser.add_argument("--baseline", type=Path, action="append", default=[],
                        help="another checkout (e.g. an export of an older commit) measured interleaved")
    parser.add_argument("--work", type=Path, default=Path("benchmarks/out/build-loop"))
    parser.add_argument("--json", type=Path, help="write the raw results here")
    args = parser.parse_args(argv)
    if args.child:
        emit(child_api_build(**json.loads(args.child)))
        return
    from .corpus import write_study

    args.work.mkdir(parents=True, exist_ok=True)
    study = args.work / "study"
    write_study(study, args.scale, args.seed)
    roots = {"this": ROOT, **{f"baseline-{p.name}": p.resolve() for p in args.baseline}}
    results = researcher_loop(study, args.work, args.repeats, roots)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print("\n| tree | step | work CPU s (load average) per run | median | start-up CPU s |\n|---|---|---|---|---|")
    for name, steps in results.items():
        for step in LOOP_STEPS:
            ok = [r for r in steps[step] if "work_cpu" in r]
            runs = ", ".join(f"{r['work_cpu']:.2f} ({r['load']:.1f})" for r in ok)
            print(f"| {name} | {step} | {runs} | "
                  f"{median([r['work_cpu'] for r in ok]):.2f} | "
                  f"{median([r['startup_cpu'] for r in ok]):.2f} |")
        print(f"| {name} | warm (c)-(e) output = build without cache | {steps['fresh_equals_warm']} | | |")


if __name__ == "__main__":
    main()
