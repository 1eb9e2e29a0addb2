"""The .qdpx container (``exchange.qdpx.open_project``): the project file under another name, and the messages for
archives without one or with a broken one."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from shared_coding import sample_codebook, sample_tables

from gtna_analysis.errors import GtnaError
from gtna_analysis.exchange.qdpx import export_qdpx, read_qdpx_codings


def tables() -> dict:
    return sample_tables("documents", "segments", "codings", "interviews", "participants", "codes")


def rezip(source: Path, dest: Path, rename: dict[str, str], replace: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        for name in old.namelist():
            data = (replace or {}).get(name, old.read(name))
            if rename.get(name, name):
                new.writestr(rename.get(name, name), data)
    return dest


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_qdpx(sample_codebook(), tables(), tmp_path_factory.mktemp("qdpx") / "ours.qdpx", "gtna-sample")


def test_project_file_under_another_name_or_case_is_read(ours: Path, tmp_path: Path) -> None:
    t = tables()
    expected = len(read_qdpx_codings(ours, t["segments"], sample_codebook()).codings)
    for name in ("Project.QDE", "team study.qde"):
        renamed = rezip(ours, tmp_path / f"{name}.qdpx", {"project.qde": name})
        assert len(read_qdpx_codings(renamed, t["segments"], sample_codebook()).codings) == expected > 0


def test_archive_without_a_project_file(ours: Path, tmp_path: Path) -> None:
    empty = rezip(ours, tmp_path / "sources-only.qdpx", {"project.qde": ""})
    with pytest.raises(GtnaError) as info:
        read_qdpx_codings(empty, tables()["segments"], sample_codebook())
    assert str(info.value) == f"{empty}: no project.qde inside the .qdpx"


def test_broken_project_xml_names_the_member(ours: Path, tmp_path: Path) -> None:
    broken = rezip(ours, tmp_path / "broken.qdpx", {}, {"project.qde": b"<Project>\n<Users>\n</Project>"})
    with pytest.raises(GtnaError) as info:
        read_qdpx_codings(broken, tables()["segments"], sample_codebook())
    assert str(info.value).startswith(f"{broken}:project.qde")
