"""Measuring helpers: child processes with their own peak memory, medians, log-log fits, machine description."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULT_PREFIX = "BENCH-RESULT "
MB = 1_000_000  # throughput and sizes: decimal megabytes
MIB = 1024 * 1024  # memory


@dataclass
class ChildRun:
    """One measured child process: wall time, CPU time, peak RSS and its output."""

    argv: list[str]
    returncode: int
    seconds: float
    max_rss: int  # bytes: peak RSS of the command, or of the largest of the processes it waited for
    cpu_seconds: float  # user + system time of the child and of the children it waited for
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def result(self) -> dict:
        """The JSON a benchmark child printed on its ``BENCH-RESULT`` line."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith(RESULT_PREFIX):
                return json.loads(line[len(RESULT_PREFIX):])
        raise RuntimeError(f"no result from {' '.join(self.argv)} (exit {self.returncode}):\n{self.tail()}")

    def tail(self, lines: int = 15) -> str:
        return "\n".join((self.stdout + "\n" + self.stderr).strip().splitlines()[-lines:])


# The measured command runs under this tiny wrapper, which reports its children's rusage. Why not ``wait4`` on the
# command directly: Linux carries the *parent's* peak RSS into a child across fork/vfork + exec, so a child
# started by a big benchmark process would report at least that process's peak. Children forked by a ~10 MB
# wrapper carry only ~10 MB.
_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "wall = time.perf_counter() - start\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write('\\n%s %d %.6f %.6f\\n' % ('BENCH-RUSAGE', u.ru_maxrss, u.ru_utime + u.ru_stime, wall))\n"
    "sys.exit(code if code >= 0 else 128 - code)\n"
)
_RUSAGE_PREFIX = "BENCH-RUSAGE "


def run_child(argv: list[str], cwd: Path = ROOT, env: dict | None = None,
              on_start: Callable[[int], None] | None = None) -> ChildRun:
    """Run ``argv`` under the rusage wrapper: wall time, CPU time and peak RSS of that command alone (with the
    children it waits for, e.g. notebook kernels). ``on_start`` gets the wrapper's pid (to sample its tree)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", _WRAPPER, *argv], cwd=cwd, env=full_env, stdout=out,
                                stderr=err, stdin=subprocess.DEVNULL)
        if on_start is not None:
            on_start(proc.pid)
        proc.wait()
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    max_rss, cpu = 0, 0.0
    head, _, last = stderr.rstrip("\n").rpartition("\n")
    if last.startswith(_RUSAGE_PREFIX):
        kb, cpu_text, wall_text = last[len(_RUSAGE_PREFIX):].split()
        max_rss, cpu, seconds = int(kb) * 1024, float(cpu_text), float(wall_text)
        stderr = head
    return ChildRun(argv, proc.returncode, seconds, max_rss, cpu, stdout, stderr)


def emit(result: dict) -> None:
    """Called in a benchmark child: print the result line the parent parses."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def child_main(task: Callable[..., dict], argv: list[str] | None = None) -> None:
    """A benchmark child's entry point: ``--child JSON`` holds ``task``'s keyword arguments; emits its result."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", required=True, help="JSON task")
    emit(task(**json.loads(parser.parse_args(argv).child)))


def _proc_status_bytes(field: str) -> int:
    """A ``kB`` field of /proc/self/status in bytes (0 if the field is missing)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def rss_now() -> int:
    """Current resident set size of this process, bytes."""
    return _proc_status_bytes("VmRSS")


def rss_peak() -> int:
    """Peak resident set size of this process so far (VmHWM), bytes."""
    return _proc_status_bytes("VmHWM")


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False when the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def timed(fn, *args, **kwargs) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, return value)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu, value


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def loglog_slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) on log(x): 1.0 = linear, 2.0 = quadratic."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return float("nan")
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else float("nan")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine_info() -> dict:
    import psutil

    grep = shutil.which("grep")
    grep_version = ""
    if grep:
        grep_version = subprocess.run([grep, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    dirty = _git("status", "--porcelain", "--", "gtna_analysis", "notebooks")
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "grep": grep_version,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(dirty),
        "loadavg_start": os.getloadavg(),
        "packages": {name: _version(name) for name in (
            "gtna-workbench", "pandas", "pyarrow", "pyahocorasick", "papermill", "nbconvert", "nbclient",
            "ipykernel", "matplotlib", "psutil", "pyinstrument")},
    }
