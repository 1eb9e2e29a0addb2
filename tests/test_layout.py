"""The package layout holds: sub-packages follow the data flow, no import cycles (not even behind lazy imports),
a public API in every sub-package, and a wheel that works outside the repository."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gtna_analysis"
SUBPACKAGES = ("ingest", "coding", "exchange", "reports", "cli")
# what each stage may not import: the data flows ingest → coding → exchange/reports → cli, never back
FORBIDDEN = {
    "ingest": ("coding", "exchange", "reports", "cli", "build"),
    "coding": ("exchange", "reports", "cli", "build"),
    "exchange": ("reports", "cli", "build"),
    "reports": ("cli", "build"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str) -> set[str]:
    """Every gtna_analysis module ``name`` imports anywhere (top level or inside functions), at run time."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("gtna_analysis"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("gtna_analysis"):
                continue
            submodules = {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES}
            found.update(submodules)
            if len(submodules) < len(node.names):  # names defined in the module itself (not submodules of it)
                found.add(target)
    return {m for m in found if m in MODULES and m != name}


def test_no_import_cycles() -> None:
    graph = {name: imports_of(name) for name in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt):], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    """The cycle check above can fail: resolve relative imports the way it does on a known cycle."""
    assert "gtna_analysis.coding.human" in imports_of("gtna_analysis.exchange.coding_files")
    assert "gtna_analysis.cli.main" not in imports_of("gtna_analysis.cli._common")


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_stages_do_not_import_later_stages(stage: str) -> None:
    bad = []
    for name in MODULES:
        if name.startswith(f"gtna_analysis.{stage}"):
            for target in imports_of(name):
                if any(target == f"gtna_analysis.{f}" or target.startswith(f"gtna_analysis.{f}.")
                       for f in FORBIDDEN[stage]):
                    bad.append(f"{name} -> {target}")
    assert not bad, bad


@pytest.mark.parametrize("sub", SUBPACKAGES)
def test_every_subpackage_has_a_public_api(sub: str) -> None:
    package = importlib.import_module(f"gtna_analysis.{sub}")
    assert package.__all__, sub
    for name in package.__all__:
        assert getattr(package, name) is not None, f"{sub}.{name}"
    with pytest.raises(AttributeError):
        package.no_such_name  # noqa: B018


def test_importing_a_pattern_helper_does_not_load_the_reports() -> None:
    """Sub-package APIs are lazy: the build never pays for matplotlib, the CLI parent never for scikit-learn."""
    code = ("import sys, gtna_analysis.coding.patterns, gtna_analysis.cli;"
            "print(sorted(m for m in ('matplotlib', 'sklearn', 'gtna_analysis.reports.plots') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_wheel_installs_and_renders_a_report_outside_the_repository(tmp_path: Path) -> None:
    """A colleague installs the wheel: notebooks and templates come with it (not from ../notebooks)."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    # the build backend's own PEP 517 hook, as `pip wheel --no-build-isolation` would call it: `make` creates the
    # venv without pip when uv installs it, so neither front end can be assumed
    subprocess.run([sys.executable, "-c", "import sys, hatchling.build as b; b.build_wheel(sys.argv[1])",
                    str(wheels)], cwd=ROOT, check=True, capture_output=True)
    wheel = next(wheels.glob("gtna_workbench-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies come from this environment (no network in tests); the package itself only from the wheel
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = ([sys.executable, "-m", "pip", "--python", str(python), "install"] if importlib.util.find_spec("pip")
               else [sys.executable, "-m", "uv", "pip", "install", "--python", str(python)])
    subprocess.run([*install, "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "data" / "raw", work / "study")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    # nbconvert's own templates are data files of the dependency environment, found through the Jupyter path
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    where = subprocess.run([python, "-c", "import gtna_analysis, gtna_analysis.paths as p;"
                            "print(gtna_analysis.__file__); print(p.notebooks_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    assert where[0].startswith(str(venv)) and where[1].startswith(str(venv)), where
    gtna = [python, "-m", "gtna_analysis"]
    subprocess.run([*gtna, "build", "--study", "study", "--out", "processed", "-q"], cwd=work, env=env,
                   check=True, capture_output=True)
    result = subprocess.run([*gtna, "report", "--study", "study", "--processed", "processed", "--out", "reports",
                             "--agency", "geostat", "--lang", "en"], cwd=work, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (work / "reports" / "geostat" / "en.html").read_text(encoding="utf-8")
    assert "Geostat" in html and "gtna-section" in html
