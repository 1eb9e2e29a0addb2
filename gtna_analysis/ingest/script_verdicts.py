"""Script verdicts of paragraphs kept across builds, so that an edited transcript does not judge its unchanged
paragraphs again.

Why: judging a paragraph in Latin letters (script_detect.detect) scores every Latin word three ways — as English,
as chat-style Latin Georgian (a beam search) and as legacy-font keys — and is most of the time a rebuild spends
on an edited English or Latin-typed transcript. An edit changes one paragraph; the transcript cache cannot help
(its entries are sealed with the old file's bytes, which are gone). So each judged paragraph's verdict is kept on
its own, in ``<cache>/script-verdicts.json``.

Privacy, the same rule as the transcript cache (ingest/cache.py): only someone who holds the paragraph can read
what is kept of it. An entry's name is a hash of the paragraph (with the software fingerprint), and its verdict —
the Detection: kind, whether sure, margin and scores, never any text — is encrypted with a key derived from the
paragraph (AES-GCM, the name as associated data). Like the transcript entries, an entry can confirm a guess of the
whole, exact paragraph, nothing less. Only paragraphs that needed word scoring are kept (those with more Latin
than Georgian letters); Mkhedruli paragraphs are judged in microseconds.

Which entries a file keeps: those the build used — the paragraphs of transcripts it parsed, and those recorded in
the cache entries of transcripts it took from the cache (``used_since`` / ``keep``) — so entries of a deleted or
edited-away paragraph go with the next build. A damaged or unreadable file is ignored (the verdicts are computed
again); an entry that fails to decrypt is ignored the same way.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag

from .cache import name_and_key, open_sealed, seal_bytes, software_fingerprint
from .public_cache import replace_file
from .script_detect import Detection, detect

FILE = "script-verdicts.json"
FORMAT = 1


class ScriptVerdicts:
    """The verdicts readable from the current build's cache folder, and the entries this build used."""

    def __init__(self) -> None:
        self.directory: Path | None = None
        self._stored: dict[str, str] = {}  # entry name -> base64 token, as read from the folder
        self._used: dict[str, str] = {}  # entries this build used or made, in order of first use
        self._log: list[str] = []  # every use, in order (a paragraph two transcripts share is used twice)

    @contextlib.contextmanager
    def reading_from(self, directory: str | Path | None) -> Iterator[None]:
        """Use (and collect) verdicts for the build whose cache folder is ``directory`` while the block runs."""
        previous = self.directory, self._stored, self._used, self._log
        self.directory = None if directory is None else Path(directory)
        self._stored = _read(self.directory) if self.directory is not None else {}
        self._used, self._log = {}, []
        try:
            yield
        finally:
            self.directory, self._stored, self._used, self._log = previous

    def detect(self, text: str) -> Detection:
        """``script_detect.detect(text)``, from the kept verdict when this exact paragraph was judged before."""
        if self.directory is None:
            return detect(text)
        name, key = name_and_key(hashlib.sha256(f"gtna-script-verdict-v{FORMAT}|{software_fingerprint()}|".encode()
                                                + text.encode("utf-8", "surrogatepass")).digest())
        token = self._used.get(name) or self._stored.get(name)
        if token is not None:
            found = _open(key, name, token)
            if found is not None:
                self._used[name] = token
                self._log.append(name)
                return found
        found = detect(text)
        if found.scores:  # words were scored: worth keeping (a Mkhedruli paragraph is judged at once)
            self._used[name] = _seal(key, name, found)
            self._log.append(name)
        return found

    def mark(self) -> int:
        """A position in the log of entries used so far (see ``used_since``)."""
        return len(self._log)

    def used_since(self, mark: int) -> list[str]:
        """The entries used after ``mark`` — those of one transcript's paragraphs — to be kept with its cache
        entry, so that a later build that takes the transcript from the cache keeps them too."""
        return sorted(set(self._log[mark:]))

    def keep(self, names: Iterable[str]) -> None:
        """Keep these stored entries through ``save`` (a transcript taken from the cache recorded them)."""
        for name in names:
            if name in self._stored and name not in self._used:
                self._used[name] = self._stored[name]

    def save(self, directory: str | Path) -> None:
        """Write the entries this build used into ``directory`` (atomically); a folder that cannot be written is
        no error (the next build judges those paragraphs again)."""
        directory = Path(directory)
        if not self._used and not (directory / FILE).exists():
            return
        data = json.dumps({"format": FORMAT, "entries": dict(sorted(self._used.items()))}, sort_keys=True)
        with contextlib.suppress(OSError):
            directory.mkdir(parents=True, exist_ok=True)
            replace_file(directory, FILE, (data + "\n").encode())


def _read(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return {k: v for k, v in data["entries"].items() if isinstance(k, str) and isinstance(v, str)}


def _seal(key: bytes, name: str, found: Detection) -> str:
    verdict = json.dumps([found.kind, found.confident, found.margin, [list(s) for s in found.scores]])
    return base64.b64encode(seal_bytes(key, name, verdict.encode())).decode()


def _open(key: bytes, name: str, token: str) -> Detection | None:
    """The Detection an entry holds; None when it does not decrypt under this paragraph's key or is malformed.
    JSON, not the pickle of the transcript entries: a paragraph's key can be guessed for a short paragraph, and a
    forged entry must not be able to run code when it is read."""
    try:
        verdict = json.loads(open_sealed(key, name, base64.b64decode(token, validate=True)))
        kind, confident, margin, scores = verdict
        return Detection(str(kind), bool(confident), float(margin),
                         tuple((str(k), float(s)) for k, s in scores))
    except (InvalidTag, ValueError, TypeError):
        return None


VERDICTS = ScriptVerdicts()
