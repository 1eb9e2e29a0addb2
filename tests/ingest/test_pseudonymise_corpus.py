"""The privacy corpus (tests/ingest/data/privacy_cases.yml): leaks that must be closed and words that must stay.

Every case runs through the pseudonymiser of one interview of a small study (the corpus header lists its
participants and keep_names); a case gives the exact output, strings that must be gone, or strings that must stay.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gtna_analysis.ingest.interview import InterviewMeta, Participant
from gtna_analysis.ingest.pseudonymise import Pseudonymiser, StudyNames, join_hyphenated_lines

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "privacy_cases.yml").read_text(encoding="utf-8"))


def _meta(entry: dict) -> InterviewMeta:
    return InterviewMeta(entry["interview_id"], entry["interview_id"].split("-")[0].lower(), "group", "ka",
                         [Participant(p["id"], p["name"]) for p in entry["participants"]])


NAMES = StudyNames([_meta(CORPUS["interview"])] + [_meta(o) for o in CORPUS["others"]], CORPUS["keep_names"])


def test_the_corpus_is_large_and_covers_both_sides() -> None:
    ids = [case["id"] for case in CORPUS["cases"]]
    assert len(ids) >= 80 and len(set(ids)) == len(ids)
    unchanged = [c for c in CORPUS["cases"] if c.get("expected") == c.get("input") or c.get("must_keep")]
    assert len(unchanged) >= 25  # things that must NOT be masked


@pytest.mark.parametrize("case", CORPUS["cases"], ids=[c["id"] for c in CORPUS["cases"]])
def test_privacy_case(case: dict) -> None:
    mask = Pseudonymiser(NAMES, CORPUS["interview"]["interview_id"])
    if "lines" in case:
        output: str | list[str] = [mask.apply(line) for line in join_hyphenated_lines(case["lines"], NAMES)]
        text = "\n".join(output)
    else:
        output = text = mask.apply(case["input"])
    if "expected" in case:
        assert output == case["expected"]
    for leak in case.get("must_not_contain", []):
        assert leak not in text
    for kept in case.get("must_keep", []):
        assert kept in text
