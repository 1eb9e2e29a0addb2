"""Every failure a user can cause is a message, never a traceback: a table of bad inputs across all commands.

Each case builds its bad input (files, folders, unwritable places, options, limits), runs ``gtna`` through
``main(argv)`` in-process (a few through a real subprocess) and checks the exit code (1 input, 2 usage), that
no traceback is printed, and that the message names the file, folder or option at fault.

Tests run as root, for whom permission bits do not stop a write; unwritable places are made real instead: a
path whose parent is a file, a folder that does not exist, and ``/sys`` (read-only for root too in a container).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_study
from transcript_files import make_docx, make_odt

from gtna_analysis import build as build_module
from gtna_analysis.cli import main
from gtna_analysis.coding import patterns

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
GOOD = {"transcripts/moes/MOES-90.md": (FIXTURES / "good_ka.md").read_text(encoding="utf-8"),
        "transcripts/moes/MOES-89.md": (FIXTURES / "good_en.md").read_text(encoding="utf-8")}
HEADER = ["---", "interview_id: MOES-95", "agency: moes", "mode: individual", "language: en", "interviewer: INT1",
          "participants:", "  - {id: P1, name: Ana Test, role: analyst, gender: female, level: mid}", "---",
          "Interviewer: What are your priorities?", "P1: Statistics by sex."]
UNWRITABLE = Path("/sys/gtna-test-out")  # EPERM for root as well: a real "cannot write here"


@dataclass
class Place:
    """Where a case builds its input: a fresh folder, plus the shared built study (read-only for cases)."""

    tmp: Path
    built: Path
    monkeypatch: pytest.MonkeyPatch

    @property
    def processed(self) -> Path:
        return self.built / "processed"

    def file(self, name: str, content: str | bytes = "x") -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    def folder(self, name: str) -> Path:
        path = self.tmp / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def study(self, files: dict[str, str | bytes] | None = None, **replace: str) -> Path:
        """A small valid study with ``files`` added and, for ``name=text``, study.yml/codebook.yml replaced."""
        root = make_study(self.tmp / "study", {**GOOD, **(files or {})})
        for name, text in replace.items():
            (root / f"{name}.yml").write_text(text, encoding="utf-8")
        return root

    def codebook_with(self, pattern: str) -> Path:
        text = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
        codebook = text.split('MINI_CODEBOOK = """', 1)[1].split('"""', 1)[0]
        return self.study(codebook=codebook.replace('"online"]', f'"online", {pattern!r}]'))

    def env(self, name: str, value: str) -> None:
        self.monkeypatch.setenv(name, value)


Case = Callable[[Place], tuple[list[str | Path], str | Path]]  # → argv, what the message must name


def docx_bomb(p: Place) -> Path:
    path = make_docx(p.tmp / "study" / "transcripts" / "moes" / "MOES-95.docx", HEADER)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/filler.bin", b"\0" * (3 * 1024 * 1024))  # inflates to 3 MB from ~3 KB
    p.env("GTNA_MAX_UNZIPPED_MB", "1")
    return path


def odt_bomb(p: Place) -> Path:
    path = make_odt(p.tmp / "study" / "transcripts" / "moes" / "MOES-95.odt", HEADER)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Pictures/filler.bin", b"\0" * (3 * 1024 * 1024))
    p.env("GTNA_MAX_UNZIPPED_MB", "1")
    return path


def many_members_docx(p: Place) -> Path:
    path = make_docx(p.tmp / "study" / "transcripts" / "moes" / "MOES-95.docx", HEADER)
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(30):
            zf.writestr(f"customXml/item{i}.xml", "<a/>")
    p.env("GTNA_MAX_ZIP_MEMBERS", "20")
    return path


def non_utf8_qdpx(p: Place) -> Path:
    path = p.tmp / "team.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
                    'name="x"><Sources><TextSource guid="a" name="A" plainTextPath="internal://a.txt"/></Sources>'
                    "</Project>")
        zf.writestr("sources/a.txt", b"\xff\xfe\xfa\x80 not utf-8")
    return path


def xlsx_bomb(p: Place) -> Path:
    path = p.tmp / "coder.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (3 * 1024 * 1024))
    p.env("GTNA_MAX_UNZIPPED_MB", "1")
    return path


def disk_full(p: Place, rebuild: bool) -> tuple[list[str | Path], Path]:
    study, out = p.study(), p.tmp / "processed"
    if rebuild:
        assert main(["build", "--study", str(study), "--out", str(out), "-q"]) == 0

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    p.monkeypatch.setattr(build_module, "write_table", full)
    p.monkeypatch.setattr(build_module, "write_json", full)  # a rebuild of the same input writes only its manifest
    return ["build", "--study", study, "--out", out], out


def slow_regex(p: Place) -> tuple[list[str | Path], Path]:
    study = p.codebook_with("re:(x+x+)+y")
    (study / "transcripts" / "moes" / "MOES-95.md").write_text(
        "\n".join([*HEADER[:-1], "P1: " + "x" * 5000]) + "\n", encoding="utf-8")
    p.monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.2)
    return ["build", "--study", study, "--out", p.tmp / "processed"], study / "codebook.yml"


def outside_link(p: Place) -> tuple[list[str | Path], Path]:
    outside = p.file("elsewhere/secret.md", "\n".join(HEADER) + "\n")
    study = p.study()
    link = study / "transcripts" / "moes" / "MOES-95.md"
    link.symlink_to(outside)
    return ["validate", "--study", study], link


def broken_link(p: Place) -> tuple[list[str | Path], Path]:
    study = p.study()
    link = study / "transcripts" / "moes" / "MOES-95.md"
    link.symlink_to(p.tmp / "gone.md")
    return ["build", "--study", study, "--out", p.tmp / "out"], link


def huge_transcript(p: Place) -> tuple[list[str | Path], Path]:
    study = p.study({"transcripts/moes/MOES-95.md": "\n".join(HEADER) + "\n" + "P1: word\n" * 20000})
    p.env("GTNA_MAX_TRANSCRIPT_MB", "0.1")
    return ["build", "--study", study, "--out", p.tmp / "out"], study / "transcripts" / "moes" / "MOES-95.md"


def bad_pointer(p: Place) -> tuple[list[str | Path], Path]:
    processed = p.folder("processed")
    p.file("processed/CURRENT", "gen-000009\n")
    return ["export", "--format", "csv", "--processed", processed, "--out", p.tmp / "x.csv"], processed / "CURRENT"


def study_yml(text: str) -> Case:
    return lambda p: (["validate", "--study", (s := p.study(study=text))], s / "study.yml")


STUDY_HEAD = "study:\n  id: mini\n  title: {ka: ტ, en: T}\n  languages: [ka, en]\n"
AGENCIES = "agencies:\n  - id: moes\n    name: {ka: ა, en: A}\n"

CASES: dict[str, tuple[int, Case]] = {
    # --- usage errors (exit 2): the message names the option ---------------------------------------------------
    "no command": (2, lambda p: ([], "COMMAND")),
    "unknown command": (2, lambda p: (["frobnicate"], "frobnicate")),
    "report --jobs 0": (2, lambda p: (["report", "--jobs", "0"], "--jobs")),
    "report --jobs -3": (2, lambda p: (["report", "--jobs", "-3"], "--jobs")),
    "report --jobs abc": (2, lambda p: (["report", "--jobs", "abc"], "--jobs")),
    "report --lang fr": (2, lambda p: (["report", "--lang", "fr"], "--lang")),
    "export without --format": (2, lambda p: (["export", "--out", "x.csv"], "--format")),
    "export --format pdf": (2, lambda p: (["export", "--format", "pdf"], "--format")),
    "export --source robot": (2, lambda p: (["export", "--format", "csv", "--source", "robot"], "--source")),
    "agreement without sides": (2, lambda p: (["agreement"], "a, b")),
    "codebook without action": (2, lambda p: (["codebook"], "ACTION")),
    "build --bogus": (2, lambda p: (["build", "--bogus"], "--bogus")),
    "init without path": (2, lambda p: (["init"], "path")),
    "suggest --min-examples x": (2, lambda p: (["suggest", "--min-examples", "x"], "--min-examples")),
    # --- the study folder and its YAML --------------------------------------------------------------------------
    "validate: no study folder": (1, lambda p: (["validate", "--study", p.tmp / "nope"], p.tmp / "nope")),
    "build: no study folder": (1, lambda p: (["build", "--study", p.tmp / "nope"], p.tmp / "nope")),
    "build: study is a file": (1, lambda p: (["build", "--study", p.file("s.txt")], p.tmp / "s.txt")),
    "study.yml missing": (1, lambda p: (["validate", "--study", p.folder("empty")], p.tmp / "empty" / "study.yml")),
    "study.yml is a folder": (1, lambda p: (["validate", "--study", p.folder("sf")],
                                            p.folder("sf/study.yml"))),
    "study.yml not YAML": (1, study_yml("study: [unclosed\n")),
    "study.yml not UTF-8": (1, lambda p: (["validate", "--study", (s := p.study())],
                                          (s / "study.yml").write_bytes(b"study:\n  id: \xff\xfe\n") and
                                          s / "study.yml")),
    "study.yml unknown top key": (1, study_yml(STUDY_HEAD + AGENCIES + "colour_scheme: blue\n")),
    "study.yml unknown study key": (1, study_yml(STUDY_HEAD + "  codbook: other.yml\n" + AGENCIES)),
    "study.yml unknown agency key": (1, study_yml(STUDY_HEAD + AGENCIES + "    nmae: {ka: ა, en: A}\n")),
    "study.yml no agencies": (1, study_yml(STUDY_HEAD)),
    "codebook missing": (1, lambda p: (["validate", "--study", (s := p.study())],
                                       (s / "codebook.yml").unlink() or s / "codebook.yml")),
    "codebook is a folder": (1, lambda p: (["validate", "--study", (s := p.study())],
                                           (s / "codebook.yml").unlink() or p.folder("study/codebook.yml"))),
    "codebook re:a{99999999999}": (1, lambda p: (["validate", "--study", (s := p.codebook_with("re:a{99999999999}"))],
                                                 s / "codebook.yml")),
    "codebook re: unbalanced": (1, lambda p: (["build", "--study", (s := p.codebook_with("re:(abc"))],
                                              s / "codebook.yml")),
    "codebook re: too long": (1, lambda p: (["validate", "--study", (s := p.codebook_with("re:" + "ab|" * 300 + "c"))],
                                            s / "codebook.yml")),
    "codebook re: catastrophic": (1, slow_regex),
    "questionnaire not UTF-8": (1, lambda p: (["validate", "--study", (s := p.study())],
                                              (s / "questionnaire.yml").write_bytes(b"questions: \xff\n") and
                                              s / "questionnaire.yml")),
    # --- transcripts ------------------------------------------------------------------------------------------
    "binary transcript": (1, lambda p: (["validate", "--study", (s := p.study(
        {"transcripts/moes/MOES-95.md": (FIXTURES / "bad" / "binary.md").read_bytes()}))],
        s / "transcripts" / "moes" / "MOES-95.md")),
    "empty transcript": (1, lambda p: (["build", "--study", (s := p.study({"transcripts/moes/MOES-95.md": ""})),
                                        "--out", p.tmp / "o"], s / "transcripts" / "moes" / "MOES-95.md")),
    "unsupported .pdf": (1, lambda p: (["validate", "--study", (s := p.study({"transcripts/moes/x.pdf": "%PDF"}))],
                                       s / "transcripts" / "moes" / "x.pdf")),
    "unclosed front matter": (1, lambda p: (["validate", "--study", (s := p.study(
        {"transcripts/moes/MOES-95.md": "---\ninterview_id: MOES-95\nP1: hi\n"}))],
        s / "transcripts" / "moes" / "MOES-95.md")),
    "unknown agency folder": (1, lambda p: (["validate", "--study", (s := p.study(
        {"transcripts/nasa/N.md": "\n".join(HEADER)}))], s / "transcripts" / "nasa")),
    "truncated docx": (1, lambda p: (["validate", "--study", (s := p.study(
        {"transcripts/moes/MOES-95.docx": (FIXTURES / "bad" / "truncated.docx").read_bytes()}))],
        s / "transcripts" / "moes" / "MOES-95.docx")),
    "docx zip bomb": (1, lambda p: (["validate", "--study", p.study()], docx_bomb(p))),
    "odt zip bomb": (1, lambda p: (["build", "--study", p.study(), "--out", p.tmp / "o"], odt_bomb(p))),
    "docx with too many members": (1, lambda p: (["validate", "--study", p.study()], many_members_docx(p))),
    "transcript above size limit": (1, huge_transcript),
    "symlink out of the study": (1, outside_link),
    "broken symlink": (1, broken_link),
    "bad limit variable": (1, lambda p: (["validate", "--study", p.study()], p.env("GTNA_MAX_TRANSCRIPT_MB", "lots")
                                         or "GTNA_MAX_TRANSCRIPT_MB")),
    # --- where outputs go -------------------------------------------------------------------------------------
    "build --out a file": (1, lambda p: (["build", "--study", p.study(), "--out", p.file("f")], p.tmp / "f")),
    "build --out under a file": (1, lambda p: (["build", "--study", p.study(), "--out", p.file("f") / "sub"],
                                               p.tmp / "f")),
    "build --out missing parent": (1, lambda p: (["build", "--study", p.study(), "--out", p.tmp / "no" / "deep"],
                                                 p.tmp / "no")),
    "build --out unwritable": (1, lambda p: (["build", "--study", p.study(), "--out", UNWRITABLE], UNWRITABLE)),
    "build: processed is a file": (1, lambda p: (["build", "--study", p.study()],
                                                 p.file("study/processed"))),
    "build: disk full": (1, lambda p: disk_full(p, rebuild=False)),
    "rebuild: disk full": (1, lambda p: disk_full(p, rebuild=True)),
    "report --out a file": (1, lambda p: (["report", "--processed", p.processed, "--out", p.file("r")], p.tmp / "r")),
    "report --out unwritable": (1, lambda p: (["report", "--processed", p.processed, "--out", UNWRITABLE / "r"],
                                              UNWRITABLE)),
    "report: not built": (1, lambda p: (["report", "--processed", p.folder("np"), "--out", p.tmp / "r"],
                                        p.tmp / "np")),
    "report --agency unknown": (1, lambda p: (["report", "--processed", p.processed, "--agency", "nasa", "--out",
                                               p.tmp / "r"], "manifest.json")),
    # --build with two jobs: the report workers (and their kernels) are already starting when the build fails
    "report --build: empty transcript": (1, lambda p: (["report", "--build", "--jobs", "2", "--study",
                                                        p.study({"transcripts/moes/MOES-95.md": ""}), "--out",
                                                        p.tmp / "r"], "MOES-95.md")),
    "report --build --processed a file": (1, lambda p: (["report", "--build", "--study", p.study(), "--processed",
                                                         p.file("pf"), "--out", p.tmp / "r"], p.tmp / "pf")),
    "export --out a folder": (1, lambda p: (["export", "--format", "xlsx", "--processed", p.processed, "--out",
                                             p.folder("adir")], p.tmp / "adir")),
    "export --out in missing folder": (1, lambda p: (["export", "--format", "xlsx", "--processed", p.processed,
                                                      "--out", Path("/nonexistent/dir/x.xlsx")], "/nonexistent/dir")),
    "export --out under a file": (1, lambda p: (["export", "--format", "csv", "--processed", p.processed, "--out",
                                                 p.file("f") / "x.csv"], p.tmp / "f")),
    "export: not built": (1, lambda p: (["export", "--format", "csv", "--processed", p.folder("np"), "--out",
                                         p.tmp / "x.csv"], p.tmp / "np")),
    "export: bad CURRENT pointer": (1, bad_pointer),
    "codebook export --out a folder": (1, lambda p: (["codebook", "export", "--study", p.built, "--out",
                                                      p.folder("adir")], p.tmp / "adir")),
    "codebook export --out missing folder": (1, lambda p: (["codebook", "export", "--study", p.built, "--out",
                                                            p.tmp / "no" / "c.qdc"], p.tmp / "no")),
    "codebook import a folder": (1, lambda p: (["codebook", "import", p.folder("q.qdc"), "--out", p.tmp / "c.yml"],
                                               p.tmp / "q.qdc")),
    "codebook import missing": (1, lambda p: (["codebook", "import", p.tmp / "no.qdc", "--out", p.tmp / "c.yml"],
                                              p.tmp / "no.qdc")),
    "codebook import not XML": (1, lambda p: (["codebook", "import", p.file("n.qdc", "hello"), "--out",
                                               p.tmp / "c.yml"], p.tmp / "n.qdc")),
    "codebook import onto existing": (1, lambda p: (["codebook", "import", p.file("n.qdc", "<a/>"), "--out",
                                                     p.file("c.yml")], p.tmp / "c.yml")),
    "codebook import --patterns-from folder": (1, lambda p: (["codebook", "import", p.file("n.qdc", "<a/>"),
                                                              "--patterns-from", p.folder("pf"), "--out",
                                                              p.tmp / "c.yml"], p.tmp / "pf")),
    "init onto a file": (1, lambda p: (["init", p.file("f")], p.tmp / "f")),
    "init under a missing folder": (1, lambda p: (["init", p.tmp / "no" / "study"], p.tmp / "no")),
    "init into a non-empty folder": (1, lambda p: (["init", p.folder("full")], p.file("full/x").parent)),
    "agreement: non-UTF-8 .qdpx source": (1, lambda p: (["agreement", "auto", non_utf8_qdpx(p), "--study", p.built,
                                                         "--processed", p.processed], p.tmp / "team.qdpx")),
    "agreement: missing file": (1, lambda p: (["agreement", "auto", p.tmp / "no.csv", "--study", p.built,
                                               "--processed", p.processed], p.tmp / "no.csv")),
    "agreement: xlsx zip bomb": (1, lambda p: (["agreement", "auto", xlsx_bomb(p), "--study", p.built,
                                                "--processed", p.processed], p.tmp / "coder.xlsx")),
    "agreement: .qdpx not a zip": (1, lambda p: (["agreement", "auto", p.file("t.qdpx", "plain"), "--study",
                                                  p.built, "--processed", p.processed], p.tmp / "t.qdpx")),
    "agreement --out under a file": (1, lambda p: (["agreement", "auto", "auto", "--study", p.built, "--processed",
                                                    p.processed, "--out", p.file("f") / "a.csv"], p.tmp / "f")),
    "suggest --out .pdf": (1, lambda p: (["suggest", "--study", p.built, "--out", p.tmp / "r.pdf"], p.tmp / "r.pdf")),
    "suggest --out a folder": (1, lambda p: (["suggest", "--study", p.built, "--out", p.folder("adir")],
                                             p.tmp / "adir")),
    "privacy-check without paths": (2, lambda p: (["privacy-check"], "PATH")),
    "privacy-check: processed not a folder": (2, lambda p: (["privacy-check", "--study", p.built, p.tmp / "nope"],
                                                            p.tmp / "nope")),
    "privacy-check: no study folder": (1, lambda p: (["privacy-check", "--study", p.tmp / "nostudy", p.folder("pr")],
                                                     p.tmp / "nostudy")),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    study = make_study(tmp_path_factory.mktemp("built") / "study", GOOD)
    assert main(["build", "--study", str(study), "-q"]) == 0
    return study


def test_the_table_is_large_and_covers_every_command() -> None:
    assert len(CASES) >= 60
    from gtna_analysis.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)  # what `gtna --help` lists
    covered = {name.split()[0].rstrip(":") for name in CASES} | {"validate", "build"}
    assert commands <= covered, commands - covered


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_a_message_not_a_traceback(name: str, built: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    expected_code, case = CASES[name]
    monkeypatch.chdir(tmp_path)
    argv, names = case(Place(tmp_path, built, monkeypatch))
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse
        code = exc.code
    out, err = capsys.readouterr()
    assert code == expected_code, err
    assert "Traceback" not in out + err
    assert str(names) in err, err


SUBPROCESS_CASES = {
    "report --jobs 0": (2, lambda p: (["report", "--jobs", "0"], "--jobs")),
    "export --out a folder": CASES["export --out a folder"],
    "init onto a file": CASES["init onto a file"],
    "build --out unwritable": CASES["build --out unwritable"],
    "symlink out of the study": CASES["symlink out of the study"],
}


@pytest.mark.parametrize("name", list(SUBPROCESS_CASES))
def test_bad_input_through_the_installed_command(name: str, built: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The same through ``python -m gtna_analysis`` in a child process: exit status and stderr as a shell sees."""
    expected_code, case = SUBPROCESS_CASES[name]
    argv, names = case(Place(tmp_path, built, monkeypatch))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "gtna_analysis", *map(str, argv)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == expected_code, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert str(names) in run.stderr
