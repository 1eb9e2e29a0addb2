"""Batch rendering: papermill executes a notebook per agency × language, nbconvert exports offline HTML.

Design choices:
- Warm kernels (``kernels.WarmKernel``): a kernel renders report after report, each in a fresh namespace in its
  own working directory, so pandas/matplotlib/seaborn are imported once per kernel rather than once per
  report. With ``jobs > 1`` each of ``jobs`` worker processes (spawned, not forked: the same on Windows, macOS
  and Linux) keeps one warm kernel, so one crash cannot take the batch down; ``warm=False`` starts a new kernel
  for every report (the reference the warm path is tested against).
- Kernels listen on IPC sockets, not TCP ports (see kernels.py).
- A kernel that fails to *start* is retried; a notebook that fails while running is saved with its error (the
  executed .ipynb and an HTML page showing the traceback), the rest continue, and the batch reports failure.
- HTML goes through our nbconvert template (no CDN, no scripts, CSP) and is written atomically.
- Console: one progress bar per batch; a line per report only when it fails (all of them with ``-v``).
- Workers start before the batch is planned (``report_workers``): each imports papermill and nbconvert, makes
  its HTML exporter and starts its warm kernel as soon as it is spawned, so whatever the main process does
  meanwhile — reading the manifest, or the whole build with ``gtna report --build`` (``make reports``) — overlaps
  their start-up, which is a fifth of a small batch's time. This module does not import pandas (workers never
  read a table), so a worker's start-up is papermill, nbconvert and its kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as _dt
import functools
import html
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

from gtna_analysis import __version__
from gtna_analysis.atomic import clean_litter, current_generation, publish_batch, recover_batches, write_text_atomic
from gtna_analysis.console import OUTPUT, Output
from gtna_analysis.paths import nbconvert_templates_dir, notebooks_dir

from .i18n import REPORT_TITLES
from .kernels import WarmKernel, register_engine
from .narrative import environment

KERNEL_NAME = "python3"
KERNEL_START_RETRIES = 2
EXECUTION_TIMEOUT = 600
REMOVE_TAGS = {"injected-parameters", "remove_cell", "parameters"}
KERNEL_SHUTDOWN = "immediate"


def import_papermill():
    """``import papermill``, without compiling a grammar nothing here uses.

    papermill → nbformat → jsonschema, whose optional IRI format checker (``rfc3987_syntax``, pulled in by
    jupyter-events' ``jsonschema[format-nongpl]``) builds a Lark Earley parser at import: ~0.75 s in every batch
    process and worker. Notebook schemas have no ``iri`` formats, so we mark that optional module as absent
    (jsonschema skips format checkers whose module cannot be imported). It only applies if nothing in this
    process imported it already.
    """
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import papermill

    return papermill


@dataclass(frozen=True)
class Job:
    notebook: Path
    parameters: dict
    html_path: Path
    ipynb_path: Path
    label: str


@dataclass
class JobResult:
    job: Job
    ok: bool
    seconds: float
    error: str = ""
    attempts: int = 1


@dataclass
class Summary:
    results: list[JobResult] = field(default_factory=list)
    index: Path | None = None

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]


def notebook_path(name: str) -> Path:
    path = notebooks_dir() / f"{name}.ipynb"
    if not path.exists():
        raise FileNotFoundError(f"notebook {path} not found (is the package installed from a source checkout?)")
    return path


def plan_jobs(processed: Path, out: Path, agencies: list[str], languages: list[str], include_cross: bool,
              study: Path | None, word_copy: bool = False) -> list[Job]:
    """One job per agency × language, plus the cross-agency report per language. ``word_copy``: the notebooks
    store a PNG of each chart for the Word copy (only when one is asked for: it is a third drawing per chart)."""
    jobs = []
    base = {"processed": str(processed.resolve()), "study": str(study.resolve()) if study else "",
            "word_copy": word_copy}
    for agency in agencies:
        for lang in languages:
            folder = out / agency
            jobs.append(Job(notebook_path("agency_report"), {**base, "agency": agency, "lang": lang},
                            folder / f"{lang}.html", folder / f"{lang}.ipynb", f"{agency}/{lang}"))
    if include_cross:
        for lang in languages:
            folder = out / "cross_agency"
            jobs.append(Job(notebook_path("cross_agency"), {**base, "lang": lang}, folder / f"{lang}.html",
                            folder / f"{lang}.ipynb", f"cross_agency/{lang}"))
    return jobs


def _is_kernel_start_failure(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}".lower()
    return any(s in text for s in ("kernel died before", "kernel didn't respond", "timeout waiting for kernel",
                                   "no such kernel", "failed to start the kernel", "kernel_info"))


_WORKER_KERNEL: WarmKernel | None = None  # this process's warm kernel (a batch worker's, or the serial batch's)


def _worker_kernel(kernel_name: str) -> WarmKernel:
    """The process's warm kernel, started on first use and stopped when the process exits."""
    global _WORKER_KERNEL
    if _WORKER_KERNEL is None or _WORKER_KERNEL.kernel_name != kernel_name:
        if _WORKER_KERNEL is not None:
            _WORKER_KERNEL.shutdown()
        _WORKER_KERNEL = WarmKernel(kernel_name)
        atexit.register(_WORKER_KERNEL.shutdown)
    return _WORKER_KERNEL


def release_kernel() -> None:
    """Stop this process's warm kernel (end of a serial batch; workers stop theirs at exit)."""
    global _WORKER_KERNEL
    if _WORKER_KERNEL is not None:
        _WORKER_KERNEL.shutdown()
        _WORKER_KERNEL = None


def run_job(job: Job, kernel_name: str = KERNEL_NAME, warm: bool = True) -> JobResult:
    """Execute one notebook with papermill and export it; never raises for notebook errors.

    ``warm``: on this process's warm kernel (reset to a fresh namespace); otherwise on a new kernel that is
    stopped afterwards. The notebook is written once, when it finished or failed (papermill would otherwise write
    the whole notebook, megabytes of charts, at every cell's start and end)."""
    papermill = import_papermill()
    register_engine(papermill)

    start = time.perf_counter()
    job.html_path.parent.mkdir(parents=True, exist_ok=True)
    attempts = 0
    error = ""
    while True:
        attempts += 1
        kernel = _worker_kernel(kernel_name) if warm else WarmKernel(kernel_name, warm_up=False)
        try:
            with _atomic_notebook(job.ipynb_path) as tmp:
                try:
                    kernel.execute(papermill, job.notebook, tmp, job.html_path.parent, parameters=job.parameters,
                                   progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                   execution_timeout=EXECUTION_TIMEOUT, start_timeout=120)
                except papermill.PapermillExecutionError as exc:
                    error = f"{exc.ename}: {exc.evalue}"  # the notebook (with its error) is still saved
            break
        except Exception as exc:
            if _is_kernel_start_failure(exc) and attempts <= KERNEL_START_RETRIES:
                time.sleep(1.0 * attempts)
                continue
            error = f"{type(exc).__name__}: {exc}"
            break
        finally:
            if not warm:
                kernel.shutdown()
    try:
        if job.ipynb_path.exists():
            export_html(job.ipynb_path, job.html_path, failed=bool(error))
        else:
            write_error_page(job, error)
    except Exception as exc:
        error = error or f"export failed: {type(exc).__name__}: {exc}"
        write_error_page(job, error)
    return JobResult(job, not error, round(time.perf_counter() - start, 2), error, attempts)


@contextlib.contextmanager
def _atomic_notebook(target: Path) -> Iterator[Path]:
    """Like atomic.atomic_path, but the temporary name keeps the .ipynb ending papermill expects."""
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.ipynb")
    try:
        yield tmp
        if tmp.exists():
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def export_html(ipynb: Path, html_path: Path, failed: bool = False) -> None:
    """Executed notebook → self-contained HTML: no code, no parameters cell, no stderr, images inline."""
    import nbformat

    nb = nbformat.read(str(ipynb), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    title = _title(nb, html_path)
    body, _ = _exporter(failed).from_notebook_node(nb, resources={"gtna_footer": f"{__version__} · {title}",
                                                                  "metadata": {"name": title}})
    write_text_atomic(html_path, body)


@functools.cache
def _exporter(failed: bool):
    """The HTML exporter, made once per process: a new one compiles its ten Jinja templates again (~0.1 s of CPU
    per report in a batch). ``failed``: keep the code visible, to show where it broke."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="gtna_report", extra_template_basedirs=[str(nbconvert_templates_dir())])
    exporter.exclude_input = not failed
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=REMOVE_TAGS, enabled=True), enabled=True)
    return exporter


def _title(nb, html_path: Path) -> str:
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    return f"GTNA — {params.get('agency', 'cross-agency')} ({params.get('lang', '')})" if params else html_path.stem


def write_error_page(job: Job, error: str) -> None:
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Report failed: {html.escape(job.label)}"
            f"</title></head><body><h1>Report failed: {html.escape(job.label)}</h1><pre>{html.escape(error)}"
            f"</pre></body></html>")
    write_text_atomic(job.html_path, page)


def write_index(out: Path, processed: Path, results: list[JobResult], pending: int | None = None,
                documents: tuple[str, ...] = (), target: Path | None = None) -> Path:
    """``reports/index.html``: every agency × language with a link (or a failure mark); ``pending``: quotes
    still to translate; ``documents``: the PDF/Word formats written next to each report. ``target``: where to
    write it (a batch's staging folder) when not ``out/index.html``; links are relative to ``out`` either way."""
    from gtna_analysis.tables import read_manifest

    manifest = read_manifest(processed)
    agencies = manifest.get("agencies", {})
    rows: dict[str, dict] = {}
    for r in results:
        key = r.job.parameters.get("agency", "cross_agency")
        info = (agencies.get(key, {}).get("name", {}) if key != "cross_agency"
                else REPORT_TITLES["cross_index"])
        row = rows.setdefault(key, {"name_ka": info.get("ka", key), "name_en": info.get("en", key), "reports": {}})
        row["reports"][r.job.parameters["lang"]] = {"ok": r.ok,
                                                    "href": r.job.html_path.relative_to(out).as_posix()}
    known = manifest.get("agency_order") or list(agencies)
    order = [a for a in known if a in rows] + [k for k in rows if k not in known]
    page = environment().get_template("index.html.j2").render(
        title=manifest.get("study_title", REPORT_TITLES["study_fallback"]), fictional=manifest.get("fictional"),
        rows=[rows[k] for k in order], version=__version__, pending=pending, documents=documents,
        generated_at=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    path = target or out / "index.html"
    write_text_atomic(path, page)
    return path


def render_reports(processed_dir: Path, out_dir: Path, agencies: list[str] | None = None,
                   languages: list[str] | None = None, jobs: int = 1, include_cross: bool = True,
                   study: Path | None = None, output: Output = OUTPUT, kernel_name: str = KERNEL_NAME,
                   warm: bool = True, formats: tuple[str, ...] = ("html",),
                   before: Callable[[], None] | None = None) -> Summary:
    """Render the requested reports (default: all agencies, all study languages) and the index.

    ``jobs`` worker processes (at most one per report) each keep a warm kernel; ``warm=False`` starts a new
    kernel per report instead. ``formats`` adds PDF / Word copies next to each HTML page. ``before``: work for
    this process while the workers start (``gtna report --build``: the build that makes ``processed_dir``); if
    it raises, the workers are stopped and nothing is rendered). Without ``before`` the batch is planned first
    and no more workers are started than it has reports; with it, ``jobs`` workers start at once (the number
    of reports is known only once the build is done)."""
    if before is None:
        return _render_all(processed_dir, out_dir, agencies, languages, jobs, include_cross, study, output,
                           kernel_name, warm, formats, None)
    with report_workers(jobs, kernel_name, warm) as pool:
        before()
        return _render_all(processed_dir, out_dir, agencies, languages, jobs, include_cross, study, output,
                           kernel_name, warm, formats, pool)


def _render_all(processed_dir: Path, out_dir: Path, agencies: list[str] | None, languages: list[str] | None,
                jobs: int, include_cross: bool, study: Path | None, output: Output, kernel_name: str, warm: bool,
                formats: tuple[str, ...], pool: ProcessPoolExecutor | None) -> Summary:
    from gtna_analysis.errors import GtnaError
    from gtna_analysis.tables import read_manifest, read_table

    processed_dir = current_generation(processed_dir)  # one build for the whole batch, even if a rebuild lands
    manifest = read_manifest(processed_dir)
    if not manifest:
        raise FileNotFoundError(f"{processed_dir}/manifest.json not found — run `gtna build` first")

    known = manifest.get("agency_order") or list(manifest.get("agencies", {}))
    for agency in agencies or []:
        if agency not in known:
            raise GtnaError.at(processed_dir / "manifest.json", None, f"unknown agency {agency!r}",
                               f"agencies: {', '.join(known)}")

    present = set(read_table(processed_dir, "interviews", columns=["agency"])["agency"])
    selected = agencies or [a for a in known if a in present]
    plan = plan_jobs(Path(processed_dir), Path(out_dir), selected, languages or manifest.get("languages", ["en"]),
                     include_cross, study, word_copy="docx" in formats)
    recover_batches(out_dir)  # an interrupted batch: finished if it was complete, else removed
    for folder in {Path(out_dir), *(job.html_path.parent for job in plan)}:
        clean_litter(folder)  # .tmp.ipynb / .tmp files of an interrupted batch
    # workers not started yet (no build before the batch): at most one per report
    workers = report_workers(min(jobs, len(plan)), kernel_name, warm) if pool is None else contextlib.nullcontext(pool)
    with workers as pool, publish_batch(out_dir) as stage:  # every page, then the index, published as one step
        summary = _render_staged(plan, Path(out_dir), stage, Path(processed_dir), study, languages, selected,
                                 include_cross, jobs, output, kernel_name, warm, formats, pool)
    summary.index = Path(out_dir) / "index.html"
    if summary.failed:
        output.error(f"{len(summary.failed)} of {len(summary.results)} report(s) failed:")
        for r in summary.failed:
            output.error(f"  {r.job.label}: {r.error} (saved: {r.job.ipynb_path})")
    else:
        output.info(f"all {len(summary.results)} report(s) rendered; index: {summary.index}")
    return summary


def _in_stage(job: Job, out: Path, stage: Path) -> Job:
    """The job writing into the staging folder (same layout); a path outside ``out`` is left as it is."""
    def staged(path: Path) -> Path:
        try:
            return stage / path.relative_to(out)
        except ValueError:
            return path
    return replace(job, html_path=staged(job.html_path), ipynb_path=staged(job.ipynb_path))


def _render_staged(plan: list[Job], out: Path, stage: Path, processed_dir: Path, study: Path | None,
                   languages: list[str] | None, selected: list[str], include_cross: bool, jobs: int,
                   output: Output, kernel_name: str, warm: bool, formats: tuple[str, ...],
                   pool: ProcessPoolExecutor | None) -> Summary:
    """Render ``plan`` into ``stage`` and write the index there; results name the final (published) paths."""
    final = {job.label: job for job in plan}
    plan = [_in_stage(job, out, stage) for job in plan]
    out_dir = out
    summary = Summary()
    output.info(f"rendering {len(plan)} report(s) with {min(max(jobs, 1), max(len(plan), 1))} job(s) → {out_dir}")
    if pool is None:  # with a pool, even a single report goes to a worker: its kernel is already warm
        try:
            for job in output.progress(plan, "reports", total=len(plan)):
                summary.results.append(_report(run_job(job, kernel_name, warm), output))
        finally:
            release_kernel()
    else:
        futures = [pool.submit(run_job, job, kernel_name, warm) for job in plan]
        for future in output.progress(as_completed(futures), "reports", total=len(futures)):
            summary.results.append(_report(future.result(), output))
    summary.results.sort(key=lambda r: r.job.label)
    # --- reports.documents / reports.translations hooks (issue 15): PDF/Word copies, quotes left to translate
    from . import documents as documents_
    from . import translation_queue as translations_

    written = documents_.convert([r.job.html_path for r in summary.results if r.ok], formats, output)
    pending = translations_.pending_count(translations_.needed(processed_dir, study, languages, selected,
                                                               include_cross))
    # --- end of hooks
    summary.results = [replace(r, job=final[r.job.label]) for r in summary.results]
    write_index(out_dir, processed_dir, summary.results, pending, written, target=stage / "index.html")
    return summary


@contextlib.contextmanager
def report_workers(jobs: int, kernel_name: str = KERNEL_NAME, warm: bool = True
                   ) -> Iterator[ProcessPoolExecutor | None]:
    """``jobs`` report worker processes, spawned now and getting ready (``_start_worker``) while the caller goes
    on; ``None`` for a serial batch (``jobs`` ≤ 1), which renders in this process."""
    if jobs <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_start_worker,
                             initargs=(kernel_name, warm)) as pool:
        # The pool spawns a worker per task submitted while none is idle: one no-op per worker spawns them all now.
        for _ in range(jobs):
            pool.submit(_ready)
        yield pool


def _start_worker(kernel_name: str, warm: bool) -> None:
    """A worker's start-up, done before its first report: papermill, the HTML exporter and the warm kernel. Never
    raises (an exception here would break the whole pool): what fails is tried again by the first report, which
    reports the failure in its own line."""
    try:
        register_engine(import_papermill())
        _exporter(False)
        if warm:
            _worker_kernel(kernel_name).prepare(Path(tempfile.gettempdir()))
    except Exception:
        release_kernel()


def _ready() -> None:
    """The no-op task that makes the pool spawn a worker."""


def _report(result: JobResult, output: Output) -> JobResult:
    """A report's line: at once when it failed (above the progress bar), otherwise only with ``-v``."""
    if result.ok:
        output.detail(f"{result.job.label}: ok in {result.seconds:.1f}s")
    else:
        output.error(f"{result.job.label}: FAILED in {result.seconds:.1f}s — {result.error}")
    return result
