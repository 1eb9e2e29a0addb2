"""The benchmark corpus generator and the benchmark harness, at a tiny scale (no timing claims here: those live in
benchmarks/RESULTS.md, produced by `make bench`)."""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ is a source folder, not part of the installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import bench_build, bench_coding, bench_reports, corpus, results  # noqa: E402
from benchmarks.codebooks import grep_patterns, synthetic_patterns, write_codebook  # noqa: E402
from benchmarks.measure import PYTHON, loglog_slope, run_child  # noqa: E402
from gtna_analysis.coding.autocoder import AutoCoder, naive_code  # noqa: E402
from gtna_analysis.coding.codebook import load_codebook  # noqa: E402

SEED = 7


@pytest.fixture(scope="module")
def synthetic_codebook(tmp_path_factory) -> Path:
    texts = corpus.segment_texts(0.5, SEED)
    return write_codebook(tmp_path_factory.mktemp("cb") / "codebook.yml", 120, SEED, texts=texts)


def test_segment_texts_are_deterministic_and_seeded() -> None:
    a = corpus.segment_texts(0.3, SEED)
    assert a == corpus.segment_texts(0.3, SEED)
    assert a != corpus.segment_texts(0.3, SEED + 1)
    assert all(t.strip() for t in a)


def test_scale_is_measured_in_words() -> None:
    sample = corpus.load_sample()
    for scale in (1, 3):
        interviews = list(corpus.generate(scale, SEED))
        words = sum(i.words for i in interviews)
        assert scale * sample.words <= words <= scale * sample.words + max(i.words for i in interviews)
    assert len(list(corpus.generate(3, SEED))) > 2 * len(list(corpus.generate(1, SEED)))


def test_synthetic_turns_recombine_sample_sentences_without_copying_turns() -> None:
    sample = corpus.load_sample()
    real_turns = {"\n".join(t.paragraphs) for tpl in sample.templates for t in tpl.turns if t.role == "participant"}
    sentences = {s for pool in sample.pools.values() for s in pool}
    texts = corpus.segment_texts(1, SEED)
    copied = sum(t in real_turns for t in texts)
    assert copied < len(texts) * 0.2  # one-sentence answers may coincide; whole turns mostly do not
    for text in texts[:50]:
        for paragraph in text.split("\n"):
            assert all(s in sentences for s in corpus.split_sentences(paragraph)) or len(paragraph) > 0


def test_written_study_builds_with_new_ids_and_agencies(tmp_path: Path, synthetic_codebook: Path) -> None:
    from gtna_analysis.build import build

    counts = corpus.write_study(tmp_path / "study", scale=0.4, seed=SEED, n_agencies=2, codebook=synthetic_codebook)
    result = build(tmp_path / "study")
    interviews = result.tables["interviews"]
    assert len(interviews) == counts["interviews"]
    assert set(interviews["agency"]) == {"agency1", "agency2"}
    assert all("-S" in i for i in interviews["interview_id"])
    segments = result.tables["segments"]
    assert (segments["speaker_role"] == "participant").sum() == counts["segments"]
    assert segments["question_id"].notna().any()


def test_synthetic_codebook_is_valid_hits_the_corpus_and_fast_equals_naive(synthetic_codebook: Path) -> None:
    codebook = load_codebook(synthetic_codebook)
    assert sum(c.n_patterns for c in codebook.codes) == 120
    assert any(c.exclude_patterns for c in codebook.codes)
    texts = corpus.segment_texts(0.2, SEED)
    fast = AutoCoder(codebook).code_texts(texts)
    assert fast == naive_code(codebook, texts)
    assert len({code for _, code in fast}) > 10
    anchors, raw = grep_patterns(codebook)
    assert raw == 0 and anchors == sorted(set(anchors)) and all(a == a.lower() and "*" not in a for a in anchors)


def test_synthetic_patterns_are_deterministic_and_distinct() -> None:
    texts = corpus.segment_texts(0.3, SEED)
    a = synthetic_patterns(200, SEED, texts)
    assert a == synthetic_patterns(200, SEED, texts)
    assert len({p for _, p in a}) == 200
    assert {lang for lang, _ in a} == {"ka", "en"}
    assert sum(p.endswith("*") for _, p in a) > 80


def test_loglog_slope_and_child_measurement() -> None:
    assert loglog_slope([1, 10, 100], [2, 20, 200]) == pytest.approx(1.0)
    assert loglog_slope([1, 10], [1, 100]) == pytest.approx(2.0)
    assert math.isnan(loglog_slope([1], [1]))
    run = run_child([PYTHON, "-c", "import json; x = bytearray(60_000_000); "
                                   "print('BENCH-RESULT ' + json.dumps({'n': len(x)}))"])
    assert run.ok and run.result() == {"n": 60_000_000}
    assert run.max_rss > 60_000_000 and run.cpu_seconds > 0


@pytest.fixture(scope="module")
def tiny_runs(tmp_path_factory, synthetic_codebook: Path) -> dict:
    work = tmp_path_factory.mktemp("bench")
    logs: list[str] = []
    coding_cfg = {"scales": [0.1, 0.3], "fast_repeats": lambda s: 2, "naive": True, "naive_full_max": 0.1,
                  "naive_repeats": lambda s: 1, "naive_sample_segments": 20, "grep_repeats": 1, "table_max_scale": 1,
                  "seed": SEED}
    coding = bench_coding.run(coding_cfg, {"synthetic": synthetic_codebook}, work / "coding", logs.append)
    build_cfg = {"build_scales": [0.2], "build_repeats": lambda s: 1, "incremental_scales": [0.2],
                 "incremental_repeats": 1, "verify_incremental": (0.2,), "seed": SEED}
    build = bench_build.run(build_cfg, synthetic_codebook, work / "build", logs.append)
    yield {"coding": coding, "build": build, "logs": logs, "work": work}
    shutil.rmtree(work, ignore_errors=True)


