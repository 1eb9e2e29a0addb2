"""Reading codings from projects other tools wrote (``exchange.qdpx.read_qdpx_codings``): the source text inline
(``PlainTextContent``) with a byte-order mark, old Mac line ends (CR only), and where each coding then lands; files
that are no zip or are damaged; a second ``.qde`` in the archive; codes renamed in the other tool.

The project is the MAXQDA-style fixture of ``tests/fixtures/interop/maxqda_project`` with its ``<Sources>`` replaced;
the source text is the sample build's transcript of MOES-01, so positions can be checked against its segments."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from lxml import etree
from shared_coding import sample_codebook, sample_tables

from gtna_analysis.errors import GtnaError
from gtna_analysis.exchange.qdc import qdc_to_codebook
from gtna_analysis.exchange.qdpx import export_qdpx, read_qdpx_codings
from gtna_analysis.exchange.refi_xml import NS_PROJECT

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "interop" / "maxqda_project" / "project.qde"
SOURCE = "{b0000000-0000-4000-8000-000000000001}"
USER = "{a1b2c3d4-0000-4000-8000-000000000001}"
CODE = "{3f0b6a52-1c1e-4a86-9c55-6a9a1f2b7c02}"  # ონლაინ, under the codable top-level code


def moes01() -> tuple[str, pd.DataFrame]:
    segments = sample_tables("segments")["segments"]
    text = sample_tables("documents")["documents"].set_index("interview_id").loc["MOES-01", "text"]
    return text, segments


def selection(start: int, end: int, n: int = 1) -> str:
    return f"""
      <PlainTextSelection guid="{{c0000000-0000-4000-8000-00000000000{n}}}" startPosition="{start}"
          endPosition="{end}" creatingUser="{USER}">
        <Coding guid="{{d0000000-0000-4000-8000-00000000000{n}}}" creatingUser="{USER}">
          <CodeRef targetGUID="{CODE}"/>
        </Coding>
      </PlainTextSelection>"""


def write_project(dest: Path, source_xml: str, files: dict[str, str] | None = None) -> Path:
    project = FIXTURE.read_text(encoding="utf-8")
    head, rest = project.split("  <Sources>", 1)
    _, tail = rest.split("  </Sources>", 1)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", f"{head}  <Sources>{source_xml}\n  </Sources>{tail}")
        for name, text in (files or {}).items():
            archive.writestr(name, text.encode("utf-8"))
    return dest


def participant_segment(segments: pd.DataFrame, index: int = 1) -> pd.Series:
    own = segments[(segments["interview_id"] == "MOES-01") & (segments["speaker_role"] == "participant")]
    return own.iloc[index]


def problems(path: Path, segments: pd.DataFrame) -> list[str]:
    """The problems reading the project's codings stops with, as printed."""
    codebook, _ = qdc_to_codebook(path)
    with pytest.raises(GtnaError) as info:
        read_qdpx_codings(path, segments, codebook)
    return [str(p) for p in info.value.problems]


def rewrite_project_qde(path: Path, edit: Callable[[bytes], bytes]) -> None:
    """Rewrite the archive in place with ``edit`` applied to its project.qde's bytes."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["project.qde"] = edit(members["project.qde"])
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def test_inline_source_text_with_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    """Inline text keeps the BOM as a character and CR LF as two: positions count both, and the coding lands on
    the segment's own characters."""
    text, segments = moes01()
    seg = participant_segment(segments)
    start, end = int(seg["start_char"]), int(seg["end_char"])
    shift = 1 + text.count("\n", 0, start)  # the BOM, then one CR per line before the segment
    inline = escape("\ufeff" + text.replace("\n", "\r\n")).replace("\r", "&#13;")  # a raw CR would be read as LF
    source = f"""
    <TextSource guid="{SOURCE}" name="MOES-01" creatingUser="{USER}">
      <PlainTextContent>{inline}</PlainTextContent>{selection(start + shift, end + shift)}
    </TextSource>"""
    path = write_project(tmp_path / "inline.qdpx", source)
    codebook, _ = qdc_to_codebook(path)
    rows = read_qdpx_codings(path, segments, codebook).codings
    assert rows[["segment_id", "code_id", "start_char", "end_char", "coder"]].values.tolist() == [
        [seg["segment_id"], "treningis_pormati.onlain", start, end, "Tamar"]]


