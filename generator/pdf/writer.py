"""Writer: HTML -> PDF with WeasyPrint, tagged PDF/UA-1.

WeasyPrint reads only through the URL sandbox (:mod:`generator.render.sandbox`):
the project's template, content and font folders and ``data:`` URLs.  Fonts
come from the bundled folder alone (:mod:`generator.pdf.setup`, set up on the
first layout, not on import).  Only WeasyPrint's public API is used; the gaps
in its tagging are closed on the written file by :mod:`generator.pdf.tags`.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pikepdf

from generator.errors import MissionpressError
from generator.output import build_date
from generator.pdf import forms, merge, tags
from generator.pdf.libraries import weasyprint
from generator.pdf.saving import saved
from generator.pdf.setup import font_config
from generator.pdf.stylesheet_warnings import stylesheet_warnings
from generator.render.origin import Origin
from generator.render.sandbox import ForbiddenURL, Locate, SandboxFetcher, forbidden

PDF_UA = "pdf/ua-1"
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-f]+>")


def _require_lang_and_title(html: str, origin: Origin) -> None:
    # WeasyPrint only logs a missing lang and says nothing of a missing title.
    # The template line is looked for only when there is something to say (it renders the template again).
    def at(tag: str) -> str:
        found = re.search(rf"<{tag}\b", html, re.I)
        return origin.at(found.start()) if found else origin.name

    if not re.search(r"<html\b[^>]*\blang=(\"[^\"]+\"|'[^']+'|[^\s\"'>]+)", html):
        raise MissionpressError(f"{at('html')}: <html> has no lang attribute (PDF/UA needs the document language)")
    if not re.search(r"<title>\s*[^<\s][^<]*</title>", html):
        raise MissionpressError(f"{at('title') if '<title' in html.lower() else at('html')}: <title> is missing "
                                "or empty (PDF/UA needs a document title)")


@functools.lru_cache(maxsize=16)
def _language_sheet(css: str) -> weasyprint.CSS:
    return weasyprint.CSS(string=css)


def render(html: str, *, base: Path, allowed: Sequence[Path], template: str,
           stylesheet: weasyprint.CSS | None = None, origin: Origin | None = None,
           images: dict[str, Any] | None = None, fields: bool = False) -> weasyprint.Document:
    """Lay out ``html`` into pages (no PDF written yet).

    With ``stylesheet`` (from :func:`parse_style`), the document's own ``<style>``
    is replaced by that already-parsed copy of it: a batch parses its CSS once.
    ``origin`` (from the renderer) names the template line of what a message is about (a
    refused or broken URL); without it ``html`` is its own source, ``template``.
    ``images`` (URL -> image, filled as images are read) lets documents that show
    the same pictures read and decode each once; an image that failed is not kept.
    ``fields`` makes the HTML's ``<input>`` elements form fields (packets to fill in and sign).
    """
    origin = origin or Origin(html, template)
    _require_lang_and_title(html, origin)
    fonts = font_config()
    stylesheets = []
    source = html
    if stylesheet is not None:
        html = STYLE.sub("", html, count=1)
        stylesheets.append(stylesheet)
    languages = tags.language_css(html)
    if languages is not None:
        stylesheets.append(_language_sheet(languages))
    fetcher = SandboxFetcher(allowed, _locate(origin, base))
    try:
        with _images_must_load(template, fetcher, images), stylesheet_warnings(source, origin, fetcher.served):
            document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
                stylesheets=stylesheets or None, font_config=fonts, pdf_variant=PDF_UA, pdf_tags=True,
                cache=images, pdf_forms=fields or None)
    except ForbiddenURL as refused:
        raise forbidden(refused) from None
    fetcher.check()
    return document


class _FailedImages(logging.Handler):
    """Collects WeasyPrint's "Failed to load image" reports (it prints the alt text instead), for the
    layout under way in each thread.  Installed once: adding and removing a handler at each layout
    clears the cache of every logger of the process."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        failed: list[tuple[str, str]] | None = getattr(self.local, "failed", None)
        args = record.args if isinstance(record.args, tuple) else ()
        if failed is not None and str(record.msg).startswith("Failed to load image") and len(args) == 2:
            url, error = str(args[0]), args[1]
            reason = str(getattr(error, "__cause__", None) or error)
            reason = OBJECT_REPR.sub("", reason).strip() or "not a readable image"  # PIL names its BytesIO
            failed.append((url, reason))

    @contextmanager
    def collecting(self) -> Iterator[list[tuple[str, str]]]:
        """The (URL, why) of the images that fail within the block, in this thread."""
        earlier = getattr(self.local, "failed", None)
        self.local.failed = []
        try:
            yield self.local.failed
        finally:
            self.local.failed = earlier


