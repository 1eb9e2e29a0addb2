"""The derived build cache (``build.per_interview``): an interview's auto codings, training designs and
preference rows are reused only while every input they depend on is unchanged, the coder is compiled only when
something must be coded, and a warm build writes exactly the bytes of a build without any cache."""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, SAMPLE_STUDY, copy_sample_study

from gtna_analysis import build as build_module
from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.coding.autocoder import AutoCoder
from gtna_analysis.ingest import cache as cache_module

ALL = {"GEOSTAT-01", "GEOSTAT-02", "GEOSTAT-03", *(f"MOES-0{i}" for i in range(1, 6)),
       *(f"MOLHSA-0{i}" for i in range(1, 6))}
_FRESH = itertools.count()


def snapshot(folder: Path) -> dict[str, str]:
    published = current_generation(folder)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(published.iterdir()) if p.is_file()}


class Work:
    """What a build computed rather than took from the cache: interviews coded, interviews whose designs and
    preferences were made, and how often a compiled coder was asked for (compiled, or loaded from this process
    or the cache: a build that codes nothing asks for none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.coded: set[str] = set()
        self.designs: set[str] = set()
        self.preferences: set[str] = set()
        self.compiles = 0
        code, coder = AutoCoder.code, build_module._coder
        designs, preferences = build_module.participant_designs, build_module.extract_preferences
        work = self

        def counted_code(self, segments, unit="segment"):
            work.coded.update(segments["interview_id"])
            return code(self, segments, unit)

        def counted_coder(*args, **kwargs):
            work.compiles += 1
            return coder(*args, **kwargs)

        def counted_designs(segments, topics=None):
            work.designs.update(segments["interview_id"])
            return designs(segments, topics)

        def counted_preferences(segments, codings, topics=None):
            work.preferences.update(segments["interview_id"])
            return preferences(segments, codings, topics)

        monkeypatch.setattr(AutoCoder, "code", counted_code)
        monkeypatch.setattr(build_module, "_coder", counted_coder)
        monkeypatch.setattr(build_module, "participant_designs", counted_designs)
        monkeypatch.setattr(build_module, "extract_preferences", counted_preferences)

    def clear(self) -> None:
        self.coded, self.designs, self.preferences, self.compiles = set(), set(), set(), 0


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return copy_sample_study(tmp_path / "raw", codebook=MINI_CODEBOOK)


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Work:
    return Work(monkeypatch)


def warm(study: Path, out: Path) -> None:
    """A first build into ``out``: its cache is then warm."""
    write_outputs(build(study, cache_dir=out / ".cache"), out)


def rebuild_equals_fresh(study: Path, out: Path, tmp_path: Path) -> None:
    """Rebuild into ``out`` with its cache, and check it wrote what a build without any cache writes."""
    write_outputs(build(study, cache_dir=out / ".cache"), out)
    fresh = tmp_path / f"fresh-{next(_FRESH)}"
    write_outputs(build(study), fresh)
    assert snapshot(out) == snapshot(fresh)


def test_nothing_changed_computes_nothing(study: Path, tmp_path: Path, work: Work) -> None:
    out = tmp_path / "p"
    warm(study, out)
    assert work.coded == ALL and work.compiles == 1
    work.clear()
    write_outputs(build(study, cache_dir=out / ".cache"), out)
    assert work.coded == set() and work.compiles == 0 and work.designs == set() and work.preferences == set()
    # codings, designs and preferences per interview; the codebook and the compiled coder, kept although unused
    assert len(list((out / ".cache").glob("*.derived"))) == 3 * len(ALL) + 2


@pytest.mark.parametrize("edit", ["transcript", "codebook", "study.yml", "questionnaire", "software",
                                  "coding unit", "damaged entries"])
def test_every_input_invalidates_what_depends_on_it(study: Path, tmp_path: Path, work: Work,
                                                     monkeypatch: pytest.MonkeyPatch, edit: str) -> None:
    """After each kind of change, the rebuild recomputes what depends on it and writes what a fresh build
    writes; what does not depend on it comes from the cache."""
    out = tmp_path / "p"
    warm(study, out)
    expect_coded, expect_designs = ALL, ALL
    if edit == "transcript":
        changed = study / "transcripts" / "molhsa" / "MOLHSA-02.md"
        changed.write_text(changed.read_text(encoding="utf-8") + "P1: ონლაინ ტრენინგი ორი დღე.\n",
                           encoding="utf-8")
        expect_coded = expect_designs = {"MOLHSA-02"}
    elif edit == "codebook":  # a new pattern: every interview is coded again; designs do not read codings
        codebook = study / "codebook.yml"
        codebook.write_text(codebook.read_text(encoding="utf-8").replace('"online"]', '"online", "training"]'),
                            encoding="utf-8")
        expect_designs = set()
    elif edit == "study.yml":  # also reparses every transcript (its metadata context changed)
        yml = study / "study.yml"
        yml.write_text(yml.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        expect_coded = expect_designs = set()  # the parsed segments are the same: their results still apply
    elif edit == "questionnaire":  # question topics decide which answers designs and preferences read
        questionnaire = study / "questionnaire.yml"
        text = questionnaire.read_text(encoding="utf-8")
        assert "topic: training_duration" in text
        questionnaire.write_text(text.replace("topic: training_duration", "topic: barriers"), encoding="utf-8")
        expect_coded = set()
    elif edit == "software":
        monkeypatch.setattr(build_module, "software_fingerprint", lambda: "another version of the code")
    elif edit == "coding unit":
        yml = study / "study.yml"
        text = yml.read_text(encoding="utf-8")
        yml.write_text(text.replace("  transcripts: transcripts", "  transcripts: transcripts\n  coding_unit: sentence",
                                    1), encoding="utf-8")
        expect_designs = set()
    elif edit == "damaged entries":
        for entry in (out / ".cache").glob("*.derived"):
            data = bytearray(entry.read_bytes())
            data[20] ^= 0xFF
            entry.write_bytes(bytes(data))
    work.clear()
    write_outputs(build(study, cache_dir=out / ".cache"), out)
    assert work.coded == expect_coded, edit
    assert work.designs == expect_designs, edit
    assert (work.compiles > 0) == bool(expect_coded), edit
    fresh = tmp_path / "fresh"
    write_outputs(build(study), fresh)
    assert snapshot(out) == snapshot(fresh), edit


def test_questionnaire_edit_changes_designs_like_a_fresh_build(study: Path, tmp_path: Path) -> None:
    """Guard for the test above: the questionnaire edit it makes does change the designs table."""
    before = build(study).tables["designs"]
    questionnaire = study / "questionnaire.yml"
    questionnaire.write_text(questionnaire.read_text(encoding="utf-8").replace("topic: training_duration",
                                                                               "topic: barriers"), encoding="utf-8")
    assert not before.equals(build(study).tables["designs"])


def test_human_codings_are_merged_fresh(tmp_path: Path, work: Work) -> None:
    """Human coding files are read by every build: adding one after a warm build shows its codings."""
    study = copy_sample_study(tmp_path / "raw")  # the sample codebook: the sample coding file's codes
    out = tmp_path / "p"
    warm(study, out)
    assert not (build(study, cache_dir=out / ".cache").tables["codings"]["source"] == "manual").any()
    (study / "codings").mkdir()
    shutil.copy(SAMPLE_STUDY / "codings" / "coder_b.csv", study / "codings" / "coder_b.csv")
    work.clear()
    result = build(study, cache_dir=out / ".cache")
    assert work.coded == set()
    assert (result.tables["codings"]["source"] == "manual").any()
    write_outputs(result, out)
    fresh = tmp_path / "fresh"
    write_outputs(build(study), fresh)
    assert snapshot(out) == snapshot(fresh)


def test_software_fingerprint_follows_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache_module.software_fingerprint()
    monkeypatch.setattr(cache_module, "_SOFTWARE", None)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert cache_module.software_fingerprint() != first


def test_software_fingerprint_covers_every_source_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit to any module of the package (not only a version bump) makes old results unreachable."""
    first = cache_module.software_fingerprint()
    target = Path(cache_module.__file__).resolve().parent.parent / "coding" / "polarity.py"
    original = Path.read_bytes

    def edited(self: Path) -> bytes:
        data = original(self)
        return data + b"\n# edited\n" if self.resolve() == target else data

    monkeypatch.setattr(cache_module, "_SOFTWARE", None)
    monkeypatch.setattr(Path, "read_bytes", edited)
    assert cache_module.software_fingerprint() != first


def test_software_fingerprint_follows_the_automaton_library(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    """The compiled coder is cached with pyahocorasick's automata pickled in that library's own layout: another
    build of the library must not load them."""
    import ahocorasick

    first = cache_module.software_fingerprint()
    other = tmp_path / Path(ahocorasick.__file__).name
    other.write_bytes(Path(ahocorasick.__file__).read_bytes() + b"\0")
    monkeypatch.setattr(cache_module, "_SOFTWARE", None)
    monkeypatch.setattr(ahocorasick, "__file__", str(other))
    assert cache_module.software_fingerprint() != first
