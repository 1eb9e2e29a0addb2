"""What can be checked on Linux of "runs on Windows and macOS too": no POSIX-only calls in the library, text
files opened with an explicit encoding (Windows' default is a legacy code page), worker processes spawned (not
forked: Windows and macOS spawn), kernels that fall back to TCP where there is no IPC, and the ``python -m
gtna_analysis`` route that needs no ``make``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = sorted((ROOT / "gtna_analysis").rglob("*.py"))
POSIX_ONLY_MODULES = {"fcntl", "pwd", "grp", "resource", "termios", "tty", "pty", "signal", "posix"}
# Not here: os.link / Path.hardlink_to, which Windows has too (NTFS); drives without hard links raise OSError, and
# their one caller (table_reuse.PreviousTables.take) copies then — tests/test_table_reuse.py checks that fallback.
POSIX_ONLY_CALLS = {"fork", "forkpty", "symlink", "symlink_to", "getuid", "geteuid", "getgid", "setsid", "killpg",
                    "mkfifo", "lchmod"}


def _calls(path: Path) -> list[tuple[ast.Call, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            out.append((node, name))
    return out


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:90]}"


def _text_mode(node: ast.Call, builtin: bool) -> bool:
    """Whether an open() call opens text: a constant mode without 'b' (or no mode at all)."""
    mode: object = "r"
    position = 1 if builtin else 0
    if len(node.args) > position:
        mode = node.args[position].value if isinstance(node.args[position], ast.Constant) else None
    for k in node.keywords:
        if k.arg == "mode":
            mode = k.value.value if isinstance(k.value, ast.Constant) else None
    return mode is None or "b" not in str(mode)  # a computed mode must pass an encoding (or **kwargs) as well


def _is_zip_member_open(node: ast.Call) -> bool:
    """``zf.open(member)`` / ``archive.open(...)``: the library names its ZipFile objects zf/zip*/archive."""
    f = node.func
    return (isinstance(f, ast.Attribute) and f.attr == "open" and isinstance(f.value, ast.Name)
            and (f.value.id.startswith(("zf", "zip")) or f.value.id == "archive"))


def test_text_files_are_opened_with_an_explicit_encoding() -> None:
    missing = []
    for path in LIBRARY:
        for node, name in _calls(path):
            keywords = {k.arg for k in node.keywords}
            if "encoding" in keywords or None in keywords:  # None: **kwargs that carry it (atomic.atomic_open)
                continue
            builtin = isinstance(node.func, ast.Name)
            if _is_zip_member_open(node):
                continue  # ZipFile.open: always bytes
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and \
                    node.func.value.id == "os":
                continue  # os.open: a raw descriptor (atomic.py opens one to fsync), never text
            if (name == "open" and _text_mode(node, builtin)) or name in ("read_text", "write_text"):
                missing.append(_where(path, node))
    assert not missing, "text I/O without encoding= (Windows would use its ANSI code page):\n" + "\n".join(missing)


def test_no_posix_only_modules_or_calls() -> None:
    found = []
    for path in LIBRARY:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [_where(path, node) for n in names if n.split(".")[0] in POSIX_ONLY_MODULES]
        found += [_where(path, node) for node, name in _calls(path) if name in POSIX_ONLY_CALLS]
    assert not found, "POSIX-only code:\n" + "\n".join(found)


def test_worker_processes_are_spawned() -> None:
    """fork does not exist on Windows and is unsafe on macOS: every pool names the spawn context."""
    bad = []
    for path in LIBRARY:
        for node, name in _calls(path):
            if name in ("ProcessPoolExecutor", "Pool") and not any(k.arg in ("mp_context", "context")
                                                                   for k in node.keywords):
                bad.append(_where(path, node))
            if name in ("get_context", "set_start_method") and not (
                    node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "spawn"):
                bad.append(_where(path, node))
            if name in ("run", "Popen", "call", "check_call", "check_output") and any(
                    k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value for k in node.keywords):
                bad.append(_where(path, node))
    assert not bad, "\n".join(bad)


def test_no_hard_coded_posix_paths() -> None:
    """Paths are built with pathlib; a literal like '/tmp' or 'a/b' joined by hand breaks on Windows."""
    bad = []
    for path in LIBRARY:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(
                    ("/tmp", "/dev/", "/proc/", "/usr/", "/etc/", "~/")):
                bad.append(_where(path, node))
    assert not bad, "\n".join(bad)


def test_kernels_use_tcp_on_localhost_without_the_warning_where_there_is_no_ipc(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from gtna_analysis.reports import kernels

    monkeypatch.setattr(kernels, "IPC_SUPPORTED", False)
    km = kernels.kernel_manager("python3", tmp_path)
    assert km.transport == "tcp" and km.ip == "127.0.0.1"
    assert "--IPKernelApp.log_level=ERROR" in kernels.kernel_arguments()
    monkeypatch.setattr(kernels, "IPC_SUPPORTED", True)
    km = kernels.kernel_manager("python3", tmp_path)
    assert km.transport == "ipc" and Path(km.ip).parent == tmp_path
    assert kernels.kernel_arguments() == ["--HistoryManager.hist_file=:memory:"]


def test_python_dash_m_route_needs_no_make() -> None:
    run = subprocess.run([sys.executable, "-m", "gtna_analysis", "--help"], capture_output=True, text=True,
                         encoding="utf-8", cwd=ROOT, check=False)
    assert run.returncode == 0 and "build" in run.stdout and "report" in run.stdout
