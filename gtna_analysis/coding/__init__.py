"""Coding: segments → codes. The codebook and its pattern language, the fast auto-coder, human coding sheets,
agreement statistics, and the training preferences read off the coded segments.

Data flow: ``codebook`` (YAML → validated Codebook) → ``patterns`` (pattern language → regex + scan keys) →
``autocoder`` (segments → auto codings) + ``human`` (coding sheets, gold set) → ``agreement`` (kappa, alpha,
precision/recall) · ``preferences`` (format, duration, topics per participant).
"""

from gtna_analysis._lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(__name__, {
    "Codebook": "codebook", "Theme": "codebook", "Code": "codebook", "load_codebook": "codebook",
    "compile_pattern": "patterns", "PatternError": "patterns",
    "AutoCoder": "autocoder",
    "HumanCoding": "human", "load_coding_sheet": "human", "load_gold": "human", "merge_codings": "human",
    "CoderSet": "agreement", "agreement": "agreement", "validate": "agreement", "disagreements": "agreement",
    "extract_preferences": "preferences",
})