def test_source_file_with_old_mac_line_ends(tmp_path: Path) -> None:
    """CR alone ends a line too: one character for one, so positions are those of the build's text. A partial
    selection keeps its text (the first 200 characters)."""
    text, segments = moes01()
    seg = participant_segment(segments, 2)
    start, end = int(seg["start_char"]), int(seg["end_char"])
    source = f"""
    <TextSource guid="{SOURCE}" name="MOES-01" plainTextPath="internal://{SOURCE}.txt" creatingUser="{USER}">
      {selection(start + 2, end)}
    </TextSource>"""
    path = write_project(tmp_path / "mac.qdpx", source, {f"sources/{SOURCE}.txt": text.replace("\n", "\r")})
    codebook, _ = qdc_to_codebook(path)
    rows = read_qdpx_codings(path, segments, codebook).codings
    assert rows[["segment_id", "start_char", "end_char", "matched_text"]].values.tolist() == [
        [seg["segment_id"], start + 2, end, text[start + 2:start + 202]]]  # a long match is cut at 200


def test_a_changed_source_text_is_refused_with_the_segment(tmp_path: Path) -> None:
    text, segments = moes01()
    seg = participant_segment(segments)
    start = int(seg["start_char"])
    changed = text[:start] + "X" + text[start + 1:]
    source = f"""
    <TextSource guid="{SOURCE}" name="MOES-01" plainTextPath="internal://{SOURCE}.txt" creatingUser="{USER}">
      {selection(start, start + 5)}
    </TextSource>"""
    path = write_project(tmp_path / "changed.qdpx", source, {f"sources/{SOURCE}.txt": changed})
    assert problems(path, segments) == [
        f"{path}:project.qde:18: source 'MOES-01': its text differs from the build's transcript of MOES-01 "
        f"(segment {seg['segment_id']}) (hint: code the sources exported by `gtna export --format qdpx` from the "
        "same build)"]


def test_not_a_zip_and_a_damaged_project_member_name_the_file(tmp_path: Path) -> None:
    _text, segments = moes01()
    codebook, _ = qdc_to_codebook(write_project(tmp_path / "fine.qdpx", ""))
    not_zip = tmp_path / "notes.qdpx"
    not_zip.write_text("plain text, saved with the wrong extension", encoding="utf-8")
    with pytest.raises(GtnaError) as info:
        read_qdpx_codings(not_zip, segments, codebook)
    assert str(info.value).startswith(f"{not_zip}: not a .qdpx (zip) file: ")
    damaged = tmp_path / "damaged.qdpx"
    data = bytearray(write_project(tmp_path / "whole.qdpx", "").read_bytes())
    header = data.index(b"project.qde") + len("project.qde")
    data[header + 40:header + 60] = bytes(20)  # inside the deflated project file
    damaged.write_bytes(bytes(data))
    with pytest.raises(GtnaError) as info:
        read_qdpx_codings(damaged, segments, codebook)
    assert str(info.value).startswith(f"{damaged}: member 'project.qde' is damaged (")


def test_project_qde_is_preferred_to_another_qde_file_in_the_archive(tmp_path: Path) -> None:
    text, segments = moes01()
    seg = participant_segment(segments)
    start, end = int(seg["start_char"]), int(seg["end_char"])
    source = f"""
    <TextSource guid="{SOURCE}" name="MOES-01" plainTextPath="internal://{SOURCE}.txt" creatingUser="{USER}">
      {selection(start, end)}
    </TextSource>"""
    path = tmp_path / "with-backup.qdpx"
    project = write_project(tmp_path / "p.qdpx", source, {f"sources/{SOURCE}.txt": text})
    with zipfile.ZipFile(project) as old, zipfile.ZipFile(path, "w") as new:
        new.writestr("autosave.qde", "<Project/>")  # an older, broken save listed first
        for name in old.namelist():
            new.writestr(name, old.read(name))
    codebook, _ = qdc_to_codebook(project)
    rows = read_qdpx_codings(path, segments, codebook).codings
    assert rows["segment_id"].tolist() == [seg["segment_id"]]


