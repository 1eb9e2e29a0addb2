"""The workbench in a real browser: JupyterLab runs the explore notebook in headless Chromium (Playwright); we
choose a filter, read passages, search with Enter, accept a suggestion and find it in the coding file. And the
same notebook served by Voilà (``make app``) renders the workbench.

Each server runs on a free local port with a random token, on a temporary copy of a built study, with its own
Jupyter config/runtime folders, and is always stopped (its process group: it was started here).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from gtna_analysis.tables import read_table

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TIMEOUT_MS = 240_000  # a busy 2-core machine: the kernel starts, loads the study and lemmatises in ~30 s

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian chromium (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


def _gtna_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    if "gtna" not in KernelSpecManager().find_kernel_specs():
        message = "the project kernel 'gtna' is not installed (make venv installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _as_root() -> list[str]:
    """CI runs as root; Jupyter refuses that without --allow-root."""
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _server(args: list[str], cwd: Path, env: dict[str, str], url: str, log: Path) -> Iterator[None]:
    """Start a Jupyter server process, wait until ``url`` answers, and always stop it (and its kernels)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 180
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not answer {url}:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(1)
            yield
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)


def _environment(tmp: Path, study: Path, coder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR",
                 "JUPYTERLAB_SETTINGS_DIR"):
        (tmp / name.lower()).mkdir(exist_ok=True)
        env[name] = str(tmp / name.lower())
    env.update(GTNA_STUDY=str(study), GTNA_PROCESSED=str(study / "processed"), GTNA_CODER=coder,
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])))
    return env


def _notebook_folder(tmp: Path) -> Path:
    folder = tmp / "notebooks"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / "explore.ipynb", folder / "explore.ipynb")
    return folder


def _app_flags() -> list[str]:
    """Voilà's flags as ``make app`` passes them (the Makefile's ``APP_FLAGS``), so the test serves that page."""
    import shlex

    line = next(line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
                if line.startswith("APP_FLAGS"))
    return shlex.split(line.split(":=", 1)[1])


def _launch(p):
    return p.chromium.launch(executable_path=_chromium(), args=[
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])


def test_jupyterlab_runs_the_workbench_filters_reads_and_accepts(study_copy: Path, tmp_path: Path) -> None:
    _chromium()
    _gtna_kernel()
    from playwright.sync_api import sync_playwright

    suggestions = read_table(study_copy / "processed", "suggestions")
    port, token = _free_port(), secrets.token_hex(16)
    folder = _notebook_folder(tmp_path)
    args = [str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={folder}", "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *_as_root()]
    status = f"http://127.0.0.1:{port}/api/status?token={token}"
    with _server(args, folder, _environment(tmp_path, study_copy, "browser"), status, tmp_path / "lab.log"), \
            sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(f"http://127.0.0.1:{port}/lab/tree/explore.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell")
            page.wait_for_selector("#jp-main-statusbar >> text=/Python \\(gtna\\).*Idle/")
            _run_all(page)
            page.wait_for_selector(".gtna-workbench")

            # a filter: only the suggested codes (the interface speaks the study's language, Georgian)
            page.select_option(".gtna-source select", label="შემოთავაზებული")
            n = suggestions["segment_id"].nunique()
            page.wait_for_function(f"document.querySelector('.gtna-counts').innerText.startsWith('{n} მონაკვეთი')")
            page.wait_for_function(f"document.querySelectorAll('div.gtna-passage blockquote').length === {n}")
            shown = page.locator(".gtna-passages").inner_text()
            assert all(s in shown for s in suggestions["segment_id"])
            texts = read_table(study_copy / "processed", "segments").set_index("segment_id")["text"]
            flat = " ".join(shown.split())
            assert all(" ".join(texts[s].split())[:40] in flat for s in suggestions["segment_id"])  # read them

            # accept the first passage's suggestion
            first = page.locator("div.gtna-passage .gtna-meta").first.inner_text().split(" · ")[0].strip()
            page.click(".gtna-accept")
            page.wait_for_function("document.querySelector('.gtna-coding-status').innerText.includes('browser.csv')")
            sheet = pd.read_csv(study_copy / "codings" / "browser.csv", dtype=str).fillna("")
            accepted = sheet[sheet["verdict"] == "accept"]
            assert list(accepted["segment_id"]) == [first]  # the passage picked by default: the first shown
            pairs = set(zip(suggestions["segment_id"], suggestions["code_id"], strict=True))
            assert (first, accepted["code_id"].iloc[0]) in pairs
            assert accepted["coder"].iloc[0] == "browser" and accepted["origin"].iloc[0] == "suggested"

            # a span selected with the mouse: drag across one word of the passage text, add a code to it
            _code_a_dragged_span(page, study_copy, first)

            # keyboard: type a pattern and press Enter — the passages are searched and the hits marked
            page.select_option(".gtna-source select", index=0)
            box = page.locator(".gtna-search input")
            box.fill("ძალადობ*")
            box.press("Enter")
            from gtna_analysis.explore import ExploreData, text

            found = text.search(ExploreData.load(study_copy), "ძალადობ*")
            n = len(found.segment_ids)
            page.wait_for_function(f"document.querySelector('.gtna-count').innerText.includes('{n}-დან')")
            marks = page.locator(".gtna-passages mark").all_inner_texts()
            assert any(m.startswith("ძალადობ") for m in marks)
            page.screenshot(path=str(tmp_path / "workbench.png"))
        except Exception:
            _evidence(page, tmp_path)
            raise
        finally:
            browser.close()


