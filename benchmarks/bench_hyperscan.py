"""Hyperscan as the multi-pattern anchor: an *exact* Hyperscan coder against the auto-coder, in one process.

Why Hyperscan and not ``grep -c``: grep stops at a line's first anchor and checks nothing, so "within 3× of
grep" asked the coder to find every code faster than grep can list anchors. Intel's Hyperscan (the engine of
Snort/Suricata) matches thousands of regular expressions in one pass; ``HyperscanCoder`` compiles every codebook
pattern — surface and stem forms, include and exclusion — to one Hyperscan expression with the codebook's
semantics (word start, ``stem*`` = ``stem\\w*``, any run of spaces between phrase words, a word ending at a
space), scans the same prepared texts as the auto-coder, and applies the same exclusion and ``requires`` rules
(``autocoder.resolve``, ``_Context``). It must give exactly the auto-coder's (segment, code) pairs — checked at
every scale — so the CPU-time ratio compares two exact coders. The scan alone (no rules applied) is timed too:
the raw engine floor.

Hyperscan is optional (``pip install -e '.[bench]'``; no wheels for every platform): without it this stage
records why and is skipped. ``grep`` stays in the coding benchmark as a reference only.
"""

from __future__ import annotations

import bisect
import re
import time
from collections import defaultdict

from .measure import child_main, median

SEPARATOR = "\x00"


def available() -> tuple[bool, str]:
    try:
        import hyperscan  # noqa: F401
    except Exception as exc:  # ImportError, or a missing shared library
        return False, f"{type(exc).__name__}: {exc}"
    return True, ""


# A word character of the match text. ``prepare`` turns every non-word character into a space, so on match text
# (and stem text) "not a space or NUL" is exactly ``\w`` — and it spares Hyperscan's Unicode-property mode, whose
# Unicode ``\w`` made compiling 200 patterns take 18 s (4,400 would not finish).
WORD = r"[^ \x00]"


def _expression(words: tuple[str, ...]) -> bytes:
    """A pattern's words as a Hyperscan expression on the padded match text (a space before and after every
    word): starts at a space, ``stem*`` continues over word characters, words apart by any run of spaces, the
    last word ends at a space. Hyperscan has no look-around, so the spaces are part of the match."""
    parts = [re.escape(w[:-1]) + WORD + "*" if w.endswith("*") else re.escape(w) for w in words]
    return (" " + " +".join(parts) + " ").encode("utf-8")


