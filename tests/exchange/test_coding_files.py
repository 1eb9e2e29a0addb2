"""Coding files in every format (``exchange.coding_files``): which coder's work is taken from a file, and the
messages a researcher sees when a file cannot be used (``gtna agreement`` and the ``codings/`` folder of a build).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from shared_coding import sample_codebook, sample_tables, write

from gtna_analysis.errors import GtnaError
from gtna_analysis.exchange.coding_files import discover_coding_files, load_coding_file
from gtna_analysis.exchange.qdpx import export_qdpx


def tables() -> dict[str, pd.DataFrame]:
    return sample_tables("documents", "segments", "codings", "interviews", "participants", "codes")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample build exported as a .qdpx: two coders, coder_b (human) and auto:gtna-v1."""
    return export_qdpx(sample_codebook(), tables(), tmp_path_factory.mktemp("qdpx") / "team.qdpx", "gtna-sample")


def test_a_qdpx_gives_every_coder_or_the_one_asked_for(project: Path) -> None:
    t = tables()
    everyone = load_coding_file(project, t["segments"], sample_codebook())
    assert everyone.coders == ["auto:gtna-v1", "coder_b"]
    assert set(everyone.codings["coder"]) == {"auto:gtna-v1", "coder_b"}
    one = load_coding_file(project, t["segments"], sample_codebook(), coder="coder_b")
    assert one.coders == ["coder_b"] and set(one.codings["coder"]) == {"coder_b"}
    expected = t["codings"][t["codings"]["coder"] == "coder_b"]
    assert len(one.codings) == len(expected) > 0


def test_a_coder_missing_from_a_qdpx_is_an_error_like_in_a_sheet(project: Path, tmp_path: Path) -> None:
    """``gtna agreement a.csv team.qdpx --coder-b Nina`` (a typo) must not compare against nobody."""
    segments = tables()["segments"]
    with pytest.raises(GtnaError) as info:
        load_coding_file(project, segments, sample_codebook(), coder="Nina")
    assert str(info.value) == f"{project}: no coder 'Nina' in this file (hint: coders: auto:gtna-v1, coder_b)"
    sheet = write(tmp_path / "sheet.csv", "segment_id,code_id,coder\nMOES-01-002,gbv.domestic_violence,nino\n")
    with pytest.raises(GtnaError) as info:
        load_coding_file(sheet, segments, sample_codebook(), coder="Nina")
    assert str(info.value) == f"{sheet}: no coder 'Nina' in this file (hint: coders: nino)"


def test_a_qdpx_without_codings_is_refused_with_what_to_do(tmp_path: Path) -> None:
    t = tables()
    t["codings"] = t["codings"].iloc[0:0]
    empty = export_qdpx(sample_codebook(), t, tmp_path / "uncoded.qdpx", "gtna-sample")
    with pytest.raises(GtnaError) as info:
        load_coding_file(empty, t["segments"], sample_codebook())
    assert str(info.value) == (
        f"{empty}: no usable codings in this .qdpx: no text selection of this study's transcripts carries a code "
        "(hint: code text passages (not whole documents) in the QDA tool and export again, or move the file out of "
        "codings/)")


def test_an_unsupported_file_type_names_the_file_and_the_types_read(tmp_path: Path) -> None:
    notes = write(tmp_path / "notes.txt", "segment_id,code_id\n")
    with pytest.raises(GtnaError) as info:
        load_coding_file(notes, tables()["segments"], sample_codebook())
    assert str(info.value) == (f"{notes}: unsupported coding file type '.txt' "
                               "(hint: use one of .csv, .tsv, .xlsx, .qdpx)")


def test_codings_folder_skips_hidden_and_lock_files_and_other_types(tmp_path: Path) -> None:
    for name in ("b.xlsx", "a.csv", "C.QDPX", "d.tsv", ".hidden.csv", "~$b.xlsx", "notes.txt", "README.md"):
        write(tmp_path / name, "")
    (tmp_path / "folder.csv").mkdir()
    assert [p.name for p in discover_coding_files(tmp_path)] == ["C.QDPX", "a.csv", "b.xlsx", "d.tsv"]
    assert discover_coding_files(tmp_path / "missing") == []
