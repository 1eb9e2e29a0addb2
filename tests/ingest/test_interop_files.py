"""Transcripts written by other tools (issue 14): a Pandoc-style ODT, Zoom/Otter-style VTT/SRT, Word tables with a
header row — read line by line, then built into turns with the right speakers.

The fixtures in ``tests/fixtures/interop/`` are written in the other tools' formats (see that folder's README).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import make_study

from gtna_analysis.cli import main
from gtna_analysis.ingest.readers import read_transcript
from gtna_analysis.ingest.readers.tables import header_columns, table_lines
from gtna_analysis.tables import read_table

INTEROP = Path(__file__).resolve().parents[1] / "fixtures" / "interop"


def pandoc_odt(dest: Path) -> Path:
    """Zip the Pandoc-style parts into an .odt the way Pandoc does (``mimetype`` first, stored)."""
    source = INTEROP / "pandoc_odt"
    with zipfile.ZipFile(dest, "w") as archive:
        archive.write(source / "mimetype", "mimetype", compress_type=zipfile.ZIP_STORED)
        for part in sorted(source.rglob("*")):
            if part.is_file() and part.name != "mimetype":
                archive.write(part, part.relative_to(source).as_posix(), compress_type=zipfile.ZIP_DEFLATED)
    return dest


def texts(path: Path) -> list[str]:
    return [b.text for b in read_transcript(path).body if b.text.strip()]


# --- ODT ----------------------------------------------------------------------------------------------------

def test_pandoc_odt_is_read_with_odf_white_space_rules(tmp_path: Path) -> None:
    lines = texts(pandoc_odt(tmp_path / "MOES-93.odt"))
    assert lines == [
        "ინტერვიუ MOES-93",  # heading; the line break in the XML is white space, not a line
        "ინტერვიუერი: [Q1] რა არის თქვენი უწყების პრიორიტეტები გენდერული თანასწორობის კუთხით?",  # nested spans
        "P1: ჩვენი მთავარი პრიორიტეტია  ძალადობის პრევენცია და სტატისტიკა.",  # text:s c=2; footnote left out
        "მეორე ხაზი იმავე აბზაცში.",  # text:line-break
        "ინტერვიუერი: [Q6] როგორი ფორმატი გირჩევნიათ?",  # a soft page break inside the paragraph
        "P1: ონლაინ მოდულები,", "და ორდღიანი სემინარი.",  # list items, nested list
        "ინტერვიუერი: [Q7] რამდენი საათი?", "P1: სულ თორმეტი საათი.",  # table under a header row
    ]
    assert not any("წაშლილი" in line for line in lines)  # tracked deletion is not what was said


def test_odt_without_a_text_body_is_a_located_error(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet

    path = tmp_path / "sheet.odt"
    OpenDocumentSpreadsheet().save(str(path))
    with pytest.raises(Exception, match=r"sheet\.odt:1: not a text document"):
        read_transcript(path)


# --- subtitles ----------------------------------------------------------------------------------------------

def test_zoom_vtt_repeated_name_prefixes_continue_the_turn_and_dash_cues_alternate() -> None:
    raw = read_transcript(INTEROP / "zoom_style.vtt")
    assert [(b.speaker, b.text) for b in raw.body] == [
        (None, "Interviewer: [Q6] What type of training would suit you best,"),
        (None, "in person, online or blended?"),  # "Interviewer:" again: same turn
        (None, "Nino Beridze: Blended, I think. Short online modules"),
        (None, "and then a two-day workshop in person."),
        ("Interviewer", "So two days in person?"),  # dash cue: the other party asks …
        ("Nino Beridze", "Yes, two days is enough."),  # … and the participant answers
        (None, "Everyone would come for two days."),  # Nino goes on after the dash cue
    ]
    assert raw.warnings == []


def test_srt_dash_cue_without_a_known_second_speaker_warns_at_its_line() -> None:
    raw = read_transcript(INTEROP / "dash_cues.srt")
    assert [b.speaker for b in raw.body] == [None, None, None, None, "Interviewer", "Respondent 1", "Interviewer"]
    assert len(raw.warnings) == 2 and raw.warnings[0].endswith(
        "dash_cues.srt:3: a dialogue dash starts a second speaker here, but no earlier speaker is known; the line "
        "stays with the current speaker (write 'Name: …' after the dash)")


# --- Word tables --------------------------------------------------------------------------------------------

def test_word_table_with_georgian_header_and_time_column() -> None:
    assert texts(INTEROP / "word_table_ka.docx") == [
        "[00:00:05] ინტერვიუერი: [Q1] რა არის თქვენი უწყების პრიორიტეტები?",
        "[00:00:12] P1: ძალადობის პრევენცია და სქესის მიხედვით დანაწევრებული სტატისტიკა.",
        "ეს ორი რამ ყველაზე მნიშვნელოვანია.",  # empty speaker cell: the same speaker goes on
        "[00:01:02] ინტერვიუერი: [Q6] როგორი ფორმატი გირჩევნიათ?",
        "[00:01:09] P1: ონლაინ კურსები.",
    ]


def test_word_table_with_english_speaker_text_header() -> None:
    assert texts(INTEROP / "word_table_en.docx") == [
        "Interviewer: [Q1] What are your agency's priorities?",
        "Nino Beridze: Violence prevention, and sex-disaggregated statistics."]


@pytest.mark.parametrize(("row", "expected"), [
    (["Speaker", "Text"], {"speaker": 0, "text": 1}),
    (["#", "Time", "Speaker:", "What was said"], {"number": 0, "time": 1, "speaker": 2, "text": 3}),
    (["მოსაუბრე", "ნათქვამი"], {"speaker": 0, "text": 1}),
    (["Speaker", ""], None),  # no text column
    (["Interviewer", "Text"], None),  # a speaker's row, not a header
    (["P1", "Speaker and text are words"], None),
])
def test_header_row_detection(row: list[str], expected: dict[str, int] | None) -> None:
    assert header_columns(row) == expected


def test_table_without_header_keeps_the_first_cell_as_speaker() -> None:
    assert table_lines([["P1", "ჩვენ", "ვმუშაობთ"], ["", "მხოლოდ ტექსტი"], ["Nota bene:", "x"]]) == [
        "P1: ჩვენ ვმუშაობთ", "მხოლოდ ტექსტი", "Nota bene: x"]


# --- through the build: turns and speakers ------------------------------------------------------------------

INTERVIEWS_CSV = ("interview_id,file,agency,date,mode,language,interviewer,participants\n"
                  "MOES-93,moes/MOES-93.odt,moes,2018-04-01,individual,ka,INT1,P1|ნინო ბერიძე|specialist|female|mid\n")


def test_files_from_other_tools_build_into_attributed_turns(tmp_path: Path) -> None:
    study = make_study(tmp_path / "study", {
        "interviews.csv": INTERVIEWS_CSV,
        "transcripts/moes/MOES-94.vtt": (INTEROP / "zoom_style.vtt").read_text(encoding="utf-8"),
        "transcripts/moes/MOES-95.docx": (INTEROP / "word_table_ka.docx").read_bytes(),
        "transcripts/molhsa/MOLHSA-96.docx": (INTEROP / "word_table_en.docx").read_bytes(),
    })
    pandoc_odt(study / "transcripts" / "moes" / "MOES-93.odt")
    out = tmp_path / "processed"
    assert main(["build", "--study", str(study), "--out", str(out)]) == 0
    segments = read_table(out, "segments")
    turns = (segments.sort_values(["interview_id", "turn_no"]).drop_duplicates(["interview_id", "turn_no"])
             .groupby("interview_id")["speaker_id"].agg(list).to_dict())
    assert turns["MOES-94"] == ["INT1", "P1", "INT1", "P1"]  # 6 cues, 4 turns
    assert turns["MOES-95"] == ["INT1", "P1", "INT1", "P1"]
    assert turns["MOLHSA-96"] == ["INT1", "P1"]
    assert [s for s in turns["MOES-93"] if s] == ["INT1", "P1", "INT1", "P1", "INT1", "P1"]
    zoom = segments[segments["interview_id"] == "MOES-94"].sort_values("turn_no")
    assert "Everyone would come for two days." in " ".join(zoom[zoom["turn_no"] == 4]["text"])


def test_cue_times_lines_voices_and_prefixes_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "a.vtt"
    path.write_text("WEBVTT\n\n01:02:03.250 --> 01:02:05.000\n<v Nino Beridze>First line\nand wrapped\n\n"
                    "01:02:06.000 --> 01:02:08.000\n- Interviewer: Really?\n- Nino Beridze: Yes.\n\n"
                    "01:02:08.500 --> 01:02:09.000\nNino Beridze: More.\n", encoding="utf-8")
    raw = read_transcript(path)
    assert (raw.path, raw.encoding, raw.warnings) == (path, "utf-8", [])
    assert [(b.line, b.speaker, b.text, b.t_start, b.t_end) for b in raw.body] == [
        (4, "Nino Beridze", "First line and wrapped", 3723.25, 3725.0),  # 1 h 2 min 3.25 s
        (8, None, "Interviewer: Really?", 3726.0, 3728.0),  # a dash line with its own name keeps it
        (9, None, "Nino Beridze: Yes.", 3726.0, 3728.0),
        (12, None, "More.", 3728.5, 3729.0),  # the same speaker as the line before: the turn goes on
    ]


def test_subtitle_file_without_cues_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.vtt"
    path.write_text("WEBVTT\n\nNOTE nothing was said\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"empty\.vtt:1: no cues found in subtitle file"):
        read_transcript(path)


def test_header_table_rows_short_rows_and_speaker_colons() -> None:
    assert table_lines([["Speaker", "Text"], ["P1:", "გამარჯობა"], ["P2"], []]) == ["P1: გამარჯობა", "P2: ", ""]
    assert table_lines([]) == []


def test_a_first_cell_up_to_forty_characters_is_a_speaker() -> None:
    forty, longer = "ა" * 40, "ა" * 41
    assert table_lines([[forty, "x"], [longer, "x"]]) == [f"{forty}: x", f"{longer} x"]
