"""Question alignment: which questionnaire item each turn responds to.

Interviewers are asked to tag guide questions with ``[Q4]``; in real fieldwork many forget or paraphrase. An
untagged interviewer turn is scored against every guide question (Georgian and English wording) by *weighted
coverage*: the share of the question's content words that the turn contains, each word weighted by how specific
it is within the questionnaire (a word found in one question only, like "ხანგრძლივობის"/"long", counts more than
"ტრენინგის"/"training", which occurs in half of them). Coverage rather than symmetric similarity because
interviewers wrap guide questions in preambles ("Thank you… let me start broadly: …"), which must not dilute the
match, while short probes ("Can you give an example?") cover almost nothing of any question.

Georgian inflects with suffixes (and syncope: თანამშრომელი → თანამშრომლის), so words are compared by their first
``STEM_LENGTH`` letters; this crude prefix stem also works for English (training/trained → "train").

The turn is assigned to the best question when the score reaches ``SIMILARITY_THRESHOLD``; otherwise it keeps
the current question (a follow-up probe). Participant turns inherit the question of the latest interviewer turn,
so the answers to a question are the participant turns until the next question. The score is reported as
``question_confidence`` (1.0 for an explicit tag).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from gtna_analysis.study import Question

from .turns import Turn

STEM_LENGTH = 5
SIMILARITY_THRESHOLD = 0.5
ORDER_BONUS = 0.2
MIN_CONTENT_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}")

# Function words that carry no topic (question words, pronouns, conjunctions), compared after stemming.
_FUNCTION_WORDS = (
    "და ან თუ რომ რა რას როგორ როგორი რომელი რამდენად ვინ სად როდის რატომ არის იყო იქნება იყოს არა ეს ის ამ იმ "
    "ამის იმის თქვენ თქვენი თქვენს თქვენთვის ჩვენ ჩვენი მე მაგრამ კი ხომ უკვე ასევე მაგალითად ვთქვათ უნდა "
    "შეიძლება ძალიან მხრივ აზრით ერთი რაიმე რამე ანუ ახლა მაშინ "
    "the a an and or of to in on for with what which who how do does did is are was were be been your you "
    "we our us it its this that these those there as at by from would should could can will may might about "
    "any some have has had not no yes so if then than too very much more most also just like into over"
)
_STOPWORDS = frozenset(w[:STEM_LENGTH] for w in _FUNCTION_WORDS.split())


@dataclass(frozen=True)
class Alignment:
    """The question a turn belongs to, how sure we are, and how it was decided."""

    question_id: str | None
    confidence: float
    method: str  # tag | similarity | inherited | none


def content_stems(text: str) -> list[str]:
    """Lower-cased word prefixes without function words: 'უწყების' and 'უწყებას' compare equal."""
    stems = (w[:STEM_LENGTH] for w in _WORD.findall(text.casefold()))
    return [s for s in stems if s not in _STOPWORDS]


class QuestionMatcher:
    """Scores a text against every question of the guide (all languages of the question text)."""

    def __init__(self, questions: list[Question]):
        self.variants: list[tuple[str, set[str]]] = []
        for question in questions:
            for text in question.text.values():
                stems = set(content_stems(text))
                if stems:
                    self.variants.append((question.id, stems))
        doc_freq = Counter(s for _, stems in self.variants for s in stems)
        n = max(len(self.variants), 1)
        self.weight = {s: math.log(1 + n / df) for s, df in doc_freq.items()}

    def scores(self, text: str) -> dict[str, float]:
        """Weighted coverage of each question by ``text``, best language variant per question."""
        found = set(content_stems(text))
        out: dict[str, float] = {}
        if len(found) < MIN_CONTENT_WORDS:
            return out
        for qid, stems in self.variants:
            total = sum(self.weight[s] for s in stems)
            covered = sum(self.weight[s] for s in stems & found)
            out[qid] = max(out.get(qid, 0.0), covered / total)
        return out

    def best(self, text: str) -> tuple[str | None, float]:
        """The best-covered question and its score in [0, 1] (first in guide order on ties)."""
        scores = self.scores(text)
        if not scores:
            return None, 0.0
        qid = max(scores, key=lambda q: scores[q])  # max() keeps the first maximum: guide order
        return qid, round(scores[qid], 3)


def align_turns(turns: list[Turn], questions: list[Question], threshold: float | None = None,
                order_bonus: float | None = None) -> list[Alignment]:
    """One Alignment per turn, in order (defaults: SIMILARITY_THRESHOLD, ORDER_BONUS).

    Semi-structured interviews follow the guide: the next unasked question gets ``order_bonus`` added to its
    score and questions already asked lose it, so a probe that happens to share words with an earlier question
    ("That's quite a long list" after "How long should the module be?") does not jump back.
    """
    threshold = SIMILARITY_THRESHOLD if threshold is None else threshold
    order_bonus = ORDER_BONUS if order_bonus is None else order_bonus
    matcher = QuestionMatcher(questions)
    order = [q.id for q in questions]
    out: list[Alignment] = []
    asked: set[str] = set()
    current = Alignment(None, 0.0, "none")
    for turn in turns:
        if turn.speaker_role == "interviewer":
            if turn.question_tag:
                current = Alignment(turn.question_tag, 1.0, "tag")
                asked.add(current.question_id)
                out.append(current)
                continue
            start = order.index(current.question_id) + 1 if current.question_id in order else 0
            expected = next((q for q in order[start:] if q not in asked), None)
            adjusted = {}
            for qid, score in matcher.scores(turn.text).items():
                if qid == expected:
                    score += order_bonus
                elif qid in asked and qid != current.question_id:
                    score -= order_bonus
                adjusted[qid] = score
            if adjusted:
                qid = max(adjusted, key=lambda q: adjusted[q])
                if adjusted[qid] >= threshold:
                    current = Alignment(qid, round(min(adjusted[qid], 1.0), 3), "similarity")
                    asked.add(qid)
                    out.append(current)
                    continue
        method = "inherited" if current.question_id else "none"
        out.append(Alignment(current.question_id, current.confidence, method))
    return out
