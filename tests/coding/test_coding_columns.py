"""The auto-coder gathers its rows column by column (CodingColumns); the table must be exactly the one a list
of row tuples made before: same values, order, dtypes (pandas infers each string column) and index — for no
rows, one row, and many, with Georgian text, empty matched text and large offsets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gtna_analysis.coding.autocoder import AutoCoder, CodingColumns
from gtna_analysis.coding.codebook import load_codebook
from gtna_analysis.schema import CODING_COLUMNS

CODER = "auto:sample-v1"
words = st.text(alphabet="აბგდ ონლაინ online; ,\n-", max_size=12)
rows = st.lists(st.tuples(st.sampled_from(["MOES-01-003", "MOES-01-004", "MOF-2-001"]),
                          st.sampled_from(["MOES-01", "MOF-2"]), st.sampled_from(["moes", "mof"]),
                          st.sampled_from(["F_ONLINE", "T_GRB", "ვ"]), st.sampled_from(["FORMAT", "TOPIC"]),
                          st.integers(0, 2**40), st.integers(0, 2**40), words, st.integers(1, 50),
                          st.sampled_from(["stated", "rejected", "hypothetical"])), max_size=30)


def from_tuples(data: list[tuple]) -> pd.DataFrame:
    """What AutoCoder.code built before: one tuple per row, then the three counts as int64."""
    full = [(*r[:9], "auto", CODER, r[9]) for r in data]
    return pd.DataFrame(full, columns=CODING_COLUMNS).astype(
        {"start_char": "int64", "end_char": "int64", "n_matches": "int64"})


@settings(max_examples=150, deadline=None)
@given(rows)
def test_columns_make_the_table_row_tuples_made(data: list[tuple]) -> None:
    columns = CodingColumns()
    for r in data:
        columns.add(*r)
    assert len(columns) == len(data)
    frame = columns.frame(CODER)
    pd.testing.assert_frame_equal(frame, from_tuples(data), check_dtype=True, check_index_type=True)
    assert len(columns) == 0  # the column lists were released into the frame


def test_code_of_the_sample_is_the_row_tuple_table() -> None:
    """The whole coder on real segments: every row of ``code`` as the row-tuple path would have typed it."""
    codebook = load_codebook(Path(__file__).resolve().parents[2] / "data" / "raw" / "codebook.yml")
    texts = ["ონლაინ ტრენინგი არ გვინდა, მაგრამ გენდერული ბიუჯეტირება საჭიროა.",
             "We would prefer an in-person workshop on gender budgeting, not online.", "", "სხვა არაფერი."]
    segments = pd.DataFrame({"segment_id": [f"X-1-{i:03d}" for i in range(len(texts))], "interview_id": "X-1",
                             "agency": "moes", "start_char": [i * 1000 for i in range(len(texts))],
                             "text": texts})
    coded = AutoCoder.for_codebook(codebook).code(segments)
    assert len(coded) > 0
    again = pd.DataFrame(list(coded.itertuples(index=False, name=None)), columns=CODING_COLUMNS).astype(
        {"start_char": "int64", "end_char": "int64", "n_matches": "int64"})
    pd.testing.assert_frame_equal(coded, again, check_dtype=True)
