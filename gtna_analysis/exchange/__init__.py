"""Exchange with other QDA software and spreadsheets: REFI-QDA codebooks (.qdc) and projects (.qdpx), XLSX/CSV
exports, and reading human coding files in any of these formats.

``refi_xml`` holds what .qdc and .qdpx share (namespaces, GUIDs, the bilingual code description).
"""

from gtna_analysis._lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(__name__, {
    "codebook_to_qdc": "qdc", "export_qdc": "qdc", "qdc_to_codebook": "qdc",
    "build_project": "qdpx", "export_qdpx": "qdpx", "read_qdpx": "qdpx", "read_qdpx_codings": "qdpx",
    "export_xlsx": "xlsx", "export_csv": "xlsx",
    "load_coding_file": "coding_files", "discover_coding_files": "coding_files", "load_study_codings": "coding_files",
})
