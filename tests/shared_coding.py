"""Helpers shared by the coding-engine tests: one build of the sample study per test process, small codebooks.

Kept in a ``test_*`` module (so it lives with the tests it serves); the coding, agreement, REFI and preference
tests import from it. Building the sample study takes about a second, so it is done once per process and the
processed folder is reused read-only.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

if TYPE_CHECKING:
    from gtna_analysis.coding.codebook import Codebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "raw"
REFI_DATA = Path(__file__).resolve().parent / "data" / "refi"

SMALL_CODEBOOK = """codebook: {id: small, version: 2, languages: [ka, en]}
themes:
  - id: gbv
    label: {ka: ძალადობა, en: Violence}
    color: "#D55E00"
    codes:
      - id: gbv.domestic
        label: {ka: ოჯახში ძალადობა, en: Domestic violence}
        definition: {ka: ოჯახში ძალადობა, en: Violence in the family}
        include: Any mention of violence in the family.
        exclude: Violence at school.
        example: "ოჯახში ძალადობის შემთხვევები იზრდება."
        patterns:
          ka: ["ოჯახში ძალადობ*", "ოჯახურ* ძალადობ*"]
          en: ["domestic violence", "family violence"]
        exclude_patterns: {en: ["no domestic violence"]}
        codes:
          - id: gbv.domestic.orders
            label: {ka: ორდერები, en: Protection orders}
            color: "#AA4499"
            patterns: {ka: ["ორდერ*"], en: ["restraining order*", "protection order*"]}
  - id: training
    label: {ka: ტრენინგი, en: Training}
    codes:
      - id: training.online
        label: {ka: ონლაინ, en: Online}
        patterns: {ka: ["ონლაინ*", "დისტანციურ*"], en: ["online", "e-learning"]}
      - id: training.data
        label: {ka: მონაცემები, en: Data}
        patterns:
          ka: ["სქესის მიხედვით დაყოფილ*", "სტატისტიკ*"]
          en: ["sex-disaggregated", "gender statistic*", "re:\\\\bdata\\\\s+by\\\\s+sex\\\\b"]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@functools.lru_cache(maxsize=1)
def built_sample() -> tuple[Path, Path]:
    """(study copy, processed folder) of the sample study with its codebook, codings and gold set."""
    from gtna_analysis.build import build, write_outputs

    base = Path(tempfile.mkdtemp(prefix="gtna-coding-tests-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    study = base / "raw"
    shutil.copytree(SAMPLE, study, ignore=shutil.ignore_patterns(".*"))
    write_outputs(build(study), base / "processed")
    return study, base / "processed"


def sample_tables(*names: str) -> dict[str, pd.DataFrame]:
    from gtna_analysis.tables import read_table

    _, processed = built_sample()
    return {name: read_table(processed, name) for name in names}


@functools.lru_cache(maxsize=1)
def sample_codebook() -> Codebook:
    from gtna_analysis.coding.codebook import load_codebook

    study, _ = built_sample()
    return load_codebook(study / "codebook.yml")


@pytest.fixture
def fresh_lemma_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty stem-key memo tables for one test (import it into a test module to use it): the module's tables are
    process-wide, and a key computed by another test must not hide how this one is computed."""
    from gtna_analysis.coding import lemmas

    monkeypatch.setattr(lemmas, "_KEYS", {})
    monkeypatch.setattr(lemmas, "_DICTIONARY_FORMS", {})
    monkeypatch.setattr(lemmas, "_USED", set())
