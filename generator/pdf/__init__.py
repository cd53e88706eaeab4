"""Stage 4a, HTML -> PDF with WeasyPrint: tagged PDF/UA-1, print-shop variants, and page splicing for batches.

``setup`` (the bundled fonts, on first use) -> ``writer`` (layout and write, public WeasyPrint API
only) -> ``tags`` (artifacts, header scopes and languages finished with pikepdf) -> ``printing``
(PDF/X and PDF/A) and ``merge`` (shared pages spliced into each packet).
"""
