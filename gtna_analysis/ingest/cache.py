"""Per-transcript cache for incremental ``gtna build``: an unchanged transcript is not read or parsed again.

An entry holds what reading and parsing one transcript produced: its validated metadata (needed, with the
participants' names, to pseudonymise the *other* transcripts) and its parsed, pseudonymised segments. It is valid
for one exact input: the transcript's bytes, its interviews.csv row, study.yml, the questionnaire and the software
version; the parsed part additionally for one set of participant names across the study (a name added anywhere
changes what must be masked everywhere).

The cache lives in ``<processed>/.cache/`` but the processed folder must never contain a participant's name. So
each entry is encrypted (AES-256-GCM from ``cryptography``, an authenticated cipher: a tampered, truncated or
stale entry fails to decrypt and is never unpickled) with a key derived from the transcript's own bytes: only
someone who already holds the raw transcript can read its entry. Entry file names are hashes that do not reveal
the key, and each entry's name is authenticated with it (an entry copied under another name does not open).
(Until cache format 4 entries were Fernet tokens: AES-CBC + HMAC in base64, whose decoding and MAC cost 6–9 ms per
MB — a fifth of loading the compiled coder, the largest entry, on every rebuild after a transcript edit.)
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gtna_analysis import __version__
from gtna_analysis.atomic import write_bytes_atomic

from .public_cache import replace_file

CACHE_FORMAT = 4  # 3: segments carry original_text and script_conversion; 4: AES-GCM instead of Fernet


def _digest(prefix: str, parts: Iterable[bytes | str]) -> hashlib._Hash:
    """SHA-256 of ``prefix`` and each part length-prefixed, so ("ab", "c") and ("a", "bc") never collide."""
    digest = hashlib.sha256(prefix.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest


def _prune(directory: Path, pattern: str, used: set[str]) -> None:
    """Delete the entries matching ``pattern`` that this build did not use."""
    if not directory.is_dir():
        return
    for path in directory.glob(pattern):
        if path.name not in used:
            path.unlink(missing_ok=True)


_NONCE = 12  # bytes of a GCM nonce, random per entry and stored before the ciphertext


def name_and_key(material: bytes) -> tuple[str, bytes]:
    """An entry's file name (40 hex digits) and its 32-byte key, both derived from ``material`` (a digest of
    what the entry was made from): the name does not reveal the key."""
    return hashlib.sha256(b"id|" + material).hexdigest()[:40], hashlib.sha256(b"key|" + material).digest()


def seal_bytes(key: bytes, name: str, data: bytes) -> bytes:
    """``data`` encrypted under ``key`` (32 bytes), bound to the entry's ``name``: a random nonce, then the
    ciphertext and its tag."""
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, data, name.encode())


def open_sealed(key: bytes, name: str, blob: bytes) -> bytes:
    """What ``seal_bytes`` sealed; ``InvalidTag`` when ``blob`` was not sealed under this key and name or was
    altered."""
    if len(blob) < _NONCE:
        raise InvalidTag
    return AESGCM(key).decrypt(blob[:_NONCE], memoryview(blob)[_NONCE:], name.encode())


def seal(key: bytes, name: str, value: Any) -> bytes:
    """``value`` pickled and sealed (``seal_bytes``)."""
    return seal_bytes(key, name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def unseal(key: bytes, name: str, blob: bytes) -> Any:
    """What ``seal`` stored; ``InvalidTag`` when ``blob`` was not sealed under this key and name or was altered
    (nothing is unpickled then)."""
    return _unpickle(open_sealed(key, name, blob))


def _unpickle(data: bytes) -> Any:
    """``pickle.loads`` with the cyclic garbage collector paused: unpickling the compiled coder creates ~130,000
    objects, and every few hundred of them the collector would walk all the objects of the process (pandas'
    modules included) to find no garbage — unpickling creates none. Collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def context_hash(*parts: bytes | str) -> str:
    """A hash of everything besides the transcript itself that reading/parsing depends on."""
    return _digest(f"gtna-cache-v{CACHE_FORMAT}|{__version__}", parts).hexdigest()


class BuildCache:
    """Encrypted pickles in ``directory``, one per transcript version; ``prune`` drops unused ones."""

    def __init__(self, directory: str | Path, context: str):
        self.directory = Path(directory)
        self.context = context
        self.used: set[str] = set()

    def _name_and_key(self, raw: bytes, extra: str) -> tuple[str, bytes]:
        content = hashlib.sha256(raw).hexdigest()
        name = hashlib.sha256(f"id|{self.context}|{content}|{extra}".encode()).hexdigest()[:40] + ".bin"
        return name, hashlib.sha256(b"key|" + self.context.encode() + b"|" + raw).digest()

    def load(self, raw: bytes, extra: str) -> Any | None:
        """The entry stored for this transcript content (and ``extra``, e.g. its CSV row), or None."""
        name, key = self._name_and_key(raw, extra)
        path = self.directory / name
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            value = unseal(key, name, blob)
        except InvalidTag:  # tampered, or written for other content: never unpickled
            return None
        except Exception:  # an entry from another version of the code: rebuild it
            return None
        self.used.add(name)
        return value

    def store(self, raw: bytes, extra: str, value: Any) -> None:
        name, key = self._name_and_key(raw, extra)
        write_bytes_atomic(self.directory / name, seal(key, name, value))
        self.used.add(name)

    def prune(self) -> None:
        """Delete entries not used by this build (old versions of transcripts, removed files)."""
        _prune(self.directory, "*.bin", self.used)


