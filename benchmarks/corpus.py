"""Synthetic study generator: the sample study scaled to N× its words, deterministically.

Each synthetic interview takes a real sample transcript as its *template* (language, mode, participants, the
sequence of interviewer questions and who answers) and refills every participant paragraph with as many
sentences as the original had, drawn with a seeded RNG from the participant sentences that answer the *same
question* in transcripts of the same language. Interviewer turns (with their ``[Qn]`` tags) are kept verbatim so
question alignment still works; participant names are recombined from the sample headers; interview ids are new.
The result is realistic for the coder (same vocabulary, same phrase statistics, same turn lengths) without ever
repeating a whole sample turn, and ``gtna build`` runs on it unchanged.

Scale 1× = the total words of the sample's speaker turns; N× = generate interviews until N times that many words.

Two outputs share one generator, so they are the same text for the same ``(scale, seed)``:
- :func:`write_study` — a study folder (study.yml, questionnaire, codebook, transcripts/<agency>/<id>.md);
- :func:`segment_texts` — just the participant turn texts, in memory (what the coder sees), for scales where
  writing and building thousands of transcripts would only measure the disk.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_STUDY = ROOT / "data" / "raw"
DEFAULT_SEED = 20180313

_TS = r"(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?"
_INTERVIEWER_RE = re.compile(_TS + r"(?:ინტერვიუერი|მოდერატორი|interviewer|moderator)\s*:\s*(.*)$", re.I)
_PARTICIPANT_RE = re.compile(_TS + r"(?:რესპონდენტი|respondent|p|r)\s*(\d{1,2})\s*:\s*(.*)$", re.I)
_QTAG_RE = re.compile(r"\[(Q\d+[a-z]?)\]")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+")


@dataclass
class TemplateTurn:
    role: str  # interviewer | participant
    number: int  # participant number (P<number>); 0 for the interviewer
    question: str | None  # the last [Qn] asked before (or in) this turn
    paragraphs: list[str]


@dataclass
class Template:
    source: str
    header: dict
    turns: list[TemplateTurn]

    @property
    def language(self) -> str:
        return str(self.header["language"])


@dataclass
class SynthInterview:
    interview_id: str
    agency: str
    header: dict
    turns: list[tuple[str, int, str]]  # (role, participant number, text with "\n" between paragraphs)

    @property
    def words(self) -> int:
        return sum(len(t.split()) for _, _, t in self.turns)

    def participant_texts(self) -> list[str]:
        return [t for role, _, t in self.turns if role == "participant"]

    def render(self) -> str:
        """The transcript file (YAML header + labelled turns, one paragraph per line, blank line between)."""
        head = yaml.safe_dump(self.header, allow_unicode=True, sort_keys=False, default_flow_style=None, width=200)
        interviewer = "ინტერვიუერი" if self.header["language"] == "ka" else "Interviewer"
        lines = []
        for role, number, text in self.turns:
            label = interviewer if role == "interviewer" else f"P{number}"
            first, *rest = text.split("\n")
            lines.append(f"{label}: {first}")
            lines.extend(rest)
        return "---\n" + head + "---\n\n" + "\n\n".join(lines) + "\n"


@dataclass
class Sample:
    """The parsed sample study: templates, sentence pools by (language, question), names."""

    study: Path
    templates: list[Template]
    pools: dict[tuple[str, str | None], list[str]]
    first_names: dict[str, list[str]]  # by script: ka / en
    last_names: dict[str, list[str]]
    words: int  # words in all speaker turns (the 1× size)
    agencies: list[dict] = field(default_factory=list)


def parse_transcript(path: Path) -> Template:
    """A sample .md transcript → header + turns (labels normalised, continuation paragraphs attached)."""
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    header = yaml.safe_load(head)
    turns: list[TemplateTurn] = []
    question: str | None = None
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := _INTERVIEWER_RE.match(line):
            content = m.group(1)
            if tag := _QTAG_RE.search(content):
                question = tag.group(1)
            turns.append(TemplateTurn("interviewer", 0, question, [content]))
        elif m := _PARTICIPANT_RE.match(line):
            turns.append(TemplateTurn("participant", int(m.group(1)), question, [m.group(2)]))
        elif turns:
            turns[-1].paragraphs.append(line)
    return Template(path.relative_to(path.parents[1]).as_posix(), header, turns)


def split_sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(paragraph.strip()) if s]


def _script(word: str) -> str:
    return "ka" if any("\u10d0" <= ch <= "\u10ff" for ch in word) else "en"


@lru_cache(maxsize=4)
def load_sample(study: Path = SAMPLE_STUDY) -> Sample:
    study = Path(study)
    templates = [parse_transcript(p) for p in sorted((study / "transcripts").rglob("*.md"))]
    if not templates:
        raise FileNotFoundError(f"no .md transcripts under {study / 'transcripts'}")
    pools: dict[tuple[str, str | None], list[str]] = {}
    firsts: dict[str, set[str]] = {"ka": set(), "en": set()}
    lasts: dict[str, set[str]] = {"ka": set(), "en": set()}
    words = 0
    for tpl in templates:
        for turn in tpl.turns:
            words += sum(len(p.split()) for p in turn.paragraphs)
            if turn.role != "participant":
                continue
            for paragraph in turn.paragraphs:
                sentences = split_sentences(paragraph)
                pools.setdefault((tpl.language, turn.question), []).extend(sentences)
                pools.setdefault((tpl.language, "*"), []).extend(sentences)
        for person in tpl.header.get("participants", []):
            name = str(person.get("name", "")).split()
            if len(name) >= 2:
                firsts[_script(name[0])].add(name[0])
                lasts[_script(name[-1])].add(name[-1])
    study_yml = yaml.safe_load((study / "study.yml").read_text(encoding="utf-8"))
    return Sample(study, templates, {k: sorted(v) for k, v in pools.items()},
                  {k: sorted(v) or ["Nino"] for k, v in firsts.items()},
                  {k: sorted(v) or ["Beridze"] for k, v in lasts.items()}, words, study_yml["agencies"])


def agency_ids(sample: Sample, n_agencies: int | None) -> list[str]:
    """The sample's agencies, or ``agency1`` … ``agencyN`` (copies of the sample's, cyclically)."""
    if n_agencies is None:
        return [str(a["id"]) for a in sample.agencies]
    return [f"agency{i}" for i in range(1, n_agencies + 1)]


def _fill(rng: random.Random, pool: list[str], n: int) -> str:
    return " ".join(rng.choice(pool) for _ in range(max(n, 1)))


def generate(scale: float, seed: int = DEFAULT_SEED, n_agencies: int | None = None,
             sample: Sample | None = None, words: int | None = None) -> Iterator[SynthInterview]:
    """Synthetic interviews until ``scale`` × the sample's words (or ``words``) are reached."""
    sample = sample or load_sample()
    target = words if words is not None else round(scale * sample.words)
    agencies = agency_ids(sample, n_agencies)
    rng = random.Random(seed)
    total = 0
    index = 0
    base_date = dt.date(2018, 3, 1)
    while total < target:
        tpl = sample.templates[rng.randrange(len(sample.templates))]
        agency = agencies[index % len(agencies)]
        index += 1
        lang = tpl.language
        people = []
        for person in tpl.header["participants"]:
            script = lang if lang in ("ka", "en") else "ka"
            name = f"{rng.choice(sample.first_names[script])} {rng.choice(sample.last_names[script])}"
            people.append({"id": person["id"], "name": name, "role": person.get("role", ""),
                           "gender": person.get("gender", "unknown"), "level": person.get("level", "unknown")})
        interview_id = f"{agency.upper()}-S{index:05d}"
        header = {"interview_id": interview_id, "agency": agency,
                  "date": (base_date + dt.timedelta(days=rng.randrange(120))).isoformat(),
                  "mode": tpl.header.get("mode", "individual"), "language": lang,
                  "interviewer": f"INT{rng.randrange(1, 4)}", "participants": people}
        turns: list[tuple[str, int, str]] = []
        for turn in tpl.turns:
            if turn.role == "interviewer":
                turns.append(("interviewer", 0, "\n".join(turn.paragraphs)))
                continue
            pool = sample.pools.get((lang, turn.question)) or sample.pools[(lang, "*")]
            paragraphs = [_fill(rng, pool, len(split_sentences(p))) for p in turn.paragraphs]
            turns.append(("participant", turn.number, "\n".join(paragraphs)))
        interview = SynthInterview(interview_id, agency, header, turns)
        total += interview.words
        yield interview


