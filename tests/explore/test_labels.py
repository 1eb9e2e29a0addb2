"""The interface speaks Georgian when the study does: every label has both languages, the Georgian in Mkhedruli."""

from __future__ import annotations

import re

from gtna_analysis.explore.labels import LABELS, labels


def test_every_label_has_georgian_and_english() -> None:
    for key, forms in LABELS.items():
        assert forms.get("en") and forms.get("ka"), key
        assert re.search("[\u10d0-\u10ff]", forms["ka"]), f"{key}: Georgian label without Georgian letters"
        assert set(re.findall(r"\{(\w+)\}", forms["ka"])) == set(re.findall(r"\{(\w+)\}", forms["en"])), key


def test_numbers_take_the_singular_in_georgian() -> None:
    line = labels("ka")["counts"].format(passages=12, interviews=3, participants=5)
    assert line == "12 მონაკვეთი · 3 ინტერვიუ · 5 რესპონდენტი"
    assert labels("en")["counts"].startswith("{passages} passage(s)")
