"""Warm kernels: a report rendered on a kernel that already rendered another report is the report a new kernel
renders (HTML equal but for the time stamp; same cell outputs and execution counts), kernels use IPC, and the
console shows no "running over TCP without encryption" warning."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gtna_analysis.cli import main
from gtna_analysis.reports import batch as reporting
from gtna_analysis.reports import kernels

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "raw"
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("warm")
    study = root / "raw"
    shutil.copytree(SAMPLE, study, ignore=shutil.ignore_patterns("codings"))
    assert main(["build", "--study", str(study), "--out", str(root / "processed"), "-q"]) == 0
    return root / "processed"


def _job(processed: Path, out: Path, agency: str, lang: str) -> reporting.Job:
    return reporting.plan_jobs(processed, out, [agency], [lang], False, processed.parent / "raw")[0]


def _stripped(path: Path) -> str:
    return STAMP.sub("<time>", path.read_text(encoding="utf-8"))


def _cells(path: Path) -> list[tuple]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c.get("execution_count"), json.dumps(c.get("outputs", []), sort_keys=True))
            for c in nb["cells"] if c["cell_type"] == "code"]


def test_warm_kernel_renders_what_a_new_kernel_renders(processed: Path, tmp_path: Path,
                                                        capfd: pytest.CaptureFixture[str]) -> None:
    cold = reporting.run_job(_job(processed, tmp_path / "cold", "moes", "en"), warm=False)
    try:
        first = reporting.run_job(_job(processed, tmp_path / "warm", "geostat", "ka"), warm=True)
        kernel = reporting._WORKER_KERNEL
        assert kernel is not None and kernel.km is not None
        if kernels.IPC_SUPPORTED:
            assert kernel.km.transport == "ipc"
        warm = reporting.run_job(_job(processed, tmp_path / "warm", "moes", "en"), warm=True)
        assert kernel.started == 1 and kernel.reports == 2  # the second report reused the kernel
    finally:
        reporting.release_kernel()
    assert cold.ok and first.ok and warm.ok, (cold.error, first.error, warm.error)
    cold_html, warm_html = tmp_path / "cold" / "moes" / "en.html", tmp_path / "warm" / "moes" / "en.html"
    assert STAMP.search(cold_html.read_text(encoding="utf-8"))  # the one thing that may differ
    assert _stripped(warm_html) == _stripped(cold_html)
    cold_cells = _cells(cold_html.with_suffix(".ipynb"))
    warm_cells = _cells(warm_html.with_suffix(".ipynb"))
    assert [c[0] for c in warm_cells] == [c[0] for c in cold_cells] == list(range(1, len(cold_cells) + 1))
    assert [STAMP.sub("", c[1]) for c in warm_cells] == [STAMP.sub("", c[1]) for c in cold_cells]
    assert "without encryption" not in "".join(capfd.readouterr())


def test_fresh_namespace_forgets_the_previous_report(processed: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A name the previous report defined is gone; the working directory is the new report's folder, also when
    it was given relative to ours (``gtna report --out reports``); the kernel's long-lived objects are frozen."""
    import nbformat

    probe = tmp_path / "probe.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("agency = 'x'", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell("import gc, os\nprint(sorted(k for k in globals() "
                                                                   "if k == 'leftover'), os.getcwd(), "
                                                                   "gc.get_freeze_count() > 0)\nleftover = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "python3", "language": "python"}
    nbformat.write(nb, probe)
    papermill = reporting.import_papermill()
    kernels.register_engine(papermill)
    outputs = []
    monkeypatch.chdir(tmp_path)
    with kernels.WarmKernel("python3") as kernel:
        for name in ("a", "b"):
            folder = Path(name)
            folder.mkdir()
            kernel.execute(papermill, probe, folder / "out.ipynb", folder, parameters={}, progress_bar=False)
            outputs.append(nbformat.read(folder / "out.ipynb", as_version=4).cells[-1].outputs[0]["text"])
        assert kernel.started == 1
    # … and what outlives a report is frozen out of the collector's sight (kernel_state.freeze: the reset's full
    # collections would otherwise walk the whole kernel, slower with every report)
    assert outputs == [f"[] {tmp_path / 'a'} True\n", f"[] {tmp_path / 'b'} True\n"]