def edit_project(source: Path, target: Path, edit: Callable[[etree._Element], object]) -> Path:
    """A copy of the ``.qdpx`` ``source`` whose project.qde was changed by ``edit``, as another tool's save would."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "project.qde":
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
            new.writestr(name, data)
    return target


def test_codes_renamed_in_another_tool_are_matched_by_their_guid(tmp_path: Path) -> None:
    """A researcher renames codes and documents in the other tool and its export drops our descriptions (and so
    the 'Code id:' line); the GUIDs we wrote stay, and they alone still match codes and interviews — also when the
    project is saved without its code system."""
    t = sample_tables("documents", "segments", "codings", "interviews", "participants", "codes")
    ours = export_qdpx(sample_codebook(), t, tmp_path / "ours.qdpx", "gtna-sample")

    def rename(root: etree._Element) -> None:
        for n, code in enumerate(root.iter(f"{{{NS_PROJECT}}}Code")):
            code.set("name", f"renamed {n}")
            for description in code.findall(f"{{{NS_PROJECT}}}Description"):
                code.remove(description)
        for n, source in enumerate(root.iter(f"{{{NS_PROJECT}}}TextSource")):
            source.set("name", f"Interview {n + 1}")

    renamed = edit_project(ours, tmp_path / "renamed.qdpx", rename)
    key = ["segment_id", "code_id", "coder", "start_char", "end_char"]
    expected = t["codings"][key].sort_values(key).values.tolist()
    back = read_qdpx_codings(renamed, t["segments"], sample_codebook())
    assert back.codings[key].sort_values(key).values.tolist() == expected
    without_codes = edit_project(renamed, tmp_path / "without-code-system.qdpx",
                                 lambda root: root.remove(root.find(f"{{{NS_PROJECT}}}CodeBook")))
    back = read_qdpx_codings(without_codes, t["segments"], sample_codebook())
    assert back.codings[key].sort_values(key).values.tolist() == expected


def test_every_unreadable_source_and_selection_is_reported_at_its_line(tmp_path: Path) -> None:
    text, segments = moes01()
    other = "{b0000000-0000-4000-8000-000000000002}"
    latin1 = "{b0000000-0000-4000-8000-000000000003}"
    sources = f"""
    <TextSource guid="{other}" name="lost" plainTextPath="internal://{{b0000000-0000-4000-8000-00000000000f}}.txt"/>
    <TextSource guid="{other}" name="linked" plainTextPath="file:///C:/Users/tamar/interview.txt"/>
    <TextSource guid="{other}" name="nothing"/>
    <TextSource guid="{latin1}" name="latin" plainTextPath="internal://{latin1}.txt"/>
    <TextSource guid="{SOURCE}" name="MOES-01" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="{{c0000000-0000-4000-8000-000000000009}}" startPosition="ten" endPosition="20"/>
      <PlainTextSelection guid="{{c0000000-0000-4000-8000-000000000008}}" startPosition="0" endPosition="20">
        <Coding guid="{{d0000000-0000-4000-8000-000000000009}}" creatingUser="{USER}"/>
      </PlainTextSelection>
    </TextSource>"""
    path = write_project(tmp_path / "broken.qdpx", sources, {f"sources/{SOURCE}.txt": text})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(f"sources/{latin1}.txt", "caf\xe9 au lait".encode("latin-1"))
    codebook, _ = qdc_to_codebook(path)
    with pytest.raises(GtnaError) as info:
        read_qdpx_codings(path, segments, codebook)
    where = f"{path}:project.qde"
    assert [str(p) for p in info.value.problems] == [
        f"{where}:18: source 'lost': internal://{{b0000000-0000-4000-8000-00000000000f}}.txt is not in the archive",
        f"{where}:19: source 'linked': only internal:// plain text sources or PlainTextContent are supported "
        "(got 'file:///C:/Users/tamar/interview.txt')",
        f"{where}:20: source 'nothing': only internal:// plain text sources or PlainTextContent are supported "
        "(got '')",
        f"{path}:sources/{latin1}.txt: source 'latin' is not UTF-8 text (invalid continuation byte at byte 3) "
        "(hint: REFI-QDA plain-text sources must be UTF-8; re-export the project)",
        f"{where}:23: PlainTextSelection needs integer startPosition and endPosition",
        f"{where}:25: Coding without CodeRef",
    ]


@pytest.mark.parametrize(("user", "coder"), [(b"", USER), (b' id="tamar.b"', "tamar.b")])
def test_a_user_without_a_name_is_known_by_id_or_guid(tmp_path: Path, user: bytes, coder: str) -> None:
    text, segments = moes01()
    seg = participant_segment(segments)
    source = f"""
    <TextSource guid="{SOURCE}" name="MOES-01" plainTextPath="internal://{SOURCE}.txt" creatingUser="{USER}">
      {selection(int(seg["start_char"]), int(seg["end_char"]))}
    </TextSource>"""
    path = write_project(tmp_path / "anonymous.qdpx", source, {f"sources/{SOURCE}.txt": text})
    data = path.read_bytes()
    rewrite_project_qde(path, lambda project: project.replace(b' name="Tamar"', user))
    assert path.read_bytes() != data
    codebook, _ = qdc_to_codebook(path)
    assert read_qdpx_codings(path, segments, codebook).codings["coder"].tolist() == [coder]


GIORGI = "{a1b2c3d4-0000-4000-8000-000000000002}"


def _coded_by(tmp_path: Path, coding_user: str, selection_user: str, project_user: str | None) -> list[str]:
    """The coder of one coding whose Coding, PlainTextSelection and Project name the given users ('' = none)."""
    text, segments = moes01()
    seg = participant_segment(segments)
    def user(guid: str) -> str:
        return f' creatingUser="{guid}"' if guid else ""
    source = f"""
    <TextSource guid="{SOURCE}" name="MOES-01" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="{{c0000000-0000-4000-8000-000000000001}}" startPosition="{int(seg['start_char'])}"
          endPosition="{int(seg['end_char'])}"{user(selection_user)}>
        <Coding guid="{{d0000000-0000-4000-8000-000000000001}}"{user(coding_user)}>
          <CodeRef targetGUID="{CODE}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>"""
    path = write_project(tmp_path / "coders.qdpx", source, {f"sources/{SOURCE}.txt": text})

    def two_users(project: bytes) -> bytes:
        project = project.replace(b'<User guid="{a1b2c3d4-0000-4000-8000-000000000001}" name="Tamar"/>',
                                  b'<User guid="{a1b2c3d4-0000-4000-8000-000000000001}" name="Tamar"/>'
                                  + f'<User guid="{GIORGI}" name=" Giorgi "/>'.encode())
        return project.replace(f'creatingUserGUID="{USER}"'.encode(),
                               f'creatingUserGUID="{project_user}"'.encode() if project_user else b"")

    rewrite_project_qde(path, two_users)
    codebook, _ = qdc_to_codebook(path)
    return read_qdpx_codings(path, segments, codebook).codings["coder"].tolist()