class HyperscanCoder:
    """The auto-coder's semantics on Hyperscan: ``code_texts(texts)`` returns the same (text index, code) set."""

    def __init__(self, codebook, languages=None):
        import hyperscan

        from gtna_analysis.coding.autocoder import AutoCoder

        reference = AutoCoder(codebook, languages)  # its rule lists, code ids and context rules: the semantics
        stem = reference._stem
        self.rules = [*reference.rules, *(stem.rules if stem else [])]
        self.raw = [r.pattern.anchor is None for r in self.rules]  # ``re:`` patterns: their own regex, caseless
        self.n_surface = len(reference.rules)
        self.code_of = reference._code_of
        self.exclude = [r.exclude for r in self.rules]
        self.context = reference._context
        flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST
        # ``re:`` patterns need Unicode \w and \b, and Hyperscan has no \b in UCP mode: they are compiled in
        # prefilter mode (a superset of the matches, end offsets only), and every text a prefilter hit names is
        # matched again by the pattern's own regex, so the spans are exact
        raw_flags = (hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_CASELESS
                     | hyperscan.HS_FLAG_PREFILTER)
        # (database, its rule ids, text version 0 = surface / 1 = stem): word patterns and raw regexes apart
        self.databases = []
        for version, ids in ((0, range(self.n_surface)), (1, range(self.n_surface, len(self.rules)))):
            for raw in (False, True):
                chosen = [i for i in ids if self.raw[i] == raw]
                if not chosen:
                    continue
                db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
                db.compile(expressions=[self.rules[i].pattern.expression.encode("utf-8") if raw
                                        else _expression(self.rules[i].pattern.words) for i in chosen],
                           ids=chosen, elements=len(chosen), flags=[raw_flags if raw else flags] * len(chosen))
                self.databases.append((db, version))

    def scan(self, texts: list[str]) -> list[list[tuple[int, int, int]]]:
        """Per text: (rule, start byte, end byte) of every match in its padded match text (surface and stem)."""
        from gtna_analysis.coding.autocoder import prepare
        from gtna_analysis.coding.lemmas import stem_text

        prepared = [prepare(t).replace(SEPARATOR, " ") for t in texts]
        versions = [prepared, [stem_text(p) for p in prepared]]
        hits: list[list[tuple[int, int, int]]] = [[] for _ in texts]
        encoded_versions: dict[int, list[bytes]] = {}
        for db, version in self.databases:
            if version not in encoded_versions:
                encoded_versions[version] = [(" " + v + " ").encode("utf-8") for v in versions[version]]
            encoded = encoded_versions[version]
            bases, total = [], 0
            for e in encoded:
                bases.append(total)
                total += len(e) + 1
            found: list[tuple[int, int, int]] = []

            def on_match(rule: int, start: int, end: int, flags: int, context: object,
                         found: list[tuple[int, int, int]] = found) -> None:
                found.append((rule, start, end))

            db.scan(b"\x00".join(encoded), match_event_handler=on_match)
            verify: set[tuple[int, int]] = set()
            for rule, start, end in found:
                k = bisect.bisect_right(bases, max(end - 1, 0)) - 1  # prefilter hits have no start offset
                if self.raw[rule]:
                    verify.add((k, rule))
                else:
                    hits[k].append((rule, start - bases[k], end - bases[k]))
            for k, rule in sorted(verify):
                text = versions[version][k]
                for m in self.rules[rule].pattern.regex.finditer(text):
                    if m.end() > m.start():  # byte offsets in the padded text, as Hyperscan reports them
                        hits[k].append((rule, len((" " + text[:m.start()]).encode("utf-8")),
                                        len((" " + text[:m.end()]).encode("utf-8"))))
        return hits

    def code_texts(self, texts: list[str]) -> set[tuple[int, str]]:
        from gtna_analysis.coding.autocoder import _both_texts, prepare, resolve
        from gtna_analysis.coding.lemmas import stem_text

        out: set[tuple[int, str]] = set()
        code_of, exclude, needs = self.code_of, self.exclude, self.context.searchers
        for k, hits in enumerate(self.scan(texts)):
            if not hits:
                continue
            codes = {code_of[r] for r, _, _ in hits if not exclude[r]}
            if not codes:
                continue
            excluded = {code_of[r] for r, _, _ in hits if exclude[r]}
            if not (codes & excluded) and not (codes & needs.keys()):
                out.update((k, c) for c in codes)
                continue
            # exclusions or context in play: character offsets. A match starts at the space before its first
            # word, so its byte offset counts the characters before that word in the unpadded text; stem hits
            # count in the stem text (same characters, fewer bytes).
            text = texts[k]
            surface = prepare(text).replace(SEPARATOR, " ")
            padded = [(" " + surface + " ").encode("utf-8"), (" " + stem_text(surface) + " ").encode("utf-8")]
            matches = []
            for r, start, end in hits:
                version = padded[r >= self.n_surface]
                if self.raw[r]:  # no padding space in the match
                    first, last = len(version[:start].decode("utf-8")) - 1, len(version[:end].decode("utf-8")) - 1
                else:
                    first, last = len(version[:start].decode("utf-8")), len(version[:end - 1].decode("utf-8")) - 1
                matches.append((first, last, r, exclude[r]))
            survivors = resolve(text, matches, code_of)
            prepared = _both_texts(text) if codes & needs.keys() else None
            for code, spans in survivors.items():
                if code in needs and not self.context.keep(code, text, spans, prepared):
                    continue
                out.add((k, code))
        return out


