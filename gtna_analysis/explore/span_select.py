"""Coding a span selected with the mouse: a small front-end widget (anywidget, inline ES module, no network)
showing a passage's text and reporting the user's selection, and the Python side that turns it into character
offsets of the passage.

Why the conversion is here and tested: the browser measures a selection in UTF-16 code units (JavaScript
strings), the build in Python code points (``start_char``/``end_char``). Mkhedruli letters are one unit either
way, but a character outside the Basic Multilingual Plane (an emoji pasted into a chat transcript, a rare CJK
name) is two units in the browser and one code point here — converting blindly would shift every later span.
A selection is also checked against the passage text (after NFC normalisation of both, as the ingest
normalises transcripts), so a passage that changed under the selection is refused, never coded at the wrong
place. Surrounding white space is trimmed: a double-click on a word often takes the space after it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import anywidget
import traitlets


class SpanError(ValueError):
    """A selection that cannot be coded (outside the passage, inside a character, not its text)."""


def utf16_to_index(text: str, offset: int) -> int:
    """The code-point index in ``text`` of the UTF-16 code-unit ``offset`` (what JavaScript measures)."""
    if offset < 0:
        raise SpanError(f"offset {offset} is negative")
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            raise SpanError(f"offset {offset} falls inside the character {char!r}")
    if units == offset:
        return len(text)
    raise SpanError(f"offset {offset} is past the end of the passage ({units} UTF-16 units)")


def index_to_utf16(text: str, index: int) -> int:
    """The inverse: UTF-16 code units before code point ``index`` (for tests and for marking a span in JS)."""
    return len(text[:index].encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Selection:
    """A validated selection: code-point offsets ``start``/``end`` into the passage text, and the words."""

    start: int
    end: int
    text: str


def selection_span(passage: str, start16: int, end16: int, selected: str | None = None) -> Selection:
    """Code-point span of a browser selection given in UTF-16 units, trimmed of surrounding white space.

    ``selected`` is the text the browser says it selected; when given it must equal the passage's text at
    that place (NFC-normalised on both sides), or the selection is refused.
    """
    if end16 < start16:
        start16, end16 = end16, start16  # a selection dragged backwards
    start, end = utf16_to_index(passage, start16), utf16_to_index(passage, end16)
    words = passage[start:end]
    if selected is not None and unicodedata.normalize("NFC", selected) != unicodedata.normalize("NFC", words):
        raise SpanError(f"the selection {selected[:40]!r} is not the passage's text at {start}–{end} "
                        f"({words[:40]!r}); select again")
    lead = len(words) - len(words.lstrip())
    trail = len(words) - len(words.rstrip())
    start, end = start + lead, end - trail
    if start >= end:
        raise SpanError("nothing selected (only white space)")
    return Selection(start, end, passage[start:end])


_ESM = r"""
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "gtna-span-text";
  box.tabIndex = 0;
  box.setAttribute("role", "document");
  const show = () => {
    box.textContent = model.get("text");
    box.setAttribute("aria-label", model.get("label"));
  };
  show();
  model.on("change:text", show);
  model.on("change:label", show);
  // Offsets in UTF-16 units from the start of the passage: the text of a range from the box's start to the
  // selection's start, so it works whatever nodes the box holds.
  const report = () => {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0) return;
    const range = sel.getRangeAt(0);
    if (range.collapsed || !box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
    const before = document.createRange();
    before.selectNodeContents(box);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    const selected = range.toString();
    model.set("selection", { start: start, end: start + selected.length, text: selected,
                             segment_id: model.get("segment_id") });
    model.save_changes();
  };
  const onUp = () => setTimeout(report, 0);
  document.addEventListener("mouseup", onUp);
  box.addEventListener("keyup", report);
  el.appendChild(box);
  return () => document.removeEventListener("mouseup", onUp);
}
export default { render };
"""

_CSS = """
.gtna-span-text { white-space: pre-wrap; border: 1px solid #bbb; border-radius: 3px; padding: 0.4em 0.6em;
  max-height: 14em; overflow-y: auto; line-height: 1.5; cursor: text; user-select: text; }
.gtna-span-text:focus { outline: 2px solid #4a78c2; }
"""


class SpanSelector(anywidget.AnyWidget):
    """The passage text; selecting part of it with the mouse sets ``span`` (a ``Selection``, code points
    relative to the passage) or ``error``. ``on_select`` callbacks are called with the widget after each."""

    _esm = _ESM
    _css = _CSS
    text = traitlets.Unicode("").tag(sync=True)
    segment_id = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    selection = traitlets.Dict({}).tag(sync=True)  # from the browser: start, end (UTF-16), text, segment_id

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.span: Selection | None = None
        self.error = ""
        self._callbacks: list[Callable[[SpanSelector], None]] = []
        self.observe(self._on_selection, names="selection")
        self.observe(self._on_passage, names=["text", "segment_id"])

    def show(self, segment_id: str, text: str) -> None:
        """Show another passage (forgets the selection)."""
        self.segment_id, self.text = segment_id, text
        self.clear()

    def clear(self) -> None:
        self.span, self.error = None, ""

    def on_select(self, callback: Callable[[SpanSelector], None]) -> None:
        self._callbacks.append(callback)

    def _on_passage(self, _change: object) -> None:
        self.clear()

    def _on_selection(self, change: dict) -> None:
        chosen = change["new"] or {}
        self.clear()
        if not chosen:
            return
        try:
            if chosen.get("segment_id", self.segment_id) != self.segment_id:
                raise SpanError("the selection belongs to another passage; select again")
            self.span = selection_span(self.text, int(chosen["start"]), int(chosen["end"]), chosen.get("text"))
        except (SpanError, KeyError, TypeError, ValueError) as exc:
            self.error = str(exc) if isinstance(exc, SpanError) else f"malformed selection: {exc}"
        for callback in self._callbacks:
            callback(self)
