"""YAML loading that remembers line numbers, so validation errors can point at the offending line.

Parsing is libyaml's (PyYAML's ``CSafeLoader``) where PyYAML was built with it, else the pure-Python
``SafeLoader`` — the same safe schema either way; the 1,400-line codebook parses ~10× faster in C. Both hand
the constructor nodes that carry their start marks, so we only subclass the containers it builds: each mapping
and list knows the line it started on and the line of each key/item. Duplicate keys, which PyYAML silently
accepts, are reported as errors because in a codebook or study file they always hide a mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gtna_analysis.errors import GtnaError


class LineDict(dict):
    """A dict that knows where it, and each of its keys, came from."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


# libyaml when available (the wheels on PyPI and conda-forge ship it); the pure-Python parser otherwise.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LIBYAML = _BaseLoader is not yaml.SafeLoader


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    line_offset = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1 + self.line_offset
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in result:
                raise _DuplicateKey(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1 + self.line_offset
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1 + self.line_offset
        result.item_lines = [child.start_mark.line + 1 + self.line_offset for child in node.value]
        return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)
# Dates stay strings: a transcript date is an identifier-like label, and str round-trips byte-identically.
_LineLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def load_yaml_text(text: str, path: str | Path, line_offset: int = 0) -> Any:
    """Parse YAML text; errors become ``GtnaError`` located at ``path:line`` (offset for front matter)."""
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # libyaml puts an error at the end of a text without a final newline one line further than the
        # pure-Python parser (past the last line): keep it on the last line
        line = (min(mark.line, text.count("\n")) + 1 + line_offset) if mark else None
        problem = exc.problem or str(exc)
        if mark and problem == "found character that cannot start any token":
            problem = f"found character {_char_at(text, mark.line, mark.column)!r} that cannot start any token"
        raise GtnaError.at(path, line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise GtnaError.at(path, None, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a mark: libyaml's message leaves it out (a stray tab is the usual culprit)."""
    lines = text.splitlines()
    row = lines[line] if 0 <= line < len(lines) else ""
    return row[column] if 0 <= column < len(row) else "?"


def load_yaml_file(path: str | Path) -> Any:
    """Read and parse a UTF-8 YAML file with line tracking."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GtnaError.at(p, None, "file not found") from None
    except IsADirectoryError:
        raise GtnaError.at(p, None, "is a folder, not a YAML file") from None
    except UnicodeDecodeError as exc:
        raise GtnaError.at(p, None, f"not UTF-8 text ({exc.reason})") from None
    return load_yaml_text(text, p)
