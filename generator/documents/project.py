"""Where a build's inputs come from, and the two writers bound to them.

A ``Project`` is a content folder plus a template search path.  It loads the
theme and statement, renders templates, and hands HTML to the PDF writer
(inside the sandbox of the folders it may read) or the Word writer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from generator.content import fonts, glyphs, i18n
from generator.content.model import Statement, load_statement, statement_file
from generator.content.pages import Page
from generator.content.theme import Theme, load_theme
from generator.documents.request import Request, default_requests
from generator.errors import MissionpressError, bad_value
from generator.inputs import check_links_stay_inside, not_a_folder
from generator.paths import BUILTIN_CONTENT
from generator.render.artwork import Artwork, artwork
from generator.render.context import Edition
from generator.render.templates import Renderer, search_path
from generator.render.urls import Sandbox

if TYPE_CHECKING:
    import weasyprint

    from generator.docx.pagination import Breaks
    from generator.docx.shared import SharedBlocks

LINKED_STYLESHEET = re.compile(r"<link\b[^>]*\bstylesheet\b", re.I)
KEPT_STYLES = 8  # parsed stylesheets a project keeps (a poster's and its handout's, in a few sizes)


@dataclass
class Project:
    """Where inputs come from: a content folder and the template search path."""

    content: Path = BUILTIN_CONTENT
    templates: Path | None = None

    def __post_init__(self) -> None:
        self.content = Path(self.content)
        self.templates = Path(self.templates) if self.templates is not None else None
        if not self.content.is_dir():
            why = not_a_folder(self.content)
            raise bad_value("content", self.content, why)
        if not os.path.lexists(self.content / "statement.yaml"):  # a link or a device is named when read
            raise bad_value("content", self.content, "no statement.yaml in that folder (give the folder that "
                            "holds statement.yaml, theme.yaml and documents.yaml)")
        search_path(self.templates)  # a missing template folder is reported now, not mid-build

    def __getstate__(self) -> dict[str, Any]:
        """Only the folders travel to worker processes; each loads what it needs once."""
        return {"content": self.content, "templates": self.templates}

    def requests(self) -> list[Request]:
        """The default documents: what the content folder's ``documents.yaml`` lists."""
        return default_requests(self.content)

    @cached_property
    def renderer(self) -> Renderer:
        return Renderer(search_path(self.templates))

    @cached_property
    def theme(self) -> Theme:
        return load_theme(self.content, fonts.families([folder / "fonts" for folder in self.renderer.folders]))

    def statement(self, lang: str = "en") -> Statement:
        return load_statement(self.content, lang)

    def editions(self, langs: Sequence[str], *, handbook: bool = False, packet: bool = False) -> list[Edition]:
        """One edition per language, with the handbook or packet content when asked."""
        self._content_checked  # noqa: B018  (links out of the content folder refused once)
        editions = []
        for number, lang in enumerate(langs):
            if not os.path.lexists(statement_file(self.content, lang)):  # a device or link is named on reading
                raise MissionpressError(
                    f"{statement_file(self.content, lang)}: no statement in language '{lang}' "
                    f"(languages of {self.content}: {', '.join(i18n.available(self.content))})")
            statement = self.statement(lang)
            labels = i18n.messages(lang, self.renderer.folders)
            drafts = [statement_file(self.content, lang)] if statement.draft_translation else []
            book, content = None, None  # their modules are loaded only for those documents
            if handbook:
                from generator.documents.handbook import load_handbook

                with labels.complete():
                    book = load_handbook(self.content, statement, labels, lang, f"{lang}-" if number else "")
            if packet:
                from generator.documents.onboarding.packet import load_packet

                content = load_packet(self.content, lang)
            drafts += (book.drafts if book else []) + (content.drafts if content else [])
            editions.append(Edition(lang, statement, labels, book, content, tuple(drafts)))
        return editions

    def artwork(self, editions: Sequence[Edition], word: bool = False) -> Artwork:
        """The logo and the QR code of the first edition's ``url``, for the PDF or for Word (made once each)."""
        key = (editions[0].statement.url, word)
        if key not in self._artworks:
            self._artworks[key] = artwork(self.theme, self.content, *key)
        return self._artworks[key]

    @cached_property
    def _artworks(self) -> dict[tuple[str | None, bool], Artwork]:
        return {}

    @cached_property
    def _content_checked(self) -> bool:
        check_links_stay_inside(self.content, f"the content folder {self.content}")
        return True

    @property
    def readable(self) -> list[Path]:
        """Folders the renderer may read: templates (fonts included) and content."""
        return [*self.renderer.folders, self.content.resolve()]

    def html(self, template: str, values: Callable[[], dict[str, Any]], editions: Sequence[Edition]) -> str:
        """The template's HTML from the context ``values()`` makes; every label either used must be translated."""
        with ExitStack() as labels:
            for edition in editions:
                labels.enter_context(edition.labels.complete())
            html = self.renderer.html(template, values())
        fonts_ = tuple(folder / "fonts" for folder in self.renderer.folders)
        problems = glyphs.unprintable(html, glyphs.coverage(fonts_),
                                      lambda: glyphs.sources(self.content, self.renderer.folders),
                                      lambda offset: self.renderer.origin(html, template).at(offset))
        if problems:
            raise MissionpressError(*problems)
        return html

    def layout(self, html: str, template: str, also: Sequence[Path] = (), fields: bool = False) -> weasyprint.Document:
        """Lay out HTML; the renderer reads the project's folders and the files in ``also``.

        A ``<style>`` this project has laid out before (a poster's trial layouts, every
        packet of a batch) is parsed once.
        """
        from generator.pdf import writer as pdf_writer  # WeasyPrint only for commands that lay out

        return pdf_writer.render(html, base=self.renderer.folders[0], allowed=[*self.readable, *also],
                                 template=template, stylesheet=self._parsed_style(html, template, also),
                                 origin=self.renderer.origin(html, template), images=self._images, fields=fields)

    @cached_property
    def _images(self) -> dict[str, Any]:
        """The pictures documents of this project showed, each read and decoded once (URL -> image)."""
        return {}

    def _parsed_style(self, html: str, template: str, also: Sequence[Path] = ()) -> weasyprint.CSS | None:
        """The document's first ``<style>`` parsed, kept for documents that repeat it.

        Parsed apart, it comes after the document's other stylesheets instead of before them
        (as a user stylesheet, it still yields to their rules as it did, but its ``!important``
        ones would win): so None where a linked stylesheet or an ``!important`` follows it, and
        where it names a color profile (a print shop's output profile).
        """
        from generator.pdf import writer as pdf_writer

        styles = pdf_writer.STYLE.findall(html)
        if (not styles or LINKED_STYLESHEET.search(html) or any("!important" in css for css in styles[1:])
                or "@color-profile" in styles[0]):  # WeasyPrint takes the output profile from the document's own
            return None
        key = (template, styles[0], tuple(also))
        if key not in self._styles:
            while len(self._styles) >= KEPT_STYLES:
                del self._styles[next(iter(self._styles))]
            self._styles[key] = pdf_writer.parse_style(html, base=self.renderer.folders[0],
                                                       allowed=[*self.readable, *also],
                                                       origin=self.renderer.origin(html, template))
        return self._styles[key]

    @cached_property
    def _styles(self) -> dict[tuple[str, str, tuple[Path, ...]], weasyprint.CSS]:
        return {}

    def docx(self, html: str, sheet: Page, template: str, page_numbers: Mapping[str, int] | None = None,
             shared: SharedBlocks | None = None, breaks: Breaks | None = None,
             properties: Mapping[str, str] | None = None, leading: float = 1.0,
             columns: Breaks | None = None, rows: Sequence[Sequence[float]] = ()) -> bytes:
        """The Word file; ``page_numbers`` (id -> page) are the contents' page numbers, ``breaks``
        where the PDF's pages start (:mod:`generator.docx.pagination`); the fonts it
        shows are embedded from the template folders' ``fonts/`` (a user's first); blocks
        ``shared`` has from documents written before are copied, not written again; ``leading``
        multiplies every line height and space, ``columns`` say where columns break and ``rows``
        how wide the cells of each row are (a poster's handout: see ``build._handout``)."""
        from generator.docx import writer as docx_writer  # python-docx only for commands that write Word

        sandbox = Sandbox(self.readable)
        base = self.renderer.folders[0].as_uri() + "/"  # relative URLs resolve as in the PDF

        def fetch(url: str) -> bytes:
            return sandbox.read(urljoin(base, url))

        return docx_writer.write_docx(html, theme=self.theme, page=sheet, template=template, fetch=fetch,
                                      page_numbers=page_numbers, origin=self.renderer.origin(html, template),
                                      shared=shared, breaks=breaks, properties=properties, leading=leading,
                                      columns=columns, rows=rows,
                                      font_folders=[folder / "fonts" for folder in self.renderer.folders])
