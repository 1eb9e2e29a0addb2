"""Per-interview table pieces (``table_pieces``): a table joined from pieces equals, value for value and type
for type, the table its constructor makes of all rows in one go — the guarantee behind warm builds writing the
bytes of cold ones."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

from gtna_analysis.table_pieces import TablePiece, join, typed_alone
from gtna_analysis.table_reuse import frame_digest

COLUMNS = ["interview_id", "text", "hours", "sessions", "n", "flag", "support"]


def table(rows: list[dict]) -> pd.DataFrame:
    """What the functions that make these tables do: records in, explicit casts for numbers and flags."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"hours": "float64", "sessions": "Int64", "n": "int64", "flag": "bool"})


def row(iid: str, text: str | None = "x", hours: float = 1.5, sessions: int | None = 2, n: int = 1,
        flag: bool = True, support: object = None) -> dict:
    return {"interview_id": iid, "text": text, "hours": hours, "sessions": sessions, "n": n, "flag": flag,
            "support": support}


def pieces_of(frame: pd.DataFrame) -> list[TablePiece]:
    """Each interview's rows, typed as computed alone and sent through pickle (the build cache's round trip)."""
    out = []
    for iid in dict.fromkeys(frame["interview_id"]):
        rows = typed_alone(frame[frame["interview_id"] == iid].reset_index(drop=True))
        out.append(pickle.loads(pickle.dumps(TablePiece.of(rows))))
    return out


def assert_same(joined: pd.DataFrame, whole: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(joined, whole, check_exact=True)
    assert [str(t) for t in joined.dtypes] == [str(t) for t in whole.dtypes]
    assert frame_digest(joined, "s") == frame_digest(whole, "s")


def test_pieces_that_agree_keep_their_types() -> None:
    whole = table([row("A", "первый", 0.5, 3, 7, True), row("A", "ორი", -0.0, None, 8, False),
                   row("B", "three", math.nan, 1, 9, True), row("C", None, 2.25, None, 10, False)])
    joined = join(pieces_of(whole))
    assert_same(joined, whole)
    assert str(joined["hours"].iloc[1]) == "-0.0" and pd.isna(joined["sessions"].iloc[1])


@pytest.mark.parametrize("empty_first", [True, False])
def test_a_string_column_empty_in_one_interview_is_inferred_again(empty_first: bool) -> None:
    """One interview's text is all missing: alone it is an object column of None; joined with the others'
    strings the column is typed as the table made in one go types it, whichever piece comes first."""
    rows = [row("A", "ერთი"), row("B", None), row("B", None), row("C", "three")]
    whole = table(rows[1:3] + rows[:1] + rows[3:] if empty_first else rows)
    pieces = pieces_of(whole)
    assert sorted(str(p.dtypes[1]) for p in pieces) == ["object", "str", "str"]
    assert_same(join(pieces), whole)


def test_an_object_column_of_strings_stays_object() -> None:
    """A column a function typed ``object`` on purpose is not inferred as strings on the way back."""
    whole = table([row("A", support="online"), row("B", support=None), row("B", support="coaching")])
    whole["support"] = whole["support"].astype(object)
    assert_same(join(pieces_of(whole)), whole)


def test_object_values_that_are_lists_stay_one_value_each() -> None:
    whole = table([row("A", support=["online", "coaching"]), row("B", support=["a", "b"]), row("B")])
    joined = join(pieces_of(whole))
    assert joined["support"].tolist() == [["online", "coaching"], ["a", "b"], None]
    assert str(joined["support"].dtype) == "object"


def test_one_piece_and_a_column_that_is_missing_everywhere() -> None:
    whole = table([row("A", None, support=None), row("A", None)])
    assert_same(join(pieces_of(whole)), typed_alone(whole.copy()))


def test_a_changed_value_in_any_piece_changes_the_table() -> None:
    whole = table([row("A", "ერთი"), row("B", "ორი", n=3)])
    pieces = pieces_of(whole)
    edited = TablePiece(pieces[1].columns, pieces[1].dtypes, (*pieces[1].values[:4], [4], *pieces[1].values[5:]),
                        pieces[1].type_names)
    assert join([pieces[0], edited])["n"].tolist() == [1, 4]
    assert frame_digest(join([pieces[0], edited]), "s") != frame_digest(whole, "s")


@pytest.mark.parametrize("dtype", ["int64", "float64", "bool", "Int64", "str", "object"])
def test_every_column_type_round_trips(dtype: str) -> None:
    values = {"int64": [1, -2, 3], "float64": [0.1, math.inf, -1e300], "bool": [True, False, True],
              "Int64": [1, None, 3], "str": ["ა", None, "b"], "object": [None, ("t",), {"k": 1}]}[dtype]
    whole = pd.DataFrame({"interview_id": ["A", "A", "B"], "v": pd.Series(values, dtype=dtype)})
    joined = join(pieces_of(whole))
    assert str(joined["v"].dtype) == str(whole["v"].dtype)
    assert joined["v"].astype(object).where(joined["v"].notna(), None).tolist() == \
        whole["v"].astype(object).where(whole["v"].notna(), None).tolist()
    assert isinstance(joined["v"].to_numpy(), np.ndarray)
