"""One interview's rows of a table that a build computes interview by interview (auto codings, training designs,
preference rows), kept in the build cache column by column, and the table joined again from such pieces.

Why not keep each piece as a DataFrame: a rebuild after one transcript edit takes twelve interviews' three
pieces from the cache, and unpickling a small DataFrame (its block manager, index and Arrow arrays) costs about
half a millisecond, then ``pd.concat`` of thirteen frames as much again per table — together more than coding
the edited interview. A piece of plain lists unpickles in a fraction of that, and the joined table is built once,
column by column.

The joined table must equal the table computed for all interviews in one go, value for value and type for type
(a warm build writes the bytes of a cold one: tests/test_build_cache.py): each piece records the column types
that computing its interview alone gives, a column whose pieces agree keeps that type, and a column whose pieces
disagree (one interview's all-missing string column is ``object``, another's ``str``) is inferred again from all
its values, as the table's own constructor infers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class TablePiece:
    """One interview's rows: column names, the type of each column, and each column's values as a list."""

    columns: tuple[str, ...]
    dtypes: tuple[Any, ...]
    values: tuple[list, ...]
    type_names: tuple[str, ...]  # str() of each type, what decides whether pieces agree (numpy's str() is slow)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> TablePiece:
        """The piece of ``frame`` (already typed as computing its interview alone types it)."""
        dtypes = tuple(frame.dtypes)
        return cls(tuple(frame.columns), dtypes, tuple(frame[c].tolist() for c in frame.columns),
                   tuple(map(str, dtypes)))

    def __len__(self) -> int:
        return len(self.values[0]) if self.values else 0


def typed_alone(piece: pd.DataFrame) -> pd.DataFrame:
    """One interview's rows cut from a table computed for several: a string column with no value in this
    interview becomes an object column of None, the type the table's constructor gives a column of None (had
    the interview been computed alone); columns of other types are the same either way (numbers and flags are
    cast explicitly by the functions that make these tables)."""
    for column in piece.columns:
        if len(piece) and isinstance(piece[column].dtype, pd.StringDtype) and piece[column].isna().all():
            piece[column] = pd.Series([None] * len(piece), index=piece.index, dtype=object)
    return piece


def join(pieces: Sequence[TablePiece]) -> pd.DataFrame:
    """The table of ``pieces`` (in their order; at least one, all with the same columns)."""
    columns = pieces[0].columns
    data: dict[str, Any] = {}
    mixed: dict[str, list] = {}
    names = {piece.type_names for piece in pieces}
    for i, column in enumerate(columns):
        values = [value for piece in pieces for value in piece.values[i]]
        dtype = pieces[0].dtypes[i]
        if len(names) > 1 and len({types[i] for types in names}) > 1:
            mixed[column] = values
            continue
        data[column] = _array(values, dtype)
    if mixed:  # inferred from the values, as pd.DataFrame(records) infers the table made in one go
        again = pd.DataFrame([dict(zip(mixed, row, strict=True)) for row in zip(*mixed.values(), strict=True)],
                             columns=list(mixed))
        for column in mixed:
            data[column] = again[column]
    return pd.DataFrame({column: data[column] for column in columns}, columns=list(columns))


def _array(values: list, dtype: Any) -> Any:
    """``values`` as an array of ``dtype``; an object column element by element (a value may itself be a list,
    which numpy would otherwise spread over a second dimension)."""
    if isinstance(dtype, np.dtype) and dtype.kind == "O":  # a Series: a bare object array would be inferred
        array = np.empty(len(values), dtype=object)
        for i, value in enumerate(values):
            array[i] = value
        return pd.Series(array, dtype=object, copy=False)
    if isinstance(dtype, np.dtype):
        return np.array(values, dtype=dtype)
    return pd.array(values, dtype=dtype)
