"""Stage 4b, HTML -> DOCX with python-docx: the same HTML as the PDF, walked onto named Word styles.

:func:`generator.docx.writer.write_docx` is the entry; the other modules are its parts.
"""
