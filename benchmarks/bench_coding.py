"""Coding throughput: the fast AutoCoder against the naive one-regex-per-pattern coder and GNU grep, per scale.

Every (codebook, scale) measurement runs in a fresh child process (``python -m benchmarks.bench_coding --child``)
that generates the scale's segment texts in memory from the seed, so the child's peak RSS is the honest memory
cost of coding that corpus (corpus included; the corpus alone is reported next to it).

- fast:  ``AutoCoder(codebook).code_texts(texts)`` — every (segment, code) pair, the set ``naive_code`` returns;
         plus one run of ``AutoCoder.code(frame)`` (the table ``gtna build`` writes) at each scale.
- naive: ``naive_code(codebook, texts)`` — one regex ``finditer`` per pattern per segment. Too slow to run on the
         biggest corpora, so above ``naive_max_scale`` it is timed on a seeded random sample of the segments and
         the time is extrapolated by bytes (marked *extrapolated* in the results).
- grep:  ``LC_ALL=C grep -c -F -f anchors corpus.txt`` (the floor asked for: stops at the first hit of a line) and
         ``grep -o -F -f anchors`` (reports every anchor occurrence — closer to the coder's work), on the
         lower-cased corpus, one segment per line, file in the page cache (a warm-up run first).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
from pathlib import Path

from .measure import MB, MIB, PYTHON, emit, median, reset_peak, rss_now, rss_peak, run_child, timed


# --------------------------------------------------------------------------------------------- child side
def _load(codebook_path: str):
    from gtna_analysis.coding.codebook import load_codebook

    return load_codebook(Path(codebook_path))


def child_fast(scale: float, codebook_path: str, repeats: int, seed: int, table: bool) -> dict:
    import pandas as pd

    from gtna_analysis.coding.autocoder import AutoCoder

    from .corpus import corpus_stats, segment_texts

    codebook = _load(codebook_path)
    rss_start = rss_now()
    gen_seconds, _, texts = timed(segment_texts, scale, seed)
    stats = corpus_stats(texts)
    rss_corpus = rss_now()
    peak_reset = reset_peak()
    compile_seconds, _, coder = timed(AutoCoder, codebook)
    times, cpu_times = [], []
    pairs = 0
    for _ in range(repeats):
        seconds, cpu, found = timed(coder.code_texts, texts)
        times.append(seconds)
        cpu_times.append(cpu)
        pairs = len(found)
        del found
    result = {"scale": scale, **stats, "gen_seconds": gen_seconds, "compile_seconds": compile_seconds,
              "times": times, "cpu_times": cpu_times, "pairs": pairs, "rss_start": rss_start, "rss_corpus": rss_corpus,
              "peak_reset": peak_reset, "rss_peak_coding": rss_peak(),
              "n_rules": len(coder.rules), "n_literal": coder.n_literal}
    if table:
        frame = pd.DataFrame({"segment_id": [f"S{i}" for i in range(len(texts))], "interview_id": "X",
                              "agency": "a", "start_char": 0, "text": texts})
        seconds, cpu, codings = timed(coder.code, frame)
        result.update(table_seconds=seconds, table_cpu_seconds=cpu, table_rows=len(codings))
        del codings, frame
    result["rss_peak"] = rss_peak()
    return result


def child_naive(scale: float, codebook_path: str, repeats: int, seed: int, sample_segments: int | None) -> dict:
    from gtna_analysis.coding.autocoder import AutoCoder, naive_code

    from .corpus import corpus_stats, segment_texts

    codebook = _load(codebook_path)
    texts = segment_texts(scale, seed)
    stats = corpus_stats(texts)
    measured = texts
    if sample_segments and sample_segments < len(texts):
        rng = random.Random(seed + 7)
        measured = [texts[i] for i in sorted(rng.sample(range(len(texts)), sample_segments))]
    sample_stats = corpus_stats(measured)
    del texts
    times, cpu_times = [], []
    found: set = set()
    for _ in range(repeats):
        seconds, cpu, found = timed(naive_code, codebook, measured)
        times.append(seconds)
        cpu_times.append(cpu)
    fast = AutoCoder(codebook).code_texts(measured)
    return {"scale": scale, **stats, "sample": sample_stats, "times": times, "cpu_times": cpu_times,
            "pairs": len(found),
            "agrees_with_fast": fast == found, "n_fast_only": len(fast - found), "n_naive_only": len(found - fast),
            "extrapolated": sample_stats["bytes"] < stats["bytes"],
            "rss_peak": rss_peak()}


def child_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", required=True, help="JSON task")
    spec = json.loads(parser.parse_args(argv).child)
    kind = spec.pop("kind")
    emit(child_fast(**spec) if kind == "fast" else child_naive(**spec))


# --------------------------------------------------------------------------------------------- parent side
def _child(spec: dict) -> tuple[dict, int]:
    run = run_child([PYTHON, "-m", "benchmarks.bench_coding", "--child", json.dumps(spec)])
    if not run.ok:
        raise RuntimeError(f"coding child {spec} failed:\n{run.tail()}")
    return run.result(), run.max_rss


def write_grep_corpus(texts: list[str], path: Path) -> int:
    """Lower-cased segments, one per line (what grep searches); returns bytes written."""
    data = "\n".join(t.lower().replace("\n", " ").replace("\r", " ") for t in texts) + "\n"
    raw = data.encode("utf-8")
    path.write_bytes(raw)
    return len(raw)


def time_grep(patterns: Path, corpus: Path, repeats: int) -> dict:
    env = {**os.environ, "LC_ALL": "C"}
    count_cmd = ["grep", "-c", "-F", "-f", str(patterns), str(corpus)]
    subprocess.run(count_cmd, env=env, capture_output=True, check=False)  # warm the page cache
    count_times, every_times, count_cpu, every_cpu = [], [], [], []
    lines = occurrences = 0
    for _ in range(repeats):
        run = run_child(count_cmd, env={"LC_ALL": "C"})
        count_times.append(run.seconds)
        count_cpu.append(run.cpu_seconds)
        lines = int(run.stdout.strip() or 0)
        run = run_child(["bash", "-c", f"grep -o -F -f '{patterns}' '{corpus}' | wc -l"], env={"LC_ALL": "C"})
        every_times.append(run.seconds)
        every_cpu.append(run.cpu_seconds)
        occurrences = int(run.stdout.strip() or 0)
    return {"count_times": count_times, "count_cpu": count_cpu, "lines_matched": lines,
            "every_times": every_times, "every_cpu": every_cpu, "occurrences": occurrences}


def run(config: dict, codebooks: dict[str, Path], workdir: Path, log) -> dict:
    """All scales × codebooks. ``config``: scales, fast_repeats(scale), naive_full_max, naive_repeats(scale),
    naive_sample_segments, grep_repeats, table_max_scale, seed."""
    from gtna_analysis.coding.codebook import load_codebook

    from .codebooks import grep_patterns
    from .corpus import segment_texts

    workdir.mkdir(parents=True, exist_ok=True)
    seed = config["seed"]
    pattern_files = {}
    results: dict = {"codebooks": {}, "scales": config["scales"], "rows": []}
    for name, path in codebooks.items():
        cb = load_codebook(path)
        anchors, raw = grep_patterns(cb)
        pattern_files[name] = workdir / f"anchors-{name}.txt"
        pattern_files[name].write_text("\n".join(anchors) + "\n", encoding="utf-8")
        results["codebooks"][name] = {"path": str(path), "codes": len(cb.codes),
                                      "patterns": sum(c.n_patterns for c in cb.codes),
                                      "exclude_patterns": sum(len(p) for c in cb.codes
                                                              for p in c.exclude_patterns.values()),
                                      "anchors": len(anchors), "raw_regex": raw}
    for scale in config["scales"]:
        texts = segment_texts(scale, seed)
        corpus_file = workdir / f"corpus-x{scale:g}.txt"
        grep_bytes = write_grep_corpus(texts, corpus_file)
        del texts
        for name in codebooks:
            log(f"coding x{scale:g} {name}: fast")
            fast, fast_rss = _child({"kind": "fast", "scale": scale, "codebook_path": str(codebooks[name]),
                                     "repeats": config["fast_repeats"](scale), "seed": seed,
                                     "table": scale <= config["table_max_scale"]})
            fast["max_rss"] = fast_rss
            log(f"coding x{scale:g} {name}: grep")
            grep = time_grep(pattern_files[name], corpus_file, config["grep_repeats"])
            grep["bytes"] = grep_bytes
            naive = None
            full = scale <= config["naive_full_max"]
            if config["naive"] and (full or config["naive_sample_segments"]):
                sample = None if full else config["naive_sample_segments"]
                log(f"coding x{scale:g} {name}: naive" + ("" if full else f" (sample of {sample} segments)"))
                naive, _ = _child({"kind": "naive", "scale": scale, "codebook_path": str(codebooks[name]),
                                   "repeats": config["naive_repeats"](scale) if full else 1, "seed": seed,
                                   "sample_segments": sample})
            results["rows"].append({"codebook": name, "scale": scale, "fast": fast, "grep": grep, "naive": naive})
        corpus_file.unlink(missing_ok=True)
    return results


def summarise(results: dict) -> list[dict]:
    """One flat row per (codebook, scale): medians (wall and CPU) and ratios."""
    rows = []
    for row in results["rows"]:
        fast, grep, naive = row["fast"], row["grep"], row["naive"]
        t_fast, c_fast = median(fast["times"]), median(fast["cpu_times"])
        out = {
            "codebook": row["codebook"], "scale": row["scale"], "segments": fast["segments"],
            "words": fast["words"], "mb": fast["bytes"] / MB, "fast_s": t_fast, "fast_cpu_s": c_fast,
            "fast_runs": len(fast["times"]), "mb_s": fast["bytes"] / MB / t_fast, "seg_s": fast["segments"] / t_fast,
            "compile_s": fast["compile_seconds"], "table_s": fast.get("table_seconds"),
            "grep_c_s": median(grep["count_times"]), "grep_o_s": median(grep["every_times"]),
            "grep_c_cpu_s": median(grep["count_cpu"]), "grep_o_cpu_s": median(grep["every_cpu"]),
            "peak_mib": fast["max_rss"] / MIB, "corpus_mib_rss": (fast["rss_corpus"] - fast["rss_start"]) / MIB,
            "baseline_mib_rss": fast["rss_start"] / MIB, "pairs": fast["pairs"],
        }
        out["vs_grep_c"] = c_fast / out["grep_c_cpu_s"] if out["grep_c_cpu_s"] else float("nan")
        out["vs_grep_o"] = c_fast / out["grep_o_cpu_s"] if out["grep_o_cpu_s"] else float("nan")
        out["vs_grep_c_wall"] = t_fast / out["grep_c_s"]
        out["vs_grep_o_wall"] = t_fast / out["grep_o_s"]
        if naive:
            t_naive, c_naive = median(naive["times"]), median(naive["cpu_times"])
            if naive["extrapolated"]:
                factor = naive["bytes"] / naive["sample"]["bytes"]
                t_naive, c_naive = t_naive * factor, c_naive * factor
            out.update(naive_s=t_naive, naive_cpu_s=c_naive, naive_extrapolated=naive["extrapolated"],
                       naive_runs=len(naive["times"]), naive_sample_segments=naive["sample"]["segments"],
                       naive_sample_mb=naive["sample"]["bytes"] / MB,
                       speedup=c_naive / c_fast, speedup_wall=t_naive / t_fast, agrees=naive["agrees_with_fast"])
        rows.append(out)
    return rows


if __name__ == "__main__":
    child_main()