@pytest.mark.parametrize(("coding_user", "selection_user", "project_user", "coder"), [
    (GIORGI, USER, USER, "Giorgi"),  # the Coding's own user first (name trimmed)
    ("", GIORGI, USER, "Giorgi"),  # else the selection's
    ("", "", GIORGI, "Giorgi"),  # else whoever created the project
    ("", "", None, "coders"),  # else the file's name
])
def test_who_coded_a_selection(tmp_path: Path, coding_user: str, selection_user: str, project_user: str | None,
                               coder: str) -> None:
    assert _coded_by(tmp_path, coding_user, selection_user, project_user) == [coder]


@pytest.mark.parametrize("attributes", ['endPosition="20"', 'startPosition="0"', ""])
def test_a_selection_without_its_positions_is_reported_at_its_line(tmp_path: Path, attributes: str) -> None:
    text, segments = moes01()
    source = f"""
    <TextSource guid="{SOURCE}" name="MOES-01" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="{{c0000000-0000-4000-8000-000000000001}}" {attributes}>
        <Coding guid="{{d0000000-0000-4000-8000-000000000001}}" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>"""
    path = write_project(tmp_path / "positions.qdpx", source, {f"sources/{SOURCE}.txt": text})
    assert problems(path, segments) == [
        f"{path}:project.qde:19: PlainTextSelection needs integer startPosition and endPosition"]
