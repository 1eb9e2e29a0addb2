"""Batch-runner behaviour that needs no real kernel: retry of kernel start failures, job planning."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtna_analysis.reports import batch as reporting


def _job(tmp_path: Path) -> reporting.Job:
    return reporting.Job(reporting.notebook_path("agency_report"), {"agency": "moes", "lang": "en"},
                         tmp_path / "moes" / "en.html", tmp_path / "moes" / "en.ipynb", "moes/en")


def test_kernel_that_fails_to_start_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import papermill

    calls: list[str] = []

    def flaky(input_path, output_path, **kwargs):
        calls.append(output_path)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        Path(output_path).write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    monkeypatch.setattr(reporting, "export_html", lambda ipynb, html, failed=False: html.write_text("ok"))
    result = reporting.run_job(_job(tmp_path))
    assert result.ok and result.attempts == 2
    assert (tmp_path / "moes" / "en.ipynb").exists()
    assert not list((tmp_path / "moes").glob(".*tmp*"))  # no temporary file left behind


def test_other_errors_are_not_retried_and_leave_an_error_page(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import papermill

    def broken(*args, **kwargs):
        raise FileNotFoundError("no such notebook <x>")

    monkeypatch.setattr(papermill, "execute_notebook", broken)
    result = reporting.run_job(_job(tmp_path))
    assert not result.ok and result.attempts == 1
    page = (tmp_path / "moes" / "en.html").read_text()
    assert "&lt;x&gt;" in page and "<x>" not in page


def test_plan_has_one_job_per_agency_and_language_plus_cross(tmp_path: Path) -> None:
    jobs = reporting.plan_jobs(tmp_path / "p", tmp_path / "r", ["moes", "geostat"], ["ka", "en"], True, None)
    assert [j.label for j in jobs] == ["moes/ka", "moes/en", "geostat/ka", "geostat/en", "cross_agency/ka",
                                       "cross_agency/en"]
    assert len({j.html_path.parent for j in jobs}) == 3  # each job writes into its own folder
    assert not any(j.parameters["word_copy"] for j in jobs)  # no PNGs unless a Word copy is asked for
    word = reporting.plan_jobs(tmp_path / "p", tmp_path / "r", ["moes"], ["ka"], True, None, word_copy=True)
    assert all(j.parameters["word_copy"] for j in word)


def test_papermill_import_skips_the_iri_grammar_but_notebooks_still_validate() -> None:
    import subprocess
    import sys

    code = ("import sys; from gtna_analysis.reports.batch import import_papermill; import_papermill(); import nbformat;"
            "nbformat.validate(nbformat.read(sys.argv[1], as_version=4));"
            "print('rfc3987_syntax.syntax_helpers' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code, str(reporting.notebook_path("agency_report"))],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_jobs_run_on_the_warm_kernel_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """papermill gets our engine and this process's warm kernel (kept for the next job), or with ``warm=False``
    a kernel of its own that is stopped after the job."""
    import papermill

    from gtna_analysis.reports import kernels

    seen: list[dict] = []

    def record(input_path, output_path, **kwargs):
        seen.append(kwargs)
        Path(output_path).write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')

    monkeypatch.setattr(papermill, "execute_notebook", record)
    monkeypatch.setattr(reporting, "export_html", lambda ipynb, html, failed=False: html.write_text("ok"))
    try:
        assert reporting.run_job(_job(tmp_path)).ok and reporting.run_job(_job(tmp_path)).ok
        assert reporting.run_job(_job(tmp_path), warm=False).ok
        assert [k["engine_name"] for k in seen] == [kernels.ENGINE_NAME] * 3
        assert seen[0]["warm_kernel"] is seen[1]["warm_kernel"] is reporting._WORKER_KERNEL
        assert seen[2]["warm_kernel"] is not seen[0]["warm_kernel"] and not seen[2]["warm_kernel"].warm_up
        assert seen[0]["kernel_workdir"] == str(tmp_path / "moes")
    finally:
        reporting.release_kernel()
    assert reporting._WORKER_KERNEL is None


def _worker_state() -> dict:
    """Run in a report worker: what its start-up left it with."""
    import os
    import sys

    from gtna_analysis.reports import kernels

    return {"pid": os.getpid(), "exporter_made": reporting._exporter.cache_info().currsize == 1,
            "engine": kernels.ENGINE_NAME in sys.modules["papermill"].engines.papermill_engines._engines,
            "pandas": "pandas" in sys.modules}


def test_workers_are_ready_before_their_first_report() -> None:
    """``report_workers`` spawns every worker at once, and each has papermill's engine and its HTML exporter
    before any report reaches it, without pandas (a worker never reads a table: its start-up is on the clock)."""
    import time

    with reporting.report_workers(2, warm=False) as pool:
        assert pool is not None
        states = []
        for _ in range(20):  # until both workers have answered (a single worker may take several tasks)
            states += [f.result(timeout=600) for f in [pool.submit(_worker_state) for _ in range(2)]]
            if len({s["pid"] for s in states}) == 2:
                break
            time.sleep(0.1)
    assert len({s["pid"] for s in states}) == 2
    assert all(s["exporter_made"] and s["engine"] and not s["pandas"] for s in states)
    with reporting.report_workers(1) as serial:
        assert serial is None  # a serial batch renders in this process


def test_work_given_as_before_overlaps_the_workers_and_its_failure_renders_nothing(tmp_path: Path) -> None:
    """``before`` (the build of ``gtna report --build``) runs once the workers exist; if it fails, nothing is
    rendered or published and the error reaches the caller."""
    import multiprocessing

    from gtna_analysis.errors import GtnaError

    seen: list[int] = []

    def failing_build() -> None:
        seen.append(len(multiprocessing.active_children()))
        raise GtnaError.at(tmp_path / "study" / "MOES-01.md", 3, "broken")

    with pytest.raises(GtnaError, match=r"MOES-01\.md:3: broken"):
        reporting.render_reports(tmp_path / "processed", tmp_path / "reports", jobs=2, warm=False,
                                 before=failing_build)
    assert seen and seen[0] >= 2  # both workers were already starting while the build ran
    assert not (tmp_path / "reports").exists()


def test_no_more_workers_than_reports_when_nothing_is_built_first(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``before`` the batch is planned first: one report with ``--jobs 2`` starts no worker process (it
    renders in this process), four reports start two."""
    import contextlib
    import json

    import pandas as pd

    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "manifest.json").write_text(json.dumps({
        "agency_order": ["moes", "molhsa"], "languages": ["en", "ka"],
        "agencies": {a: {"name": {"en": a}, "short": {"en": a}} for a in ("moes", "molhsa")}}))
    pd.DataFrame({"agency": ["moes", "molhsa"]}).to_parquet(processed / "interviews.parquet")
    started: list[int] = []
    planned: list[int] = []

    @contextlib.contextmanager
    def workers(jobs, kernel_name=reporting.KERNEL_NAME, warm=True):
        started.append(jobs)
        yield None

    def render(plan, *args, **kwargs):
        planned.append(len(plan))
        return reporting.Summary()

    monkeypatch.setattr(reporting, "report_workers", workers)
    monkeypatch.setattr(reporting, "_render_staged", render)
    reporting.render_reports(processed, tmp_path / "r1", agencies=["moes"], languages=["en"], jobs=2,
                             include_cross=False)
    reporting.render_reports(processed, tmp_path / "r2", jobs=2, include_cross=False)
    assert planned == [1, 4] and started == [1, 2]
