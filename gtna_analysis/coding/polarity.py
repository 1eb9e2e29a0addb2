"""Polarity of a coded mention: stated, rejected or hypothetical — read off the clause around the match.

Why: people name topics and formats to reject them ("we don't need another lecture on the law", "ონლაინ არა",
"rather than online"). A rejected mention stays in ``codings`` (a reader may want it) but must never count as a
priority, a wanted topic or a preferred format; a hypothetical one ("if it were online, maybe…") is not a wish.

The rules, kept small and tested sentence by sentence (tests/coding/test_polarity.py):

* **Scope** is the clause: a sentence cut at ``, ; : — –`` and at contrastive conjunctions (but, however,
  whereas, მაგრამ, ოღონდ, თუმცა, ხოლო, არამედ). "Not online, but in person" rejects only online.
* **Negation** counts cues in the clause: negators (not, n't, no, never, nor, არ, ვერ, ნუ, არა, არც, აღარ,
  ვეღარ, ნურც) and rejecting words (against, useless, pointless, waste, enough of, tired of, avoid, უაზრო,
  ზედმეტ*, წინააღმდეგ*, საკმარისია…). An odd count rejects, an even one states: "I'm not against online" and
  "ონლაინის წინააღმდეგი არ ვარ" are for it. English negators reach forward (words after them in the clause)
  or, as a predicate ("X is not needed", "X? No"), back; Georgian puts the verb last, so a negator anywhere in
  the clause counts.
* **Targeted rejection**: "rather than X", "instead of X", "not X but Y", "X-ის ნაცვლად", "X კი არა" reject X
  itself, whatever else the clause says.
* **Hypothetical**: if, would, could, might, maybe, perhaps, in case; თუ, თუკი, შეიძლება, იქნებ, რომ … -ოდა/-დეს
  conditional forms — unless a clear wish is stated in the same clause.
"""

from __future__ import annotations

import re
from functools import lru_cache

STATED, REJECTED, HYPOTHETICAL = "stated", "rejected", "hypothetical"
POLARITIES = (STATED, REJECTED, HYPOTHETICAL)

