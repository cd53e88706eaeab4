"""A PDF changed with pikepdf, saved the one way the build saves PDFs: the same bytes every time."""

from __future__ import annotations

import io

import pikepdf


def saved(pdf: pikepdf.Pdf, *, pack: bool = False) -> bytes:
    """The bytes of ``pdf``: a file ID from its content (not the clock), streams compressed.

    ``pack`` puts the small objects into object streams (the many structure
    elements of a packet or a combined file: PDF 1.5 and later, PDF/UA, PDF/A-2 and
    PDF/X-4 allow them; PDF/A-1 and PDF/X-1a, X-3 would not); otherwise they stay
    as WeasyPrint wrote them.  The XMP
    metadata is left as it is: pikepdf would parse it at every save only to check
    a PDF version WeasyPrint does not record there.
    """
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False,
             object_stream_mode=pikepdf.ObjectStreamMode.generate if pack else pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()
