"""Question alignment: [Qn] tags, else weighted coverage of the guide wording (ka/en) with a confidence.

Accuracy is measured on the sample study: every [Qn] tag is stripped, the aligner must recover the tagged guide
questions and the guide questions the interviewers asked untagged (gold in fixtures/ingest/alignment_gold.yml),
without switching on follow-up probes. Measured when written: 130/130 guide questions recovered, 0 false
switches, 454/454 segments on the right question (without the guide-order bonus: 125/130 and 438/454).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import MINI_CODEBOOK, copy_sample_study

from gtna_analysis.errors import ProblemLog
from gtna_analysis.ingest.align import QuestionMatcher, align_turns, content_stems
from gtna_analysis.ingest.interview import InterviewMeta, Participant
from gtna_analysis.ingest.pseudonymise import StudyNames
from gtna_analysis.ingest.readers.base import BodyLine, RawTranscript
from gtna_analysis.ingest.transcripts import collect_sources, parse_interview, read_all
from gtna_analysis.ingest.turns import Turn
from gtna_analysis.study import Study, load_study

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "alignment_gold.yml"
TAG = re.compile(r"\[(Q\d+)\]\s*")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    return load_study(copy_sample_study(tmp_path_factory.mktemp("align") / "raw", codebook=MINI_CODEBOOK))


def evaluate(study: Study, monkeypatch: pytest.MonkeyPatch | None = None, order_bonus: float | None = None
             ) -> dict[str, int]:
    """Strip every tag, re-align, and compare with the gold question of every interviewer and participant turn."""
    if monkeypatch is not None and order_bonus is not None:
        monkeypatch.setattr("gtna_analysis.ingest.align.ORDER_BONUS", order_bonus)
    gold_untagged = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    log = ProblemLog()
    items = read_all(study, collect_sources(study, log), log)
    names = StudyNames([i.meta for i in items])
    counts = dict.fromkeys(("guide", "guide_ok", "false_switch", "segments", "segments_ok"), 0)
    for item in items:
        gold = {int(k): v for k, v in gold_untagged.get(item.meta.interview_id, {}).items()}
        body = []
        for line in item.raw.body:
            tag = TAG.search(line.text)
            if tag:
                gold[line.line] = tag.group(1)
            body.append(BodyLine(line.line, TAG.sub("", line.text)))
        raw = RawTranscript(item.raw.path, item.raw.header, body)
        current = None
        for seg in parse_interview(raw, item.meta, study, names).segments:
            if seg["speaker_role"] == "interviewer":
                if seg["line"] in gold:
                    current = gold[seg["line"]]
                    counts["guide"] += 1
                    counts["guide_ok"] += seg["question_id"] == current
                elif seg["question_id"] != current:
                    counts["false_switch"] += 1
            counts["segments"] += 1
            counts["segments_ok"] += seg["question_id"] == current
    return counts


def test_alignment_accuracy_on_the_sample_without_tags(study: Study) -> None:
    counts = evaluate(study)
    assert counts["guide"] == 130 and counts["segments"] == 454
    assert counts["guide_ok"] / counts["guide"] >= 0.97
    assert counts["false_switch"] <= 2
    assert counts["segments_ok"] / counts["segments"] >= 0.97


def test_guide_order_bonus_helps(study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    with_bonus = evaluate(study)["segments_ok"]
    assert evaluate(study, monkeypatch, order_bonus=0.0)["segments_ok"] < with_bonus


def test_tagged_sample_uses_tags_and_similarity_for_the_rest(study: Study) -> None:
    log = ProblemLog()
    items = read_all(study, collect_sources(study, log), log)
    names = StudyNames([i.meta for i in items])
    methods: dict[str, int] = {}
    for item in items:
        for seg in parse_interview(item.raw, item.meta, study, names).segments:
            if seg["speaker_role"] == "interviewer":
                methods[seg["question_method"]] = methods.get(seg["question_method"], 0) + 1
                if seg["question_method"] == "similarity":
                    assert 0.5 <= seg["question_confidence"] <= 1.0
                if seg["question_method"] == "tag":
                    assert seg["question_confidence"] == 1.0
    assert methods["tag"] == 104 and methods["similarity"] == 26


def turns_of(*texts: tuple[str, str]) -> list[Turn]:
    """Turns from (role, text) pairs: role 'i' is the interviewer, anything else participant P1."""
    return [Turn(i + 1, "INT1" if role == "i" else "P1", "interviewer" if role == "i" else "participant", i + 1,
                 text=text) for i, (role, text) in enumerate(texts)]


def test_georgian_inflection_and_paraphrase(study: Study) -> None:
    matcher = QuestionMatcher(study.questions)
    assert matcher.best("თქვენს უწყებაში რომელ პრიორიტეტებს გამოყოფდით გენდერული თანასწორობის კუთხით?")[0] == "Q1"
    assert matcher.best("რა ინსტრუმენტები გამოიყენება გენდერულ მეინსტრიმინგში, გენდერული ანალიზი?")[0] == "Q4"
    assert matcher.best("Who should attend: managers or specialists?")[0] == "Q9"
    assert content_stems("თანამშრომლებს თანამშრომლების")[0] == content_stems("თანამშრომლები")[0]


def test_answers_follow_the_question_and_probes_do_not_switch(study: Study) -> None:
    turns = turns_of(("p", "Hello."), ("i", "What type of training would suit you best — online or blended?"),
                     ("p", "Blended."), ("i", "Can you give an example?"), ("p", "Workshops."),
                     ("i", "And how long should the module be, in days?"), ("p", "Two days."),
                     ("i", "That's quite a long list."), ("p", "Yes."))
    aligned = align_turns(turns, study.questions)
    assert [a.question_id for a in aligned] == [None, "Q6", "Q6", "Q6", "Q6", "Q7", "Q7", "Q7", "Q7"]
    assert [a.method for a in aligned] == ["none", "similarity", "inherited", "inherited", "inherited",
                                           "similarity", "inherited", "inherited", "inherited"]
    assert aligned[2].confidence == aligned[1].confidence < 1.0


def test_tags_win_over_similarity(study: Study) -> None:
    turns = [Turn(1, "INT1", "interviewer", 1, question_tag="Q8",
                  text="What type of training would suit you best — in person, online or blended?"),
             Turn(2, "P1", "participant", 2, text="Gender budgeting.")]
    aligned = align_turns(turns, study.questions)
    assert [(a.question_id, a.confidence, a.method) for a in aligned] == [("Q8", 1.0, "tag"), ("Q8", 1.0,
                                                                                               "inherited")]


def test_segments_carry_confidence_and_method() -> None:
    from gtna_analysis.schema import SEGMENT_COLUMNS

    assert {"question_id", "question_confidence", "question_method"} <= set(SEGMENT_COLUMNS)


def test_english_and_georgian_wording_both_count(study: Study) -> None:
    meta = InterviewMeta("X-1", "moes", "individual", "en", [Participant("P1", "")], source=Path("x.md"))
    raw = RawTranscript(Path("x.md"), None, [
        BodyLine(1, "Interviewer: Which topics should the training content cover, in your view?"),
        BodyLine(2, "P1: Budgeting."),
        BodyLine(3, "ინტერვიუერი: ვინ უნდა მიიღოს მონაწილეობა ტრენინგში?"), BodyLine(4, "P1: ყველამ.")])
    segments = parse_interview(raw, meta, study, StudyNames([meta]), "0" * 64).segments
    assert [s["question_id"] for s in segments] == ["Q8", "Q8", "Q9", "Q9"]