@functools.cache
def _failed_images() -> _FailedImages:
    """The handler, installed on WeasyPrint's logger at the first layout (nothing happens on import)."""
    handler = _FailedImages()
    logging.getLogger("weasyprint").addHandler(handler)
    return handler


@contextmanager
def _images_must_load(template: str, fetcher: SandboxFetcher,
                      images: dict[str, Any] | None = None) -> Iterator[None]:
    """An image that cannot be read or decoded stops the build instead of printing its alt text.

    WeasyPrint keeps a failed image in ``images`` as None and would not report it again: it is dropped,
    and so is an SVG image.
    """
    with _failed_images().collecting() as failed:
        try:
            yield
        finally:
            if images is not None:  # an SVG is not kept: it fetches what it names as it is drawn, through the
                # fetcher of the layout that first read it, so a refusal would reach another document's fetcher
                for url in [url for url, image in images.items()
                            if image is None or type(image).__name__ == "SVGImage"]:
                    del images[url]
    if failed:
        raise MissionpressError(*(f"{fetcher.where(url) or template}: image "
                                  f"{url if len(url) <= 80 else url[:60] + '...'} ({reason}) cannot be shown "
                                  "(check the image's file or data: URL: a PNG, JPEG, GIF or SVG the build may read)"
                                  for url, reason in failed))


def parse_style(html: str, *, base: Path, allowed: Sequence[Path], origin: Origin | None = None) -> weasyprint.CSS:
    """The document's ``<style>`` parsed once, for many documents that share it."""
    match = STYLE.search(html)
    if match is None:
        raise MissionpressError("the template has no <style> element to share")
    fonts = font_config()
    fetcher = SandboxFetcher(allowed, _locate(origin, base))
    try:
        with stylesheet_warnings(html, origin or Origin(html, "the template"), fetcher.served):
            sheet = weasyprint.CSS(string=match.group(1), base_url=base.as_uri() + "/", url_fetcher=fetcher,
                                   font_config=fonts)
    except ForbiddenURL as refused:
        raise forbidden(refused) from None
    fetcher.check()
    return sheet


def _locate(origin: Origin | None, base: Path) -> Locate | None:
    """Where the document names a URL (relative ones against ``base``), as ``file:line``."""
    return None if origin is None else lambda url: origin.reference(url, base.as_uri() + "/")


def write(document: weasyprint.Document, variant: str = PDF_UA) -> bytes:
    """The PDF bytes of a laid-out document: tagged (PDF/UA-1 unless asked otherwise), reproducible,
    its form fields (if any) finished (:mod:`generator.pdf.forms`)."""
    pdf_bytes = _write_pdf(document, variant)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return saved(pdf) if _finish(pdf) else pdf_bytes


def _finish(pdf: pikepdf.Pdf) -> bool:
    tagged = tags.finish_open(pdf)
    return forms.finish_open(pdf) or tagged


def write_into(document: weasyprint.Document, pages: bytes, at: int, mark: forms.Mark | None = None,
               last: Callable[[pikepdf.Pdf], object] | None = None) -> bytes:
    """:func:`write`, with the pages of a written PDF (``pages``) inserted before page ``at``.

    The tags and fields are finished, ``mark`` (a packet's identity) written into the
    metadata, the pages spliced in and ``last`` applied to the whole (a packet's page
    footers) in one pass over the file (:func:`generator.pdf.merge.splice`): a batch's
    packet costs one save.
    """
    def first(pdf: pikepdf.Pdf) -> None:
        _finish(pdf)
        if mark is not None:
            forms.mark(pdf, mark)

    return merge.splice(_write_pdf(document, PDF_UA), pages, at, first=first, last=last)


def _write_pdf(document: weasyprint.Document, variant: str) -> bytes:
    try:
        pdf = document.write_pdf(pdf_variant=variant, pdf_tags=True)
    except ForbiddenURL as refused:  # attachments (<link rel=attachment>) are fetched only now
        raise forbidden(refused) from None
    if isinstance(document.url_fetcher, SandboxFetcher):  # SVG images fetch what they name as they draw
        document.url_fetcher.check()
    if b"/EmbeddedFile" in pdf:  # a stream's dictionary is never packed into an object stream
        pdf = _dated_attachments(pdf)
    return pdf


def _dated_attachments(pdf_bytes: bytes) -> bytes:
    """Files attached with ``rel=attachment`` dated by the build, not the clock WeasyPrint reads."""
    stamp = pikepdf.String(build_date().strftime("D:%Y%m%d%H%M%SZ"))
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for obj in pdf.objects:
            params = obj.get("/Params") if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == "/EmbeddedFile" \
                else None
            if isinstance(params, pikepdf.Dictionary):
                params.CreationDate = params.ModDate = stamp
        return saved(pdf)
