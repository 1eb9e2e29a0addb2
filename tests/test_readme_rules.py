"""Every rule the README states, mapped to the test that holds it (issue 14: "every README rule has a test").

``RULES`` below is the map: README section → the rule, in the README's words → test(s) as ``file::function``.
It was made by reading the README top to bottom and listing each sentence that promises behaviour (not
descriptions, figures or advice). ``test_every_mapped_test_exists`` keeps the map honest when tests are renamed;
rules that had no test got one in this module (the ``test_readme_rules.py::…`` entries).

When you add a rule to the README, add a line here.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, copy_sample_study, make_study
from shared_coding import sample_tables

from gtna_analysis.atomic import current_generation
from gtna_analysis.cli import main

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

RULES: list[tuple[str, str, list[str]]] = [
    # --- Quickstart / Layout
    ("Layout", "`ingest` and `coding` know nothing of `reports` or `cli`, `coding` nothing of `exchange`; no import "
     "cycles", ["test_layout.py::test_no_import_cycles", "test_layout.py::test_stages_do_not_import_later_stages"]),
    ("Layout", "each sub-package's `__init__` lists its public names", [
        "test_layout.py::test_every_subpackage_has_a_public_api"]),
    ("Starting your own study", "adding an agency is configuration only; reports and the index pick it up", [
        "cli/test_study_workflow.py::test_new_study_validates_builds_and_reports_then_grows_by_configuration"]),
    ("Starting your own study", "`gtna init` creates a study (and refuses a non-empty folder)", [
        "cli/test_study_workflow.py::test_init_refuses_a_non_empty_folder"]),
    # --- Transcript files
    ("Transcript files", "txt/md UTF-8 or UTF-16 with or without BOM; other encodings detected and warned; binary "
     "refused", ["ingest/test_readers.py::test_unicode_encodings_decode_to_the_same_text",
                 "ingest/test_readers.py::test_legacy_code_page_is_detected_and_reported",
                 "ingest/test_readers.py::test_random_bytes_without_nul_are_not_a_transcript"]),
    ("Transcript files", "docx/odt header between `---` lines, Word's dash tolerated; line breaks split paragraphs", [
        "ingest/test_readers.py::test_docx_header_survives_word_autocorrect",
        "ingest/test_readers.py::test_odt_header_nested_paragraphs_and_line_breaks"]),
    ("Transcript files", "tables read as speaker | text; header rows recognised (Georgian/English, time column); "
     "empty speaker cell continues", [
         "ingest/test_interop_files.py::test_word_table_with_georgian_header_and_time_column",
                                     "ingest/test_interop_files.py::test_word_table_with_english_speaker_text_header",
                                     "ingest/test_interop_files.py::test_header_row_detection"]),
    ("Transcript files", "ODT from Pandoc & co. read under ODF white-space rules; notes and deletions left out", [
        "ingest/test_interop_files.py::test_pandoc_odt_is_read_with_odf_white_space_rules"]),
    ("Transcript files", "VTT NOTE header / SRT top header; voice tags and `Name:` prefixes are speakers; "
     "consecutive cues of one speaker merge", ["ingest/test_readers.py::test_vtt_note_header_voices_prefixes_and_times",
                                              "ingest/test_turns.py::test_voice_tags_name_speakers_and_consecutive_cues_merge",
                                              "ingest/test_interop_files.py::test_files_from_other_tools_build_into_attributed_turns"]),
    ("Transcript files", "dash cues alternate speakers; before two speakers are known: warning at the line", [
        "ingest/test_interop_files.py::test_zoom_vtt_repeated_name_prefixes_continue_the_turn_and_dash_cues_alternate",
        "ingest/test_interop_files.py::test_srt_dash_cue_without_a_known_second_speaker_warns_at_its_line"]),
    ("Transcript files", "the `interviewer` field must be a code (INT1), never a name", [
        "test_readme_rules.py::test_interviewer_must_be_a_code"]),
    ("Transcript files", "unknown header fields are reported as warnings", [
        "test_readme_rules.py::test_unknown_header_fields_are_warnings"]),
    ("Transcript files", "a label that matches nobody is an error `file:line: unknown speaker label`", [
        "ingest/test_turns.py::test_unknown_speakers_and_tags_are_located_errors"]),
    ("Transcript files", "a line without a label continues the previous turn; text before the first label is "
     "unattributed", ["ingest/test_turns.py::test_group_interview_turns_span_lines_and_blank_lines",
                      "ingest/test_turns.py::test_text_before_the_first_label_is_unattributed"]),
    ("Transcript files", "`[Q4]` ties a turn to the guide; untagged questions aligned by similarity; method and "
     "confidence kept", ["ingest/test_align.py::test_tags_win_over_similarity",
                         "ingest/test_align.py::test_segments_carry_confidence_and_method"]),
    ("Transcript files", "timestamps before a label are kept as t_start; cue times as t_start/t_end", [
        "ingest/test_readers.py::test_vtt_note_header_voices_prefixes_and_times",
        "ingest/test_interop_files.py::test_word_table_with_georgian_header_and_time_column"]),
    ("Transcript files", "markers normalised and never coded", [
        "ingest/test_clean.py::test_markers_are_normalised",
        "ingest/test_clean.py::test_markers_are_masked_for_coding_and_counted"]),
    ("Transcript files", "cleaning: NFC, invisible characters, mojibake, legacy Georgian fonts per paragraph", [
        "ingest/test_clean.py::test_nfc_invisible_characters_and_whitespace",
        "ingest/test_clean.py::test_mojibake_is_repaired",
        "ingest/test_clean.py::test_legacy_font_paragraph_is_converted"]),
    ("interviews.csv", "a field given differently in the CSV and a header is an error", [
        "test_build.py::test_interviews_csv_conflicts_and_orphans",
        "test_build.py::test_header_and_csv_participants_must_agree"]),
    # --- The processed tables
    ("The processed tables", "written atomically; a failed or interrupted build keeps the previous outputs", [
        "test_build.py::test_failed_build_keeps_the_previous_outputs",
        "test_build.py::test_interrupted_write_leaves_previous_outputs"]),
    ("The processed tables", "a second build of the same input is byte-identical — whatever the files are called", [
        "test_build.py::test_second_build_is_byte_identical",
        "ingest/test_file_names.py::test_file_names_and_listing_order_do_not_change_the_output",
        "ingest/test_file_names.py::test_the_same_study_in_another_folder_builds_the_same_bytes"]),
    ("The processed tables", "the sample build's tables are the reviewed ones", [
        "golden/test_golden.py::test_sample_build_matches_the_golden_files"]),
    ("The processed tables", "offsets are character offsets into the document text", [
        "coding/test_patterns.py::test_sample_codings_point_into_the_documents",
        "ingest/test_turns.py::test_any_text_parses_and_segments_reassemble_the_document"]),
    ("The processed tables", "incremental builds re-read only what changed (study.yml, questionnaire, CSV row, "
     "transcript); a new name re-parses everything; identical output", [
        "ingest/test_cache.py::test_one_changed_transcript_is_the_only_one_read",
        "ingest/test_cache.py::test_a_new_name_anywhere_reparses_everything",
        "ingest/test_cache_invalidation.py::test_a_cached_build_after_a_change_equals_a_fresh_build"]),
    ("The processed tables", "cache entries are encrypted; no readable names in the cache", [
        "ingest/test_cache.py::test_cache_holds_no_readable_names"]),
    ("The processed tables", "`--no-cache` re-reads everything; output byte-identical either way", [
        "test_readme_rules.py::test_no_cache_and_default_output_folder"]),
    ("The processed tables", "dictionary copies are rewritten when damaged; their CRC is checked in full the first "
     "time a process meets a file in its present state", [
         "ingest/test_lexicon.py::test_a_damaged_copy_is_ignored_and_written_again",
         "ingest/test_lexicon.py::test_a_copy_is_checked_in_full_once_then_trusted_until_it_changes",
         "ingest/test_public_cache.py::test_a_mapped_file_is_checked_in_full_once_per_state"]),
    ("The processed tables", "tables that come out the same are taken over from the previous generation (hard "
     "link, else copy) while the record's digest matches and the file is unchanged; an edited or touched file is "
     "written afresh", [
         "test_table_reuse.py::test_a_rebuild_after_a_transcript_edit_takes_over_the_unchanged_tables",
         "test_table_reuse.py::test_a_file_changed_since_it_was_published_is_written_again",
         "test_table_reuse.py::test_without_hard_links_the_files_are_copied",
         "test_table_reuse.py::test_without_a_valid_record_every_table_is_written"]),
    ("The processed tables", "script verdicts are kept per paragraph, sealed with a key from the paragraph, hold no "
     "text; an edited transcript judges only its edited paragraphs; unused entries go", [
         "ingest/test_script_verdicts.py::test_a_rebuild_judges_only_the_edited_paragraph",
         "ingest/test_script_verdicts.py::test_the_file_holds_no_word_of_any_paragraph",
         "ingest/test_script_verdicts.py::test_a_damaged_or_foreign_entry_is_judged_afresh",
         "ingest/test_script_verdicts.py::test_save_keeps_what_the_build_used_or_was_told_to_keep"]),
    ("The processed tables", "letter tables are read row by row, an n-gram's count only when asked", [
        "ingest/test_letter_count_files.py::test_counts_are_read_row_by_row_as_asked"]),
    ("The processed tables", "publishing survives a power loss: files fsynced before the rename, the folder after "
     "(not on Windows)", [
        "test_atomic_durable.py::test_generation_files_are_synced_before_the_rename_and_the_pointer_after",
        "test_atomic_durable.py::test_no_folder_fsync_where_the_platform_has_none"]),
    ("study.yml", "`limits:` keys validated at their line; environment variables override them", [
        "ingest/test_study_limits.py::test_bad_limits_are_errors_at_their_line",
        "ingest/test_study_limits.py::test_build_refuses_a_transcript_above_the_study_limit"]),
    ("Troubleshooting", "a report batch is published as one step; killed before its journal nothing changes, "
     "after it the next run rolls it forward", [
        "test_atomic_durable.py::test_kill_while_rendering_keeps_the_old_batch_and_the_next_run_removes_the_stage",
        "test_atomic_durable.py::test_kill_after_the_journal_is_rolled_forward_by_the_next_run",
        "test_atomic_durable.py::test_report_batch_interrupted_after_a_page_publishes_nothing"]),
    # --- Codebook
    ("Codebook", "validation lists every problem at once as path:line (duplicates, namespaces, regexes, languages, "
     "keys with did-you-mean, labels, colours)", [
         "coding/test_codebook.py::test_every_problem_is_reported_with_its_line"]),
    ("Codebook", "`codable: true` themes are codes; `groups:` validated with lines", [
        "exchange/test_interop_refi.py::test_codable_theme_may_have_no_subcodes",
        "exchange/test_interop_refi.py::test_codebook_groups_are_validated_with_lines"]),
    ("Codebook", "single-word patterns without context are linted", [
        "coding/test_codebook.py::test_single_words_without_context_are_linted"]),
    ("Codebook › patterns", "case-insensitive incl. Mtavruli; `*` stems; whole words; phrase gaps; `re:`", [
        "coding/test_patterns.py::test_pattern_semantics",
        "coding/test_autocoder.py::test_mtavruli_sigma_nul_and_markers_in_one_chunk",
        "coding/test_autocoder.py::test_phrase_gaps_of_any_length"]),
    ("Codebook › patterns", "inflected forms via stem keys", [
        "coding/test_patterns.py::test_lemma_matching_reaches_inflected_forms"]),
    ("Codebook › patterns", "exclude_patterns cancel per sentence; requires needs context in the sentence", [
        "coding/test_patterns.py::test_exclusion_is_per_sentence_and_per_code",
        "coding/test_patterns.py::test_requires_keeps_an_ambiguous_word_only_in_context"]),
    ("Codebook › patterns", "polarity stated/rejected/hypothetical; rejected never counts as wanted", [
        "coding/test_polarity.py::test_polarity", "reports/test_analysis.py::test_a_rejected_mention_is_no_priority"]),
    ("Codebook › patterns", "patterns of both languages apply to every transcript", [
        "test_readme_rules.py::test_english_patterns_code_georgian_interviews"]),
    ("Codebook › patterns", "only participant turns are coded", [
        "test_readme_rules.py::test_only_participant_turns_are_coded"]),
    ("Codebook › patterns", "each raw `re:` pattern has a time budget over the whole build, named at its line", [
        "coding/test_regex_budget.py::test_build_stops_at_the_codebook_line_of_a_pattern_slow_in_sum"]),
    ("Codebook › patterns", "a zero-width `re:` codes nothing; coding unit configurable", [
        "coding/test_autocoder.py::test_zero_width_raw_regexes_code_nothing_in_either_coder",
        "cli/test_study_workflow.py::test_coding_unit_is_configurable_in_study_yml"]),
    # --- Human coding and agreement
    ("Human coding", "empty code_id = read, no code; partial spans; every bad row with its line", [
        "coding/test_human.py::test_csv_sheet_with_empty_code_rows",
        "coding/test_human.py::test_semicolon_csv_and_partial_spans",
        "coding/test_human.py::test_every_bad_row_is_reported_with_its_line"]),
    ("Human coding", "other columns are ignored", ["test_readme_rules.py::test_coding_sheet_ignores_other_columns"]),
    ("Human coding", "codings/ merged by build with source=manual; an unknown segment or code stops the build", [
        "coding/test_human.py::test_merge_keeps_provenance",
        "coding/test_human.py::test_build_rejects_a_bad_coding_file"]),
    ("Human coding", "units are the segments both read; kappa, alpha (checked independently), pooled and macro", [
        "coding/test_agreement.py::test_uncoded_segments_count_as_agreement",
        "coding/test_agreement_independent.py::test_per_code_alpha_equals_the_hand_computation",
        "coding/test_agreement_independent.py::test_pooled_and_macro_alpha_against_the_reference_package"]),
    ("Human coding",
    "`gtna agreement` with auto/gold prints P/R/F1", ["coding/test_agreement.py::test_cli_auto_against_gold"]),
    ("Human coding", "a rejected auto code leaves codings and is listed in rejections; a coder's last word wins; "
     "coders who disagree keep it (disputed); agreement uses the auto-coder's own output; bad rows located", [
        "coding/test_rejections.py::test_a_rejected_auto_coding_is_suppressed_and_audited",
        "coding/test_rejections.py::test_the_coders_last_word_wins",
        "coding/test_rejections.py::test_when_coders_disagree_the_auto_coding_stays_disputed",
        "coding/test_rejections.py::test_bad_rejection_rows_name_file_and_line",
        "explore/test_coding_in_place.py::test_rejecting_an_auto_code_takes_it_out_of_the_next_build_and_its_counts"]),
    ("The explore workbench", "the Passages filters and search are the Matrix and Co-occurrence filters", [
        "explore/test_widgets.py::test_the_passages_filters_are_the_matrix_and_cooccurrence_filters"]),
    ("The explore workbench", "a mouse selection becomes character offsets checked against the passage; typed "
     "words remain the keyboard route", [
        "explore/test_span_select.py::test_a_selection_after_an_astral_character_lands_on_the_right_words",
        "explore/test_span_select.py::test_a_mouse_selection_is_coded_through_the_coding_sheet",
        "explore/test_browser.py::test_jupyterlab_runs_the_workbench_filters_reads_and_accepts"]),
    ("Suggestions", "too few examples learn nothing; accepted rows only", [
        "coding/test_suggest.py::test_too_few_examples_learn_nothing",
        "coding/test_suggest.py::test_review_sheet_round_trip_adds_only_accepted_rows"]),
    ("Training designs", "human review wins; a bad review row is a located error", [
        "coding/test_design_reviews.py::test_export_review_and_rebuild",
        "coding/test_design_reviews.py::test_a_bad_review_row_is_a_located_error"]),
    # --- REFI-QDA
    ("REFI-QDA", ".qdc/.qdpx valid against the XSDs, deterministic, round-trip", [
        "exchange/test_refi.py::test_qdc_is_valid_deterministic_and_round_trips",
        "exchange/test_refi.py::test_qdpx_export_is_valid_and_complete",
        "exchange/test_refi.py::test_qdpx_file_is_reproducible_and_has_no_names"]),
    ("REFI-QDA", "sources by name, codes by GUID/id/label; CRLF/BOM handled; edited text is an error", [
        "exchange/test_refi.py::test_foreign_style_qdpx_import", "exchange/test_refi.py::test_qdpx_import_errors"]),
    ("REFI-QDA", "namespace variants read; Sets ↔ groups; codable top-level codes stay codable", [
        "exchange/test_interop_refi.py::test_codebook_namespace_variants_are_read_alike",
        "exchange/test_interop_refi.py::test_maxqda_codebook_keeps_codable_top_level_codes_and_sets",
        "exchange/test_interop_refi.py::test_groups_and_codable_themes_are_exported_back"]),
    ("REFI-QDA", "a .qdpx in codings/ without usable codings stops the build naming the file", [
        "exchange/test_interop_refi.py::test_qdpx_without_codings_in_codings_folder_stops_the_build"]),
    # --- Reports
    ("Reports", "every agency × language rendered and linked from the index", [
        "reports/test_reports.py::test_every_agency_and_language_is_rendered_and_linked"]),
    ("Reports", "no script, no network request, code and parameters hidden, charts embedded", [
        "reports/test_reports.py::test_reports_load_nothing_from_the_network_and_run_no_script",
        "reports/test_reports.py::test_reports_hide_code_and_parameters_and_embed_charts"]),
    ("Reports", "transcript text escaped; no participant names", [
        "reports/test_reports.py::test_transcript_and_label_markup_is_escaped",
        "reports/test_reports.py::test_reports_carry_no_participant_names"]),
    ("Reports", "a failing notebook is saved with its error, the rest continue, exit 1", [
        "reports/test_reports.py::test_a_failing_notebook_is_saved_with_its_error_and_the_rest_continue"]),
    ("Reports", "every recommendation element links to quotes that exist", [
        "reports/test_sections.py::test_every_recommendation_element_links_to_quotes_that_exist"]),
    # --- Command line
    ("Command line", "every command has --help with examples", ["cli/test_help.py::test_help_has_examples"]),
    ("Command line", "`gtna validate` writes nothing; raw files never change", [
        "test_build.py::test_validate_writes_nothing_and_raw_files_never_change",
        "ingest/test_readers.py::test_readers_never_modify_their_input"]),
    ("Command line", "--keep-going builds the rest and lists what was skipped (exit 1)", [
        "test_build.py::test_keep_going_builds_the_rest_and_lists_what_was_skipped"]),
    ("Command line", "outputs go to <study>/processed for a study other than the bundled one", [
        "test_readme_rules.py::test_no_cache_and_default_output_folder"]),
    ("Command line", "exit codes: 1 input problem (path:line), 2 usage, 130 interrupted — through main()", [
        "cli/test_help.py::test_missing_study_is_a_located_error", "test_readme_rules.py::test_usage_error_exits_2",
        "test_readme_rules.py::test_interrupt_exits_130_with_a_message"]),
    # --- Notebooks, privacy, development
    ("Notebooks", "outputs never committed; paired with py:percent twins; thin", [
        "reports/test_notebooks.py::test_notebook_has_no_outputs",
        "reports/test_notebooks.py::test_notebook_matches_its_py_percent_twin",
        "reports/test_notebooks.py::test_notebook_is_thin"]),
    ("Privacy", "names in inflected forms and both scripts, numbers, phones, e-mails replaced; amounts and years "
     "left alone; roles pseudonymised; counts recorded", [
        "ingest/test_pseudonymise.py::test_names_in_inflected_forms_and_both_scripts",
        "ingest/test_pseudonymise.py::test_numbers_and_emails",
        "ingest/test_pseudonymise.py::test_amounts_years_and_counts_are_not_phones",
        "ingest/test_pseudonymise.py::test_roles_are_pseudonymised_too",
        "ingest/test_pseudonymise.py::test_sample_replacement_counts"]),
    ("Privacy", "no participant name in any processed table", [
        "ingest/test_pseudonymise.py::test_processed_tables_contain_no_raw_name_form"]),
    ("Development", "the wheel installs and renders a report outside the repository", [
        "test_layout.py::test_wheel_installs_and_renders_a_report_outside_the_repository"]),
    ("Performance", "speed only as ratios in benchmarks, never timed tests", [
        "test_benchmarks_corpus.py::test_report_summary_ratios"]),
]


def _test_functions() -> set[str]:
    found: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative = path.relative_to(TESTS).as_posix()
        found |= {f"{relative}::{node.name}" for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    return found


def test_every_mapped_test_exists() -> None:
    existing = _test_functions()
    missing = [(section, rule, t) for section, rule, tests in RULES for t in tests if t not in existing]
    assert not missing, f"the README rule map names tests that do not exist: {missing}"
    assert all(tests for _, _, tests in RULES)


def test_every_readme_section_with_rules_is_in_the_map() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for section in ("Transcript files", "The processed tables", "Codebook", "Human coding and agreement",
                    "REFI-QDA exchange", "Reports", "Command line", "Privacy"):
        assert f"## {section}" in readme or f"### {section}" in readme, section
        assert any(s.split(" ›")[0] in section for s, _, _ in RULES), section


# --- rules that had no test ---------------------------------------------------------------------------------

HEADER = """---
interview_id: MOES-80
agency: moes
mode: individual
language: ka
interviewer: {interviewer}
participants:
  - {{id: P1, name: ნინო ბერიძე, gender: female, level: mid}}
{extra}---
ინტერვიუერი: [Q1] რა არის თქვენი უწყების პრიორიტეტები?
P1: ონლაინ ტრენინგი და სტატისტიკა.
"""


@pytest.mark.parametrize("interviewer", ["Tamar Kobalia", "თამარი", "tamar.k", "INT-1-LONG-NAME"])
def test_interviewer_must_be_a_code(tmp_path: Path, capsys: pytest.CaptureFixture[str], interviewer: str) -> None:
    study = make_study(tmp_path / "s", {"transcripts/moes/MOES-80.md": HEADER.format(interviewer=interviewer,
                                                                                     extra="")})
    assert main(["validate", "--study", str(study)]) == 1
    err = capsys.readouterr().err
    assert f"MOES-80.md:6: interviewer {interviewer!r} should be a code such as INT1" in err


@pytest.mark.parametrize("interviewer", ["INT1", "INT12", "I", "MOD2", "int_3"])
def test_interviewer_codes_are_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str], interviewer: str) -> None:
    study = make_study(tmp_path / "s", {"transcripts/moes/MOES-80.md": HEADER.format(interviewer=interviewer,
                                                                                     extra="")})
    assert main(["validate", "--study", str(study)]) == 0, capsys.readouterr().err


def test_unknown_header_fields_are_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = make_study(tmp_path / "s", {"transcripts/moes/MOES-80.md": HEADER.format(
        interviewer="INT1", extra="room: 12\n")})
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "MOES-80.md:9: unknown header field 'room' ignored" in captured.out + captured.err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Through ``main()`` (argparse exits with SystemExit(2)) and through a real process."""
    for argv in (["report", "--lang", "fr"], ["no-such-command"], ["build", "--no-such-option"]):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        assert code == 2, argv
        assert "usage:" in capsys.readouterr().err
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.run([sys.executable, "-c", "import sys; from gtna_analysis.cli import main; "
                              "sys.exit(main())", "build", "--jobs-typo"], capture_output=True, text=True, env=env,
                             cwd=ROOT, timeout=120)
    assert process.returncode == 2 and "Traceback" not in process.stderr


