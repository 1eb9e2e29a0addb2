"""Shared test helpers: copies of the sample study, small throw-away studies, and the "no names leak" check.

``assert_no_header_names(study_dir, folder)`` is a plain function so any test can call it
(``from conftest import assert_no_header_names``); it is also available as the ``no_header_names`` fixture.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_STUDY = ROOT / "data" / "raw"

# A minimal valid codebook for tests that exercise ingestion rather than coding.
MINI_CODEBOOK = """codebook: {id: mini, version: 1, languages: [ka, en]}
themes:
  - id: gm_tools
    label: {ka: ინსტრუმენტები, en: Tools}
    codes:
      - id: gm_tools.data
        label: {ka: მონაცემები, en: Data}
        patterns: {ka: ["სქესის მიხედვით*", "სტატისტიკ*"], en: ["sex-disaggregated", "statistic*"]}
  - id: training
    label: {ka: ტრენინგი, en: Training}
    codes:
      - id: training.online
        label: {ka: ონლაინ, en: Online}
        patterns: {ka: ["ონლაინ*"], en: ["online"]}
"""

MINI_STUDY_YML = """study:
  id: mini
  title: {ka: სატესტო კვლევა, en: Test study}
  languages: [ka, en]
  fictional: true
agencies:
  - id: moes
    name: {ka: განათლების სამინისტრო, en: Ministry of Education}
  - id: molhsa
    name: {ka: შრომის სამინისტრო, en: Ministry of Labour}
"""


def copy_sample_study(dest: Path, codebook: str | None = None) -> Path:
    """Copy data/raw to ``dest``; write ``codebook`` (or MINI_CODEBOOK if the sample has none) as codebook.yml."""
    shutil.copytree(SAMPLE_STUDY, dest, ignore=shutil.ignore_patterns("codings", ".*"))
    if codebook is not None or not (dest / "codebook.yml").exists():
        (dest / "codebook.yml").write_text(codebook or MINI_CODEBOOK, encoding="utf-8")
    return dest


def make_study(dest: Path, transcripts: dict[str, str | bytes] | None = None) -> Path:
    """A small study (agencies moes, molhsa; the sample questionnaire; MINI_CODEBOOK) with the given files,
    keyed by path under the study folder, e.g. ``{"transcripts/moes/A.md": "..."}``."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "study.yml").write_text(MINI_STUDY_YML, encoding="utf-8")
    shutil.copy(SAMPLE_STUDY / "questionnaire.yml", dest / "questionnaire.yml")
    (dest / "codebook.yml").write_text(MINI_CODEBOOK, encoding="utf-8")
    (dest / "transcripts" / "moes").mkdir(parents=True, exist_ok=True)
    for rel, content in (transcripts or {}).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return dest


def study_with_pattern(dest: Path, pattern: str, transcript: str, study_yml_extra: str = "") -> tuple[Path, Path, int]:
    """A ``make_study`` study with one transcript (MOES-95) whose codebook adds ``pattern`` to MINI_CODEBOOK's
    "online" code: the study folder, its codebook and the pattern's line there (what an error must name)."""
    study = make_study(dest, {"transcripts/moes/MOES-95.md": transcript})
    if study_yml_extra:
        (study / "study.yml").write_text(MINI_STUDY_YML + study_yml_extra, encoding="utf-8")
    codebook = study / "codebook.yml"
    codebook.write_text(MINI_CODEBOOK.replace('"online"]', f'"online", "{pattern}"]'), encoding="utf-8")
    line = next(i for i, text in enumerate(codebook.read_text(encoding="utf-8").splitlines(), 1) if pattern in text)
    return study, codebook, line


@pytest.fixture
def sample_study(tmp_path: Path) -> Path:
    """A private copy of the sample study (with its codebook if present)."""
    return copy_sample_study(tmp_path / "raw")


# --- participant names must never reach outputs -------------------------------------------------------------

