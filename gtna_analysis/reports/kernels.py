"""Warm report kernels: one Jupyter kernel renders many reports, each in a fresh namespace.

Why: a report's own cells take about as long as starting a kernel and importing pandas, matplotlib and seaborn
into it, so a batch that starts one kernel per report (papermill's default) spends half its time starting
kernels. A ``WarmKernel`` is started once (per batch worker), and before each report after the first it gets
``fresh()``: ``kernel_state.fresh`` (working directory, figures closed, matplotlib settings as a new kernel has
them, the library's memo caches and warning registries cleared), IPython's ``%reset -f`` (user namespace and output
history), the execution counter back to 1 — what a new kernel would give, minus the imports. The
reports' HTML is the same either way (tests/reports/test_kernels.py compares a warm run with a cold one).

The notebook still runs through papermill (parameters cell, error markers, metadata), on a papermill engine that
hands nbclient this kernel instead of starting one. Kernels talk to us over IPC (Unix domain sockets in a
private temporary folder) where the OS has them: nothing listens on a TCP port, and ipykernel does not warn that
"the kernel is running over TCP without encryption". On Windows, which has no IPC transport in ZeroMQ, kernels
use TCP on 127.0.0.1 and that warning is silenced (``--IPKernelApp.log_level=ERROR``).

A kernel that died, timed out or failed to start is shut down and the next report starts a new one; a kernel is
also recycled after ``RECYCLE_AFTER`` reports so a long batch cannot accumulate memory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

RECYCLE_AFTER = 40  # reports per kernel before it is replaced (bounds memory in batches of hundreds)
IPC_SUPPORTED = os.name != "nt"  # ZeroMQ's ipc:// transport needs Unix domain sockets

# ``fresh`` before ``%reset`` so that whatever it releases (closed figures, cleared caches) is collected by the
# reset's garbage collection; then ``kernel_state.freeze`` (see there: why the reset's collections stay cheap).
_RESET_CELL = """\
import gtna_analysis.reports.kernel_state as _gtna_kernel_state
_gtna_kernel_state.fresh({cwd!r})
del _gtna_kernel_state
get_ipython().run_line_magic("reset", "-f")
__import__("gtna_analysis.reports.kernel_state").reports.kernel_state.freeze()
get_ipython().execution_count = 1
"""
_WARM_UP_CELL = "import gtna_analysis.reports.kernel_state as _k; _k.warm_up(); del _k"


def kernel_manager(kernel_name: str, workdir: Path) -> Any:
    """An unstarted ``AsyncKernelManager`` on IPC (TCP on 127.0.0.1 where there is no IPC)."""
    from jupyter_client.manager import AsyncKernelManager

    if IPC_SUPPORTED:
        return AsyncKernelManager(kernel_name=kernel_name, transport="ipc", ip=str(workdir / "k"))
    return AsyncKernelManager(kernel_name=kernel_name, transport="tcp", ip="127.0.0.1")


def kernel_arguments() -> list[str]:
    """Extra kernel command-line options: nbclient's in-memory history, and no TCP warning on Windows."""
    extra = ["--HistoryManager.hist_file=:memory:"]
    if not IPC_SUPPORTED:
        extra.append("--IPKernelApp.log_level=ERROR")
    return extra


class WarmKernel:
    """A kernel kept between reports. ``execute(...)`` runs one notebook through papermill on it."""

    def __init__(self, kernel_name: str, warm_up: bool = True):
        self.kernel_name = kernel_name
        self.warm_up = warm_up
        self.km: Any = None
        self.kc: Any = None
        self.reports = 0  # reports run on the current kernel
        self.started = 0  # kernels started (1 + restarts)
        self._workdir: Path | None = None

    # -- lifecycle -------------------------------------------------------------------------------------
    def _start(self, cwd: Path) -> None:
        from nbclient import NotebookClient
        from nbformat import v4

        self._workdir = Path(tempfile.mkdtemp(prefix="gtna-kernel-"))
        self.km = kernel_manager(self.kernel_name, self._workdir)
        client = NotebookClient(v4.new_notebook(), km=self.km, kernel_name=self.kernel_name, startup_timeout=120,
                                extra_arguments=kernel_arguments(), resources={"metadata": {"path": str(cwd)}})
        try:
            client.execute(cleanup_kc=False)  # no cells: starts the kernel and its client
        finally:
            self.kc = client.kc
        self.reports = 0
        self.started += 1
        if self.warm_up:
            self._run(_WARM_UP_CELL, cwd)

    def _run(self, source: str, cwd: Path) -> None:
        """Run a cell outside any report (its output is discarded)."""
        from nbclient import NotebookClient
        from nbformat import v4

        nb = v4.new_notebook(cells=[v4.new_code_cell(source)])
        client = NotebookClient(nb, km=self.km, kernel_name=self.kernel_name, timeout=120)
        client.kc = self.kc
        client.execute(cleanup_kc=False)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        """Stop the kernel (immediately: every output is already saved) and remove its socket folder."""
        from jupyter_core.utils import run_sync

        km, kc, self.km, self.kc = self.km, self.kc, None, None
        try:
            if kc is not None:
                kc.stop_channels()
            if km is not None:
                if run_sync(km.is_alive)():
                    run_sync(km.shutdown_kernel)(now=True)
                run_sync(km.cleanup_resources)()
        except Exception:  # a kernel that is already gone: nothing left to stop
            pass
        finally:
            if self._workdir is not None:
                shutil.rmtree(self._workdir, ignore_errors=True)
                self._workdir = None

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- one report ------------------------------------------------------------------------------------
    def prepare(self, cwd: Path) -> None:
        """A kernel ready for the next report: started if needed, else reset to a fresh namespace in ``cwd``."""
        if self.km is not None and (self.reports >= RECYCLE_AFTER or not self.alive()):
            self.shutdown()
        if self.km is None:
            self._start(cwd)
            if not self.warm_up:
                self.reports += 1
                return  # a new kernel that ran nothing: already what a report expects
        self._run(_RESET_CELL.format(cwd=str(cwd)), cwd)
        self.reports += 1

    def execute(self, papermill: Any, notebook: Path, output: Path, workdir: Path, **kwargs: Any) -> None:
        """``papermill.execute_notebook`` on this kernel. A failure other than a cell error (the kernel died,
        timed out, could not start) shuts the kernel down so the next report gets a new one."""
        workdir = Path(workdir).resolve()  # the kernel's cwd is another report's folder: relative paths would break
        try:
            papermill.execute_notebook(str(notebook), str(output), engine_name=ENGINE_NAME,
                                       kernel_name=self.kernel_name, cwd=str(workdir), warm_kernel=self,
                                       kernel_workdir=str(workdir), **kwargs)
        except papermill.PapermillExecutionError:
            raise
        except BaseException:
            self.shutdown()
            raise


ENGINE_NAME = "gtna-warm"


def register_engine(papermill: Any) -> None:
    """Register the papermill engine that runs a notebook on a ``WarmKernel`` (idempotent)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE_NAME in papermill_engines._engines:
        return

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            warm: WarmKernel = kwargs.pop("warm_kernel")
            warm.prepare(Path(kwargs.pop("kernel_workdir")))  # here, so a kernel start failure is papermill's
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                                 kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file,
                                 stderr_file=stderr_file)
            client = PapermillNotebookClient(nb_man, km=warm.km, **final)
            client.kc = warm.kc  # the kernel's client: nbclient starts nothing and stops nothing
            return client.execute(cleanup_kc=False)

    papermill_engines.register(ENGINE_NAME, WarmEngine)

