"""Per-transcript cache for incremental ``gtna build``: an unchanged transcript is not read or parsed again.

An entry holds what reading and parsing one transcript produced: its validated metadata (needed, with the
participants' names, to pseudonymise the *other* transcripts) and its parsed, pseudonymised segments. It is valid
for one exact input: the transcript's bytes, its interviews.csv row, study.yml, the questionnaire and the software
version; the parsed part additionally for one set of participant names across the study (a name added anywhere
changes what must be masked everywhere).

The cache lives in ``<processed>/.cache/`` but the processed folder must never contain a participant's name. So
each entry is encrypted (``cryptography``'s Fernet: AES-CBC + HMAC, a tampered or stale entry fails to decrypt and
is never unpickled) with a key derived from the transcript's own bytes: only someone who already holds the raw
transcript can read its entry. Entry file names are hashes that do not reveal the key.
"""

from __future__ import annotations

import base64
import hashlib
import pickle
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from gtna_analysis import __version__
from gtna_analysis.atomic import write_bytes_atomic

CACHE_FORMAT = 3  # 3: segments carry original_text and script_conversion


def context_hash(*parts: bytes | str) -> str:
    """A hash of everything besides the transcript itself that reading/parsing depends on."""
    digest = hashlib.sha256(f"gtna-cache-v{CACHE_FORMAT}|{__version__}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class BuildCache:
    """Encrypted pickles in ``directory``, one per transcript version; ``prune`` drops unused ones."""

    def __init__(self, directory: str | Path, context: str):
        self.directory = Path(directory)
        self.context = context
        self.used: set[str] = set()

    def _name_and_key(self, raw: bytes, extra: str) -> tuple[str, bytes]:
        content = hashlib.sha256(raw).hexdigest()
        name = hashlib.sha256(f"id|{self.context}|{content}|{extra}".encode()).hexdigest()[:40] + ".bin"
        key = hashlib.sha256(b"key|" + self.context.encode() + b"|" + raw).digest()
        return name, base64.urlsafe_b64encode(key)

    def load(self, raw: bytes, extra: str) -> Any | None:
        """The entry stored for this transcript content (and ``extra``, e.g. its CSV row), or None."""
        name, key = self._name_and_key(raw, extra)
        path = self.directory / name
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            value = pickle.loads(Fernet(key).decrypt(blob))
        except InvalidToken:  # tampered, or written for other content: never unpickled
            return None
        except Exception:  # an entry from another version of the code: rebuild it
            return None
        self.used.add(name)
        return value

    def store(self, raw: bytes, extra: str, value: Any) -> None:
        name, key = self._name_and_key(raw, extra)
        token = Fernet(key).encrypt(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        write_bytes_atomic(self.directory / name, token)
        self.used.add(name)

    def prune(self) -> None:
        """Delete entries not used by this build (old versions of transcripts, removed files)."""
        if not self.directory.is_dir():
            return
        for path in self.directory.glob("*.bin"):
            if path.name not in self.used:
                path.unlink(missing_ok=True)