def child_compare(scale: float, codebook_path: str, repeats: int, seed: int) -> dict:
    """Auto-coder and Hyperscan coder on the same corpus, alternating, CPU time; exactness checked."""
    from pathlib import Path

    from gtna_analysis.coding.autocoder import AutoCoder
    from gtna_analysis.coding.codebook import load_codebook

    from .corpus import corpus_stats, segment_texts

    codebook = load_codebook(Path(codebook_path))
    texts = segment_texts(scale, seed)
    start = time.process_time()
    coder = AutoCoder(codebook)
    compile_fast = time.process_time() - start
    start = time.process_time()
    hs = HyperscanCoder(codebook)
    compile_hs = time.process_time() - start
    fast_cpu, hs_cpu, scan_cpu = [], [], []
    same = True
    fast_pairs = hs_pairs = 0
    for _ in range(repeats):
        start = time.process_time()
        fast = coder.code_texts(texts)
        fast_cpu.append(time.process_time() - start)
        start = time.process_time()
        exact = hs.code_texts(texts)
        hs_cpu.append(time.process_time() - start)
        start = time.process_time()
        hs.scan(texts)
        scan_cpu.append(time.process_time() - start)
        same = same and fast == exact
        fast_pairs, hs_pairs = len(fast), len(exact)
        diff = sorted(fast ^ exact)[:5]
        del fast, exact
    return {"scale": scale, **corpus_stats(texts), "fast_cpu": fast_cpu, "hs_cpu": hs_cpu, "scan_cpu": scan_cpu,
            "compile_fast": compile_fast, "compile_hs": compile_hs, "same": same, "fast_pairs": fast_pairs,
            "hs_pairs": hs_pairs, "diff_sample": [list(d) for d in diff], "rules": len(hs.rules)}


def run(config: dict, codebook, workdir, log) -> dict:
    """``config``: hyperscan_scales, hyperscan_repeats(scale), seed."""
    import json

    from .measure import PYTHON, run_child

    ok, why = available()
    if not ok:
        log(f"hyperscan: not installed ({why}) — comparison skipped")
        return {"skipped": why, "rows": []}
    rows = []
    for scale in config["hyperscan_scales"]:
        log(f"hyperscan: auto-coder vs exact Hyperscan coder at x{scale:g}")
        spec = {"scale": scale, "codebook_path": str(codebook), "repeats": config["hyperscan_repeats"](scale),
                "seed": config["seed"]}
        child = run_child([PYTHON, "-m", "benchmarks.bench_hyperscan", "--child", json.dumps(spec)])
        rows.append(child.result() if child.ok else {"scale": scale, "error": child.tail()})
    return {"skipped": "", "rows": rows}


def summarise(raw: dict) -> dict:
    rows = []
    for r in raw.get("rows", []):
        if "error" in r:
            rows.append(r)
            continue
        fast, hs, scan = median(r["fast_cpu"]), median(r["hs_cpu"]), median(r["scan_cpu"])
        rows.append({"scale": r["scale"], "segments": r.get("segments"), "mb": r.get("bytes", 0) / 1e6,
                     "fast_s": fast, "hs_s": hs, "scan_s": scan, "fast_vs_hs": fast / hs if hs else float("nan"),
                     "fast_vs_scan": fast / scan if scan else float("nan"), "same": r["same"],
                     "pairs": r["fast_pairs"], "runs": len(r["fast_cpu"]), "compile_fast": r["compile_fast"],
                     "compile_hs": r["compile_hs"], "diff_sample": r.get("diff_sample", [])})
    return {"skipped": raw.get("skipped", ""), "rows": rows}


def by_scale(rows: list[dict]) -> dict:
    out: dict = defaultdict(dict)
    for r in rows:
        out[r["scale"]] = r
    return out


if __name__ == "__main__":
    child_main(child_compare)