def _code_a_dragged_span(page, study: Path, segment_id: str) -> None:
    """Drag the mouse over the passage's third word in the span selector, add ``gbv.referral`` to it, and find
    the span — as character offsets in the interview — in the coding sheet."""
    segments = read_table(study / "processed", "segments").set_index("segment_id")
    text, seg_start = str(segments.loc[segment_id, "text"]), int(segments.loc[segment_id, "start_char"])
    word = text.split()[2]
    at = text.index(word)
    box = page.locator(".gtna-span-select .gtna-span-text")
    page.wait_for_function("(t) => document.querySelector('.gtna-span-select .gtna-span-text').textContent === t",
                           arg=text)
    box.scroll_into_view_if_needed()
    rects = box.evaluate("""(el, word) => {
        const node = el.firstChild, at = node.data.indexOf(word), r = document.createRange();
        r.setStart(node, at); r.setEnd(node, at + 1); const a = r.getBoundingClientRect();
        r.setStart(node, at + word.length - 1); r.setEnd(node, at + word.length); const b = r.getBoundingClientRect();
        return [a.left + 1, (a.top + a.bottom) / 2, b.right - 1, (b.top + b.bottom) / 2];
    }""", word)
    page.mouse.move(rects[0], rects[1])
    page.mouse.down()
    page.mouse.move(rects[2], rects[3], steps=8)
    page.mouse.up()
    page.wait_for_function("(w) => document.querySelector('.gtna-span-note').innerText.includes(w)", arg=word)
    codes = read_table(study / "processed", "codes").set_index("code_id")
    label = f"gbv.referral — {codes.loc['gbv.referral', 'code_label_ka']}"
    page.select_option(".gtna-add-code-pick select", label=label)
    page.click(".gtna-add")
    sheet_path = study / "codings" / "browser.csv"
    deadline = time.monotonic() + 60
    while True:
        sheet = pd.read_csv(sheet_path, dtype=str).fillna("")
        added = sheet[sheet["verdict"] == "add"]
        if len(added) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(added) == 1, f"no span added to {sheet_path}"
    row = added.iloc[0]
    assert (row["segment_id"], row["code_id"]) == (segment_id, "gbv.referral")
    assert (int(row["start_char"]), int(row["end_char"])) == (seg_start + at, seg_start + at + len(word))


def _run_all(page) -> None:
    """Run every cell from the Run menu (retried once: a menu opened while Lab still lays out can close)."""
    for _ in range(2):
        page.click("li.lm-MenuBar-item:has-text('Run')")
        item = page.locator("li.lm-Menu-item[data-command='runmenu:run-all']")
        try:
            item.wait_for(state="visible", timeout=20_000)
        except Exception:
            page.keyboard.press("Escape")
            continue
        item.click()
        return
    pytest.fail("the Run menu did not open")


def _evidence(page, folder: Path) -> None:
    """On failure: a screenshot and the page text next to the server log, for the next person."""
    with contextlib.suppress(Exception):
        page.screenshot(path=str(folder / "failure.png"))
        (folder / "failure.txt").write_text(page.inner_text("body"), encoding="utf-8")
        print(f"browser evidence in {folder}")


def test_voila_serves_the_workbench(built_study: Path, tmp_path: Path) -> None:
    """``make app``: Voilà executes the notebook (no code shown) and the page renders the workbench widgets."""
    _chromium()
    _gtna_kernel()
    from playwright.sync_api import sync_playwright

    port = _free_port()
    folder = _notebook_folder(tmp_path)
    args = [str(BIN / "voila"), "explore.ipynb", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            *_app_flags()]
    url = f"http://127.0.0.1:{port}/"
    env = _environment(tmp_path, built_study, "")
    env["JUPYTER_PATH"] = str(ROOT / "notebooks" / "jupyter")  # the project's Voilà template, as `make app`
    with _server(args, folder, env, url, tmp_path / "voila.log"), sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            elsewhere: list[str] = []
            page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(
                (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/", "data:", "blob:")) else None)
            page.goto(url)
            page.wait_for_selector(".gtna-workbench .gtna-counts b")
            assert "მონაკვეთი" in page.locator(".gtna-counts").inner_text()
            assert page.locator("div.gtna-passage").count() > 0
            assert "from gtna_analysis import explore" not in page.content()  # code cells hidden
            assert "run all cells" not in page.inner_text("body")  # the notebook's Markdown is for Lab users
            assert page.locator(".gtna-span-select .gtna-span-text").inner_text().strip()  # the anywidget loaded
            assert not elsewhere, f"the app page contacted other hosts: {elsewhere}"
        except Exception:
            _evidence(page, tmp_path)
            raise
        finally:
            browser.close()
