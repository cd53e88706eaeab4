"""Stage 5, verify outputs: accessibility and print readiness of PDFs and DOCX files, and their parity.

:func:`generator.check.run.check_paths` is the entry; the other modules are its rule sets and readers.
"""