def test_interrupt_exits_130_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import gtna_analysis.build as build_module

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "build", interrupted)
    study = make_study(tmp_path / "s", {"transcripts/moes/MOES-80.md": HEADER.format(interviewer="INT1", extra="")})
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "out")]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.parquet"))  # nothing published


def test_no_cache_and_default_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = copy_sample_study(tmp_path / "fieldwork", codebook=MINI_CODEBOOK)
    assert main(["build", "--study", str(study)]) == 0  # another study: outputs go to <study>/processed
    processed = study / "processed"
    cached = {p.name: p.read_bytes() for p in current_generation(processed).glob("*.parquet")}
    assert len(cached) >= 6 and (processed / ".cache").is_dir()
    capsys.readouterr()
    assert main(["build", "--study", str(study), "--no-cache", "-v"]) == 0
    captured = capsys.readouterr()
    assert "read 13 transcript(s)" in captured.out + captured.err  # nothing came from the cache
    republished = current_generation(processed).glob("*.parquet")
    assert {p.name: p.read_bytes() for p in republished} == cached  # byte-identical either way


def test_english_patterns_code_georgian_interviews() -> None:
    tables = sample_tables("codings", "interviews")
    codings = tables["codings"].merge(tables["interviews"][["interview_id", "language"]], on="interview_id")
    auto = codings[(codings["source"] == "auto") & (codings["language"] == "ka")]
    latin = auto[auto["matched_text"].fillna("").str.contains("CEDAW|SDG")]
    assert len(latin) >= 2  # code-switched terms in Georgian interviews are coded by the English patterns


