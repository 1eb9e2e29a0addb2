"""Ingest: transcript files → cleaned, pseudonymised, segmented turns aligned to the questionnaire.

Data flow: ``readers`` (txt·md · docx · odt · vtt·srt → RawTranscript) → ``interview`` (header and interviews.csv
metadata, validated) → ``clean`` (NFC, whitespace, markers; Latin-typed Georgian recognised by ``script_detect``
and converted by ``translit``) → ``pseudonymise`` (names, identifiers → participant codes; with ``romanise`` for
spellings and folding and ``names`` for given names, surname shapes and third parties) → ``turns`` (speaker turns
with character offsets) → ``align`` (turn →
questionnaire item). ``transcripts`` runs these steps over a study's files; ``cache`` keeps parsed
interviews between builds; ``leaks`` finds participants' names in outputs (``gtna privacy-check``).
"""

from gtna_analysis._lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(__name__, {
    "read_transcript": "readers", "RawTranscript": "readers", "BodyLine": "readers",
    "SUPPORTED_SUFFIXES": "readers",
    "InterviewMeta": "interview", "Participant": "interview", "load_interviews_csv": "interview",
    "clean_line": "clean", "clean_paragraph": "clean", "mask_markers": "clean",
    "Pseudonymiser": "pseudonymise", "StudyNames": "pseudonymise", "anonymous_participants": "pseudonymise",
    "fold": "romanise", "transliterate": "romanise", "third_party_mentions": "names", "KeepNames": "names",
    "scan_leaks": "leaks",
    "Turn": "turns", "parse_turns": "turns",
    "align_turns": "align", "QuestionMatcher": "align",
    "BuildCache": "cache",
    "collect_sources": "transcripts", "read_all": "transcripts", "parse_all": "transcripts",
    "parse_interview": "transcripts",
})
