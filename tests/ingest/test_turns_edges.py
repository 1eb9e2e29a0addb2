"""Speaker turns beyond the common cases (``ingest.turns``): timestamps with decimal commas, turn numbers and times,
the typed text of converted lines (``original_text``), prose words with dots, and every problem of a file
reported in one run."""

from __future__ import annotations

from dataclasses import replace

from transcript_files import legacy

from gtna_analysis.errors import ProblemLog
from gtna_analysis.ingest.clean import clean_paragraph
from gtna_analysis.ingest.readers.base import BodyLine
from gtna_analysis.ingest.turns import UNKNOWN_LABEL_HINT, parse_timestamp, parse_turns

from .test_turns import META, QUESTIONS, NoMask, parse, speakers


def test_timestamps_in_every_written_form() -> None:
    assert parse_timestamp("00:01:05") == 65.0
    assert parse_timestamp("1:05") == 65.0
    assert parse_timestamp("01:02:03,250") == 3723.25  # SRT writes milliseconds after a comma
    assert parse_timestamp("01:02:03.5") == 3723.5


def test_timestamped_lines_give_turn_times_and_numbers() -> None:
    _, turns, log = parse(["[00:00:10,5] ინტერვიუერი: [Q1] პრიორიტეტები?", "[00:00:30] P1: ძალადობის პრევენცია.",
                           "ისევ P1-ის პასუხი.", "[00:01:00.25] P2: სტატისტიკა."])
    assert not log
    assert [(t.turn_no, t.speaker_id, t.line, t.t_start, t.t_end) for t in turns] == [
        (1, "INT1", 1, 10.5, 30.0), (2, "P1", 2, 30.0, 60.25), (3, "P2", 4, 60.25, None)]


def test_cue_times_and_lines_of_turns_from_subtitles() -> None:
    """Subtitle cues carry start and end times: the first turn may be unattributed (a cue before anybody is named),
    and every turn keeps the line, start and end of the cues it was made of."""
    lines = [BodyLine(2, "Recording started.", 0.5, 1.5),
             BodyLine(5, "Interviewer: [Q1] Priorities?", 2.0, 3.0),
             BodyLine(8, "P1: Violence prevention.", 3.5, 5.0),
             BodyLine(11, "And statistics.", 5.0, 7.25)]
    _, turns, log = parse(lines)
    assert not log
    assert [(t.turn_no, t.speaker_role, t.line, t.t_start, t.t_end) for t in turns] == [
        (1, "unattributed", 2, 0.5, 1.5), (2, "interviewer", 5, 2.0, 3.0), (3, "participant", 8, 3.5, 7.25)]


def test_an_empty_first_line_turn_has_no_text() -> None:
    """A line holding only a timestamp opens an unattributed turn with no words: its text is empty (not the whole
    document)."""
    document, turns, log = parse(["[00:00:05]", "ინტერვიუერი: [Q1] პრიორიტეტები?", "P1: ბევრი."])
    assert not log and [t.text for t in turns] == ["", "პრიორიტეტები?", "ბევრი."]
    assert turns[0].start_char == turns[0].end_char == len("[00:00:05] ")
    assert all(document[t.start_char:t.end_char] == t.text for t in turns)


def test_the_same_label_twice_makes_two_turns() -> None:
    """Only subtitle voices merge consecutive cues; a transcriber who writes the label again starts a new turn."""
    _, turns, log = parse(["P1: პირველი აზრი.", "P1: მეორე აზრი."])
    assert not log and [(t.turn_no, t.text) for t in turns] == [(1, "პირველი აზრი."), (2, "მეორე აზრი.")]


def test_guide_question_label_without_an_interviewer_in_the_header() -> None:
    _, turns, log = parse(["Q3: რამდენი ხანი?", "P1: ორი დღე."], meta=replace(META, interviewer=None))
    assert not log and speakers(turns) == [("INT", "interviewer"), ("P1", "participant")]
    assert turns[0].question_tag == "Q3"


def test_abbreviated_prose_words_with_dots_are_not_labels() -> None:
    _, turns, log = parse(["P1: ბევრი რამ გვჭირდება.", "მაგ.: სტატისტიკა და ტრენინგი.", "ე.ი.: ორივე."])
    assert not log and len(turns) == 1
    assert turns[0].text == "ბევრი რამ გვჭირდება.\nმაგ.: სტატისტიკა და ტრენინგი.\nე.ი.: ორივე."


def test_every_unknown_speaker_and_tag_of_a_file_is_reported() -> None:
    """Parsing goes on after a problem, so one run lists everything wrong with the file (with what to do)."""
    lines = [BodyLine(1, "Somebody: hello"), BodyLine(2, "cue", 1.0, 2.0, "Nobody"),
             BodyLine(3, "Interviewer: [Q42] what?"), BodyLine(4, "Stranger: hi"), BodyLine(5, "cue", 3.0, 4.0, "X Y")]
    _, turns, log = parse(lines)
    assert [(p.line, p.message, p.hint) for p in log.problems] == [
        (1, "unknown speaker label 'Somebody'", UNKNOWN_LABEL_HINT),
        (2, "unknown speaker 'Nobody' in voice tag", UNKNOWN_LABEL_HINT),
        (3, "question tag [Q42] is not in the questionnaire", "known: " + ", ".join(f"Q{i}" for i in range(1, 11))),
        (4, "unknown speaker label 'Stranger'", UNKNOWN_LABEL_HINT),
        (5, "unknown speaker 'X Y' in voice tag", UNKNOWN_LABEL_HINT),
    ]
    assert speakers(turns) == [("INT1", "interviewer")]


def test_original_text_is_what_was_typed_for_converted_lines() -> None:
    """A line typed with a legacy font is converted; its turn keeps the typed words (without label, timestamp or
    guide tag) next to the converted ones, also after a ``Qn:`` label and when a turn goes on over lines."""
    typed = ["ინტერვიუერი: [Q1] რა გირჩევნიათ?",
             "[00:01:02] P1: " + legacy("კი, ასე არის."),
             legacy("ძალიან მნიშვნელოვანია."),
             "Q2: " + legacy("რამდენი დღე?"),
             "P2: ორი დღე."]
    cleaned = [clean_paragraph(line) for line in typed]
    assert [c.conversion is not None for c in cleaned] == [False, True, True, True, False]
    body = [BodyLine(i + 1, c.text) for i, c in enumerate(cleaned)]
    log = ProblemLog()
    _, turns = parse_turns(body, META, NoMask(None), QUESTIONS, log, [c.conversion for c in cleaned])
    assert not log
    assert [(t.text, t.original_text) for t in turns] == [
        ("რა გირჩევნიათ?", "რა გირჩევნიათ?"),  # a leading guide tag is scaffolding, like the label
        ("კი, ასე არის.\nძალიან მნიშვნელოვანია.", legacy("კი, ასე არის.") + "\n" + legacy("ძალიან მნიშვნელოვანია.")),
        ("რამდენი დღე?", legacy("რამდენი დღე?")),
        ("ორი დღე.", "ორი დღე."),
    ]
    assert turns[2].question_tag == "Q2"
    kinds = [c.kind for c in cleaned]  # legacy_font or chat_latin, as script detection judged each line
    assert [t.conversions for t in turns] == [set(), {kinds[1], kinds[2]}, {kinds[3]}, set()]
