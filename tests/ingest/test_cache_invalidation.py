"""The incremental build never serves stale output: after a change to *any* input it depends on, a build with the
cache equals a build without it, and the change shows.

Issue 14 planted "the build cache ignores changes to study.yml and the questionnaire" and no test noticed, because
the existing cache tests only changed transcripts. Inputs and what they reach:

| input | cached per transcript? | a change must … |
|---|---|---|
| study.yml | context of every entry | re-read every transcript |
| questionnaire | context of every entry | re-read every transcript (alignment to the guide changes) |
| interviews.csv | the row is part of that transcript's entry | re-read that transcript only |
| a transcript | its bytes are the entry's key | re-read that transcript only |
| codebook.yml, codings/, reviews/ | not cached (coding runs every build) | change codings / designs |
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import MINI_CODEBOOK, copy_sample_study

from gtna_analysis.build import build

N_TRANSCRIPTS = 13


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """A sample study (mini codebook) built once with a cache, at the path every test works in (the cache context
    includes the study's path), then kept as a snapshot: (snapshot folder, work folder, tables)."""
    root = tmp_path_factory.mktemp("cache")
    work = root / "work"
    study = copy_sample_study(work / "raw", codebook=MINI_CODEBOOK)
    tables = build(study, cache_dir=work / "cache").tables
    shutil.copytree(work, root / "snapshot")
    return root / "snapshot", work, tables


@pytest.fixture
def work(base: tuple[Path, Path, dict]) -> tuple[Path, Path]:
    """The built study and its cache, restored from the snapshot at the fixed work path: (study, cache)."""
    snapshot, target, _ = base
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(snapshot, target)
    return target / "raw", target / "cache"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def change_study_yml(study: Path) -> None:
    # An agency's short name: reports change, and the cached metadata was validated against the old study.yml.
    edit(study / "study.yml", "short: {ka: საქსტატი, en: Geostat}", "short: {ka: საქსტატი, en: GeoStat}")


def change_questionnaire(study: Path) -> None:
    # Rotate the question texts: untagged questions, aligned by similarity, now match other question ids.
    path = study / "questionnaire.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [q["text"] for q in data["questions"]]
    for question, text in zip(data["questions"], texts[1:] + texts[:1], strict=True):
        question["text"] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def change_interviews_csv(study: Path) -> None:
    source = study / "transcripts" / "moes" / "MOES-02.md"
    text = source.read_text(encoding="utf-8")
    end = text.index("\n---", 4)
    source.write_text(text[end + 5:].lstrip("\n"), encoding="utf-8")  # header moves to interviews.csv
    header = text[4:end]
    fields = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line and not line.startswith(" "))
    people = "; ".join(
        "|".join(part.split(": ", 1)[1].strip(" }") for part in line.strip(" -{}").split(", "))
        for line in header.splitlines() if line.strip().startswith("- {"))
    (study / "interviews.csv").write_text(
        "interview_id,file,agency,date,mode,language,interviewer,participants\n"
        f"{fields['interview_id']},moes/MOES-02.md,moes,{fields['date']},{fields['mode']},{fields['language']},"
        f"{fields['interviewer']},{people}\n", encoding="utf-8")


def change_transcript(study: Path) -> None:
    path = study / "transcripts" / "molhsa" / "MOLHSA-02.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\nინტერვიუერი: გმადლობთ, ეს ძალიან საინტერესო იყო.\n", encoding="utf-8")


def change_codebook(study: Path) -> None:
    edit(study / "codebook.yml", '"სტატისტიკ*"], en: ["sex-disaggregated", "statistic*"]',
         '"სტატისტიკ*", "მონაცემ*"], en: ["sex-disaggregated", "statistic*", "data"]')


def add_coding_sheet(study: Path) -> None:
    (study / "codings").mkdir(exist_ok=True)
    (study / "codings" / "nino.csv").write_text(
        "segment_id,code_id,coder\nMOES-01-002,training.online,nino\nMOES-01-003,,nino\n", encoding="utf-8")


def add_review(study: Path) -> None:
    (study / "reviews").mkdir(exist_ok=True)
    (study / "reviews" / "designs.csv").write_text(
        "participant_key,scope,part_no,format,hours\nMOES-01:P1,self,1,online,40\n", encoding="utf-8")


# change, the tables it must alter, how many transcripts the cached build must read again
CHANGES: dict[str, tuple[Callable[[Path], None], tuple[str, ...], int | None]] = {
    "study.yml": (change_study_yml, (), N_TRANSCRIPTS),
    "questionnaire": (change_questionnaire, ("segments",), N_TRANSCRIPTS),
    "interviews.csv": (change_interviews_csv, (), 1),
    "transcript": (change_transcript, ("segments", "documents"), 1),
    "codebook": (change_codebook, ("codings",), 0),
    "codings/": (add_coding_sheet, ("codings",), 0),
    "reviews/": (add_review, ("designs",), 0),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_cached_build_after_a_change_equals_a_fresh_build(name: str, base: tuple[Path, Path, dict],
                                                             work: tuple[Path, Path], reads: list[str]) -> None:
    change, altered, n_reads = CHANGES[name]
    study, cache = work
    change(study)
    reads.clear()
    cached = build(study, cache_dir=cache)
    assert len(reads) == n_reads, f"{name}: {len(reads)} transcripts re-read: {reads}"
    fresh = build(study)
    for table, frame in fresh.tables.items():
        assert cached.tables[table].equals(frame), f"{name}: the cached build's {table} is stale"
    before = base[2]
    for table in altered:
        assert not before[table].equals(cached.tables[table]), f"{name}: {table} did not change"
