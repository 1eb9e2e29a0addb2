"""Memory of hostile-sized inputs: one 200 MB transcript and a 2 GiB zip bomb, against a normal build.

    .venv/bin/python -m benchmarks.bench_large              # refusal paths (~1 min), prints a table
    .venv/bin/python -m benchmarks.bench_large --accept     # also build the 200 MB transcript with the limit
                                                            # raised (minutes)
    .venv/bin/python -m benchmarks.bench_large --accept --sizes 20,200 --no-refusals \
        --before /tmp/gtna-before                           # accepted builds of 20 and 200 MB, each also with
                                                            # the code in /tmp/gtna-before (git archive of an
                                                            # older commit): before/after in one run

Not part of ``make test`` (speed and memory live in benchmarks/). Each figure is the peak RSS of one
``gtna build`` child process (measure.run_child), reported next to a baseline build of the same small study
without the big file, measured in the same run. Before the limits (issue 14) the 200 MB transcript took
~4 min and 5.5 GB, and a 2 MB .docx expanding to 2 GiB took 4–10 GB before failing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from .measure import MIB, PYTHON, ROOT, ChildRun, run_child

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
HEADER = ("---\ninterview_id: MOES-99\nagency: moes\ndate: 2024-03-01\nmode: individual\nlanguage: en\n"
          "interviewer: INT1\nparticipants:\n  - {id: P1, name: Ana Test, role: analyst, gender: female, "
          "level: mid}\n---\n")
TURNS = ("Interviewer: What would a useful gender training look like for your unit?\n"
         "P1: A two-day in-person module with sex-disaggregated statistics and gender budgeting exercises, "
         "then an online follow-up a month later.\n")
STUDY_YML = """study:
  id: bench-large
  title: {ka: ტესტი, en: Test}
  languages: [en]
  fictional: true
agencies:
  - id: moes
    name: {ka: განათლების სამინისტრო, en: Ministry of Education}
"""


def write_study(folder: Path) -> Path:
    """A two-interview study (the test fixtures, the sample questionnaire and codebook)."""
    (folder / "transcripts" / "moes").mkdir(parents=True)
    (folder / "study.yml").write_text(STUDY_YML, encoding="utf-8")
    for name in ("questionnaire.yml", "codebook.yml"):
        shutil.copyfile(ROOT / "data" / "raw" / name, folder / name)
    for name, target in (("good_en.md", "MOES-89.md"), ("good_ka.md", "MOES-90.md")):
        shutil.copyfile(FIXTURES / name, folder / "transcripts" / "moes" / target)
    return folder


def write_big_transcript(path: Path, megabytes: float) -> int:
    """A valid transcript of ``megabytes`` MB (one interview, the same two turns repeated), written streaming."""
    block = TURNS * 100
    target = int(megabytes * 1_000_000)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        written = len(HEADER)
        while written < target:
            fh.write(block)
            written += len(block)
    return path.stat().st_size


def write_docx_bomb(path: Path, inflated: int) -> int:
    """A .docx-shaped zip whose document part inflates to ``inflated`` bytes (streamed, never in memory)."""
    chunk = b" " * (16 * MIB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return path.stat().st_size


def build(study: Path, out: Path, env: dict | None = None, code: Path = ROOT) -> ChildRun:
    """One ``gtna build`` child; ``code``: the source tree it runs (the checkout, or an older one to compare)."""
    return run_child([PYTHON, "-m", "gtna_analysis", "build", "--study", str(study), "--out", str(out), "-q",
                      "--no-cache"], cwd=code, env={**(env or {}), "PYTHONPATH": str(code)})


def row(label: str, run: ChildRun, baseline: ChildRun, size: int | None = None) -> str:
    """One table row; with the transcript's ``size`` (bytes) also CPU seconds per MB and the peak RSS above the
    baseline build's, as a multiple of the file size (what "bounded memory" is judged by)."""
    last = (run.stderr.strip().splitlines() or [""])[-1]
    message = last.split(": ", 1)[-1].split(" (hint:")[0][:100]  # the message without the path and hint
    per_mb = f"{run.cpu_seconds / (size / 1e6):.1f}" if size and run.ok else "–"
    above = f"{(run.max_rss - baseline.max_rss) / size:.1f}×" if size and run.ok else "–"
    return (f"| {label} | {run.returncode} | {run.seconds:.1f} | {run.cpu_seconds:.1f} | {per_mb} | "
            f"{run.max_rss / MIB:.0f} | {run.max_rss / baseline.max_rss:.2f} | {above} | {message} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_large", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=200, help="size of the big transcript (default 200)")
    parser.add_argument("--bomb-gib", type=int, default=2, help="inflated size of the zip bomb (default 2)")
    parser.add_argument("--accept", action="store_true", help="also build the big transcript with the limit raised")
    parser.add_argument("--sizes", default="", help="with --accept: comma-separated sizes in MB to build "
                        "(default: --megabytes)")
    parser.add_argument("--no-refusals", action="store_true", help="skip the refused transcript and the zip bomb")
    parser.add_argument("--before", type=Path, help="with --accept: also build each size with this source tree")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="gtna-bench-large-"))
    try:
        rows = []
        baseline = build(write_study(work / "baseline"), work / "out-baseline")
        assert baseline.ok, baseline.tail()
        rows.append(row("baseline: 2 interviews", baseline, baseline))
        print(rows[-1], flush=True)

        if not args.no_refusals:
            big = write_study(work / "big")
            size = write_big_transcript(big / "transcripts" / "moes" / "MOES-99.md", args.megabytes)
            refused = build(big, work / "out-big")
            rows.append(row(f"{size / 1e6:.0f} MB transcript, default limit", refused, baseline))

            bomb = write_study(work / "bomb")
            packed = write_docx_bomb(bomb / "transcripts" / "moes" / "MOES-98.docx", args.bomb_gib * 1024 * MIB)
            bombed = build(bomb, work / "out-bomb")
            rows.append(row(f".docx of {packed / 1e6:.1f} MB inflating to {args.bomb_gib} GiB", bombed, baseline))

        if args.accept:
            for megabytes in [float(m) for m in args.sizes.split(",") if m] or [args.megabytes]:
                study = write_study(work / f"big-{megabytes}")
                size = write_big_transcript(study / "transcripts" / "moes" / "MOES-99.md", megabytes)
                env = {"GTNA_MAX_TRANSCRIPT_MB": str(int(megabytes * 2) + 1)}
                trees = [("before", args.before)] if args.before else []
                for label, code in [*trees, ("this tree", ROOT)]:
                    accepted = build(study, work / f"out-{megabytes}", env=env, code=code)
                    rows.append(row(f"{size / 1e6:.1f} MB transcript, limit raised ({label})", accepted, baseline,
                                    size))
                    print(rows[-1], flush=True)
                    shutil.rmtree(work / f"out-{megabytes}", ignore_errors=True)
        print("| input | exit | wall s | CPU s | CPU s per MB | peak RSS MiB | × baseline RSS | "
              "RSS above baseline ÷ file size | last message |")
        print("|---|---|---|---|---|---|---|---|---|")
        print("\n".join(rows))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
