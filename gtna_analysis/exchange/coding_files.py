"""Human coding files in every format the workbench reads: sheets (.csv/.tsv/.xlsx, see coding.human) and
REFI-QDA projects (.qdpx, see exchange.qdpx) — the study's ``codings/`` folder and ``gtna agreement`` inputs.

Lives in ``exchange`` because it dispatches to the QDA-tool formats; ``coding.human`` stays free of them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gtna_analysis.coding.codebook import Codebook
from gtna_analysis.coding.human import SHEET_SUFFIXES, HumanCoding, load_coding_sheet
from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.paths import CODINGS_FOLDER
from gtna_analysis.study import Study

from .qdpx import read_qdpx_codings

CODING_FILE_SUFFIXES = (*SHEET_SUFFIXES, ".qdpx")


def load_coding_file(path: str | Path, segments: pd.DataFrame, codebook: Codebook,
                     coder: str | None = None) -> HumanCoding:
    """A coding sheet (.csv/.tsv/.xlsx) or a REFI-QDA project (.qdpx), validated against the build."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        coding = read_qdpx_codings(path, segments, codebook)
        if coding.codings.empty:  # a project exported before anybody coded, or coded only as whole documents
            raise GtnaError.at(path, None, "no usable codings in this .qdpx: no text selection of this study's "
                                           "transcripts carries a code",
                               "code text passages (not whole documents) in the QDA tool and export again, or "
                               "move the file out of codings/")
    elif suffix not in CODING_FILE_SUFFIXES:
        raise GtnaError.at(path, None, f"unsupported coding file type {suffix!r}",
                           f"use one of {', '.join(CODING_FILE_SUFFIXES)}")
    else:
        coding = load_coding_sheet(path, segments, codebook)
    if coder:  # a coder missing from a .qdpx is as wrong as from a sheet (it used to give an empty selection)
        if coder not in coding.units:
            raise GtnaError.at(path, None, f"no coder {coder!r} in this file", f"coders: {', '.join(coding.coders)}")
        return coding.only(coder)
    return coding


def discover_coding_files(folder: Path) -> list[Path]:
    """Coding files in a study's ``codings/`` folder (hidden files and Excel lock files skipped)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CODING_FILE_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def load_study_codings(study: Study, codebook: Codebook, segments: pd.DataFrame) -> list[HumanCoding]:
    """Every coding file of ``<study>/codings/``, validated; all problems of all files are reported together.

    Human coding is input like the transcripts: an unknown segment or code stops the build with ``file:line``.
    """
    log = ProblemLog()
    out: list[HumanCoding] = []
    for path in discover_coding_files(study.root / CODINGS_FOLDER):
        try:
            out.append(load_coding_file(path, segments, codebook))
        except GtnaError as exc:
            log.extend(exc)
    log.raise_if_any()
    return out
