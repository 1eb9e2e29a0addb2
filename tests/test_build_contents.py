"""Cache keys of per-interview results (``build._contents``): an interview's key changes with any value or type
of its rows and with nothing else — not with object identity, other interviews' rows or the lists shared
between calls."""

from __future__ import annotations

import pandas as pd
import pytest

from gtna_analysis.build import _contents


def frame(values: list, dtype: str | None = None) -> pd.DataFrame:
    return pd.DataFrame({"interview_id": ["A", "B", "A"][:len(values)],
                         "v": pd.Series(values, dtype=dtype) if dtype else pd.Series(values, dtype=object)})


@pytest.mark.parametrize(("one", "other"), [
    ([1, 2, 3], [1, 2, 4]), ([1, 2, 3], [1.0, 2, 3]), ([True, 2, 3], [1, 2, 3]), (["1", 2, 3], [1, 2, 3]),
    ([0.0, 2, 3], [-0.0, 2, 3]), ([None, 2, 3], [float("nan"), 2, 3]), (["ა", 2, 3], ["ა ", 2, 3]),
    ([1, 2, 3], [3, 2, 1]),  # the order of an interview's rows
])
def test_any_value_or_type_of_an_interview_changes_its_key(one: list, other: list) -> None:
    a, b = _contents(frame(one), ["v"]), _contents(frame(other), ["v"])
    assert a["A"] != b["A"]
    assert a["B"] == b["B"]  # B's rows are the same in both


def test_the_column_type_is_part_of_the_key() -> None:
    assert _contents(frame([1, 2, 3], "int64"), ["v"])["A"] != _contents(frame([1, 2, 3], "Int64"), ["v"])["A"]


def test_equal_values_give_equal_keys_whatever_objects_hold_them() -> None:
    text = "ტრენინგი " * 3
    shared = frame([text, "x", text])
    separate = frame(["".join(["ტრენინგი "] * 3), "x", "ტრენინგი ტრენინგი ტრენინგი "])
    assert shared["v"].iloc[0] is shared["v"].iloc[2] and separate["v"].iloc[0] is not separate["v"].iloc[2]
    assert _contents(shared, ["v"]) == _contents(separate, ["v"])


def test_lists_shared_between_calls_give_the_keys_of_separate_calls() -> None:
    segments = pd.DataFrame({"interview_id": ["B", "A", "B"], "a": [1, 2, 3], "b": ["x", "y", "z"]})
    lists: dict[str, list] = {}
    first, second = _contents(segments, ["a", "b"], lists), _contents(segments, ["b"], lists)
    assert first == _contents(segments, ["a", "b"]) and second == _contents(segments, ["b"])
    assert list(first) == ["A", "B"] and first["A"] != first["B"]
    assert set(lists) == {"interview_id", "a", "b"}
