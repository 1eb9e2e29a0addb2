"""Where things landed in a printed report: the pages of each tagged element, and how full a page is.

Charts are SVG with glyphs drawn as paths (see ``plots.svg_bytes``), so their titles and tick labels are not
text in the PDF. Chromium's tagged PDF says where each element went instead: every ``<figure>``, ``<img alt>``,
``<blockquote>`` and heading is a structure element whose marked content points to the page(s) it was drawn on.
An element split across pages points to two pages.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Tagged:
    """One structure element: its role (Figure, BlockQuote, H2 …), alt text, the pages its own content is
    drawn on, the pages of its whole subtree, and its depth in the tree (pre-order = reading order)."""

    role: str
    alt: str
    own_pages: frozenset[int]
    pages: frozenset[int]
    depth: int


def tagged_elements(pdf: Path) -> list[Tagged]:
    """Every structure element of a tagged PDF in reading order (pages numbered from 1)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    page_number = {page.indirect_reference.idnum: i + 1 for i, page in enumerate(reader.pages)}
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is None:
        raise AssertionError(f"{pdf}: not a tagged PDF")
    out: list[Tagged] = []

    def page_of(obj, inherited: int | None) -> int | None:
        ref = obj.get("/Pg")
        return page_number[ref.idnum] if ref is not None else inherited

    def kids(element) -> list:
        k = element.get("/K")
        if k is None:
            return []
        return [kid.get_object() if hasattr(kid, "get_object") else kid for kid in (k if isinstance(k, list) else [k])]

    def visit(element, inherited: int | None, depth: int) -> frozenset[int]:
        element = element.get_object()
        page = page_of(element, inherited)
        own: set[int] = set()
        index = len(out)
        out.append(None)  # placeholder: pre-order position
        subtree: set[int] = set()
        for kid in kids(element):
            if isinstance(kid, int):  # a marked-content id on the element's page
                own.add(page)
            elif "/S" in kid:
                subtree |= visit(kid, page, depth + 1)
            elif "/MCID" in kid or kid.get("/Type") == "/OBJR":
                own.add(page_of(kid, page))
        own.discard(None)
        pages = frozenset(own | subtree)
        out[index] = Tagged(str(element.get("/S", "")).lstrip("/"), str(element.get("/Alt", "")),
                            frozenset(own), pages, depth)
        return pages

    for kid in kids(root):
        if not isinstance(kid, int) and "/S" in kid:
            visit(kid, None, 0)
    return out


def orphaned_headings(elements: list[Tagged]) -> list[tuple[str, int]]:
    """Headings (H1–H6) left at the foot of a page: what follows them starts on a later page.
    Returns (role, page) of each."""
    found = []
    for i, el in enumerate(elements):
        if not (el.role.startswith("H") and el.role[1:].isdigit()) or not el.pages:
            continue
        j = i + 1
        while j < len(elements) and elements[j].depth > el.depth:  # skip the heading's own subtree
            j += 1
        following = next((e for e in elements[j:] if e.own_pages), None)
        if following is not None and min(following.own_pages) > max(el.pages):
            found.append((el.role, max(el.pages)))
    return found


def page_fill(pdf: Path, page: int, margin_mm: float = 15.0) -> float:
    """How far down the page's content area ink reaches (0–1), from a 40 dpi rendering: page margins (running
    title, page number) are left out."""
    import tempfile

    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(page), "-l", str(page), "-singlefile", "-png",
                        str(pdf), str(Path(tmp) / "page")], check=True)
        image = Image.open(Path(tmp) / "page.png").convert("L")
        image.load()
    width, height = image.size
    px_per_mm = height / 297.0
    top, bottom = int(margin_mm * px_per_mm), int(height - margin_mm * px_per_mm)
    pixels = image.load()
    last = top
    for y in range(top, bottom):
        if any(pixels[x, y] < 200 for x in range(0, width, 2)):
            last = y
    return (last - top) / (bottom - top)
