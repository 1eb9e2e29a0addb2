"""Speaker turns: labels in Georgian and English, group interviews, timestamps, tags, and lossless offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.ingest.clean import clean_line
from gtna_analysis.ingest.interview import InterviewMeta, Participant
from gtna_analysis.ingest.pseudonymise import Pseudonymiser, StudyNames
from gtna_analysis.ingest.readers.base import BodyLine, RawTranscript
from gtna_analysis.ingest.transcripts import parse_interview
from gtna_analysis.ingest.turns import Turn, parse_turns, resolve_label
from gtna_analysis.study import load_study

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "raw"
QUESTIONS = {f"Q{i}" for i in range(1, 11)}
META = InterviewMeta("MOES-01", "moes", "group", "ka", [
    Participant("P1", "ნინო ბერიძე"), Participant("P2", "Giorgi Kapanadze"), Participant("P3", "მაია ცინცაძე"),
], interviewer="INT1", source=Path("t.md"))
SOLO = InterviewMeta("MOES-02", "moes", "individual", "en", [Participant("P1", "Tamar Kobalia")],
                     interviewer="INT2", source=Path("s.md"))


class NoMask(Pseudonymiser):
    """Leaves text alone, so tests can compare content exactly."""

    def apply(self, text: str) -> str:
        return text


def parse(lines: list[str] | list[BodyLine], meta: InterviewMeta = META, mask: bool = False
          ) -> tuple[str, list[Turn], ProblemLog]:
    body = [b if isinstance(b, BodyLine) else BodyLine(i + 1, clean_line(b)[0]) for i, b in enumerate(lines)]
    log = ProblemLog()
    pseudonymiser = StudyNames([meta]).for_interview(meta) if mask else NoMask(None)
    document, turns = parse_turns(body, meta, pseudonymiser, QUESTIONS, log)
    return document, turns, log


def speakers(turns: list[Turn]) -> list[tuple[str, str]]:
    return [(t.speaker_id, t.speaker_role) for t in turns]


@pytest.mark.parametrize(("label", "expected"), [
    ("ინტერვიუერი", ("INT1", "interviewer")), ("მოდერატორი", ("INT1", "interviewer")),
    ("Interviewer", ("INT1", "interviewer")), ("I", ("INT1", "interviewer")), ("Q", ("INT1", "interviewer")),
    ("INT1", ("INT1", "interviewer")), ("Interviewer 2", ("INT2", "interviewer")), ("INT2", ("INT2", "interviewer")),
    ("რესპონდენტი 1", ("P1", "participant")), ("რესპონდენტი  3", ("P3", "participant")),
    ("Respondent 2", ("P2", "participant")), ("R2", ("P2", "participant")), ("P 3", ("P3", "participant")),
    ("P1", ("P1", "participant")), ("p2", ("P2", "participant")), ("რესპ. 2", ("P2", "participant")),
    ("ნინო", ("P1", "participant")), ("ნინო ბერიძე", ("P1", "participant")), ("Nino", ("P1", "participant")),
    ("Giorgi Kapanadze", ("P2", "participant")), ("Giorgi", ("P2", "participant")),
    ("რესპონდენტი 4", None), ("Respondent", None), ("P9", None), ("თამარი", None),
])
def test_resolve_label(label: str, expected: tuple[str, str] | None) -> None:
    assert resolve_label(label, META) == expected


def test_unnumbered_respondent_in_individual_interview() -> None:
    assert resolve_label("Respondent", SOLO) == ("P1", "participant")
    assert resolve_label("რესპონდენტი", SOLO) == ("P1", "participant")
    assert resolve_label("Interviewer", SOLO) == ("INT2", "interviewer")


def test_group_interview_turns_span_lines_and_blank_lines() -> None:
    document, turns, log = parse([
        "[00:00:05] ინტერვიუერი: [Q1] რა არის თქვენი უწყების პრიორიტეტები?",
        "[00:00:12] რესპონდენტი 1: პირველი აბზაცი.", "", "მეორე აბზაცი, იგივე პასუხი.",
        "[00:01:02] P2: I agree.", "რესპონდენტი 3: მეც.", "Interviewer: Thank you.",
    ])
    assert not log
    assert speakers(turns) == [("INT1", "interviewer"), ("P1", "participant"), ("P2", "participant"),
                               ("P3", "participant"), ("INT1", "interviewer")]
    assert turns[1].text == "პირველი აბზაცი.\nმეორე აბზაცი, იგივე პასუხი."
    assert turns[0].question_tag == "Q1" and turns[0].text == "რა არის თქვენი უწყების პრიორიტეტები?"
    assert (turns[0].t_start, turns[0].t_end, turns[1].t_start, turns[1].t_end) == (5.0, 12.0, 12.0, 62.0)
    assert turns[2].t_end is None and turns[3].t_start is None
    assert document.splitlines()[0] == "[00:00:05] INT1: [Q1] რა არის თქვენი უწყების პრიორიტეტები?"
    assert [t.line for t in turns] == [1, 2, 5, 6, 7]


def test_names_used_as_labels_disappear_from_the_document() -> None:
    document, turns, log = parse(["Interviewer: Hello.", "ნინო ბერიძე: გამარჯობა.", "Giorgi: Hi, Nino."],
                                 mask=True)
    assert not log and speakers(turns)[1:] == [("P1", "participant"), ("P2", "participant")]
    assert "ნინო" not in document and "Giorgi" not in document and "Nino" not in document
    assert document.splitlines()[2] == "P2: Hi, [P1]."


def test_question_tag_anywhere_in_an_interviewer_turn() -> None:
    _, turns, log = parse(["ინტერვიუერი: მადლობა, რომ მოხვედით. [Q1] რა არის პრიორიტეტები?", "P1: ბევრი.",
                           "ინტერვიუერი: კარგი.", "ახლა შემდეგი: [Q2] რამდენად იცნობენ?", "P2: კარგად.",
                           "Q3: Have staff attended training?", "P1: No."])
    assert not log
    assert [t.question_tag for t in turns] == ["Q1", None, "Q2", None, "Q3", None]
    assert turns[0].text == "მადლობა, რომ მოხვედით. [Q1] რა არის პრიორიტეტები?"
    assert turns[4].text == "Have staff attended training?"


def test_participants_cannot_tag_questions() -> None:
    _, turns, log = parse(["Interviewer: [Q1] Priorities?", "P1: [Q2] is my favourite question."])
    assert not log and turns[1].question_tag is None


@pytest.mark.parametrize(("line", "message"), [
    ("რესპონდენტი 4: ჩემი აზრით…", "unknown speaker label 'რესპონდენტი 4'"),
    ("P7: yes", "unknown speaker label 'P7'"),
    ("თამარი: დიახ.", "unknown speaker label 'თამარი'"),
    ("Tamar Kobalia: yes", "unknown speaker label 'Tamar Kobalia'"),
    ("Interviewer: [Q42] Unknown question?", "question tag [Q42] is not in the questionnaire"),
])
def test_unknown_speakers_and_tags_are_located_errors(line: str, message: str) -> None:
    _, _, log = parse(["Interviewer: Hello.", "P1: Hi.", line])
    assert len(log.problems) == 1 and str(log.problems[0]).startswith(f"t.md:3: {message}")


@pytest.mark.parametrize("line", [
    "და კიდევ ერთი რამ: ბიუჯეტი.", "მაგალითად: სკოლებში.", "Example: schools.", "Note: the law changed.",
    "ჩვენი აზრით, ასეა: ყველამ უნდა იცოდეს.", "2017 წელს: ცვლილებები.",
])
def test_colons_in_prose_are_not_labels(line: str) -> None:
    _, turns, log = parse(["P1: პასუხი.", line])
    assert not log and len(turns) == 1 and turns[0].text == f"პასუხი.\n{line}"


def test_text_before_the_first_label_is_unattributed() -> None:
    _, turns, log = parse(["ინტერვიუს ჩანაწერი, 2018", "ინტერვიუერი: [Q1] პრიორიტეტები?", "P1: ბევრი."])
    assert not log and speakers(turns)[0] == ("", "unattributed")


def test_a_label_on_its_own_line() -> None:
    document, turns, log = parse(["Interviewer:", "[Q1] What are the priorities?", "P1:", "", "Data."])
    assert not log and [t.text for t in turns] == ["[Q1] What are the priorities?", "Data."]
    assert turns[0].question_tag == "Q1"
    assert all(document[t.start_char:t.end_char] == t.text for t in turns)


def test_voice_tags_name_speakers_and_consecutive_cues_merge() -> None:
    lines = [BodyLine(3, "[Q1] Priorities?", 1.0, 2.0, "Interviewer"),
             BodyLine(6, "Violence prevention.", 2.5, 4.0, "Nino Beridze"),
             BodyLine(9, "And statistics.", 4.0, 6.0, "Nino Beridze"),
             BodyLine(12, "P2: I agree.", 6.5, 8.0, None),
             BodyLine(15, "Who knows.", 8.0, 9.0, "Somebody Else")]
    _, turns, log = parse(lines)
    assert speakers(turns) == [("INT1", "interviewer"), ("P1", "participant"), ("P2", "participant")]
    assert turns[1].text == "Violence prevention.\nAnd statistics." and turns[1].t_end == 6.0
    assert [str(p) for p in log.problems] == [
        "t.md:15: unknown speaker 'Somebody Else' in voice tag (hint: use ინტერვიუერი/Interviewer, "
        "რესპონდენტი N/Respondent N, P N, or a participant id or name from the header; if this is prose, do not "
        "start the line with 'word:')"]


def test_sample_transcripts_parse_without_problems() -> None:
    """Every sample transcript: turns alternate sensibly and each has interviewer and participant turns."""
    from gtna_analysis.ingest.transcripts import collect_sources, read_all

    study = load_study(SAMPLE) if (SAMPLE / "codebook.yml").exists() else None
    if study is None:
        pytest.skip("sample codebook not present")
    log = ProblemLog()
    items = read_all(study, collect_sources(study, log), log)
    assert not log and len(items) == 13
    names = StudyNames([i.meta for i in items])
    for item in items:
        parsed = parse_interview(item.raw, item.meta, study, names)
        roles = {s["speaker_role"] for s in parsed.segments}
        assert roles == {"interviewer", "participant"}, item.meta.interview_id
        ids = {s["speaker_id"] for s in parsed.segments if s["speaker_role"] == "participant"}
        assert ids == {p.id for p in item.meta.participants}, item.meta.interview_id


# --- lossless segments: properties over arbitrary input -----------------------------------------------------

SCAFFOLDING = re.compile(r"(?:\n|\[[\d:.,]+\] |(?:INT\d*|P\d+): |\[Q\d+[a-z]?\] ?)*")
_ALPHABET = st.sampled_from(list("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ abcdefgTSCZ XYZ019:[]()?,.-—@+\n\t\u00a0\u0301"))
_LABELS = st.sampled_from(["", "P1: ", "P2: ", "P3: ", "რესპონდენტი 2: ", "Interviewer: ", "ინტერვიუერი: [Q3] ",
                           "[00:01:02] P1: ", "ნინო: ", "Respondent 9: ", "Q4: ", "Note: ", "(00:02) "])
_LINE = st.tuples(_LABELS, st.text(_ALPHABET, max_size=60)).map("".join)


def _check_offsets(document: str, segments: list[dict] | list[Turn]) -> None:
    rows = [s if isinstance(s, dict) else vars(s) for s in segments]
    position = 0
    for row in rows:
        assert position <= row["start_char"] <= row["end_char"] <= len(document)
        assert document[row["start_char"]:row["end_char"]] == row["text"]
        assert SCAFFOLDING.fullmatch(document[position:row["start_char"]]), document[position:row["start_char"]]
        position = row["end_char"]
    assert SCAFFOLDING.fullmatch(document[position:])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=12))
def test_any_text_parses_and_segments_reassemble_the_document(lines: list[str]) -> None:
    """The full per-transcript pipeline (clean, pseudonymise, turns, align) on arbitrary lines: it either works
    or reports located problems, and segment offsets tile the document with only scaffolding in between."""
    study = _study()
    raw = RawTranscript(Path("t.md"), None, [BodyLine(i + 1, text) for i, text in enumerate(lines)])
    try:
        parsed = parse_interview(raw, META, study, StudyNames([META]), "0" * 64)
    except GtnaError as exc:
        assert all(p.path == "t.md" and p.line for p in exc.problems)
        return
    _check_offsets(parsed.document, parsed.segments)


_CONTENT = st.text(st.sampled_from(list("აბგდევზთიკლმნოპრსტუფქღყშჩცძწჭხჯ abcdefghijk,.?!—")), min_size=1,
                   max_size=40).filter(lambda s: s.strip() and s.strip()[0] not in "-—")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "P1", "P3", "ინტერვიუერი", "Respondent 2", "Interviewer"]),
                          st.booleans(), _CONTENT), min_size=1, max_size=10))
def test_every_word_of_the_input_is_in_exactly_one_segment(lines: list[tuple[str, bool, str]]) -> None:
    """Structured input: what the segments hold, joined, is exactly the cleaned content of the lines."""
    texts, expected = [], []
    for label, stamped, content in lines:
        stamp = "[00:00:01] " if stamped else ""
        texts.append(f"{stamp}{label}: {content}" if label else f"{stamp}{content}")
        cleaned = clean_line(content)[0]
        if label or not expected:
            expected.append([cleaned] if cleaned else [])
        elif cleaned:
            expected[-1].append(f"[00:00:01] {cleaned}" if stamped else cleaned)
    document, turns, log = parse(texts)
    assert not log
    _check_offsets(document, turns)
    assert [t.text for t in turns] == ["\n".join(e) for e in expected]


_STUDY = None


def _study():
    """The sample questionnaire, loaded once (a codebook is not needed to parse)."""
    global _STUDY
    if _STUDY is None:
        from gtna_analysis.study import Question
        from gtna_analysis.yamlio import load_yaml_file

        data = load_yaml_file(SAMPLE / "questionnaire.yml")
        questions = [Question(str(q["id"]), str(q["topic"]), dict(q["text"])) for q in data["questions"]]
        _STUDY = type("S", (), {"questions": questions, "question_ids": [q.id for q in questions]})()
    return _STUDY


def test_a_georgian_speaker_label_does_not_decide_the_script_of_the_answer() -> None:
    """Found by Hypothesis: "ინტერვიუერი: gj" kept the Latin letters that "P1: gj" converted, because the
    label's Georgian letters outweighed the short answer's Latin ones."""
    for label in ("P1", "ინტერვიუერი", "რესპონდენტი 2", "Interviewer"):
        _, turns, log = parse([f"{label}: ki, ase"])
        assert not log
        assert [t.text for t in turns] == ["კი, ასე"], label
    _, turns, _ = parse(["მაგალითად: zoom"])  # prose word, not a speaker: the line is judged whole
    assert [t.text for t in turns] == ["მაგალითად: zoom"]
