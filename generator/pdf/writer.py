"""Writer: HTML -> PDF with WeasyPrint, tagged PDF/UA-1.

WeasyPrint reads only through the URL sandbox (:mod:`generator.render.sandbox`):
the project's template, content and font folders and ``data:`` URLs.  Fonts
come from the bundled folder alone (:mod:`generator.pdf.setup`, set up on the
first layout, not on import).  Only WeasyPrint's public API is used; the gaps
in its tagging are closed on the written file by :mod:`generator.pdf.tags`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.errors import MissionpressError
from generator.pdf import merge, tags
from generator.pdf.libraries import weasyprint
from generator.pdf.setup import font_config
from generator.render.sandbox import ForbiddenURL, SandboxFetcher, forbidden

PDF_UA = "pdf/ua-1"
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _require_lang_and_title(html: str, template: str) -> None:
    # WeasyPrint only logs a missing lang and says nothing of a missing title.
    if not re.search(r"<html\b[^>]*\blang=(\"[^\"]+\"|'[^']+'|[^\s\"'>]+)", html):
        raise MissionpressError(f"{template}: <html> has no lang attribute (PDF/UA needs the document language)")
    if not re.search(r"<title>\s*[^<\s][^<]*</title>", html):
        raise MissionpressError(f"{template}: <title> is missing or empty (PDF/UA needs a document title)")


@functools.lru_cache(maxsize=16)
def _language_sheet(css: str) -> weasyprint.CSS:
    return weasyprint.CSS(string=css)


def render(html: str, *, base: Path, allowed: Sequence[Path], template: str,
           stylesheet: weasyprint.CSS | None = None, images: dict[str, Any] | None = None) -> weasyprint.Document:
    """Lay out ``html`` into pages (no PDF written yet).

    With ``stylesheet`` (from :func:`parse_style`), the document's own ``<style>``
    is replaced by that already-parsed copy of it: a batch parses its CSS once.
    ``images`` (URL -> image, filled as images are read) lets documents that show
    the same pictures read and decode each once; an image that failed is not kept.
    """
    _require_lang_and_title(html, template)
    fonts = font_config()
    stylesheets = []
    if stylesheet is not None:
        html = STYLE.sub("", html, count=1)
        stylesheets.append(stylesheet)
    languages = tags.language_css(html)
    if languages is not None:
        stylesheets.append(_language_sheet(languages))
    try:
        with _images_must_load(template, images):
            return weasyprint.HTML(string=html, base_url=base.as_uri() + "/",
                                   url_fetcher=SandboxFetcher(allowed)).render(
                stylesheets=stylesheets or None, font_config=fonts, pdf_variant=PDF_UA, pdf_tags=True,
                cache=images)
    except ForbiddenURL as exc:
        raise forbidden(str(exc)) from None


class _FailedImages(logging.Handler):
    """Collects WeasyPrint's "Failed to load image" reports (it prints the alt text instead)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failed: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if str(record.msg).startswith("Failed to load image") and len(args) == 2:
            url, error = str(args[0]), args[1]
            reason = str(getattr(error, "__cause__", None) or error).strip() or "not a readable image"
            shown = url if len(url) <= 80 else url[:60] + "..."
            self.failed.append(f"{shown} ({reason})")


@contextmanager
def _images_must_load(template: str, images: dict[str, Any] | None = None) -> Iterator[None]:
    """An image that cannot be read or decoded stops the build instead of printing its alt text.

    WeasyPrint keeps a failed image in ``images`` as None and would not report it again: it is dropped.
    """
    handler = _FailedImages()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        if images is not None:
            for url in [url for url, image in images.items() if image is None]:
                del images[url]
    if handler.failed:
        raise MissionpressError(*(f"{template}: image {failed} cannot be shown (check the image's file or "
                                  "data: URL: a PNG, JPEG, GIF or SVG the build may read)"
                                  for failed in handler.failed))


def parse_style(html: str, *, base: Path, allowed: Sequence[Path]) -> weasyprint.CSS:
    """The document's ``<style>`` parsed once, for many documents that share it."""
    match = STYLE.search(html)
    if match is None:
        raise MissionpressError("the template has no <style> element to share")
    fonts = font_config()
    try:
        return weasyprint.CSS(string=match.group(1), base_url=base.as_uri() + "/",
                              url_fetcher=SandboxFetcher(allowed), font_config=fonts)
    except ForbiddenURL as exc:
        raise forbidden(str(exc)) from None


def write(document: weasyprint.Document, variant: str = PDF_UA) -> bytes:
    """The PDF bytes of a laid-out document: tagged (PDF/UA-1 unless asked otherwise), reproducible."""
    return tags.finish(_write_pdf(document, variant))


def write_into(document: weasyprint.Document, pages: bytes, at: int) -> bytes:
    """:func:`write`, with the pages of a written PDF (``pages``) inserted before page ``at``.

    The tags are finished and the pages spliced in one pass over the file
    (:func:`generator.pdf.merge.splice`): a batch's packet costs one save.
    """
    return merge.splice(_write_pdf(document, PDF_UA), pages, at, first=tags.finish_open)


def _write_pdf(document: weasyprint.Document, variant: str) -> bytes:
    try:
        return document.write_pdf(pdf_variant=variant, pdf_tags=True)
    except ForbiddenURL as exc:  # attachments (<link rel=attachment>) are fetched only now
        raise forbidden(str(exc)) from None
