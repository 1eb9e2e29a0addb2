"""Codebook schema: the sample codebook, validation with YAML line numbers, sub-codes, bilingual fields, dump."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_coding import SAMPLE, SMALL_CODEBOOK, write

from gtna_analysis.coding.codebook import dump_codebook_yaml, load_codebook
from gtna_analysis.errors import GtnaError


def test_sample_codebook_is_valid() -> None:
    cb = load_codebook(SAMPLE / "codebook.yml")
    assert cb.id == "gtna" and cb.languages == ["ka", "en"]
    assert len(cb.themes) >= 10 and len(cb.codes) >= 100
    for code in cb.codes:
        assert code.label.get("ka") and code.label.get("en"), code.id
        assert code.definition and code.include and code.exclude, code.id
        assert code.n_patterns > 0, code.id
    frame = cb.codes_frame()
    assert list(frame.columns[:9]) == ["code_id", "theme_id", "theme_order", "code_label_ka", "code_label_en",
                                       "theme_label_ka", "theme_label_en", "color", "definition"]
    assert frame["code_id"].is_unique and len(cb.sha256) == 64


def test_sub_codes_colours_and_bilingual_fields(tmp_path: Path) -> None:
    cb = load_codebook(write(tmp_path / "cb.yml", SMALL_CODEBOOK))
    orders = cb.code("gbv.domestic.orders")
    assert orders.parent_id == "gbv.domestic" and orders.theme_id == "gbv" and orders.color == "#AA4499"
    assert [c.id for c in cb.children("gbv.domestic", "gbv")] == ["gbv.domestic.orders"]
    domestic = cb.code("gbv.domestic")
    assert domestic.field_text("definition", "ka") == "ოჯახში ძალადობა"
    assert domestic.definition == "Violence in the family"
    assert domestic.exclude_patterns == {"en": ("no domestic violence",)}
    frame = cb.codes_frame().set_index("code_id")
    assert frame.loc["gbv.domestic.orders", "code_color"] == "#AA4499"
    assert frame.loc["gbv.domestic", "code_color"] == "#D55E00"
    assert frame.loc["training.online", "color"] == "#E69F00"  # default palette, second theme


def test_dump_round_trip(tmp_path: Path) -> None:
    for source in (write(tmp_path / "small.yml", SMALL_CODEBOOK), SAMPLE / "codebook.yml"):
        cb = load_codebook(source)
        again = load_codebook(write(tmp_path / "again.yml", dump_codebook_yaml(cb, "written by a test")))
        assert again.codes == cb.codes
        assert [(t.id, t.label, t.color, t.description) for t in again.themes] == \
               [(t.id, t.label, t.color, t.description) for t in cb.themes]


BROKEN = """codebook: {id: bad, version: 1, languages: [ka, en, de]}
themes:
  - id: gbv
    label: {ka: ძალადობა, en: Violence}
    colour: "#123456"
    codes:
      - id: gbv.dv
        label: {ka: ოჯახში ძალადობა}
        pattern: {ka: ["ძალადობ*"]}
      - id: gbv.dv
        label: {en: duplicate}
      - id: other.code
        label: {en: wrong namespace}
      - id: gbv.bad_regex
        label: {en: bad}
        patterns: {ka: ["re:(unclosed"], fr: ["violence"], en: ["ok", "*"]}
      - id: gbv.no_label
        patterns: {en: ["x"]}
  - id: Bad-Theme
    label: x
    codes: []
  - id: stereo
    label: {en: Stereotypes}
    color: red
    codes: []
"""


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "codebook.yml", BROKEN)
    with pytest.raises(GtnaError) as info:
        load_codebook(path)
    problems = {(p.line, p.message) for p in info.value.problems}
    text = "\n".join(str(p) for p in info.value.problems)
    expected = [
        (1, "unknown language 'de'"),
        (5, "theme gbv: unknown key 'colour'"),
        (9, "code gbv.dv: unknown key 'pattern'"),
        (10, "duplicate id 'gbv.dv' (first at line 7)"),
        (12, "code id 'other.code' must be 'gbv.<snake_case>'"),
        (16, "code gbv.bad_regex patterns.ka: bad regex"),
        (16, "code gbv.bad_regex patterns: unknown language 'fr'"),
        (16, "'*' is only allowed at the end of a word"),
        (17, "code gbv.no_label: missing label"),
        (19, "theme id 'Bad-Theme' must be lowercase snake_case"),
        (24, "theme stereo: colour 'red' must look like #0072B2"),
        (25, "theme stereo: needs a non-empty 'codes' list"),
    ]
    for line, message in expected:
        assert any(ln == line and message in msg for ln, msg in problems), f"missing {line}: {message}\n{text}"
    assert f"{path}:9: code gbv.dv: unknown key 'pattern' (hint: did you mean 'patterns'?)" in text


def test_patterns_must_use_a_codebook_language(tmp_path: Path) -> None:
    text = SMALL_CODEBOOK.replace("languages: [ka, en]", "languages: [ka]")
    with pytest.raises(GtnaError, match=r"language .en. is not in codebook\.languages"):
        load_codebook(write(tmp_path / "cb.yml", text))


@pytest.mark.parametrize("text", ["", "just a string\n", "themes: []\n", "codebook: [1]\nthemes: []\n"])
def test_not_a_codebook(tmp_path: Path, text: str) -> None:
    with pytest.raises(GtnaError):
        load_codebook(write(tmp_path / "cb.yml", text))


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    with pytest.raises(GtnaError) as info:
        load_codebook(write(tmp_path / "cb.yml", "codebook: {id: x\nthemes:\n  - id: a\n"))
    assert info.value.problems[0].line is not None


def test_single_words_without_context_are_linted() -> None:
    from gtna_analysis.coding.codebook import Code, Codebook, Theme, context_warnings

    bare = Code("t.bare", "t", {"en": "bare"}, {"en": ("inspector*", "labour inspection")})
    framed = Code("t.framed", "t", {"en": "framed"}, {"en": ("inspector*",)}, requires={"en": ("labour*",)})
    phrases = Code("t.phrases", "t", {"en": "phrases"}, {"en": ("labour inspection", "re:\\binspect\\w*")})
    cb = Codebook("t", "1", ["en"], {}, [Theme("t", {"en": "t"}, "#000000", (bare, framed, phrases))])
    lint = context_warnings(cb)
    assert len(lint) == 1 and "t.bare fires on 1 single word" in lint[0] and "'inspector*'" in lint[0]
