"""Latin-typed Georgian through a whole build: converted text, original_text (pseudonymised), flags, counts,
the manifest, and the warning for a paragraph we are unsure about."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from conftest import make_study
from transcript_files import legacy

from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.ingest.transcripts import UNSURE_SCRIPT

HEADER = ("---\ninterview_id: MOES-96\nagency: moes\nmode: group\nlanguage: ka\n"
          "participants:\n  - {id: P1, name: ნანა ქიქოძე}\n  - {id: P2, name: გიორგი ბერიძე}\n---\n")
LEGACY_ANSWER = "ნანა ქიქოძემ თქვა, რომ ტრენინგი ონლაინ ფორმატში ჯობია."
BODY = [
    "ინტერვიუერი: [Q1] რა არის პრიორიტეტი?",  # line 10
    f"P1: {legacy(LEGACY_ANSWER)}",  # 11: legacy font, with a name in legacy keys (qiqoZem)
    "respondenti 2: beridzes vetankhmebi, online treningi sjobs, zoom-it",  # 12: chat, label typed in chat too
    "P1: Tbilisi, Batumi, Kutaisi",  # 13: unsure
    "P2: ჩვენთან ყველაფერი ხელმძღვანელზეა დამოკიდებული.",  # 14: Mkhedruli
]


def run_build(tmp_path: Path) -> tuple[Path, list[str]]:
    study = make_study(tmp_path / "study", {"transcripts/moes/MOES-96.md": HEADER + "\n".join(BODY) + "\n"})
    result = build(study)
    out = current_generation(write_outputs(result, tmp_path / "processed"))
    return out, result.warnings


def test_latin_georgian_is_converted_flagged_counted_and_its_original_kept(tmp_path: Path) -> None:
    out, warnings = run_build(tmp_path)
    segments = pd.read_parquet(out / "segments.parquet").set_index("line")
    assert segments.loc[11, "text"] == "[P1] თქვა, რომ ტრენინგი ონლაინ ფორმატში ჯობია."
    assert segments.loc[11, "script_conversion"] == "legacy_font"
    # the typed text, with the name masked where its conversion was (no pattern knows "qiqoZem")
    assert segments.loc[11, "original_text"] == "[P1] Tqva, rom treningi onlain formatSi jobia."
    assert segments.loc[12, ["speaker_id", "script_conversion"]].tolist() == ["P2", "chat_latin"]
    assert segments.loc[12, "text"] == "[P2] ვეთანხმები, online ტრენინგი სჯობს, zoom-ით"
    assert segments.loc[12, "original_text"] == "[P2] vetankhmebi, online treningi sjobs, zoom-it"
    for line in (10, 13, 14):
        assert segments.loc[line, "script_conversion"] == ""
        assert segments.loc[line, "original_text"] == segments.loc[line, "text"]
    assert segments.loc[13, "text"] == "Tbilisi, Batumi, Kutaisi"
    study_file = tmp_path / "study" / "transcripts" / "moes" / "MOES-96.md"
    assert warnings == [f"{study_file}:13: {UNSURE_SCRIPT}"]

    interviews = pd.read_parquet(out / "interviews.parquet")
    assert interviews[["legacy_font_paragraphs", "chat_latin_paragraphs"]].values.tolist() == [[1, 1]]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["script_conversions"] == {"legacy_font": 1, "chat_latin": 1}
    assert manifest["replacements"]["participant_name"] == 2  # counted once, not again for original_text

    everything = "\n".join(pd.read_csv(out / "segments.csv")["original_text"].astype(str))
    for leaked in ("nana", "qiqoZe", "beridze", "Beridze", "ნანა", "ბერიძე"):
        assert leaked not in everything