def test_coding_harness_measures_fast_naive_and_grep(tiny_runs: dict) -> None:
    rows = bench_coding.summarise(tiny_runs["coding"])
    assert [r["scale"] for r in rows] == [0.1, 0.3]
    first, second = rows
    assert first["agrees"] and not first["naive_extrapolated"]
    assert second["naive_extrapolated"] and second["naive_sample_segments"] == 20 and second["agrees"]
    for row in rows:
        assert row["fast_cpu_s"] > 0 and row["grep_c_cpu_s"] > 0 and row["grep_o_cpu_s"] > 0
        assert row["speedup"] > 1 and row["peak_mib"] > 10 and row["mb_s"] > 0
    raw = tiny_runs["coding"]["rows"][0]["grep"]
    assert 0 < raw["lines_matched"] <= rows[0]["segments"] and raw["occurrences"] >= raw["lines_matched"]


def test_build_harness_measures_full_and_incremental_builds(tiny_runs: dict) -> None:
    summary = bench_build.summarise(tiny_runs["build"])
    (row,) = summary["rows"]
    assert row["runs"] == 1 and not row["error"] and row["seconds"] > 0 and row["peak_mib"] > 10
    (inc,) = summary["incremental"]
    if inc["via"]:  # a build cache exists (CLI or library): the rebuild must give the from-scratch result
        assert inc["changed_runs"] == 1 and inc["differs"] == []
        assert inc["reread"] == [1]  # only the changed transcript was read again


def test_change_one_transcript_changes_bytes_not_names(tmp_path: Path) -> None:
    corpus.write_study(tmp_path / "s", scale=0.1, seed=SEED)
    path = sorted((tmp_path / "s" / "transcripts").rglob("*.md"))[0]
    before = path.read_text(encoding="utf-8")
    assert bench_build.change_one_transcript(tmp_path / "s", 0) == path
    after = path.read_text(encoding="utf-8")
    assert after != before and after.split("---")[1] == before.split("---")[1]


def test_report_summary_ratios() -> None:
    raw = {"kernel": "python3", "lang": "en", "floor": [2.0, 2.2, 1.8], "rows": [
        {"agencies": 2, "jobs": 1, "runs": [{"seconds": 9.0, "cpu_seconds": 5, "ok": True, "max_rss": 1,
                                             "jobs": [("a/en", "ok", 2.5)], "notebooks": 3, "error": ""}]},
        {"agencies": 2, "jobs": 2, "runs": [{"seconds": 5.0, "cpu_seconds": 5, "ok": True, "max_rss": 1,
                                             "jobs": [("a/en", "ok", 2.5)], "notebooks": 3, "error": ""}]}]}
    summary = bench_reports.summarise(raw, cores=2)
    serial, parallel = summary["rows"]
    assert summary["floor_s"] == 2.0
    assert serial["per_report_s"] == 3.0 and serial["overhead_ratio"] == 1.5
    assert math.isnan(serial["overhead_ratio_batch_settings"])  # older raw figures: no second floor
    raw["floor_batch_settings"] = [1.5, 1.6, 1.4]
    serial = bench_reports.summarise(raw, cores=2)["rows"][0]
    assert serial["overhead_ratio_batch_settings"] == 2.0
    assert parallel["speedup"] == pytest.approx(1.8) and parallel["ideal_speedup"] == 2
    assert bench_reports._JOB_LINE.search("  agency1/en: ok in 3.2s")


def test_floor_notebook_is_import_only(tmp_path: Path) -> None:
    import nbformat

    nb = nbformat.read(str(bench_reports.write_floor_notebook(tmp_path / "f.ipynb", "python3")), as_version=4)
    assert [c.source for c in nb.cells] == ["import gtna_analysis.reports.sections"]
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_results_markdown(tiny_runs: dict) -> None:
    from benchmarks.measure import machine_info

    data = {"quick": True, "seed": SEED, "machine": machine_info(), "total_seconds": 12.0,
            "loadavg_end": (0.0, 0.0, 0.0),
            "coding": {"results": tiny_runs["coding"], "summary": bench_coding.summarise(tiny_runs["coding"])},
            "build": {"results": tiny_runs["build"], "summary": bench_build.summarise(tiny_runs["build"])},
            "profiles": [{"stage": "coding", "why": "test", "args": {"scale": 1}, "text": "0.1 AutoCoder.code"}]}
    text = results.render(json.loads(json.dumps(data, default=str)))
    for heading in ("## Machine", "## Targets", "## Coding throughput", "## Build", "## Profile", "## Method"):
        assert heading in text
    assert "fast vs naive" in text and "grep -c" in text and "extrapolated" in text


def test_render_rewrites_results_from_raw_figures_without_measuring(tiny_runs: dict, tmp_path: Path) -> None:
    from benchmarks import run
    from benchmarks.measure import machine_info

    data = {"quick": False, "seed": SEED, "machine": machine_info(), "total_seconds": 60.0,
            "loadavg_end": (0.0, 0.0, 0.0),
            "build": {"results": tiny_runs["build"], "summary": bench_build.summarise(tiny_runs["build"])}}
    raw = tmp_path / "results.json"
    raw.write_text(json.dumps(data, default=str), encoding="utf-8")
    out = tmp_path / "RESULTS.md"
    assert run.main(["--render", str(raw), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert f"on {data['machine']['date']} in 1.0 min" in text and "nothing was re-measured" in text
    assert "## Build" in text
