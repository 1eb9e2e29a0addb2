"""YAML loading: libyaml when PyYAML has it, and the same line numbers and error locations either way."""

from __future__ import annotations

import pytest
import yaml

from gtna_analysis import yamlio
from gtna_analysis.errors import GtnaError
from gtna_analysis.yamlio import LineDict, LineList, load_yaml_text

DOC = """\
# a comment
codebook:
  id: gtna
themes:
  - id: one
    codes: [a, b]
  - id: two
date: 2018-03-14
"""


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    assert bool(getattr(yaml, "__with_libyaml__", False)) == yamlio.LIBYAML
    if yamlio.LIBYAML:
        assert issubclass(yamlio._LineLoader, yaml.CSafeLoader)


def test_lines_of_keys_and_items_survive_the_c_parser() -> None:
    data = load_yaml_text(DOC, "x.yml")
    assert isinstance(data, LineDict) and isinstance(data["themes"], LineList)
    assert data.line_of("codebook") == 2 and data["codebook"].line_of("id") == 3
    assert data["themes"].line_of(1) == 7 and data["themes"][0].line_of("codes") == 6
    assert data["date"] == "2018-03-14"  # dates stay strings
    shifted = load_yaml_text(DOC, "x.md", line_offset=10)  # front matter after the opening ---
    assert shifted["themes"][1].line_of("id") == 17


@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
    ("a:\n\t- 1\n", 2, "found character '\\t' that cannot start any token"),
    ("a: 1\nb: [1, 2\nc: 3\n", 3, "invalid YAML"),
    ("a: 1\n  b: 2\n", 2, "mapping values are not allowed"),
    ("x: !!python/object:os.system x\n", 1, "could not determine a constructor"),
    ("a: 1\nb: [1, 2", 2, "invalid YAML"),  # unclosed at the end of a text without a final newline
    ("a: 1\nb: [1, 2\n", 3, "invalid YAML"),
])
def test_errors_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GtnaError) as info:
        load_yaml_text(text, "study.yml")
    assert str(info.value).startswith(f"study.yml:{line}: ")
    assert message in str(info.value)