_CLAUSE_SPLIT = re.compile(
    r"[.!?;:…,—–\n]|\s-\s|\b(?:but|however|whereas|although|though|while|yet)\b|"
    r"(?<![\w])(?:მაგრამ|ოღონდ|თუმცა|ხოლო|არამედ|სამაგიეროდ)(?![\w])", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

_EN_NEGATORS = {"not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "noone", "without", "don't",
                "doesn't", "didn't",
                "won't", "wouldn't", "isn't", "aren't", "wasn't", "weren't", "can't", "cannot", "couldn't",
                "shouldn't", "haven't", "hasn't", "hardly", "dont", "doesnt", "wont", "isnt", "cant"}
_EN_REJECTING = {"against", "useless", "pointless", "waste", "avoid", "tired", "sick", "boring",
                 "unnecessary", "unhelpful", "irrelevant", "skip", "refuse", "reject", "rejected", "nonsense",
                 "forget", "drop", "luxury", "excessive", "impossible", "unrealistic"}
_EN_TOO = re.compile(r"\b(?:too\s+(?:little|short|long|much|many)|not\s+enough|is\s+a\s+luxury|enough\s+of)\b",
                     re.IGNORECASE)
_KA_NEGATORS = {"არ", "ვერ", "ნუ", "არა", "არც", "აღარ", "ვეღარ", "ნურც", "ნურაფერი", "არაფერი", "ვერაფერი",
                "არავითარი", "უარი", "უარს", "ვერავინ", "არავინ", "ვერასდროს", "არასდროს"}
_KA_REJECTING_STEMS = ("წინააღმდეგ", "ზედმეტ", "უაზრ", "უსარგებლ", "ბევრია", "მობეზრ", "ბეზრდ", "აღარ",
                       "გვეყოფა", "ფუჭ", "ტყუილად", "მოსაწყენ", "ცოტაა", "მცირეა", "დაივიწყ", "ფუფუნება", "გამორიცხ")
_EN_TARGETED = re.compile(r"\b(?:rather than|instead of|other than|not so much|as opposed to|no more|not again)\s+"
                          r"(?:(?:a|an|the|another|more|any|some|one|these|those)\s+)?$", re.IGNORECASE)
_ANSWERED_NO = re.compile(r"^\s*\?\s*(?:no|nope|never|არა|არასდროს)(?![\w])", re.IGNORECASE)
# "X — არა", "slides — no, thanks", "X: no": a bare no after a dash or colon answers the words before it
_DASH_NO = re.compile(r"^[^.!?\n]{0,50}?\s[—–\-:]\s*(?:არა|no|nope)"
                      r"(?:\s*[,.!?…]|\s+(?:მადლობა|გთხოვთ|thanks|please)|\s*$)", re.IGNORECASE)
_EN_NOT_X_BUT = re.compile(r"\bnot\s*$", re.IGNORECASE)
_KA_TARGET_AFTER = re.compile(r"^\s*(?:ის\s+)?(?:ნაცვლად|მაგივრად|კი\s+არა|არა\b|არა,)", re.IGNORECASE)
_KA_INSTEAD_SUFFIX = re.compile(r"^[\u10d0-\u10ff]*\s+(?:ნაცვლად|მაგივრად|კი\s+არა)")
_EN_PREDICATE_NEG = re.compile(
    r"^\W*(?:[\w'’]+\s+){0,4}?(?:is|are|was|were|would be|will be|does|do|did|'s|’s)?\s*"
    r"(?:not|n't|n’t|never|no)\b|^\W*(?:\?|—|-)?\s*no\b", re.IGNORECASE)
_EN_HYPOTHETICAL = {"if", "would", "could", "might", "maybe", "perhaps", "possibly", "unless", "whether",
                    "hypothetically", "imagine", "suppose"}
_KA_HYPOTHETICAL = {"თუ", "თუკი", "შეიძლება", "იქნებ", "შესაძლოა", "შესაძლოა,", "ალბათ"}
_KA_CONDITIONAL = re.compile(r"(?:ოდა|ოდნენ|ოდეს|ოდი|დეს|დეთ|იყო|იყვნენ|ოს)$")
_WISH = re.compile(r"\b(?:want|need|prefer|should|must|best|definitely|please)\b|"
                   r"(?<![\w])(?:მინდა|გვინდა|სჯობს|აუცილებლად|უნდა|საჭიროა|გვჭირდება)(?![\w])", re.IGNORECASE)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text`` that holds the match ``[start, end)``."""
    left = 0
    for m in _CLAUSE_SPLIT.finditer(text, 0, start):
        left = m.end()
    m = _CLAUSE_SPLIT.search(text, end)
    return left, m.start() if m else len(text)


_GEORGIAN_LETTER = re.compile("[\u10d0-\u10ff]")


def _georgian(text: str) -> bool:
    return _GEORGIAN_LETTER.search(text) is not None


def _targeted(text: str, start: int, end: int, clause_start: int, sentence: tuple[int, int]) -> bool:
    """"rather than X", "instead of X", "X-ის ნაცვლად", "X კი არა": X itself is rejected."""
    before = text[max(sentence[0], start - 40):start]
    if _EN_TARGETED.search(before):
        return True
    if _EN_NOT_X_BUT.search(text[clause_start:start]) and re.match(r"^[^.!?;]{0,60}?\bbut\b", text[end:sentence[1]]):
        return True
    if _ANSWERED_NO.match(text[end:end + 12]) or _DASH_NO.match(text[end:sentence[1] + 1]):
        return True  # "A lecture? No, …", "ლექცია — არა, გთხოვთ"
    after = text[end:min(sentence[1], end + 30)]
    return bool(_KA_TARGET_AFTER.match(after) or _KA_INSTEAD_SUFFIX.match(after))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return left, min(ends) if ends else len(text)


_ALWAYS, _FORWARD = 1, 2  # a negating word counts wherever it stands / only before the mention (English)


@lru_cache(maxsize=65_536)
def _negator_kind(word: str) -> int:
    """How a word negates (0: not at all). Memoised: the same few thousand words recur in every clause."""
    lw = word.lower()
    if lw in _KA_NEGATORS or lw.startswith(_KA_REJECTING_STEMS):
        return _ALWAYS
    if lw in _EN_NEGATORS or lw.endswith(("n't", "n’t")):
        return _FORWARD
    return _ALWAYS if lw in _EN_REJECTING else 0


def _negation_count(words: list[str], match_index: int, georgian: bool) -> int:
    count = 0
    for i, w in enumerate(words):
        kind = _negator_kind(w)
        # an English negator reaches forward; backward only as a predicate (handled by the caller)
        if kind == _ALWAYS or (kind == _FORWARD and (georgian or i < match_index)):
            count += 1
    return count


def classify(text: str, start: int, end: int) -> str:
    """The polarity of the mention ``text[start:end]``: ``stated``, ``rejected`` or ``hypothetical``."""
    sentence = _sentence(text, start, end)
    c0, c1 = clause_bounds(text, start, end)
    if _targeted(text, start, end, c0, sentence):
        return REJECTED
    clause = text[c0:c1]
    words = _WORD.findall(clause)
    before_words = _WORD.findall(text[c0:start])
    georgian = _georgian(clause)
    negations = _negation_count(words, len(before_words), georgian)
    if not georgian and negations % 2 == 0 and _EN_PREDICATE_NEG.match(text[end:c1]):
        negations += 1  # "online is not needed", "online? no"
    if negations % 2 == 0 and _EN_TOO.search(clause):
        negations += 1  # "one day is too little", "two days is not enough" (not the speaker's design)
    if negations % 2 == 1:
        return REJECTED
    lowered = {w.lower() for w in _WORD.findall(text[sentence[0]:c1])}
    hypothetical = bool(lowered & _EN_HYPOTHETICAL or lowered & _KA_HYPOTHETICAL
                        or (georgian and any(_KA_CONDITIONAL.search(w) and len(w) > 5 for w in words)
                            and "რომ" in lowered))
    if hypothetical and not _WISH.search(clause):
        return HYPOTHETICAL
    return STATED


def combine(polarities: list[str]) -> str:
    """One code's polarity in a unit from its mentions' polarities: stated wins, then hypothetical."""
    if STATED in polarities:
        return STATED
    if HYPOTHETICAL in polarities:
        return HYPOTHETICAL
    return REJECTED if polarities else STATED