def software_fingerprint() -> str:
    """A hash of this package's source code, its version, pandas', pyahocorasick's and simplemma's (version and
    data): what a derived result (codings, designs, the compiled coder) depends on besides its inputs. Any edit to
    the code — not only a version bump — makes old derived entries unreachable, so a developer never gets codings
    from a previous coder."""
    global _SOFTWARE
    if _SOFTWARE is None:
        import ahocorasick
        import pandas
        import simplemma

        package = Path(__file__).resolve().parent.parent
        # results are pickled frames (another pandas may read them otherwise) and the compiled coder holds
        # pyahocorasick automata pickled in that library's own memory layout: its binary's name and size stand
        # for its build (the package has no version attribute, and importlib.metadata costs ~15 ms)
        automata = Path(ahocorasick.__file__)
        digest = hashlib.sha256(f"{__version__}|{getattr(simplemma, '__version__', '?')}|{pandas.__version__}"
                                f"|{automata.name}:{automata.stat().st_size}".encode())
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        data = Path(simplemma.__file__).parent / "strategies" / "dictionaries" / "data"
        for path in sorted(data.glob("*")):  # the shipped lemma data: stem keys depend on it
            digest.update(f"{path.name}:{path.stat().st_size}".encode())
        _SOFTWARE = digest.hexdigest()
    return _SOFTWARE


_SOFTWARE: str | None = None


class DerivedCache:
    """Encrypted results derived from one interview's parsed segments (its auto codings, its training designs),
    so a rebuild computes them only for interviews whose inputs changed — and compiles the coder only then.

    An entry is addressed by ``kind`` and a list of ``parts`` (everything the result depends on: the segments'
    content, the codebook's hash, the coding unit, the software fingerprint …) and encrypted with a key derived
    from the same parts: segment texts are pseudonymised, but matched words and evidence are still transcript
    text, kept out of reach of anyone without the inputs. Entries live next to the transcript entries as
    ``*.derived``; ``prune`` drops those this build did not use."""

    SUFFIX = ".derived"

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.used: set[str] = set()
        self.hits = 0  # results this build took from the cache (counted by the caller)
        self.pending: dict[str, bytes] = {}  # entry name -> encrypted result, written by ``flush``

    def _name_and_key(self, kind: str, parts: list[bytes | str]) -> tuple[str, bytes]:
        name, key = name_and_key(_digest(f"gtna-derived-v{CACHE_FORMAT}|{kind}", parts).digest())
        return name + self.SUFFIX, key

    def load(self, kind: str, parts: list[bytes | str]) -> Any | None:
        """The result stored for exactly these inputs, or None (absent, stale, damaged or tampered)."""
        name, key = self._name_and_key(kind, parts)
        try:
            blob = (self.directory / name).read_bytes()
            value = unseal(key, name, blob)
        except Exception:  # absent, tampered (InvalidTag) or from another version of the code: recompute
            return None
        self.used.add(name)
        return value

    def has(self, kind: str, parts: list[bytes | str]) -> bool:
        """Whether an entry for these inputs exists (not whether it is readable)."""
        return (self.directory / self._name_and_key(kind, parts)[0]).is_file()

    def keep(self, kind: str, parts: list[bytes | str]) -> None:
        """Keep this entry through ``prune`` although this build did not need it (the compiled coder of an
        unchanged codebook, needed by the next build that must code something)."""
        self.used.add(self._name_and_key(kind, parts)[0])

    def store(self, kind: str, parts: list[bytes | str], value: Any) -> None:
        """Note a result; it is written by ``flush``, which the build calls once it has succeeded (a failed
        build writes nothing into the output folder, not even cache entries)."""
        name, key = self._name_and_key(kind, parts)
        self.pending[name] = seal(key, name, value)
        self.used.add(name)

    def flush(self) -> None:
        for name, token in self.pending.items():
            self._write(name, token)
        self.pending.clear()

    def _write(self, name: str, token: bytes) -> None:
        try:  # atomic (a torn entry would only fail to decrypt) but not fsynced: it is a cache, not data
            self.directory.mkdir(parents=True, exist_ok=True)
            replace_file(self.directory, name, token)
        except OSError:  # a cache that cannot be written is no error: the next build computes it again
            return

    def prune(self) -> None:
        """Delete derived entries not used by this build (old versions of interviews, an old codebook)."""
        _prune(self.directory, f"*{self.SUFFIX}", self.used)