def test_only_participant_turns_are_coded() -> None:
    tables = sample_tables("codings", "segments")
    roles = tables["codings"].merge(tables["segments"][["segment_id", "speaker_role"]], on="segment_id")
    assert len(roles) == len(tables["codings"]) and set(roles["speaker_role"]) == {"participant"}
    interviewer_segments = tables["segments"][tables["segments"]["speaker_role"] == "interviewer"]
    assert len(interviewer_segments) > 100  # there was plenty to (wrongly) code


def test_coding_sheet_ignores_other_columns(tmp_path: Path) -> None:
    from shared_coding import sample_codebook

    from gtna_analysis.coding.human import load_coding_sheet

    segments = sample_tables("segments")["segments"]
    segment = segments[segments["speaker_role"] == "participant"].iloc[0]["segment_id"]
    code = sample_codebook().codes[0].id
    sheet = tmp_path / "s.csv"
    sheet.write_text(f"note,segment_id,code_id,coder,text shown to the coder\nlooks right,{segment},{code},nino,"
                     "ტექსტი\n", encoding="utf-8")
    coding = load_coding_sheet(sheet, segments, sample_codebook())
    assert coding.codings[["segment_id", "code_id", "coder"]].values.tolist() == [[segment, code, "nino"]]
    assert not {"note", "text shown to the coder"} & set(coding.codings.columns)
