"""A built copy of the sample study shared by the explore tests (built once per test session: ~10 s).

The suggestions table is a fixture written here (``gtna suggest`` trains classifiers for minutes): three
suggestions on real participant segments for codes those segments do not carry — what the workbench reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from gtna_analysis.atomic import current_generation
from gtna_analysis.cli import main
from gtna_analysis.coding.suggest import SUGGESTION_COLUMNS
from gtna_analysis.tables import write_table

ROOT = Path(__file__).resolve().parents[2]


def build_sample(dest: Path) -> Path:
    """Copy data/raw (with its codings/ and gold/) to ``dest``, build into ``dest/processed``, add suggestions."""
    shutil.copytree(ROOT / "data" / "raw", dest, ignore=shutil.ignore_patterns(".*", "processed", "memos"))
    assert main(["build", "--study", str(dest), "-q"]) == 0
    write_suggestions(dest / "processed")
    return dest


def write_suggestions(processed: Path) -> pd.DataFrame:
    processed = current_generation(processed)  # the published generation, where `gtna suggest` writes too
    segments = pd.read_parquet(processed / "segments.parquet")
    codings = pd.read_parquet(processed / "codings.parquet")
    codes = pd.read_parquet(processed / "codes.parquet")
    participant = segments[segments["speaker_role"] == "participant"]
    rows = []
    for i, code_id in enumerate(("knowledge_capacity.knowledge_gaps", "legal_frame.cedaw", "gbv.referral")):
        if code_id not in set(codes["code_id"]):
            code_id = codes["code_id"].iloc[i]
        taken = set(codings.loc[codings["code_id"] == code_id, "segment_id"])
        seg = participant[~participant["segment_id"].isin(taken)].iloc[3 + 7 * i]
        p = 0.55 + 0.1 * i
        rows.append({"segment_id": seg["segment_id"], "interview_id": seg["interview_id"], "agency": seg["agency"],
                     "code_id": code_id, "theme_id": code_id.split(".")[0], "probability": p,
                     "uncertainty": 1 - abs(2 * p - 1), "review_order": i + 1})
    table = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
    write_table(table, processed, "suggestions")
    return table


@pytest.fixture(scope="session")
def built_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built sample study — read only: tests that write take ``study_copy``."""
    return build_sample(tmp_path_factory.mktemp("explore") / "study")


@pytest.fixture
def study_copy(built_study: Path, tmp_path: Path) -> Path:
    """A private copy of the built study, for tests that write memos or coding sheets."""
    return Path(shutil.copytree(built_study, tmp_path / "study"))


@pytest.fixture(scope="session")
def data(built_study: Path):
    from gtna_analysis.explore.data import ExploreData

    return ExploreData.load(built_study)