def segment_texts(scale: float, seed: int = DEFAULT_SEED, sample: Sample | None = None) -> list[str]:
    """The participant turn texts of the ``scale``× corpus (the segments the coder codes)."""
    return [t for interview in generate(scale, seed, sample=sample) for t in interview.participant_texts()]


def write_study(dest: Path, scale: float = 1.0, seed: int = DEFAULT_SEED, n_agencies: int | None = None,
                sample: Sample | None = None, codebook: Path | None = None, words: int | None = None) -> dict:
    """Write a synthetic study folder that ``gtna build`` accepts; returns counts (interviews, words, bytes)."""
    sample = sample or load_sample()
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "transcripts").mkdir(parents=True)
    study_yml = yaml.safe_load((sample.study / "study.yml").read_text(encoding="utf-8"))
    if n_agencies is not None:
        agencies = []
        for i, agency_id in enumerate(agency_ids(sample, n_agencies)):
            base = sample.agencies[i % len(sample.agencies)]
            suffix = f" ({i + 1})"
            agencies.append({**base, "id": agency_id,
                             "name": {k: v + suffix for k, v in base["name"].items()},
                             "short": {k: v + suffix for k, v in base.get("short", base["name"]).items()}})
        study_yml["agencies"] = agencies
    study_yml["study"]["id"] = f"{study_yml['study'].get('id', 'gtna')}-x{scale:g}"
    for key in ("questionnaire", "codebook"):
        name = study_yml["study"].get(key, f"{key}.yml")
        source = codebook if key == "codebook" and codebook else sample.study / name
        shutil.copyfile(source, dest / name)
    (dest / "study.yml").write_text(yaml.safe_dump(study_yml, allow_unicode=True, sort_keys=False),
                                    encoding="utf-8")
    counts: Counter = Counter()
    for interview in generate(scale, seed, n_agencies, sample, words):
        folder = dest / "transcripts" / interview.agency
        folder.mkdir(exist_ok=True)
        data = interview.render().encode("utf-8")
        (folder / f"{interview.interview_id}.md").write_bytes(data)
        counts["interviews"] += 1
        counts["words"] += interview.words
        counts["bytes"] += len(data)
        counts["segments"] += len(interview.participant_texts())
    return dict(counts)


def corpus_stats(texts: list[str]) -> dict:
    return {"segments": len(texts), "words": sum(len(t.split()) for t in texts),
            "bytes": sum(len(t.encode("utf-8")) for t in texts), "chars": sum(map(len, texts))}
