"""The typed text of a converted line, pseudonymised exactly where its converted rendering was.

Why not simply pseudonymise the typed text on its own: names are found by patterns over Georgian and its
common romanisations, and a name typed with a legacy font ("beriZe" for ბერიძე) or in an odd chat spelling
matches none of them, while its conversion (ბერიძე) does. So the converted text is pseudonymised first (as the
document is), the pseudonymiser's replacements are located by aligning its output with its input, and the same
spans are replaced in the typed text, word for word through the conversion's (typed, converted) pieces. The
result is then passed through the pseudonymiser once more for anything recognisable only as typed. The
pseudonymiser's replacement counts are left as they were: the manifest counts names in the text, not in
both renderings of it.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from .pseudonymise import Pseudonymiser
from .script_detect import Conversion


def pseudonymised_original(conversion: Conversion, rest_start: int, synthetic: str, pseudonymised: str,
                           pseudonymiser: Pseudonymiser) -> str:
    """The typed counterpart of ``pseudonymised`` = pseudonymiser.apply((synthetic + text[rest_start:]).strip()).

    ``synthetic`` is text turns.py put in front of the line's rest (a ``[Qn]`` tag), the same in both renderings.
    """
    pieces = _strip([(synthetic, synthetic), *conversion.pieces_from(rest_start)])
    converted = "".join(c for _, c in pieces)
    if not pieces:
        return pseudonymised
    typed = _transfer(pieces, converted, pseudonymised) if pseudonymised != converted else \
        "".join(o for o, _ in pieces)
    counts = Counter(pseudonymiser.counts)
    try:
        return pseudonymiser.apply(typed)
    finally:
        pseudonymiser.counts = counts


def _strip(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pieces of ``"".join(converted).strip()``; leading/trailing white space is never converted text."""
    out = [p for p in pieces if p[1]]
    while out and not out[0][1].strip():
        out.pop(0)
    while out and not out[-1][1].strip():
        out.pop()
    if out:
        for i, strip in ((0, str.lstrip), (-1, str.rstrip)):
            original, converted = out[i]
            if original == converted:
                out[i] = (strip(original), strip(converted))
    return out


def _transfer(pieces: list[tuple[str, str]], converted: str, pseudonymised: str) -> str:
    """Typed pieces where the pseudonymiser left the converted piece alone; its output where it changed it."""
    where = [-1] * len(converted)  # converted character -> its position in the pseudonymised text, if kept
    for block in SequenceMatcher(None, converted, pseudonymised, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            where[block.a + k] = block.b + k
    bounds: list[tuple[int, int]] = []
    position = 0
    for _, c in pieces:
        bounds.append((position, position + len(c)))
        position += len(c)

    def kept(i: int) -> bool:
        a, b = bounds[i]
        return all(where[k] == where[a] + (k - a) and where[k] >= 0 for k in range(a, b))

    out: list[str] = []
    consumed = 0  # how much of the pseudonymised text is accounted for
    i = 0
    while i < len(pieces):
        if kept(i):
            a, b = bounds[i]
            if where[a] > consumed:  # text the pseudonymiser inserted before this piece
                out.append(pseudonymised[consumed:where[a]])
            out.append(pieces[i][0])
            consumed = where[a] + (b - a)
            i += 1
            continue
        j = i
        while j < len(pieces) and not kept(j):
            j += 1
        until = where[bounds[j][0]] if j < len(pieces) else len(pseudonymised)
        out.append(pseudonymised[consumed:until])
        consumed = until
        i = j
    return "".join(out)
