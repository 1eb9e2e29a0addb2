"""Mutation testing of the core modules with mutmut, one module at a time, each against a fast test selection.

Why per module: mutmut 3 maps every test to the functions it runs and re-runs only those tests per mutant, but it
first runs the whole configured selection once; on a 2-core machine the full suite (notebooks, browser) makes that
pointless. So each core module gets the few test files that are *meant* to pin it down (``MODULES`` below), and a
time box, and runs in its own scratch copy of the worktree (mutmut reads ``[tool.mutmut]`` from the current
folder and writes ``mutants/`` there; the worktree itself is never touched).

``pyproject.toml [tool.mutmut]`` holds the shared settings (also used by a plain ``mutmut run``); this script
replaces ``only_mutate`` and the test selection per module. Usage::

    python -m benchmarks.mutation                          # every module in MODULES
    python -m benchmarks.mutation coding/agreement.py      # one module
    python -m benchmarks.mutation --time-box 900 --jobs 2

Results: ``benchmarks/out/mutation/summary.json`` and a Markdown table on stdout (copy the figures you measured into
``benchmarks/MUTATION.md``); survivors are listed per module in ``benchmarks/out/mutation/<module>/survivors.txt``
(``mutmut show <name>`` in that folder prints a mutant's diff).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mutation"

_FAST_CODING = "not on_the_sample and not thousand_pattern and not compile_only_when_used"
# also without the test that reads the sample build (8 s in the stats run; its codings come from the unmutated build,
# built once in mutmut's parent process): the small codebooks and the fast-equals-reference tests pin the coder
_UNIT_CODING = _FAST_CODING + " and not point_into_the_documents"
# the tests of test_pseudonymise.py that build the sample study (module fixture `sample_build`)
_FAST_PSEUDONYMISE = ("not sample_raw_transcripts and not processed_tables and not sample_replacement_counts "
                      "and not the_check_itself")

# core module (under gtna_analysis/) -> the test files (and pytest selection options) that should kill its mutants
MODULES: dict[str, list[str]] = {
    # the agreement CLI tests build the sample study (seconds per mutant): the statistics are pinned by the rest
    "coding/agreement.py": ["tests/coding/test_agreement.py", "tests/coding/test_agreement_independent.py",
                            "tests/coding/test_agreement_tables.py", "-k", "not cli"],
    "coding/preferences.py": ["tests/coding/test_preferences.py", "tests/coding/test_preferences_gaps.py"],
    "coding/codebook.py": ["tests/coding/test_codebook.py", "tests/exchange/test_interop_refi.py",
                           "tests/coding/test_codebook_edges.py", "tests/coding/test_codebook_loader.py"],
    "coding/human.py": ["tests/coding/test_human.py", "tests/coding/test_human_sheets.py"],
    "ingest/pseudonymise.py": ["tests/ingest/test_pseudonymise.py", "tests/ingest/test_pseudonymise_corpus.py",
                               "tests/ingest/test_pseudonymise_names.py", "tests/ingest/test_pseudonymise_edges.py"],
    "ingest/turns.py": ["tests/ingest/test_turns.py", "tests/ingest/test_turns_edges.py"],
    "ingest/clean.py": ["tests/ingest/test_clean.py", "tests/ingest/test_clean_edges.py"],
    "ingest/readers/subtitles.py": ["tests/ingest/test_readers.py", "tests/ingest/test_interop_files.py"],
    "ingest/readers/tables.py": ["tests/ingest/test_interop_files.py", "tests/ingest/test_readers.py"],
    "ingest/readers/docx_reader.py": ["tests/ingest/test_readers.py", "tests/ingest/test_interop_files.py",
                                  "tests/ingest/test_office_readers.py"],
    "ingest/readers/odt_reader.py": ["tests/ingest/test_readers.py", "tests/ingest/test_interop_files.py",
                                 "tests/ingest/test_office_readers.py"],
    # ingest modules behind pseudonymisation (fifth round): the sample-build tests of test_pseudonymise (a build
    # per mutant) are left out; the unit tests there pin the same functions
    "ingest/names.py": ["tests/ingest/test_pseudonymise_names.py", "tests/ingest/test_third_party_index.py",
                        "tests/ingest/test_pseudonymise.py", "tests/ingest/test_pseudonymise_edges.py",
                        "tests/ingest/test_third_party_names.py", "-k", _FAST_PSEUDONYMISE],
    "ingest/leaks.py": ["tests/ingest/test_leaks_files.py"],
    "ingest/romanise.py": ["tests/ingest/test_pseudonymise_names.py", "tests/ingest/test_third_party_index.py",
                           "tests/ingest/test_pseudonymise.py", "tests/ingest/test_pseudonymise_edges.py",
                           "tests/ingest/test_romanisation_spellings.py", "-k", _FAST_PSEUDONYMISE],
    "ingest/translit.py": ["tests/ingest/test_script_detect.py", "tests/ingest/test_clean.py",
                           "tests/ingest/test_clean_edges.py", "tests/ingest/test_chat_reading.py"],
    "ingest/script_detect.py": ["tests/ingest/test_script_detect.py", "tests/ingest/test_script_build.py",
                                "tests/ingest/test_clean_edges.py", "tests/ingest/test_script_detect_rules.py"],
    "ingest/letter_model.py": ["tests/ingest/test_letter_model_counts.py", "tests/ingest/test_script_detect.py",
                               "tests/ingest/test_letter_model_probabilities.py"],
    "ingest/readers/limits.py": ["tests/ingest/test_limits.py", "tests/ingest/test_study_limits.py",
                                 "tests/ingest/test_limit_edges.py"],
    # the build cache's public files (this round): the dictionary copies, and the rules they share with the letter
    # tables (test_letter_counts derives both letter models: ~2.5 s a run)
    "ingest/lexicon.py": ["tests/ingest/test_lexicon.py"],
    "ingest/public_cache.py": ["tests/ingest/test_lexicon.py", "tests/ingest/test_letter_counts.py",
                               "tests/ingest/test_public_cache.py"],
    "ingest/readers/encoding.py": ["tests/ingest/test_readers.py", "tests/ingest/test_text_encodings.py"],
    # the rest of ingest (2026-11-28b): the cache's own tests build the sample study (seconds per mutant), so only
    # the unit tests of entries and the fingerprint; the parsing path through small make_study studies and the
    # sample's parse (no coding, no build)
    "ingest/cache.py": ["tests/ingest/test_cache.py", "tests/test_build_cache.py", "tests/ingest/test_cache_entries.py",
                        "-k", "sealed_entries or software_fingerprint or test_cache_entries"],
    "ingest/transcripts.py": ["tests/ingest/test_turns.py", "tests/ingest/test_align.py",
                              "tests/ingest/test_interop_files.py", "tests/ingest/test_transcript_sources.py"],
    "ingest/interview.py": ["tests/ingest/test_turns.py", "tests/ingest/test_align.py",
                            "tests/ingest/test_interop_files.py", "tests/ingest/test_interview_metadata.py"],
    "ingest/align.py": ["tests/ingest/test_align.py", "tests/ingest/test_align_rules.py"],
    "ingest/original_text.py": ["tests/ingest/test_turns_edges.py", "tests/ingest/test_turns.py",
                                "tests/ingest/test_original_text.py"],
    "ingest/readers/base.py": ["tests/ingest/test_readers.py", "tests/ingest/test_office_readers.py",
                               "tests/ingest/test_interop_files.py", "tests/ingest/test_front_matter.py"],
    "ingest/readers/text.py": ["tests/ingest/test_readers.py", "tests/ingest/test_text_encodings.py",
                               "tests/ingest/test_front_matter.py"],
    # without the build (test_letter_counts' rebuild test) and, for word_counts, without the two tests that use
    # the package's tables: a mutated word_counts.py has other bytes, so another fingerprint, and the package's
    # tables are (rightly) refused — those tests would fail for every mutant, and in mutmut's clean run
    "ingest/letter_counts.py": ["tests/ingest/test_letter_counts.py", "tests/ingest/test_public_cache.py",
                                "tests/ingest/test_letter_count_files.py", "-k", "not rebuild_judging_latin"],
    "ingest/word_counts.py": ["tests/ingest/test_letter_counts.py", "tests/ingest/test_word_counts.py", "-k",
                              "not rebuild_judging_latin and not match_a_fresh_derivation and not from_the_package"],
    "exchange/refi_xml.py": ["tests/exchange/test_refi.py", "tests/exchange/test_interop_refi.py"],
    "exchange/qdc.py": ["tests/exchange/test_refi.py", "tests/exchange/test_interop_refi.py"],
    # the CLI export and the build stopped by a .qdpx build the sample study (seconds per mutant of the writer)
    "exchange/qdpx.py": ["tests/exchange/test_refi.py", "tests/exchange/test_interop_refi.py",
                         "tests/exchange/test_qdpx_container.py", "tests/exchange/test_qdpx_reader.py",
                         "tests/exchange/test_qdpx_writer.py",
                         "-k", "not test_cli_exports and not stops_the_build"],
    "exchange/coding_files.py": ["tests/exchange/test_interop_refi.py", "tests/coding/test_human.py",
                                 "tests/exchange/test_coding_files.py"],
    # the two sample-wide naive-equality tests take 8-30 s each: the small equality tests pin the same code paths;
    # compile_only_when_used needs a process where its pattern was never compiled, and mutmut's clean run reuses
    # the process of its stats run (the test fails there, unmutated)
    "coding/autocoder.py": ["tests/coding/test_autocoder.py", "tests/coding/test_patterns.py",
                            "tests/coding/test_coding_columns.py", "tests/coding/test_autocoder_units.py",
                            "-k", _UNIT_CODING],
    "coding/patterns.py": ["tests/coding/test_patterns.py", "tests/coding/test_pattern_limits.py",
                           "tests/coding/test_regex_budget.py", "tests/coding/test_autocoder.py",
                           "tests/coding/test_patterns_edges.py", "tests/coding/test_pattern_verifier.py",
                           "-k", _FAST_CODING],
    "coding/polarity.py": ["tests/coding/test_polarity.py", "tests/coding/test_polarity_bounds.py"],
    "coding/designs.py": ["tests/coding/test_designs.py", "tests/coding/test_designs_table.py",
                          "tests/coding/test_designs_scopes.py", "tests/coding/test_designs_statements.py"],
    # suggestions, design reviews and the design check: their CLI tests build the sample study, left out
    "coding/suggest.py": ["tests/coding/test_suggest.py", "tests/coding/test_suggest_edges.py",
                          "-k", "not round_trip and not without_human_coding"],
    "coding/design_reviews.py": ["tests/coding/test_design_reviews_sheets.py"],
    "coding/design_check.py": ["tests/coding/test_design_check.py"],
    "coding/lemmas.py": ["tests/coding/test_lemma_cache.py", "tests/coding/test_patterns.py",
                         "tests/coding/test_lemmas_keys.py", "tests/coding/test_lemmas_edges.py", "-k", _UNIT_CODING],
    # the workbook re-import test builds the sample study (9 s a run); test_xlsx_sheets checks every sheet's cells
    "exchange/xlsx.py": ["tests/exchange/test_xlsx.py", "tests/exchange/test_xlsx_sheets.py",
                         "tests/exchange/test_xlsx_edges.py", "-k", "not test_workbook_sheets_and_reimport"],
}

# functools caches a module's functions fill during mutmut's stats and clean runs, emptied in each mutant's forked
# test run (see benchmarks/mutation_caches.py): otherwise the cached results of the unmutated code answer the tests
_TRANSLIT_CACHE = "gtna_analysis.ingest.translit:read_chat_word"
_SCORE_CACHE = "gtna_analysis.ingest.script_detect:score_word"
FRESH_CACHES: dict[str, list[str]] = {
    "ingest/translit.py": [_TRANSLIT_CACHE],
    "ingest/script_detect.py": [_SCORE_CACHE],
    "ingest/letter_model.py": ["gtna_analysis.ingest.letter_model:georgian_model",
                               "gtna_analysis.ingest.letter_model:english_model",
                               "gtna_analysis.ingest.letter_model:LetterModel.next_logprob",
                               _TRANSLIT_CACHE, _SCORE_CACHE],
    "ingest/letter_counts.py": ["gtna_analysis.ingest.letter_counts:fingerprint"],
}
# (mutmut 3 leaves decorated functions unmutated: word_counts() and letter_counts.fingerprint() have no mutants of
# their own; the fingerprint is emptied anyway, a cheap guard for tests that change what it reads)

STATUS_KEYS = ("killed", "survived", "timeout", "suspicious", "no_tests", "skipped", "segfault",
               "not_checked", "check_was_interrupted_by_user")


def _source_files() -> list[Path]:
    """Tracked and new (not ignored) files of the worktree: what a fresh clone plus uncommitted work would hold."""
    listing = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                             check=True, capture_output=True).stdout.decode()
    return [Path(p) for p in listing.split("\0") if p and (ROOT / p).is_file()]


def _mutmut_table(module: str, tests: list[str], timeout_multiplier: float | None = None) -> str:
    base = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    config = {**base, "only_mutate": [f"gtna_analysis/{module}"],
              "pytest_add_cli_args_test_selection": tests}
    if timeout_multiplier is not None:
        config["timeout_multiplier"] = timeout_multiplier
    if module in FRESH_CACHES:  # every pytest run, the mutants' own included (their tests are named, not selected)
        fresh = [arg for cache in FRESH_CACHES[module] for arg in ("--fresh-cache", cache)]
        config["pytest_add_cli_args"] = [*config.get("pytest_add_cli_args", []), "-p", "benchmarks.mutation_caches",
                                         *fresh]
    lines = ["[tool.mutmut]"]
    for key, value in config.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def _prepare(module: str, tests: list[str], work: Path, timeout_multiplier: float | None = None,
             resume: bool = False) -> None:
    if work.exists() and not resume:
        shutil.rmtree(work)
    for relative in [] if resume and work.exists() else _source_files():
        target = work / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    pyproject = (work / "pyproject.toml").read_text("utf-8")
    pyproject = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", pyproject)
    table = _mutmut_table(module, tests, timeout_multiplier)
    (work / "pyproject.toml").write_text(pyproject.rstrip() + "\n\n" + table, "utf-8")


def _mutmut() -> list[str]:
    return [sys.executable, "-c", "import sys; from mutmut.__main__ import cli; sys.exit(cli())"]


def run_module(module: str, tests: list[str], time_box: float, jobs: int, mutants: list[str] | None = None,
               timeout_multiplier: float | None = None, resume: bool = False) -> dict:
    work = OUT / module.replace("/", "__").removesuffix(".py")
    _prepare(module, tests, work, timeout_multiplier, resume)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # mutmut puts its mutants/ first itself
    started = time.monotonic()
    timed_out = False
    log = (work / "mutmut.log").open("w")
    process = subprocess.Popen([*_mutmut(), "run", "--max-children", str(jobs), *(mutants or [])], cwd=work, env=env,
                               stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        process.wait(timeout=time_box)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, 2)  # SIGINT: mutmut saves what it has measured
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
    seconds = time.monotonic() - started
    subprocess.run([*_mutmut(), "export-cicd-stats"], cwd=work, env=env, capture_output=True)
    stats_file = work / "mutants" / "mutmut-cicd-stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    survivors = subprocess.run([*_mutmut(), "results"], cwd=work, env=env, capture_output=True, text=True).stdout
    (work / "survivors.txt").write_text(survivors, "utf-8")
    counts = {key: int(stats.get(key, 0)) for key in STATUS_KEYS}
    checked = counts["killed"] + counts["survived"] + counts["timeout"] + counts["suspicious"] + counts["no_tests"]
    killed = counts["killed"] + counts["timeout"]  # a mutant that makes the tests hang is detected
    # counts first: its raw "killed" must not overwrite killed-plus-timeouts
    return {**counts, "module": module, "tests": tests, "mutants": mutants or ["*"], "seconds": round(seconds, 1),
            "timed_out": timed_out,
            "total": int(stats.get("total", checked)), "checked": checked, "killed": killed,
            "score": round(killed / checked, 3) if checked else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"modules under gtna_analysis/ (default: all {len(MODULES)})")
    parser.add_argument("--time-box", type=float, default=1200.0, help="seconds per module (default 1200)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run in parallel (default 1)")
    parser.add_argument("--mutants", nargs="+", metavar="GLOB",
                        help="only mutants whose names match (fnmatch, e.g. '*x_build_project__*'): one function of a "
                             "module too slow to run whole; the summary then counts only those")
    parser.add_argument("--resume", action="store_true",
                        help="go on in the module's scratch folder of an interrupted run (mutmut keeps its verdicts)")
    parser.add_argument("--timeout-multiplier", type=float,
                        help="mutmut's timeout_multiplier (default 15: a mutant that loops forever may take "
                             "30 x (its tests' time + 1) CPU seconds, many minutes at nice 19 on a shared machine). "
                             "mutmut also stops a mutant after half that many *wall* seconds: with a low multiplier "
                             "on a starved machine, slow but correct runs are counted as timeouts (killed)")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(MODULES)}")
    OUT.mkdir(parents=True, exist_ok=True)
    summary_file = OUT / "summary.json"
    summary: dict = {}
    for module in args.modules or list(MODULES):
        result = run_module(module, MODULES[module], args.time_box, args.jobs, args.mutants, args.timeout_multiplier,
                            args.resume)
        # read again just before writing: another run (another module) may have finished in the meantime
        summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
        summary[module] = result
        summary_file.write_text(json.dumps(summary, indent=2, sort_keys=True), "utf-8")
        print(f"{module}: {result['killed']}/{result['checked']} killed "
              f"({result['survived']} survived, {result['no_tests']} without tests) in {result['seconds']} s"
              + (" [time box reached]" if result["timed_out"] else ""), flush=True)
    print("\n| module | killed / checked | score | survived | no tests | seconds |\n|---|---|---|---|---|---|")
    for module, r in sorted(summary.items()):
        score = f"{r['score']:.0%}" if r["score"] is not None else "–"
        print(f"| {module} | {r['killed']} / {r['checked']} | {score} | {r['survived']} | {r['no_tests']} "
              f"| {r['seconds']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
