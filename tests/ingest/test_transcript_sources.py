"""The ingest half of a build on small studies (``ingest.transcripts``): which files are transcripts, what each
problem says and where, the metadata checks across files, what a parsed interview holds, and when a cached parse
is taken instead of parsing again — without coding or publishing anything."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from conftest import make_study

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.ingest import transcripts as transcripts_module
from gtna_analysis.ingest.cache import BuildCache
from gtna_analysis.ingest.interview import InterviewMeta, Participant
from gtna_analysis.ingest.pseudonymise import PSEUDONYMISER_VERSION, StudyNames
from gtna_analysis.ingest.readers import BodyLine, RawTranscript
from gtna_analysis.ingest.transcripts import (
    UNSURE_SCRIPT,
    ReadTranscript,
    Source,
    collect_sources,
    discover_transcripts,
    names_fingerprint,
    no_progress,
    parse_all,
    parse_interview,
    read_all,
    read_metadata,
)
from gtna_analysis.study import Study, load_study


def transcript(iid: str, agency: str = "moes", name: str = "ნინო ბერიძე", body: str | None = None) -> str:
    return (f"---\ninterview_id: {iid}\nagency: {agency}\nmode: individual\nlanguage: ka\ninterviewer: INT1\n"
            f"participants:\n  - {{id: P1, name: {name}, role: specialist}}\n---\n\n"
            + (body if body is not None else
               "ინტერვიუერი: [Q1] რა არის პრიორიტეტები?\n\nP1: ტრენინგი გვჭირდება, ნინომ იცის.\n"))


def problems(log: ProblemLog | GtnaError) -> list[str]:
    return [str(p) for p in log.problems]


def study_of(tmp_path: Path, files: dict[str, str | bytes]) -> Study:
    return load_study(make_study(tmp_path / "study", files))


# --- which files are transcripts ---------------------------------------------------------------------------------

def test_transcripts_are_found_in_agency_folders_and_at_the_top(tmp_path: Path) -> None:
    study = study_of(tmp_path, {
        "transcripts/moes/B.md": "x", "transcripts/moes/sub/A.TXT": "x", "transcripts/moes/.hidden.md": "x",
        "transcripts/moes/~$lock.docx": "x", "transcripts/molhsa/C.md": "x", "transcripts/top.md": "x",
        "transcripts/notes.pdf": "x", "transcripts/.git/x.md": "x", "transcripts/.draft.md": "x"})
    log = ProblemLog()
    found = discover_transcripts(study, log)
    root = study.transcripts_dir
    assert found == [root / "moes" / "B.md", root / "moes" / "sub" / "A.TXT", root / "molhsa" / "C.md",
                     root / "top.md"]
    assert not log  # a stray file at the top is not a transcript, and not a problem either


def test_unknown_folders_and_file_types_are_problems(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/mof/A.md": "x", "transcripts/moes/A.pdf": "x",
                                "transcripts/moes/B.md": "x"})
    log = ProblemLog()
    assert discover_transcripts(study, log) == [study.transcripts_dir / "moes" / "B.md"]
    assert problems(log) == [
        f"{study.transcripts_dir / 'moes' / 'A.pdf'}:1: unsupported file type '.pdf' (hint: supported: "
        f"{', '.join(transcripts_module.SUPPORTED_SUFFIXES)})",
        f"{study.transcripts_dir / 'mof'}: folder 'mof' is not an agency id in study.yml (hint: agencies: moes, "
        "molhsa)"]


def test_a_broken_link_in_an_agency_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/moes/A.md": transcript("MOES-1")})
    (study.transcripts_dir / "moes" / "B.md").symlink_to(tmp_path / "missing.md")
    log = ProblemLog()
    sources = collect_sources(study, log)
    assert [s.rel for s in sources] == ["moes/A.md"]
    assert problems(log) == [f"{study.transcripts_dir / 'moes' / 'B.md'}: is a broken link (hint: remove it or copy "
                             "the transcript here)"]


def test_sources_carry_bytes_rows_and_what_the_cache_keys_on(tmp_path: Path) -> None:
    files = {"transcripts/moes/A.md": "ა", "transcripts/moes/B.md": "b",
             "interviews.csv": "interview_id,file,agency\nMOES-1,moes/A.md,moes\n"}
    study = study_of(tmp_path, files)
    log = ProblemLog()
    a, b = collect_sources(study, log)
    assert not log
    assert (a.path, a.rel, a.data) == (study.transcripts_dir / "moes" / "A.md", "moes/A.md", "ა".encode())
    assert a.csv_row == ({"interview_id": "MOES-1", "file": "moes/A.md", "agency": "moes"}, 2)
    assert b.csv_row is None
    assert a.sha256 == hashlib.sha256("ა".encode()).hexdigest()
    assert a.cache_extra == f"{a.path.resolve()}|{a.csv_row!r}"
    assert b.cache_extra == f"{b.path.resolve()}|None"


def test_csv_rows_without_a_file_and_unreadable_files_are_problems(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    study = study_of(tmp_path, {"transcripts/moes/A.md": "x", "transcripts/moes/B.md": "x",
                                "interviews.csv": "interview_id,file\nX,moes/A.md\nY,moes/gone.md\n"})
    unreadable = study.transcripts_dir / "moes" / "B.md"
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == unreadable:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    log = ProblemLog()
    assert [s.rel for s in collect_sources(study, log)] == ["moes/A.md"]
    assert problems(log) == [
        f"{unreadable}:1: cannot read file: Permission denied",
        f"{study.interviews_csv}:3: no transcript file 'moes/gone.md' under {study.transcripts_dir} (hint: the file "
        "column is the path under transcripts/)"]


def test_a_broken_interviews_csv_is_reported_and_the_files_still_read(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/moes/A.md": "x", "interviews.csv": "interview_id\nX\n"})
    log = ProblemLog()
    sources = collect_sources(study, log)
    assert [(s.rel, s.csv_row) for s in sources] == [("moes/A.md", None)]
    assert problems(log) == [f"{study.interviews_csv}:1: interviews.csv lacks column(s) file (hint: columns: "
                             "interview_id, file, agency, date, mode, language, interviewer, participants)"]


# --- metadata ----------------------------------------------------------------------------------------------------

def test_an_agency_other_than_the_folder_is_an_error_at_the_agency_line(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/molhsa/A.md": transcript("MOES-1", agency="moes"),
                                "transcripts/A.md": transcript("MOES-2", agency="molhsa")})
    log = ProblemLog()
    top, first = collect_sources(study, log)
    with pytest.raises(GtnaError) as error:
        read_metadata(first, study)
    assert problems(error.value) == [f"{first.path}:3: agency 'moes' but the file is in folder 'molhsa'"]
    raw, meta, warnings = read_metadata(top, study)  # a file at the top has no folder to disagree with
    assert (meta.interview_id, meta.agency, warnings) == ("MOES-2", "molhsa", [])
    assert raw.header is not None and [b.line for b in raw.body] == [10, 11, 12, 13]


def test_metadata_from_the_csv_alone_is_located_at_line_1_of_the_file(tmp_path: Path) -> None:
    csv_text = ("interview_id,file,agency,mode,language,participants\n"
                "MOES-7,moes/A.md,molhsa,individual,ka,P1|ნინო ბერიძე\n")
    study = study_of(tmp_path, {"transcripts/moes/A.md": "ინტერვიუერი: კითხვა?\n\nP1: პასუხი.\n",
                                "interviews.csv": csv_text})
    (source,) = collect_sources(study, ProblemLog())
    with pytest.raises(GtnaError) as error:
        read_metadata(source, study)
    assert problems(error.value) == [f"{source.path}:2: agency 'molhsa' but the file is in folder 'moes'"]


def test_duplicate_interview_ids_name_both_files_at_the_id_line(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/moes/A.md": transcript("MOES-1"),
                                "transcripts/moes/B.md": "\n\n" + transcript("MOES-1"),
                                "transcripts/moes/C.md": transcript("MOES-3", agency="mof")})
    log = ProblemLog()
    items = read_all(study, collect_sources(study, log), log)
    a, b, c = (study.transcripts_dir / "moes" / n for n in ("A.md", "B.md", "C.md"))
    assert [i.meta.interview_id for i in items] == ["MOES-1"]
    assert items[0].raw is not None and items[0].cached is None and items[0].warnings == []
    assert problems(log) == [f"{b}:4: duplicate interview_id 'MOES-1' (also in {a})",
                             f"{c}:3: unknown agency 'mof' (hint: agencies in study.yml: moes, molhsa)"]


def test_read_all_takes_metadata_from_the_cache_and_reports_a_duplicate_at_line_1(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/moes/A.md": transcript("MOES-1"),
                                "transcripts/moes/B.md": transcript("MOES-1")})
    sources = collect_sources(study, ProblemLog())
    cache = BuildCache(tmp_path / "cache", "ctx")
    meta = InterviewMeta("MOES-1", "moes", "individual", "ka", [Participant("P1")])
    entry = {"meta": meta, "warnings": ["w"], "names": "n", "parsed": None}
    for source in sources:
        cache.store(source.data, source.cache_extra, entry)
    log = ProblemLog()
    seen: list[tuple[str, int | None]] = []

    def progress(items: list, description: str, total: int | None = None) -> list:
        seen.append((description, total))
        return items

    items = read_all(study, sources, log, BuildCache(tmp_path / "cache", "ctx"), progress)
    assert seen == [("reading", 2)]
    assert len(items) == 1 and items[0].cached == entry and items[0].raw is None
    assert (items[0].meta, items[0].warnings) == (meta, ["w"])
    assert problems(log) == [f"{sources[1].path}:1: duplicate interview_id 'MOES-1' (also in {sources[0].path})"]


def test_no_progress_hands_back_the_items() -> None:
    items = [1, 2]
    assert no_progress(items, "reading", 2) is items


# --- parsing -----------------------------------------------------------------------------------------------------

META = InterviewMeta("MOES-9", "moes", "individual", "ka", [Participant("P1", "ნინო ბერიძე", "ნინო ბერიძის თანაშემწე")],
                     interviewer="INT1", source=Path("x.md"))


def parsed_from(study: Study, lines: list[str], sha: str = "0" * 64):
    raw = RawTranscript(Path("x.md"), None, [BodyLine(i + 3, text) for i, text in enumerate(lines)])
    return raw, parse_interview(raw, META, study, StudyNames([META]), sha)


def test_a_parsed_interview_holds_segments_counts_and_no_names(tmp_path: Path) -> None:
    study = study_of(tmp_path, {})
    raw, parsed = parsed_from(study, [
        "ინტერვიუერი: [Q2] რამდენად იცნობენ თანამშრომლები ცნებებს?",
        "P1: ნინომ თქვა [იცინის], რომ გიორგი მჭედლიძე ეთანხმება.",
        "Interviewer: Thanks."])
    assert raw.body == []  # consumed
    assert parsed.meta.participants == [Participant("P1", "", "[P1] თანაშემწე")]
    assert (parsed.meta.interview_id, parsed.sha256, parsed.markers, parsed.legacy_paragraphs,
            parsed.chat_latin_paragraphs, parsed.warnings) == ("MOES-9", "0" * 64, 1, 0, 0, [])
    # ნინომ in the text and ნინო ბერიძის in the role; გიორგი მჭედლიძე
    assert (parsed.replacements["participant_name"], parsed.replacements["third_party_name"]) == (2, 1)
    assert isinstance(parsed.replacements, Counter)
    first, second, third = parsed.segments
    assert first == {
        "interview_id": "MOES-9", "agency": "moes", "segment_id": "MOES-9-001", "turn_no": 1, "speaker_id": "INT1",
        "speaker_role": "interviewer", "question_id": "Q2", "question_confidence": 1.0, "question_method": "tag",
        "start_char": first["start_char"], "end_char": first["end_char"], "t_start": None, "t_end": None,
        "line": 3, "text": first["text"], "original_text": first["original_text"], "script_conversion": "",
        "language": "ka", "words": 4}
    assert parsed.document[first["start_char"]:first["end_char"]] == first["text"]
    assert second["text"] == "[P1] თქვა [laughter], რომ [PERSON] ეთანხმება."  # the canonical marker tag
    assert (second["segment_id"], second["speaker_id"], second["question_method"], second["words"]) == \
        ("MOES-9-002", "P1", "inherited", 6)
    assert (third["segment_id"], third["line"], third["language"]) == ("MOES-9-003", 5, "ka")


def test_script_conversions_and_unsure_paragraphs_are_counted_and_located(tmp_path: Path) -> None:
    """Chat-typed Georgian is converted and counted; "mama" (a word in both spellings) is left as typed with a
    warning at its line; English is neither."""
    study = study_of(tmp_path, {})
    _, parsed = parsed_from(study, ["ინტერვიუერი: კითხვა?", "P1: gamarjoba, rogor xar? dzalian kargad vart",
                                    "P1: Training is needed", "mama"])
    assert [s["script_conversion"] for s in parsed.segments] == ["", "chat_latin", ""]
    assert (parsed.chat_latin_paragraphs, parsed.legacy_paragraphs) == (1, 0)
    assert parsed.warnings == [f"x.md:6: {UNSURE_SCRIPT}"]


def test_a_transcript_without_participant_turns_is_an_error_at_its_first_line(tmp_path: Path) -> None:
    study = study_of(tmp_path, {})
    with pytest.raises(GtnaError) as error:
        parsed_from(study, ["ინტერვიუერი: კითხვა?", "ინტერვიუერი: კიდევ ერთი?"])
    assert problems(error.value) == ["x.md:3: no participant turns found (hint: start answers with a speaker label "
                                     "such as 'P1:' or 'რესპონდენტი 1:')"]
    with pytest.raises(GtnaError) as empty:
        parse_interview(RawTranscript(Path("e.md"), None, []), META, study, StudyNames([META]))
    assert problems(empty.value)[0].startswith("e.md:1: no participant turns found")


def test_the_file_hash_is_computed_when_none_is_given(tmp_path: Path) -> None:
    study = study_of(tmp_path, {})
    path = tmp_path / "t.md"
    path.write_bytes(b"some bytes")
    raw = RawTranscript(path, None, [BodyLine(1, "ინტერვიუერი: კითხვა?"), BodyLine(2, "P1: პასუხი.")])
    assert parse_interview(raw, META, study, StudyNames([META])).sha256 == hashlib.sha256(b"some bytes").hexdigest()


# --- names fingerprint and the parse cache -----------------------------------------------------------------------

def test_the_names_fingerprint_follows_names_kept_names_and_the_pseudonymiser(monkeypatch: pytest.MonkeyPatch
                                                                               ) -> None:
    a = InterviewMeta("A", "moes", "individual", "ka", [Participant("P1", "ნინო ბერიძე")])
    b = InterviewMeta("B", "moes", "individual", "ka", [Participant("P1", "ლია ხელაძე")])
    base = names_fingerprint([a, b])
    expected = hashlib.sha256(repr((PSEUDONYMISER_VERSION, [("A", "P1", "ნინო ბერიძე"), ("B", "P1", "ლია ხელაძე")],
                                    [])).encode()).hexdigest()
    assert base == expected == names_fingerprint([b, a]) == names_fingerprint([a, b], [])
    assert names_fingerprint([a, b], ["თეა წულუკიანი"]) != base
    renamed = InterviewMeta("B", "moes", "individual", "ka", [Participant("P1", "ლია ხელაშვილი")])
    assert names_fingerprint([a, renamed]) != base
    monkeypatch.setattr(transcripts_module, "PSEUDONYMISER_VERSION", PSEUDONYMISER_VERSION + 1)
    assert names_fingerprint([a, b]) != base


def read_study(tmp_path: Path, files: dict[str, str], cache: BuildCache | None = None
               ) -> tuple[Study, list[ReadTranscript]]:
    study = study_of(tmp_path, files)
    log = ProblemLog()
    items = read_all(study, collect_sources(study, log), log, cache)
    assert not log
    return study, items


def test_parse_all_parses_each_transcript_and_notes_cache_entries(tmp_path: Path) -> None:
    study, items = read_study(tmp_path, {"transcripts/moes/A.md": transcript("MOES-1"),
                                         "transcripts/moes/B.md": transcript("MOES-2", name="ლია ხელაძე")})
    log = ProblemLog()
    seen: list[tuple[str, int | None]] = []

    def progress(things: list, description: str, total: int | None = None) -> list:
        seen.append((description, total))
        return things

    parsed, reread, pending = parse_all(items, study, log, BuildCache(tmp_path / "c", "ctx"), progress)
    assert not log and seen == [("parsing", 2)]
    assert [p.meta.interview_id for p in parsed] == ["MOES-1", "MOES-2"] and reread == ["moes/A.md", "moes/B.md"]
    assert all(item.raw is None for item in items)  # the raw lines are let go once parsed
    fingerprint = names_fingerprint([i.meta for i in items])
    assert [(source.rel, entry["names"], entry["meta"].interview_id, entry["warnings"], entry["parsed"])
            for source, entry in pending] == [("moes/A.md", fingerprint, "MOES-1", [], parsed[0]),
                                              ("moes/B.md", fingerprint, "MOES-2", [], parsed[1])]
    # every study name is masked in every transcript: ლია ხელაძე (MOES-2's participant) in MOES-1 too
    assert parsed[0].sha256 == items[0].source.sha256
    assert parse_all(items, study, ProblemLog(), None)[2] == []  # no cache: nothing to store


def test_a_cached_parse_is_taken_only_while_the_names_are_the_same(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"transcripts/moes/A.md": transcript("MOES-1"), "transcripts/moes/B.md": transcript("MOES-2")}
    cache = BuildCache(tmp_path / "c", "ctx")
    study, items = read_study(tmp_path, files)
    parsed, _, pending = parse_all(items, study, ProblemLog(), cache)
    for source, entry in pending:
        cache.store(source.data, source.cache_extra, entry)
    reads: list[str] = []
    real = transcripts_module.read_transcript
    monkeypatch.setattr(transcripts_module, "read_transcript", lambda p: reads.append(Path(p).name) or real(p))
    built: list[int] = []
    real_names = transcripts_module.StudyNames
    monkeypatch.setattr(transcripts_module, "StudyNames", lambda *a: built.append(1) or real_names(*a))

    study, again = read_study(tmp_path / "again", files, BuildCache(tmp_path / "c", "ctx"))
    assert [i.cached is not None for i in again] == [False, False]  # another study folder: other cache keys
    study = load_study(tmp_path / "study")
    log = ProblemLog()
    cached_items = read_all(study, collect_sources(study, log), log, BuildCache(tmp_path / "c", "ctx"))
    assert [i.cached is not None for i in cached_items] == [True, True]
    reads.clear()
    result, reread, new = parse_all(cached_items, study, ProblemLog(), cache)
    assert (reads, reread, new, built) == ([], [], [], [])  # names are not even compiled
    assert [p.segments for p in result] == [p.segments for p in parsed]

    cached_items[1].cached = {**cached_items[1].cached, "names": "another study's names"}
    result, reread, new = parse_all(cached_items, study, ProblemLog(), cache)
    assert reads == ["B.md"] and reread == ["moes/B.md"] and [s.rel for s, _ in new] == ["moes/B.md"]
    assert built == [1] and result[1].segments == parsed[1].segments


def test_parse_all_reports_a_failing_transcript_and_goes_on(tmp_path: Path) -> None:
    study, items = read_study(tmp_path, {
        "transcripts/moes/A.md": transcript("MOES-1", body="ინტერვიუერი: კითხვა?\n"),
        "transcripts/moes/B.md": transcript("MOES-2")})
    log = ProblemLog()
    parsed, reread, pending = parse_all(items, study, log, BuildCache(tmp_path / "c", "ctx"))
    assert [p.meta.interview_id for p in parsed] == ["MOES-2"] and reread == ["moes/A.md", "moes/B.md"]
    assert [s.rel for s, _ in pending] == ["moes/B.md"]
    assert problems(log) == [f"{items[0].source.path}:10: no participant turns found (hint: start answers with a "
                             "speaker label such as 'P1:' or 'რესპონდენტი 1:')"]


def test_a_source_is_a_plain_record() -> None:
    source = Source(Path("a.md"), "moes/a.md", b"", None)
    assert source.sha256 == hashlib.sha256(b"").hexdigest()


def test_parse_all_masks_every_study_name_and_keeps_the_kept_ones(tmp_path: Path) -> None:
    """Names from every transcript's header are masked everywhere; ``keep_names`` from study.yml are kept, and
    they are part of the names fingerprint (a cached parse made without them is not reused)."""
    body = "ინტერვიუერი: [Q1] კითხვა?\n\nP1: ლიამ და ნინომ თქვეს, მინისტრმა თეა წულუკიანმა კი უარი თქვა.\n"
    files = {"transcripts/moes/A.md": transcript("MOES-1", body=body),
             "transcripts/moes/B.md": transcript("MOES-2", name="ლია ხელაძე")}
    root = make_study(tmp_path / "study", files)
    (root / "study.yml").write_text((root / "study.yml").read_text(encoding="utf-8")
                                    + "keep_names:\n  - თეა წულუკიანი\n", encoding="utf-8")
    study = load_study(root)
    log = ProblemLog()
    items = read_all(study, collect_sources(study, log), log)
    parsed, _, pending = parse_all(items, study, log, BuildCache(tmp_path / "c", "ctx"))
    assert not log
    assert parsed[0].segments[1]["text"] == "[MOES-2:P1] და [P1] თქვეს, მინისტრმა თეა წულუკიანმა კი უარი თქვა."
    fingerprint = names_fingerprint([i.meta for i in items], ["თეა წულუკიანი"])
    assert fingerprint != names_fingerprint([i.meta for i in items])
    assert {entry["names"] for _, entry in pending} == {fingerprint}


def test_collect_sources_reports_what_discovery_finds(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/mof/A.md": "x", "transcripts/moes/B.md": "x"})
    log = ProblemLog()
    assert [s.rel for s in collect_sources(study, log)] == ["moes/B.md"]
    assert [p.message for p in log.problems] == ["folder 'mof' is not an agency id in study.yml"]


def test_metadata_problems_name_the_file_the_csv_and_the_header_line(tmp_path: Path) -> None:
    header_only = ("---\n\ninterview_id: MOES-1\nagency: moes\nlanguage: ka\nwhere: here\n"
                   "participants: [{id: P1}]\n---\n")
    study = study_of(tmp_path, {
        "transcripts/moes/A.md": header_only + "P1: x\n",
        "transcripts/moes/B.md": "P1: x\n",
        "transcripts/moes/C.md": transcript("MOES-3").replace("mode: individual", "mode: group"),
        "interviews.csv": "interview_id,file,agency,language\nMOES-2,moes/B.md,moes,ka\n"
                          "MOES-3,moes/C.md,moes,ka\n"})
    a, b, c = collect_sources(study, ProblemLog())
    with pytest.raises(GtnaError) as error:
        read_metadata(a, study)  # no mode: reported where the header's fields start
    assert [str(p) for p in error.value.problems] == [f"{a.path}:3: missing required field 'mode'"]
    with pytest.raises(GtnaError) as error:
        read_metadata(b, study)  # metadata from the CSV only: line 1 of the transcript
    assert [str(p) for p in error.value.problems] == [f"{b.path}:1: missing required field '{key}'"
                                                      for key in ("mode", "participants")]
    _, meta, warnings = read_metadata(c, study)
    assert meta.mode == "group" and warnings == []
    a.path.write_text(header_only.replace("language: ka", "language: ka\nmode: individual") + "P1: x\n",
                      encoding="utf-8")
    _, _, warnings = read_metadata(a, study)
    assert [w.split(" (known")[0] for w in warnings] == [f"{a.path}:7: unknown header field 'where' ignored"]
    c.path.write_text(transcript("MOES-3", agency="molhsa"), encoding="utf-8")
    with pytest.raises(GtnaError) as error:
        read_metadata(c, study)
    assert [str(p) for p in error.value.problems] == [
        f"{c.path}:3: agency is 'molhsa' here but 'moes' in {study.interviews_csv}:3 (hint: keep one source of "
        "truth: remove it from the header or from the CSV)"]


def test_a_duplicate_id_is_reported_at_the_id_line_not_the_header(tmp_path: Path) -> None:
    moved = transcript("MOES-1").replace("interview_id: MOES-1\nagency: moes\n", "agency: moes\ninterview_id: MOES-1\n")
    study = study_of(tmp_path, {"transcripts/moes/A.md": transcript("MOES-1"), "transcripts/moes/B.md": moved})
    log = ProblemLog()
    read_all(study, collect_sources(study, log), log)
    assert [(p.line, p.message.split(" (")[0]) for p in log.problems] == [(3, "duplicate interview_id 'MOES-1'")]


def test_an_unknown_folder_does_not_hide_the_folders_after_it(tmp_path: Path) -> None:
    study = study_of(tmp_path, {"transcripts/archive/A.md": "x", "transcripts/moes/B.md": "x",
                                "transcripts/molhsa/C.md": "x"})
    log = ProblemLog()
    assert [p.name for p in discover_transcripts(study, log)] == ["B.md", "C.md"]
    assert [p.message for p in log.problems] == ["folder 'archive' is not an agency id in study.yml"]


def test_cue_times_of_subtitle_lines_reach_the_segments(tmp_path: Path) -> None:
    study = study_of(tmp_path, {})
    raw = RawTranscript(Path("x.vtt"), None, [BodyLine(4, "ინტერვიუერი: კითხვა?", 1.5, 3.0),
                                              BodyLine(7, "P1: პასუხი.", 3.5, 5.25)])
    segments = parse_interview(raw, META, study, StudyNames([META]), "0" * 64).segments
    assert [(s["line"], s["t_start"], s["t_end"]) for s in segments] == [(4, 1.5, 3.0), (7, 3.5, 5.25)]
