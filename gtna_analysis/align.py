"""Question alignment: which questionnaire item each answer responds to.

Interviewers are asked to tag guide questions with ``[Q4]``; in real fieldwork many forget. An untagged
interviewer turn is compared with every question text (both languages) after crude Georgian stemming — word
prefixes, because Georgian case endings would otherwise hide the overlap — and assigned to the best match when
the similarity clears a threshold. Short probes ("could you give an example?") fall below it and keep the
current question. Participant turns inherit the question of the latest interviewer turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .study import Question
from .turns import Turn

STEM_LENGTH = 5
SIMILARITY_THRESHOLD = 0.55
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Alignment:
    question_id: str | None
    confidence: float
    method: str  # tag | similarity | inherited | none


def stem_text(text: str) -> str:
    """Lower-case words cut to their first letters: 'უწყების' and 'უწყება' compare equal."""
    return " ".join(w[:STEM_LENGTH] for w in _WORD.findall(text.casefold()) if not w.isdigit())


def best_question(text: str, questions: list[Question]) -> tuple[str | None, float]:
    """The most similar question and its similarity in [0, 1]."""
    stemmed = stem_text(text)
    if len(stemmed.split()) < 3:
        return None, 0.0
    best_id, best_score = None, 0.0
    for question in questions:
        for q_text in question.text.values():
            score = fuzz.token_set_ratio(stemmed, stem_text(q_text)) / 100
            score = min(score, (fuzz.token_sort_ratio(stemmed, stem_text(q_text)) / 100 + score) / 2 + 0.1)
            if score > best_score:
                best_id, best_score = question.id, score
    return best_id, round(best_score, 3)


def align_turns(turns: list[Turn], questions: list[Question],
                threshold: float = SIMILARITY_THRESHOLD) -> list[Alignment]:
    """One Alignment per turn, in order."""
    out: list[Alignment] = []
    current: Alignment = Alignment(None, 0.0, "none")
    for turn in turns:
        if turn.speaker_role == "interviewer":
            if turn.question_tag:
                current = Alignment(turn.question_tag, 1.0, "tag")
            else:
                qid, score = best_question(turn.text, questions)
                if qid is not None and score >= threshold:
                    current = Alignment(qid, score, "similarity")
            out.append(current)
        else:
            method = "inherited" if current.question_id else "none"
            out.append(Alignment(current.question_id, current.confidence, method))
    return out
