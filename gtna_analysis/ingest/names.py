"""Georgian personal names: how they inflect, what a given name and a surname look like, and who is a third party.

Georgian nouns decline: ნინო → ნინომ, ნინოს, ნინოსთან, ნინომაც; ზურაბ → ზურაბი, ზურაბმა, ზურაბისგან;
ბერიძე → ბერიძის, ბერიძით. A name therefore has *heads* — the name itself (``full``), for names ending in -ე/-ი
the truncated stem (``stem``: ბერიძ-ის, ღლონტ-მა) — and each head takes the endings of its kind: case ending,
then postposition, then particle, each optional.

Georgian names are regular enough to be found without a list of people: a given name from the shipped list
(``data/georgian_given_names.txt``, its source is named in its header) next to a word that looks like a surname
(-შვილი, -ძე, -ია, -უა, -ავა, -ანი, -ური, -ული, -ელი, -ნი, -ი, in any case form) that is not a known Georgian word
(simplemma's Georgian dictionary, shipped in its wheel: place names such as ქუთაისი and words such as ქართული are
known words, surnames are not). English names are found after a title (Mr, Dr, Minister …), Georgian ones also
after ბატონი, ქალბატონი, მინისტრი … .
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .romanise import GEORGIAN_WORD, fold_text, romanisations, transliterate

# Georgian morphology after a name: case ending, then postposition, then particle — each optional.
CASE = "(?:ი|მა|მ|ს|ის|ით|ითა|თი|თ|ად|დ|ო|ა|ებ(?:ი|მა|ს|ის|ით|ად)?)?"
POSTPOSITION = "(?:ში|ზე|თან|თვის|გან|კენ|ვით|ავით|დან|იდან|მდე|ამდე|ებრ)?"
PARTICLE = "(?:ც|აც|იც|ცა|ვე|ო|ა|ღა)?"
GEORGIAN_SUFFIX = CASE + POSTPOSITION + PARTICLE
STEM_SUFFIX = "(?:ის|ით|ითა|ად|ს|მა)" + POSTPOSITION + PARTICLE  # after a truncated stem: ბერიძ-ის
LATIN_SUFFIX = r"(?:i|'s|s)?"
ENDINGS = {"full": GEORGIAN_SUFFIX, "stem": STEM_SUFFIX, "bare": "ო?", "latin": LATIN_SUFFIX}
_ENDING_RES = {kind: re.compile(pattern) for kind, pattern in ENDINGS.items()}

# Surname endings (nominative); the strong ones are rarely anything but a surname.
STRONG_SURNAME_ENDINGS = ("შვილი", "ძე", "ია", "უა", "ავა", "ვა", "ანი", "ური", "ული", "ელი", "ნი")
LATIN_SURNAME_END = re.compile(r"(?:shvili|schwili|svili|swili|dze|dse|ze|ia|ua|ava|va|ani|uri|uli|eli|ni|i|e|a)$")

# Titles before a name (the title stays, the name goes).
GEORGIAN_TITLE_STEMS = ("ბატონ", "ქალბატონ", "მინისტრ", "მოადგილ", "დირექტორ", "თავმჯდომარ", "პროფესორ",
                        "დოქტორ", "გუბერნატორ", "ელჩ", "მოსამართლ", "სპიკერ", "დეპუტატ")
ENGLISH_TITLES = frozenset(t.casefold() for t in (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Minister", "Deputy", "Director", "Mayor",
    "Governor", "Ambassador", "Chairman", "Chairwoman", "Chairperson", "Judge", "Sir", "Madam", "Mister",
    "Batoni", "Kalbatoni", "Qalbatoni", "President", "MP",
))
# Capitalised words after a title that are part of an office, not a name ("Minister of Education", "Deputy Head").
OFFICE_WORDS = frozenset(t.casefold() for t in (
    "Minister", "Deputy", "Director", "Head", "Chief", "General", "Of", "The", "For", "And", "Ministry", "Office",
    "Department", "Division", "Unit", "Service", "Agency", "Council", "Committee", "Parliament", "Government",
    "Georgia", "Georgian", "Education", "Science", "Health", "Labour", "Labor", "Justice", "Finance", "Economy",
    "Affairs", "Interior", "Defence", "Defense", "Culture", "Sport", "Sports", "Youth", "State", "National",
    "Public", "Social", "Foreign", "Environment", "Agriculture", "Regional", "Development", "Infrastructure",
    "Internal", "Reconciliation", "Equality", "Gender", "Human", "Rights", "Statistics", "Prime", "First",
    "Vice", "City", "Hall", "Tbilisi", "Batumi", "Kutaisi", "Said", "Says", "Told", "Asked", "Who", "Will",
))
# A name followed by these words names an institution, street or prize, not a person in the conversation:
# ილიას სახელმწიფო უნივერსიტეტი, ივანე ჯავახიშვილის სახელობის …, რუსთაველის გამზირი, Ilia State University.
INSTITUTION_NEXT = re.compile(
    r"^(?:სახელობის|სახელმწიფო|უნივერსიტეტ\w*|გამზირ\w*|ქუჩ\w*|მოედან\w*|ხეივან\w*|ფონდ\w*|პრემი\w*|"
    r"state|university|street|avenue|square|foundation|prize|named)$", re.IGNORECASE)

_WORD = re.compile(r"\[[^\]\s]{1,40}\]|[\u10d0-\u10ffA-Za-z']+")
_GAP = re.compile(r"[ \t\u00a0]+|\.[ \t\u00a0]+")  # between two words of one name ("Mr. Smith" allows a dot)


def georgian_heads(word: str) -> list[tuple[str, str]]:
    """(kind, literal head) of a Georgian name: the name, and for -ე/-ი names the truncated stem (and for
    -ი names the bare stem before a vocative: ზურაბი → ზურაბ, ზურაბო)."""
    heads = [("full", word)]
    if len(word) >= 4 and word[-1] in "იე":
        heads.append(("stem", word[:-1]))
        if word[-1] == "ი" and len(word) >= 5:
            heads.append(("bare", word[:-1]))
    return heads


def _tails() -> list[str]:
    """Every case+postposition+particle tail, longest first (a few thousand strings)."""
    cases = ["", "ი", "მა", "მ", "ს", "ის", "ით", "ითა", "თი", "თ", "ად", "დ", "ო", "ა", "ები", "ებმა", "ებს",
             "ების", "ებით", "ებად"]
    posts = ["", "ში", "ზე", "თან", "თვის", "გან", "კენ", "ვით", "ავით", "დან", "იდან", "მდე", "ამდე", "ებრ"]
    particles = ["", "ც", "აც", "იც", "ცა", "ვე", "ო", "ა", "ღა"]
    return sorted({"".join(t) for t in itertools.product(cases, posts, particles)}, key=len, reverse=True)


TAILS = _tails()
_TAIL_SET = frozenset(TAILS)


def split_tail(word: str, min_base: int = 3) -> list[tuple[str, str]]:
    """Every (base, tail) reading of a Georgian word whose tail is a case/postposition/particle ending."""
    return [(word[:k], word[k:]) for k in range(len(word), min_base - 1, -1) if word[k:] in _TAIL_SET]


@cache
def _known(word: str, lang: str) -> bool:
    """``simplemma.is_known``, through the build cache's copy of its dictionary when there is one (lexicon.py:
    decoding the Georgian and English dictionaries took ~1 s of every rebuild that parses a transcript)."""
    from .lexicon import is_known

    return is_known(word, lang)


def known_georgian(word: str) -> bool:
    return _known(word, "ka")


def known_english(word: str) -> bool:
    return _known(word.casefold(), "en")


@dataclass(frozen=True)
class GivenNames:
    """The shipped list of Georgian given names, as head → name look-ups in both scripts."""

    heads: dict[str, tuple[str, str]]  # Georgian head -> (kind, name)
    latin: dict[str, str]  # lowercase Latin spelling -> name (those that are English words do not count)

    def georgian(self, word: str) -> str | None:
        """The given name a Georgian word is a form of (ნინოსთან → ნინო), or None."""
        for base, tail in split_tail(word, 2):
            hit = self.heads.get(base)
            if hit and _ENDING_RES[hit[0]].fullmatch(tail):
                return hit[1]
        return None

    def latin_name(self, word: str) -> str | None:
        """The given name a Capitalised Latin word spells (Giorgi, Giorgi's, Nino), or None."""
        if not word[:1].isupper():
            return None
        low = word.lower()
        for candidate in (low, low[:-2] if low.endswith("'s") else "", low[:-1] if low.endswith("s") else ""):
            # an English word is no name (May, Grace): asked here, of the few spellings a text holds, rather
            # than of all ~2,000 spellings of the list in every process (~0.05 s of a rebuild)
            if candidate and candidate in self.latin and not known_english(candidate):
                return self.latin[candidate]
        return None

    def of(self, word: str) -> str | None:
        return self.georgian(word) if GEORGIAN_WORD.match(word) else self.latin_name(word)


@cache
def given_names() -> GivenNames:
    text = resources.files("gtna_analysis.ingest").joinpath("data/georgian_given_names.txt").read_text(encoding="utf-8")
    heads: dict[str, tuple[str, str]] = {}
    latin: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name = line.split()[0]
        for kind, head in georgian_heads(name):
            heads.setdefault(head, (kind, name))
        for spelling in romanisations(name):
            if len(spelling) >= 3:
                latin.setdefault(spelling, name)
    return GivenNames(heads, latin)


@lru_cache(maxsize=200_000)  # a study repeats its names; the given-name and case-ending look-ups are the cost
def canonical(word: str) -> str:
    """A script- and spelling-independent key of a name word, for comparing ``keep_names`` and numbering third
    parties: ბერიძის, ბერიძე, Beridze, Beridse and Beridze's all give ``beridz``.

    Why two paths: a Georgian form is cut at its longest case ending, which also takes a stem's own final -ა/-ო
    (შენგელ-ია, ნინ-ო, but შენგელია-ს, ნინო-ს), while a Latin spelling keeps it. A listed given name is therefore
    keyed by its listed nominative in both scripts (ნინოს, ნინოა and Nino give ``nino``; Nina stays ``nina``); any
    other word loses one final -a/-o and then one final -i/-e in both scripts, so that შენგელია, შენგელიას and
    Shengelia meet at ``shengel``.
    """
    word = fold_text(word)
    word = word[:-2] if word.endswith(("'s", "'S")) else word  # a possessive (Beridze's), not part of the name
    word = word.replace("'", "")
    names = given_names()
    if GEORGIAN_WORD.match(word):
        given = names.georgian(word)
        if given is None:
            readings = split_tail(word)
            base = readings[-1][0] if readings else word  # the reading with the longest case ending
        latin = transliterate(given or base)
    else:
        latin = word.lower()
        latin = latin[:-1] if latin.endswith("s") and len(latin) > 4 and latin[-2] not in "aeiou" else latin
        given = names.latin.get(latin)
        latin = transliterate(given) if given else latin
    for old, new in (("tsch", "ch"), ("tch", "ch"), ("dzh", "j"), ("dsch", "j"), ("sch", "sh"), ("ds", "dz"),
                     ("th", "t"), ("ph", "p"), ("kh", "x"), ("gh", "g"), ("zh", "j"), ("w", "v"), ("y", "i")):
        latin = latin.replace(old, new)
    if given is None and len(latin) > 3 and latin[-1] in "ao":
        latin = latin[:-1]
    return latin[:-1] if len(latin) > 3 and latin[-1] in "ie" else latin


def georgian_surname(word: str, weak: bool = False) -> bool:
    """Does a Georgian word look like a surname in some case form (and is it not a known word or given name)?

    Each reading base+tail is tried: a vowel-final base is the nominative itself (ბერიძე-ს, ჟვანია-მ, ღლონტი);
    a consonant-final base must carry a real case ending of a consonant stem (ბერიძ-ის, ჩიქოვან-მა) and its
    nominative is base+ე or base+ი. Verb forms (აღნიშნ-ა) fail both ways. A surname must end in a typical
    ending (-შვილი, -ძე, -ია …), or be an -ი noun in the ergative (ბუთხუზმა); with ``weak`` (after a title) any
    -ი nominative will do (ღლონტი), which is not enough elsewhere because unknown verb forms end in -ი too
    (ვეთანხმები).
    """
    if len(word) < 4 or not GEORGIAN_WORD.match(word) or known_georgian(word) or given_names().georgian(word):
        return False
    for base, tail in split_tail(word):
        if base[-1] in _VOWELS:
            candidates = [base]
        elif tail.startswith(_CONSONANT_STEM_CASES):
            candidates = [base + "ე", base + "ი"]
        else:
            continue
        for candidate in candidates:
            if candidate != word and known_georgian(candidate):
                return False
            if candidate.endswith(STRONG_SURNAME_ENDINGS) and len(candidate) >= 4:
                return True
            if candidate.endswith("ი") and len(candidate) >= 5 and (weak or tail.startswith("მა")):
                return True  # a consonant-stem surname (ღლონტი, ბუთხუზი): after a title, or in the ergative
                # (ბუთხუზმა), which verb forms do not end in
    return False


_VOWELS = "აეიოუ"
_CONSONANT_STEM_CASES = ("ის", "ით", "მა", "ს", "ად", "ი", "თ")


# An apostrophe after k, p, q, t, ts, ch marks an ejective in the national romanisation (Ts'ereteli, Ch'ikovani):
# part of the surname. Any other inside a word makes a contraction (They're), never a surname.
_EJECTIVE_MARK = re.compile(r"(?:(?<=[kpqt])|(?<=ts)|(?<=ch))'(?=[a-z])", re.IGNORECASE)


def latin_surname(word: str) -> bool:
    """A Capitalised Latin word with a Georgian surname ending that is not an English word or a given name."""
    if (len(word) < 4 or not word[0].isupper() or word.isupper()
            or "'" in _EJECTIVE_MARK.sub("", word).rstrip("s").rstrip("'")):
        return False
    low = word.lower()
    low = low[:-2] if low.endswith("'s") else low
    return bool(LATIN_SURNAME_END.search(low)) and not known_english(low) and given_names().latin_name(word) is None


def surname_like(word: str, weak: bool = False) -> bool:
    return georgian_surname(word, weak) if GEORGIAN_WORD.match(word) else latin_surname(word)


# A title in the singular (ბატონმა, მინისტრის, მოადგილემ); plurals (მინისტრებისთვის) introduce no name.
_TITLE_TAILS = frozenset(t for t in TAILS if "ებ" not in t) | {"ე", "ემ", "ეს", "ეო"}


def _georgian_title(word: str) -> bool:
    return any(word.startswith(stem) and word[len(stem):] in _TITLE_TAILS for stem in GEORGIAN_TITLE_STEMS)


def is_title(word: str) -> bool:
    return _georgian_title(word) if GEORGIAN_WORD.match(word) else word.rstrip(".").casefold() in ENGLISH_TITLES


@dataclass(frozen=True)
class Mention:
    """A third party's name in a (folded) text: character span, the words and their canonical keys."""

    start: int
    end: int
    words: tuple[str, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(canonical(w) for w in self.words)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]


def _adjacent(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    return bool(_GAP.fullmatch(text, left[1], right[0]))


def third_party_mentions(text: str) -> list[Mention]:
    """Names of people in a folded text: given name + surname (either order), or a name after a title. Bracketed
    placeholders (``[P1]``) are barriers, never part of a name."""
    words = _words(text)
    names = given_names()
    out: list[Mention] = []
    i = 0
    while i < len(words):
        word = words[i][2]
        span: tuple[int, int] | None = None
        if not word.startswith("["):
            nxt = words[i + 1] if i + 1 < len(words) and _adjacent(text, words[i], words[i + 1]) else None
            after = words[i + 2] if nxt and i + 2 < len(words) and _adjacent(text, nxt, words[i + 2]) else None
            institution = after is not None and bool(INSTITUTION_NEXT.match(after[2]))
            pair = nxt is not None and not nxt[2].startswith("[") and not institution
            if pair and ((names.of(word) and surname_like(nxt[2])) or (surname_like(word) and names.of(nxt[2]))):
                span = (i, i + 1)
            if span is None and is_title(word):
                j = i
                while j + 1 < len(words) and _adjacent(text, words[j], words[j + 1]) and is_title(words[j + 1][2]):
                    j += 1
                first = j + 1
                last = first - 1
                while (last + 1 < len(words) and last + 1 - first < 3
                       and _adjacent(text, words[last], words[last + 1])
                       and _after_title(words[last + 1][2], GEORGIAN_WORD.match(word) is not None)):
                    last += 1
                if last >= first:
                    span = (first, last)
        if span is not None:
            a, b = span
            out.append(Mention(words[a][0], words[b][1], tuple(w[2] for w in words[a:b + 1])))
            i = b + 1
            continue
        i += 1
    return out


def _after_title(word: str, georgian_title: bool) -> bool:
    if word.startswith("["):
        return False
    if GEORGIAN_WORD.match(word):
        return given_names().georgian(word) is not None or georgian_surname(word, weak=True)
    if georgian_title or not word[:1].isupper() or (word.isupper() and len(word) > 1):
        return False
    # as written and without a plural or possessive -s: "Ministers", "Ministry's", but "Says" and "Statistics"
    # are office words as they stand
    return (word.casefold() not in OFFICE_WORDS and word.rstrip("'s").casefold() not in OFFICE_WORDS
            and word.casefold() not in ENGLISH_TITLES)


class KeepNames:
    """Public figures in public roles that the study keeps (``keep_names:`` in study.yml), by canonical keys."""

    def __init__(self, names: list[str]):
        self.keys = [frozenset(canonical(w) for w in re.split(r"[\s\-]+", n.strip()) if w) for n in names]

    def keeps(self, mention: Mention) -> bool:
        return any(mention.keys <= keys for keys in self.keys if keys)
