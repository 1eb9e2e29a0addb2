"""The processed tables' columns and the vocabularies they use, defined once.

Every module that writes or reads a processed table takes its column list from here, so the README's table
documentation, the writers and the readers cannot drift apart.
"""

from __future__ import annotations

LANGUAGES = ("ka", "en")  # transcript and report languages: Georgian (Mkhedruli) and English
CODING_UNITS = ("segment", "paragraph", "sentence", "match")  # what one auto-coding covers (study.yml coding_unit)

TABLES = ("interviews", "participants", "segments", "codings", "rejections", "preferences", "designs", "documents")

INTERVIEW_COLUMNS = ["interview_id", "agency", "date", "mode", "language", "interviewer", "n_participants",
                     "source_sha256", "n_segments", "words", "legacy_font_paragraphs", "chat_latin_paragraphs",
                     "markers", "pseudonymised"]
PARTICIPANT_COLUMNS = ["interview_id", "agency", "participant_id", "participant_key", "role", "gender", "level",
                       "mode"]
# original_text: the text as typed (pseudonymised like text), equal to text unless Latin-typed Georgian was
# converted; script_conversion: "" | legacy_font | chat_latin (ingest/script_detect.py)
SEGMENT_COLUMNS = ["interview_id", "agency", "segment_id", "turn_no", "speaker_id", "speaker_role",
                   "question_id", "question_confidence", "question_method", "start_char", "end_char",
                   "t_start", "t_end", "line", "text", "original_text", "script_conversion", "language", "words"]
CODING_COLUMNS = ["segment_id", "interview_id", "agency", "code_id", "theme_id", "start_char", "end_char",
                  "matched_text", "n_matches", "source", "coder", "polarity"]
# auto codings a researcher rejected (coding/human.py apply_rejections): the coding as the auto-coder made it,
# who rejected it, who coded it all the same, and what the build did: suppressed (left out of codings) | disputed
REJECTION_COLUMNS = [*CODING_COLUMNS, "rejected_by", "accepted_by", "status"]
PREFERENCE_COLUMNS = ["interview_id", "agency", "speaker_id", "segment_id", "kind", "format",
                      "duration_hours_min", "duration_hours_max", "duration_hours", "topic_code_id", "evidence",
                      "part", "question_id"]
DOCUMENT_COLUMNS = ["interview_id", "agency", "language", "text"]
# one row per part of a participant's stated training design, per scope (coding/designs.py)
DESIGN_COLUMNS = ["interview_id", "agency", "speaker_id", "participant_key", "scope", "part_no", "format",
                  "hours", "total_hours", "min_hours", "max_hours", "sessions", "format_primary", "format_support",
                  "support_purpose", "rejected_formats", "follow_up", "avoid_periods", "hypothetical", "segment_id",
                  "evidence", "reviewed"]
