"""Writer: HTML -> PDF with WeasyPrint, tagged PDF/UA-1.

This module owns the renderer's sandbox.  WeasyPrint may read only the
project's template, content and font folders (and ``data:`` URLs); any other
``file://`` URL or any network URL stops the build with an error naming it.
Fonts come only from the bundled folder: fontconfig is pointed at a
configuration that lists nothing else, so no system font can slip in.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.errors import MissionpressError
from generator.paths import FONTS
from generator.pdf import glib

log = logging.getLogger(__name__)

_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def _isolate_fonts() -> None:
    """Point fontconfig at the bundled fonts only (must run before WeasyPrint loads Pango)."""
    workdir = Path(tempfile.mkdtemp(prefix="missionpress-fc-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    conf = workdir / "fonts.conf"
    conf.write_text(_FONTCONFIG.format(fonts=FONTS, cache=workdir / "cache"), encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(conf)


_isolate_fonts()

import weasyprint  # noqa: E402  (fontconfig must be configured first)
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

PDF_UA = "pdf/ua-1"


def _tag_languages() -> None:
    """Give structure elements of ``lang``-marked HTML elements their /Lang.

    WeasyPrint 70 writes the document language only; PDF/UA asks that a change
    of language (the Spanish half of a bilingual poster) be marked where it
    happens, so screen readers switch voices.  This wraps the function that
    builds one element of the structure tree.
    """
    import pydyf
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def build_with_lang(box: Any, parent: Any, pdf: Any, *rest: Any) -> Any:
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        passthrough = isinstance(box, boxes.PageBox) or getattr(box, "element_tag", None) in ("html", "body")
        for made in build(box, parent, pdf, *rest):
            if lang and not passthrough and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made

    tags._build_box_tree = build_with_lang


_tag_languages()


class ForbiddenURL(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop rendering at a URL outside the sandbox."""


class SandboxFetcher(URLFetcher):
    """Serves ``data:`` URLs and files inside the allowed folders; refuses everything else."""

    def __init__(self, allowed: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.allowed = [Path(p).resolve() for p in allowed]

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        raise ForbiddenURL(url)

    def read(self, url: str) -> bytes:
        """The bytes behind an allowed URL, for the DOCX writer's images."""
        try:
            response = self.fetch(url)
        except ForbiddenURL:
            raise _forbidden(url) from None
        try:
            return bytes(response.read())
        finally:
            response.close()


def _forbidden(url: str) -> MissionpressError:
    where = "outside the project's templates, content and fonts" if url.startswith("file:") else "on the network"
    return MissionpressError(
        f"refused to load {url}: it is {where}; the renderer reads only the project's "
        "own folders and data: URLs (copy the file into your templates or content folder)"
    )


_font_config: FontConfiguration | None = None


def _fonts() -> FontConfiguration:
    """One FontConfiguration per process: each one copies fonts to a temporary folder."""
    global _font_config
    if _font_config is None:
        glib.route_messages()  # Pango's own warnings go to the log, not the terminal
        _font_config = FontConfiguration()
    return _font_config


def _require_lang_and_title(html: str, template: str) -> None:
    # WeasyPrint only logs a missing lang and says nothing of a missing title.
    if not re.search(r"<html\b[^>]*\blang=(\"[^\"]+\"|'[^']+'|[^\s\"'>]+)", html):
        raise MissionpressError(f"{template}: <html> has no lang attribute (PDF/UA needs the document language)")
    if not re.search(r"<title>\s*[^<\s][^<]*</title>", html):
        raise MissionpressError(f"{template}: <title> is missing or empty (PDF/UA needs a document title)")


STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def render(html: str, *, base: Path, allowed: Sequence[Path], template: str,
           stylesheet: weasyprint.CSS | None = None) -> weasyprint.Document:
    """Lay out ``html`` into pages (no PDF written yet).

    With ``stylesheet`` (from :func:`parse_style`), the document's own ``<style>``
    is replaced by that already-parsed copy of it: a batch parses its CSS once.
    """
    _require_lang_and_title(html, template)
    fetcher = SandboxFetcher(allowed)
    stylesheets = None
    if stylesheet is not None:
        html = STYLE.sub("", html, count=1)
        stylesheets = [stylesheet]
    try:
        return weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=_fonts(), pdf_variant=PDF_UA, pdf_tags=True
        )
    except ForbiddenURL as exc:
        raise _forbidden(str(exc)) from None


def parse_style(html: str, *, base: Path, allowed: Sequence[Path]) -> weasyprint.CSS:
    """The document's ``<style>`` parsed once, for many documents that share it."""
    match = STYLE.search(html)
    if match is None:
        raise MissionpressError("the template has no <style> element to share")
    try:
        return weasyprint.CSS(string=match.group(1), base_url=base.as_uri() + "/",
                              url_fetcher=SandboxFetcher(allowed), font_config=_fonts())
    except ForbiddenURL as exc:
        raise _forbidden(str(exc)) from None


def write(document: weasyprint.Document, variant: str = PDF_UA) -> bytes:
    """The PDF bytes of a laid-out document: tagged (PDF/UA-1 unless asked otherwise), reproducible."""
    try:
        return document.write_pdf(pdf_variant=variant, pdf_tags=True)
    except ForbiddenURL as exc:  # attachments (<link rel=attachment>) are fetched only now
        raise _forbidden(str(exc)) from None
