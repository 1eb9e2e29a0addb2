"""Codebooks beyond the sample (``coding.codebook``): labels in one language only, codable themes, the codes table
reports join on, the YAML written for an imported codebook, label messages, and the single-word lint."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from shared_coding import write

from gtna_analysis.coding.codebook import context_warnings, dump_codebook_yaml, load_codebook
from gtna_analysis.errors import GtnaError

ONE_LANGUAGE = """codebook: {id: partial, version: 1, languages: [ka, en], title: {ka: ნაწილობრივი}}
themes:
  - id: format
    label: {en: Format}
    color: "#0072B2"
    codable: true
    description: {ka: ტრენინგის ფორმატი, en: Format of the training}
    memo: imported from MAXQDA
    codes:
      - id: format.online
        label: {ka: ონლაინ}
        color: "#AA4499"
        memo: check with the team
        patterns: {ka: ["ონლაინ*"], en: ["online", "zoom", "webinar", "e-learning", "re:\\\\bremote\\\\b"]}
        codes:
          - id: format.online.video
            label: Video
            patterns: {en: ["video call"]}
      - id: format.blended
        label: {en: Blended}
        patterns: {en: ["blended"]}
        requires: {en: ["training"]}
groups:
  - id: delivery
    label: {ka: მიწოდება}
    codes: [format.online, format.blended]
"""


@pytest.fixture
def codebook(tmp_path: Path):
    return load_codebook(write(tmp_path / "codebook.yml", ONE_LANGUAGE))


def test_a_label_in_one_language_stands_in_for_the_other(codebook) -> None:
    online, video = codebook.code("format.online"), codebook.code("format.online.video")
    assert (online.text("en"), online.text("ka")) == ("ონლაინ", "ონლაინ")
    assert (video.text("ka"), video.label) == ("Video", {"en": "Video"})  # a plain string is the English label
    theme = codebook.theme("format")
    assert (theme.text("ka"), theme.text("en")) == ("Format", "Format")
    assert codebook.groups[0].text("en") == "მიწოდება"


def test_a_codable_theme_is_its_own_code_with_its_description(codebook) -> None:
    own = codebook.code("format")
    assert (own.parent_id, own.patterns, own.definition) == (None, {}, "Format of the training")
    assert own.field_text("definition", "ka") == "ტრენინგის ფორმატი"
    assert own.field_text("definition", "en") == "Format of the training"
    assert own.field_text("include", "ka") == ""


def test_codes_table_for_reports(codebook) -> None:
    rows = codebook.codes_frame().set_index("code_id")
    assert rows.index.tolist() == ["format", "format.online", "format.online.video", "format.blended"]
    video = rows.loc["format.online.video"]
    assert (video["code_label_ka"], video["code_label_en"], video["theme_label_ka"], video["theme_label_en"]) == \
           ("Video", "Video", "Format", "Format")
    assert (video["parent_id"], video["code_color"], video["n_patterns"]) == ("format.online", "#0072B2", 1)
    online = rows.loc["format.online"]
    assert (online["code_label_en"], online["parent_id"], online["code_color"], online["n_patterns"]) == \
           ("ონლაინ", "", "#AA4499", 6)
    assert rows.loc["format", "definition"] == "Format of the training"


def test_written_yaml_is_readable_georgian_in_schema_order_and_loads_back(codebook, tmp_path: Path) -> None:
    text = dump_codebook_yaml(codebook, "Imported from team.qdc\n\nedit the patterns")
    assert text.startswith("# Imported from team.qdc\n#\n# edit the patterns\ncodebook:")
    assert "ტრენინგის ფორმატი" in text and "\\u" not in text  # Georgian as written, not escaped
    data = yaml.safe_load(text)
    assert list(data) == ["codebook", "themes", "groups"]
    assert list(data["codebook"]) == ["id", "version", "languages", "title"]
    assert data["codebook"]["title"] == {"ka": "ნაწილობრივი"}
    theme = data["themes"][0]
    assert (theme["memo"], theme["codable"], theme["codes"][0]["memo"]) == ("imported from MAXQDA", True,
                                                                           "check with the team")
    again = load_codebook(write(tmp_path / "again.yml", text))
    assert [(c.id, c.label, c.memo, c.parent_id) for c in again.codes] == \
           [(c.id, c.label, c.memo, c.parent_id) for c in codebook.codes]
    long_line = max(len(line) for line in dump_codebook_yaml(codebook).splitlines())
    assert long_line <= 120


def test_label_problems_are_located_with_what_to_write(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yml", """codebook: {id: bad, version: 1, languages: [ka, en]}
themes:
  - id: t
    codes:
      - id: t.a
        label:
          ka: ა
          de: A
        patterns: {en: [a]}
      - id: t.b
        label: [b]
        patterns: {en: [b]}
""")
    with pytest.raises(GtnaError) as info:
        load_codebook(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:8: code t.a: unknown language 'de' (hint: use ka, en)",  # at the language's own line
        f"{path}:11: code t.b: expected {{ka: …, en: …}}",
        f"{path}:3: theme t: missing label (hint: give {{ka: …, en: …}})",
    ]


def test_single_word_lint_names_the_code_and_a_few_words(codebook) -> None:
    assert context_warnings(codebook) == [
        f"{codebook.source}: code format.online fires on 4 single word(s) without context ('ონლაინ*', 'online', "
        "'zoom', …) — add requires: or use phrases if ambiguous"]