# Letters that Georgian case endings, postpositions and particles are made of: a name followed only by these
# is an inflected form of it (ზურაბ-ისთვის, მაია-სგან), while სოფ-ელში or მაი-ნც are other words.
_SUFFIX_LETTERS = "იმასთოდებზშნგკვცღ"
_TEXT_SUFFIXES = (".txt", ".md", ".csv", ".tsv", ".json", ".ipynb", ".html", ".htm", ".xml", ".qdc", ".svg")


def header_names(study_dir: str | Path) -> set[str]:
    """Every participant name token (≥3 letters) in the study's transcript headers and interviews.csv."""
    from gtna_analysis.ingest.interview import load_interviews_csv
    from gtna_analysis.ingest.readers import SUPPORTED_SUFFIXES, read_transcript

    study_dir = Path(study_dir)
    people: list[object] = []
    for path in sorted((study_dir / "transcripts").rglob("*")):
        if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
            try:
                header = read_transcript(path).header
            except Exception:  # a deliberately broken fixture: it has no readable header
                continue
            people.extend((header or {}).get("participants") or [])
    csv_path = study_dir / "interviews.csv"
    if csv_path.exists():
        for record, _ in load_interviews_csv(csv_path).values():
            people.extend(record.get("participants") or [])
    tokens: set[str] = set()
    for person in people:
        if isinstance(person, dict):
            tokens.update(t for t in re.split(r"[\s\-]+", str(person.get("name") or "")) if len(t) >= 3)
    return tokens


def name_form_regex(token: str) -> re.Pattern[str]:
    """Whole words that are ``token`` or an inflected form of it (Georgian names also in Latin letters)."""
    from gtna_analysis.ingest.pseudonymise import transliterate

    if re.fullmatch(r"[\u10d0-\u10ff]+", token):
        stem = token[:-1] if len(token) >= 4 and token[-1] in "იე" else token
        latin = transliterate(token)
        pattern = rf"{re.escape(stem)}[{_SUFFIX_LETTERS}]{{0,8}}|{re.escape(latin)}(?:i|s|'s|’s)?"
    else:
        pattern = rf"{re.escape(token)}(?:i|s|'s|’s)?"
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


def _texts_under(folder: Path) -> list[tuple[str, str]]:
    """(where, text) for every text-like file and every string column of every parquet file under folder."""
    out: list[tuple[str, str]] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in _TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            if suffix in (".json", ".ipynb"):
                # \u10d0-style escapes would hide Georgian names from a plain text search
                with contextlib.suppress(ValueError):
                    text = json.dumps(json.loads(text), ensure_ascii=False)
            if suffix in (".html", ".htm", ".xml", ".svg", ".qdc", ".ipynb"):
                text = html.unescape(text)
            out.append((str(path), text))
        elif suffix == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            for column in table.column_names:
                values = table.column(column).to_pylist()
                strings = [v for v in values if isinstance(v, str)]
                if strings:
                    out.append((f"{path}[{column}]", "\n".join(strings)))
    return out


def find_header_names(study_dir: str | Path, folder: str | Path) -> list[str]:
    """Every occurrence of a header name (any inflected form) under ``folder``, as 'where: form'."""
    regexes = [name_form_regex(t) for t in sorted(header_names(study_dir))]
    found: list[str] = []
    for where, text in _texts_under(Path(folder)):
        for regex in regexes:
            for m in regex.finditer(text):
                found.append(f"{where}: {m.group(0)!r} …{text[max(0, m.start() - 30):m.end() + 30]!r}…")
    return found


def assert_no_header_names(study_dir: str | Path, folder: str | Path) -> None:
    """Fail if any participant name from any header of ``study_dir`` (in any inflected form) appears in a
    text/html/csv/json/ipynb file or a parquet text column under ``folder``."""
    assert Path(folder).is_dir(), f"{folder} does not exist"
    assert header_names(study_dir), f"no participant names found in the headers of {study_dir}"
    found = find_header_names(study_dir, folder)
    assert not found, f"{len(found)} participant name(s) leaked:\n" + "\n".join(found[:20])


@pytest.fixture
def no_header_names() -> Callable[[str | Path, str | Path], None]:
    """The ``assert_no_header_names`` function, for tests that prefer fixtures to imports."""
    return assert_no_header_names
