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

import bisect
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
# (matched at a position with ``match(text, pos, endpos)``, not on a slice: a long sentence is not copied per mention)
_DASH_NO = re.compile(r"[^.!?\n]{0,50}?\s[—–\-:]\s*(?:არა|no|nope)"
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
    return TextBounds(text).clause(start, end)


_STOP = re.compile(r"[.!?\n]")  # what ends a sentence for polarity
_SPLIT_REACH = 16  # a split match and the look-ahead deciding it never span more characters than this


class TextBounds:
    """Clause and sentence bounds of one text, for any number of mentions in it.

    Why: a mention's clause and sentence used to be found by scanning ``text`` from its start (clause splits)
    and for the next ``. ! ? newline`` each time; in a long segment with many matches that was quadratic (a
    100 KB answer took a minute to code). Here the text is scanned once, lazily, and each mention is a bisect.
    The answers are exactly the per-mention scans' (``tests/coding/test_polarity_bounds.py`` compares them):

    * left clause bound = the end of the last split match of a scan of ``text[:start]``. That scan agrees with
      the whole-text scan for every match attempt that reads no character at or after ``start`` (the pattern
      reads at most ``_SPLIT_REACH`` characters), so only the stretch after the last whole-text split ending
      ``_SPLIT_REACH`` before ``start`` is scanned again, truncated at ``start`` as before;
    * right clause bound = the first position at or after ``end`` where a split matches. Between whole-text
      matches nothing matches (the scan takes the leftmost match), so only positions inside a whole-text match
      that straddles ``end`` are tried one by one;
    * sentence = after the last stop before ``start`` up to the first stop at or after ``end``.
    """

    __slots__ = ("_split_ends", "_split_starts", "_stops", "text")

    def __init__(self, text: str):
        self.text = text
        self._split_starts: list[int] | None = None
        self._split_ends: list[int] = []
        self._stops: list[int] | None = None

    def _splits(self) -> tuple[list[int], list[int]]:
        if self._split_starts is None:
            spans = [m.span() for m in _CLAUSE_SPLIT.finditer(self.text)]
            self._split_starts = [a for a, _ in spans]
            self._split_ends = [b for _, b in spans]
        return self._split_starts, self._split_ends

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause that holds ``[start, end)`` (as ``clause_bounds``)."""
        text = self.text
        starts, ends = self._splits()
        k = bisect.bisect_right(ends, start - _SPLIT_REACH) - 1  # the last split surely found before ``start``
        left = ends[k] if k >= 0 else 0
        for m in _CLAUSE_SPLIT.finditer(text, left, start):
            left = m.end()
        j = bisect.bisect_left(starts, end)  # the first whole-text split starting at or after ``end``
        if j > 0 and ends[j - 1] > end:  # a split straddling ``end``: positions inside it may match on their own
            for position in range(end, ends[j - 1]):
                if _CLAUSE_SPLIT.match(text, position):
                    return left, position
        return left, starts[j] if j < len(starts) else len(text)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence that holds ``[start, end)``: cut at ``. ! ?`` and line breaks."""
        if self._stops is None:
            self._stops = [m.start() for m in _STOP.finditer(self.text)]
        stops = self._stops
        k = bisect.bisect_left(stops, start) - 1
        j = bisect.bisect_left(stops, end)
        return (stops[k] + 1 if k >= 0 else 0), (stops[j] if j < len(stops) else len(self.text))


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
    if _ANSWERED_NO.match(text[end:end + 12]) or _DASH_NO.match(text, end, sentence[1] + 1):
        return True  # "A lecture? No, …", "ლექცია — არა, გთხოვთ"
    after = text[end:min(sentence[1], end + 30)]
    return bool(_KA_TARGET_AFTER.match(after) or _KA_INSTEAD_SUFFIX.match(after))


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


def classify(text: str, start: int, end: int, bounds: TextBounds | None = None) -> str:
    """The polarity of the mention ``text[start:end]``: ``stated``, ``rejected`` or ``hypothetical``.

    ``bounds``: the text's ``TextBounds``, shared by the mentions of one text (the coder passes one per
    segment); made here when not given."""
    bounds = bounds if bounds is not None and bounds.text is text else TextBounds(text)
    sentence = bounds.sentence(start, end)
    c0, c1 = bounds.clause(start, end)
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
