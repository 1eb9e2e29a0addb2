"""The sample build's processed tables equal the reviewed golden files in ``tests/golden/``.

A change here is either a bug (fix it) or an intended change of output: then run ``python -m tests.golden update``
(``make golden``), review ``git diff tests/golden/``, and commit it with the change that caused it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from golden import UPDATE_COMMAND, build_sample, differences, serialise, stored, table_text


def test_sample_build_matches_the_golden_files(tmp_path: Path) -> None:
    expected = stored()
    assert expected, f"no golden files: run `{UPDATE_COMMAND}` and review them"
    diffs = differences(serialise(build_sample(tmp_path / "processed")), expected)
    assert not diffs, (f"{len(diffs)} golden file(s) differ from the build; if intended, run `{UPDATE_COMMAND}` "
                       "and review the diff\n\n" + "\n\n".join(diffs[:5]))


def test_golden_serialisation_is_order_free_and_stable() -> None:
    a = pd.DataFrame({"id": ["b", "a"], "x": [0.1 + 0.2, float("nan")], "tags": [["p", "q"], []]})
    assert table_text(a) == table_text(a.iloc[::-1]) == "id,x,tags\na,,\nb,0.3,p|q\n"
