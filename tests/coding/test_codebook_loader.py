"""The codebook loader (``coding.codebook``) as a researcher writes codebooks by hand: a single pattern without
brackets, numbers, an empty language, fields and labels in one or two languages, and every mistake reported at its
own line with the hint that says what to write; the labels reports show in each language, a codable theme's own
code, the YAML written back, and the single-word lint's wording."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_coding import SMALL_CODEBOOK, write

from gtna_analysis.coding.codebook import context_warnings, dump_codebook_yaml, load_codebook
from gtna_analysis.errors import GtnaError


def problems(path: Path) -> list[str]:
    """Every ``path:line: message`` the loader reports for ``path`` at once (it must refuse the file)."""
    with pytest.raises(GtnaError) as info:
        load_codebook(path)
    return [str(p) for p in info.value.problems]


SHORTHANDS = """codebook: {id: hand, version: 1, languages: [ka, en]}
themes:
  - id: t
    label: {ka: თემა, en: Theme}
    codes:
      - id: t.one
        label: {ka: ერთი, en: One}
        definition: {ka: " ქალთა უფლებები ", en: Women's rights}
        include: {ka: მხოლოდ ქართულად}
        exclude: 2024
        example: "  ორი წელი  "
        patterns:
          ka: ძალადობ*
          en:
        exclude_patterns: {ka: []}
        requires: {en: [2024, 1.5]}
      - id: t.two
        label: {en: Two}
"""


def test_pattern_and_field_shorthands_load_as_written(tmp_path: Path) -> None:
    """One pattern without brackets is a list of one; an empty language has no patterns; numbers are text. A field
    given in both languages reads in English where one plain text is wanted, a Georgian-only field in Georgian; a
    number or padded text is stripped text; a missing field is empty."""
    cb = load_codebook(write(tmp_path / "codebook.yml", SHORTHANDS))
    one = cb.code("t.one")
    assert one.patterns == {"ka": ("ძალადობ*",), "en": ()}
    assert one.exclude_patterns == {"ka": ()}
    assert one.requires == {"en": ("2024", "1.5")}
    assert (one.definition, one.include, one.exclude, one.example) == \
           ("Women's rights", "მხოლოდ ქართულად", "2024", "ორი წელი")
    assert one.translations == {"definition": {"ka": "ქალთა უფლებები", "en": "Women's rights"},
                                "include": {"ka": "მხოლოდ ქართულად"}}
    assert one.field_text("definition", "ka") == "ქალთა უფლებები"
    assert one.field_text("include", "en") == "მხოლოდ ქართულად"
    two = cb.code("t.two")
    assert (two.patterns, two.exclude_patterns, two.requires) == ({}, {}, {})
    assert (two.definition, two.include, two.exclude, two.example, two.translations) == ("", "", "", "", {})


MISTAKES = """codebook: {id: hand, version: 1, languages: [ka]}
themes:
  - id: t
    label: {ka: თემა}
    codes:
      - id: t.a
        label: {ka: ა}
        patterns: [ძალადობ*]
      - id: t.b
        label: {ka: ბ}
        patterns:
          en: [violence]
          de: [Gewalt]
          ka: {a: b}
      - id: t.c
        label: {ka: გ}
        definition: [one, two]
        include: {ka: ქართულად, fr: en français}
        requires:
          ka:
            - ok
            - [1, 2]
            - "re:(unclosed"
            - "*"
      - id: t.a
        label: {ka: დ}
"""


def test_every_pattern_and_field_mistake_has_its_line_and_hint(tmp_path: Path) -> None:
    """A mistake does not hide the ones after it in the same mapping or list: each language and each pattern is
    checked on its own."""
    path = write(tmp_path / "codebook.yml", MISTAKES)
    got = problems(path)
    expected = [
        f"{path}:8: code t.a patterns: expected a mapping of language -> list of patterns "
        '(hint: e.g. patterns: {ka: ["ძალადობ*"], en: ["violence"]})',
        f"{path}:12: code t.b patterns: language 'en' is not in codebook.languages "
        "(hint: codebook.languages is ['ka'])",
        f"{path}:13: code t.b patterns: unknown language 'de' (hint: use ka, en)",
        f"{path}:14: code t.b patterns.ka: expected a list of patterns",
        f"{path}:17: code t.c: definition must be text or {{ka: …, en: …}}",
        f"{path}:18: code t.c include: unknown language 'fr' (hint: use ka, en)",
        f"{path}:22: code t.c requires.ka: a pattern must be text, got LineList",
        f"{path}:25: duplicate id 't.a' (first at line 6)",
    ]
    for message in expected:
        assert message in got, f"missing {message}\n" + "\n".join(got)
    bad_regex = [p for p in got if p.startswith(f"{path}:23: code t.c requires.ka: ")]
    star = [p for p in got if p.startswith(f"{path}:24: code t.c requires.ka: ")]
    assert len(bad_regex) == 1 and "regex" in bad_regex[0] and len(star) == 1 and "'*'" in star[0], got
    assert not any(":21:" in p for p in got), got  # 'ok' is a good pattern
    assert len(got) == len(expected) + 2, got


STRUCTURE = """codebook: {id: hand, version: 1, languages: [ka, en]}
themes:
  - id: t
    label: {ka: თემა, en: Theme}
    codes:
      - just a word
      - id: t.a
        label: {ka: "  ", en: null}
        codes: t.a.sub
      - id: t.b
        label: {ka: ბ, en: B}
        codes:
  - id: t
    label: {ka: თემა, en: Theme}
    codes:
      - id: t.b
        label: {ka: ბ, en: B}
"""


def test_codes_structure_mistakes_and_a_duplicate_theme_reported_once(tmp_path: Path) -> None:
    """A code that is not a mapping, sub-codes that are not a list, a label with only blank values; an empty
    ``codes:`` under a code is allowed. A duplicate theme is one message: its codes are not read again (they would
    each be reported as duplicates too)."""
    path = write(tmp_path / "codebook.yml", STRUCTURE)
    assert problems(path) == [
        f"{path}:6: t: each code must be a mapping with id, label, patterns",
        f"{path}:8: code t.a: missing label",
        f"{path}:9: code t.a: 'codes' must be a list of sub-codes",
        f"{path}:13: duplicate id 't' (first at line 3)",
    ]


LABELS = """codebook: {id: labels, version: 1, languages: [ka, en]}
themes:
  - id: both
    label: {ka: ორივე, en: Both}
    codes:
      - id: both.code
        label: {ka: კოდი, en: Code}
      - id: both.half
        label: {ka: null, en: Half}
      - id: both.blank
        label: {ka: "   ", en: Blank}
  - id: own
    label: {ka: საკუთარი}
    codable: true
    description: {ka: მხოლოდ ქართული აღწერა}
  - id: bare
    label: {en: Bare}
    codable: true
groups:
  - id: both_group
    label: {ka: ჯგუფი, en: Group}
    codes: [both.code]
  - id: ka_group
    label: {ka: ქართული ჯგუფი}
    codes: [both.half]
  - id: en_group
    label: {en: English group}
    codes: [own]
"""


def test_labels_in_each_language_for_reports(tmp_path: Path) -> None:
    """Each language column of the codes table holds that language's label when the codebook has it (and the other
    language's otherwise); an empty or blank label value is no label; a codable theme's own code takes a
    Georgian-only description as its definition, and a theme without one gives an empty definition."""
    cb = load_codebook(write(tmp_path / "codebook.yml", LABELS))
    assert cb.code("both.half").label == {"en": "Half"} and cb.code("both.blank").label == {"en": "Blank"}
    frame = cb.codes_frame().set_index("code_id")
    columns = ["code_label_ka", "code_label_en", "theme_label_ka", "theme_label_en"]
    assert frame.loc["both.code", columns].tolist() == ["კოდი", "Code", "ორივე", "Both"]
    assert frame.loc["both.half", columns].tolist() == ["Half", "Half", "ორივე", "Both"]
    assert frame.loc["own", columns].tolist() == ["საკუთარი", "საკუთარი", "საკუთარი", "საკუთარი"]
    assert (cb.code("both.code").text("ka"), cb.theme("both").text("ka")) == ("კოდი", "ორივე")
    own, bare = cb.code("own"), cb.code("bare")
    assert (own.definition, own.translations) == ("მხოლოდ ქართული აღწერა",
                                                  {"definition": {"ka": "მხოლოდ ქართული აღწერა"}})
    assert (bare.definition, bare.translations) == ("", {})
    groups = {g.id: g for g in cb.groups}
    assert [groups["both_group"].text(lang) for lang in ("ka", "en")] == ["ჯგუფი", "Group"]
    assert [groups["ka_group"].text(lang) for lang in ("ka", "en")] == ["ქართული ჯგუფი", "ქართული ჯგუფი"]
    assert [groups["en_group"].text(lang) for lang in ("ka", "en")] == ["English group", "English group"]
    with pytest.raises(KeyError, match="nothing"):
        cb.theme("nothing")


def test_a_blank_plain_label_is_a_missing_label(tmp_path: Path) -> None:
    text = LABELS.replace('label: {ka: კოდი, en: Code}', 'label: "   "')
    path = write(tmp_path / "codebook.yml", text)
    with pytest.raises(GtnaError, match=r"code both\.code: missing label"):
        load_codebook(path)


def test_written_yaml_keeps_short_lists_inline_and_long_text_on_one_line(tmp_path: Path) -> None:
    """What a researcher reads after importing a .qdc: pattern lists inline, a 100-character text unwrapped, and no
    comment block unless a header is given."""
    long_text = "Any mention of violence in the family, between partners or former partners, parents and children."
    text = SMALL_CODEBOOK.replace("Any mention of violence in the family.", long_text)
    cb = load_codebook(write(tmp_path / "codebook.yml", text))
    written = dump_codebook_yaml(cb)
    assert written.startswith("codebook:\n  id: small\n")
    assert f"\n    include: {long_text}\n" in written
    assert "\n      ka: [ოჯახში ძალადობ*, ოჯახურ* ძალადობ*]\n" in written
    assert "\n        en: [restraining order*, protection order*]\n" in written


LINT = """codebook: {id: lint, version: 1, languages: [en]}
themes:
  - id: t
    label: {en: T}
    codes:
      - id: t.framed
        label: {en: Framed}
        patterns: {en: [inspector*]}
        requires: {en: [labour*]}
      - id: t.three
        label: {en: Three}
        patterns: {en: [annual, platform, quota, labour inspection, "re:\\\\bdata\\\\b"]}
"""


def test_lint_goes_on_after_a_code_with_context_and_shows_three_words_without_an_ellipsis(tmp_path: Path) -> None:
    cb = load_codebook(write(tmp_path / "codebook.yml", LINT))
    assert context_warnings(cb) == [
        f"{cb.source}: code t.three fires on 3 single word(s) without context ('annual', 'platform', 'quota') — "
        "add requires: or use phrases if ambiguous"]


IDS = """codebook: {id: hand, version: 1, languages: [en]}
themes:
  - just a theme
  - label: {en: No id}
    codes: []
  - label: {en: T}
    id: t
    codes:
      - label: {en: A}
        id: t.a
      - label: {en: A again}
        id: t.a
      - label: {en: no id}
      - label: {en: elsewhere}
        id: x.abc
      - label: {en: B}
        id: t.b
"""


def test_ids_are_located_at_their_own_line_even_when_not_written_first(tmp_path: Path) -> None:
    """A theme that is not a mapping, ids missing, an id of another theme (whose tail would pass on its own), a
    duplicate: every message names the id line (or the item's line when there is no id), and the mistakes after
    a bad item are still reported."""
    path = write(tmp_path / "codebook.yml", IDS)
    assert problems(path) == [
        f"{path}:3: each theme must be a mapping with id, label, codes",
        f"{path}:4: theme id '' must be lowercase snake_case",
        f"{path}:12: duplicate id 't.a' (first at line 10)",
        f"{path}:13: code id '' must be 't.<snake_case>'",
        f"{path}:15: code id 'x.abc' must be 't.<snake_case>'",
    ]


THEMES_AND_GROUPS = """codebook: {id: g, version: 1, languages: [ka, en]}
themes:
  - label: {en: Format}
    id: fmt
    description: [not, a, mapping]
    codable: "yes"
  - id: b
    label: {ka: ""}
    codes:
      - {id: b.one, label: {en: One}}
  - label: {en: Bad}
    id: Bad
  - label: {en: Again}
    id: b
  - id: fine
    label: {en: Fine}
    codes:
      - {id: fine.code, label: {en: Code}}
groups:
  - just text
  - label: {en: No id}
  - label: {en: Bad}
    id: Bad Id
  - label: {en: Recs}
    id: recs
    description: [no]
    codes: fine.code
  - label: {en: Again}
    id: recs
  - id: flow
    label: {ka: ""}
    codes:
      - fine.code
      - fine.cod
      - zzzzzz
      - fine.code
  - id: empty
    label: {en: Empty}
"""


def test_theme_and_group_mistakes_are_located_at_the_key_they_are_about(tmp_path: Path) -> None:
    """Keys not in the usual order, so the line of each key differs from the item's first line. A ``codable``
    that is not a boolean counts as false (so a theme without codes is still reported); a group without codes is
    fine; a group member may be a theme."""
    path = write(tmp_path / "codebook.yml", THEMES_AND_GROUPS)
    assert problems(path) == [
        f"{path}:6: theme fmt: codable must be true or false",
        f"{path}:3: theme fmt: needs a non-empty 'codes' list",
        f"{path}:5: theme fmt: expected {{ka: …, en: …}}",
        f"{path}:8: theme b: missing label",
        f"{path}:12: theme id 'Bad' must be lowercase snake_case",
        f"{path}:14: duplicate id 'b' (first at line 7)",
        f"{path}:20: each group must be a mapping with id, label, codes",
        f"{path}:21: group id '' must be lowercase snake_case",
        f"{path}:23: group id 'Bad Id' must be lowercase snake_case",
        f"{path}:27: group recs: codes must be a list of code ids",
        f"{path}:26: group recs: expected {{ka: …, en: …}}",
        f"{path}:29: duplicate group id 'recs' (first at line 25)",
        f"{path}:34: group flow: unknown code 'fine.cod' (hint: did you mean 'fine.code'?)",
        f"{path}:35: group flow: unknown code 'zzzzzz' (hint: use a code or theme id of this codebook)",
        f"{path}:31: group flow: missing label",
    ]


def test_group_members_keep_their_order_once_and_may_be_themes(tmp_path: Path) -> None:
    text = """codebook: {id: g, version: 1, languages: [en]}
themes:
  - {id: fmt, label: {en: Format}, codable: true}
  - id: fine
    label: {en: Fine}
    codes: [{id: fine.code, label: {en: Code}}, {id: fine.other, label: {en: Other}}]
groups:
  - label: {en: Mixed}
    id: mixed
    codes: [fine.other, fmt, fine.other, fine.code]
"""
    cb = load_codebook(write(tmp_path / "codebook.yml", text))
    assert [(g.id, g.label, g.codes, g.description) for g in cb.groups] == [
        ("mixed", {"en": "Mixed"}, ("fine.other", "fmt", "fine.code"), {})]


def test_file_level_mistakes_name_the_key_and_what_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path / "codebook.yml", """# written by hand
codebook:
  id: x
  versoin: 1
  languages: 5
themes:
  - {id: t, label: {en: T}, codes: [{id: t.a, label: {en: A}}]}
zzz: 1
codebok: 2
""")
    assert problems(path) == [
        f"{path}:8: codebook file: unknown key 'zzz' (hint: allowed: codebook, themes, groups)",
        f"{path}:9: codebook file: unknown key 'codebok' (hint: did you mean 'codebook'?)",
        f"{path}:4: codebook: unknown key 'versoin' (hint: did you mean 'version'?)",
        f"{path}:5: codebook.languages must be a list such as [ka, en]",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("just a string\n", ":1: a codebook is a mapping with 'codebook' and 'themes'"),
    ("# header\nthemes: []\ncodebook: [1]\n", ":3: 'codebook' must be a mapping {id, version, languages}"),
])
def test_not_a_codebook_is_located(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "codebook.yml", text)
    with pytest.raises(GtnaError) as info:
        load_codebook(path)
    assert str(info.value) == f"{path}{message}"


def test_one_language_may_be_written_without_brackets(tmp_path: Path) -> None:
    path = write(tmp_path / "codebook.yml", """codebook: {id: one, version: 3, languages: ka}
themes:
  - {id: t, label: {ka: თ}, codes: [{id: t.a, label: {ka: ა}, patterns: {ka: [ქალ*]}}]}
""")
    cb = load_codebook(path)
    assert (cb.id, cb.version, cb.languages, cb.code("t.a").patterns) == ("one", "3", ["ka"], {"ka": ("ქალ*",)})


def test_codebook_header_mistakes_are_located_at_their_key(tmp_path: Path) -> None:
    path = write(tmp_path / "codebook.yml", """# header
codebook:
  id: "GTNA 2026"
  languages: [ka, de]
themes: []
""")
    assert problems(path) == [
        f"{path}:4: unknown language 'de' (hint: use ka, en)",
        f"{path}:3: codebook id 'GTNA 2026': use letters, digits, '-', '_' or '.'",
        f"{path}:5: 'themes' must be a non-empty list",
    ]
    path = write(tmp_path / "codebook.yml", """codebook:
  version: 2
  title: [not, a, mapping]
  id: GTNA-2026.v1
themes:
  - {id: t, label: {en: T}, codes: [{id: t.a, label: {en: A}}]}
groups: 5
""")
    assert problems(path) == [
        f"{path}:3: codebook title: expected {{ka: …, en: …}}",
        f"{path}:7: 'groups' must be a list of {{id, label, codes}}",
    ]


def test_codebook_header_defaults_and_source(tmp_path: Path) -> None:
    """Without an id the file name is the id, without a version it is 1; upper-case ids are fine; the codebook
    remembers its file (messages and the lint name it)."""
    path = write(tmp_path / "team-codebook.yml", """codebook: {title: {ka: კოდების წიგნი, en: Codebook}}
themes:
  - {id: t, label: {en: T}, codes: [{id: t.a, label: {en: A}}]}
""")
    cb = load_codebook(path)
    assert (cb.id, cb.version, cb.languages, cb.title, cb.source) == (
        "team-codebook", "1", ["ka", "en"], {"ka": "კოდების წიგნი", "en": "Codebook"}, path)
    upper = write(tmp_path / "upper.yml", "codebook: {id: GTNA-2026.v1, version: 2.1}\n"
                                          "themes: [{id: t, label: {en: T}, codes: [{id: t.a, label: {en: A}}]}]\n")
    assert (load_codebook(upper).id, load_codebook(upper).version) == ("GTNA-2026.v1", "2.1")


def test_context_lists_and_code_colours_are_checked_at_their_own_line(tmp_path: Path) -> None:
    """``exclude_patterns`` and ``requires`` have the same shape as ``patterns`` and are reported at their own key;
    a language whose list is broken does not hide the next language; a code colour is checked like a theme's."""
    path = write(tmp_path / "codebook.yml", """codebook: {id: c, version: 1, languages: [ka, en]}
themes:
  - id: t
    label: {en: T}
    codes:
      - id: t.a
        label: {en: A}
        exclude_patterns: [not here]
        requires: also wrong
        color: red
        patterns:
          ka: {a: b}
          en: [[1]]
""")
    assert problems(path) == [
        f"{path}:12: code t.a patterns.ka: expected a list of patterns",
        f"{path}:13: code t.a patterns.en: a pattern must be text, got LineList",
        f"{path}:8: code t.a exclude_patterns: expected a mapping of language -> list of patterns "
        '(hint: e.g. patterns: {ka: ["ძალადობ*"], en: ["violence"]})',
        f"{path}:9: code t.a requires: expected a mapping of language -> list of patterns "
        '(hint: e.g. patterns: {ka: ["ძალადობ*"], en: ["violence"]})',
        f"{path}:10: code t.a: colour 'red' must look like #0072B2",
    ]


def test_a_field_given_as_an_empty_mapping_is_an_empty_field(tmp_path: Path) -> None:
    """``definition: {ka: "", en: ""}`` (a template not filled in yet) is no definition, not an error."""
    cb = load_codebook(write(tmp_path / "codebook.yml", """codebook: {id: c, version: 1, languages: [ka, en]}
themes:
  - id: t
    label: {en: T}
    codes:
      - id: t.a
        label: {en: A}
        definition: {ka: "", en: ""}
"""))
    assert (cb.code("t.a").definition, cb.code("t.a").translations) == ("", {"definition": {}})
