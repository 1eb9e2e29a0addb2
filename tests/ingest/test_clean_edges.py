"""Cleaning beyond the common cases (``ingest.clean``): markers typed in Latin-typed Georgian, the typed original
kept piece by piece, control characters, and what is reported as unsure."""

from __future__ import annotations

import pytest
from transcript_files import legacy

from gtna_analysis.ingest.clean import clean_paragraph, convert_legacy_georgian, looks_like_legacy_georgian


@pytest.mark.parametrize(("typed", "text", "kind"), [
    ("es dzalian kargi ideaa (xangrdzlivi pauza) magram dro ar gvaqvs",
     "ეს ძალიან კარგი იდეაა [pause] მაგრამ დრო არ გვაქვს", "chat_latin"),
    (legacy("კი, ასე არის (ხანგრძლივი პაუზა) ძალიან მნიშვნელოვანია (იცინის) მართლა."),
     "კი, ასე არის [pause] ძალიან მნიშვნელოვანია [laughter] მართლა.", "legacy_font"),
    ("kargad var (ertdroulad saubroben) ase vfiqrob (icinis) ki",
     "კარგად ვარ [crosstalk] ასე ვფიქრობ [laughter] კი", "chat_latin"),
])
def test_markers_typed_in_latin_georgian_become_tags_and_the_typed_text_is_kept(typed: str, text: str,
                                                                               kind: str) -> None:
    """``(icinis)`` is [იცინის] typed on Latin keys: once converted it is the same marker as in Mkhedruli. The
    conversion's pieces still pair every typed stretch with its converted text (original_text is cut from them),
    the marker's piece included."""
    cleaned = clean_paragraph(typed)
    assert (cleaned.text, cleaned.kind, cleaned.original) == (text, kind, typed)
    pieces = cleaned.conversion.pieces
    assert "".join(o for o, _ in pieces) == typed and "".join(c for _, c in pieces) == text
    markers = {c.strip(): o.strip() for o, c in pieces if "[" in c}
    assert set(markers) == {m for m in ("[pause]", "[laughter]", "[crosstalk]") if m in text}
    assert all(o.startswith("(") and o.endswith(")") and o in typed for o in markers.values())


def test_control_characters_become_spaces_between_words() -> None:
    cleaned = clean_paragraph("ერთი\x07ორი\x1bსამი")
    assert cleaned.text == "ერთი ორი სამი" and cleaned.conversion is None


def test_what_is_judged_and_what_is_left_unsure() -> None:
    english = clean_paragraph("The Law on Gender Equality (2010) and CEDAW.")
    assert english.detection.kind == "english" and not english.unsure and english.original == english.text
    unsure = clean_paragraph("mama")  # a word in both languages' spelling: left as typed, worth a warning
    assert unsure.text == "mama" and unsure.unsure and unsure.kind == ""
    chat = clean_paragraph("dro ar aris")
    assert chat.text == "დრო არ არის" and chat.kind == "chat_latin" and not chat.unsure


def test_legacy_font_is_told_from_chat_spelling() -> None:
    assert looks_like_legacy_georgian(legacy("ჩვენ ვფიქრობთ, რომ გენდერული თანასწორობა მნიშვნელოვანია."))
    assert not looks_like_legacy_georgian("gamarjoba")  # converted, but as chat-style Latin, not a legacy font
    assert not looks_like_legacy_georgian("mama")


def test_legacy_conversion_leaves_acronyms_and_addresses() -> None:
    assert convert_legacy_georgian(legacy("კი, ასე არის.") + " CEDAW n.beridze@example.ge") == \
        "კი, ასე არის. CEDAW n.beridze@example.ge"
