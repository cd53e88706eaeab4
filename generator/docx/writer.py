"""Writer: HTML -> DOCX with python-docx, walking the same HTML as the PDF writer.

The ``<head>`` gives the core properties and the document language.  The
``<body>`` is walked block by block through :attr:`Writer.handlers`, a dict
tag -> handler; inline content (:mod:`generator.docx.inline`) becomes runs
with character styles.  Every element maps onto a named Word style made from
the theme (:mod:`generator.docx.styles`); lists get real Word numbering
(:mod:`generator.docx.numbering`).  A few classes mean something of their
own (:attr:`Writer.class_handlers`): ``section.cover`` is a first page without
header or footer, ``header.running``/``footer.running`` are the page header
and footer (:mod:`generator.docx.furniture`), ``nav.toc`` is a Word table of
contents (:mod:`generator.docx.toc`).  An element the writer does not know
stops the build with an error naming the template and line, never a silent
loss.  The output is reproducible (:mod:`generator.docx.package`).

:class:`Writer` walks; its parts, each a class of its own module, write: new
paragraphs and the one-paragraph blocks (:mod:`generator.docx.paragraphs`,
listed first: the parts below declare its methods), lists and tables
(:mod:`generator.docx.structures`), columns and the text measure
(:mod:`generator.docx.columns`), the cover, running header and footer and
contents (:mod:`generator.docx.frame`), and the showcase poster's own
structures (:mod:`generator.docx.showcase`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from generator.content.pages import Page
from generator.content.theme import Theme
from generator.docx.blocks import Blocks, Handler, Scope
from generator.docx.columns import Columns
from generator.docx.faces import Known
from generator.docx.fonts import embed_fonts
from generator.docx.forms import control, custom_properties
from generator.docx.frame import BAND, Frame
from generator.docx.furniture import Furniture, chapter_title
from generator.docx.html import (
    BRAND,
    CLASS_STYLES,
    COLUMNS,
    CONTAINERS,
    COVER,
    HEAD_TAGS,
    HEADING_CLASSES,
    HEADING_STYLES,
    KEEP_TOGETHER,
    MASTHEAD,
    NEW_PAGE,
    PAGE_BREAK,
    PARENTS,
    ROW,
    RUNNING,
    SHOWCASE,
    SUPPORTED,
    TOC,
    VALUES,
    VARIANTS,
    document_kind,
    first_chapter_title,
    own_style,
    parse,
    read_head,
    type_scale,
    unsupported,
)
from generator.docx.images import Fetch, Image, Images, placed
from generator.docx.inline import (
    FIELD_CLASSES,
    INLINE_TAGS,
    Inlines,
    Piece,
    Runs,
    classes,
    collapse,
    pieces,
    visible,
)
from generator.docx.looks import looks
from generator.docx.numbering import Numbering, continue_indent, define_lists
from generator.docx.ooxml import bookmark_names
from generator.docx.package import (
    check_page,
    content_size,
    modern_settings,
    reproducible_bytes,
    set_properties,
    setup_section,
    word_lang,
)
from generator.docx.pagination import Breaks, breaking, room_for_breaks, split_lines, within
from generator.docx.paragraphs import Paragraphs
from generator.docx.reuse import freed_at_once, themed_document
from generator.docx.shared import SharedBlocks
from generator.docx.showcase import Showcase, tile_indent, tile_number
from generator.docx.structures import Structures, keep_together
from generator.docx.styles import apply_theme
from generator.docx.widths import Widths
from generator.errors import MissionpressError
from generator.paths import FONTS
from generator.render.origin import Origin

__all__ = ["CLASS_STYLES", "HEADING_CLASSES", "SUPPORTED", "write_docx"]

FEATURED_INDENT = 2.0  # ems from the margin to the text of a featured list (the poster's goals)


def write_docx(html: str, *, theme: Theme, page: Page, template: str,
               fetch: Fetch | None = None, page_numbers: Mapping[str, int] | None = None,
               font_folders: Sequence[Path] = (FONTS,), origin: Origin | None = None,
               shared: SharedBlocks | None = None, breaks: Breaks | None = None,
               properties: Mapping[str, str] | None = None, leading: float = 1.0,
               columns: Breaks | None = None, rows: Sequence[Sequence[float]] = ()) -> bytes:
    """The .docx bytes of a rendered template's HTML (same input, same bytes).

    ``page_numbers`` (element id -> page, e.g. :func:`generator.docx.toc.anchor_pages` of the
    PDF's layout) are the contents' page numbers, and ``breaks`` (:func:`generator.docx.pagination.
    page_starts` of the same layout) where its pages start, which start pages here too.  The faces
    the document shows are embedded from ``font_folders`` (the first folder that has a face wins).
    ``origin`` (from the renderer) names the template line of an element in a message; without it
    ``html`` is its own source.
    The blocks ``shared`` has from documents written before are copied from there, not walked again.
    ``properties`` become custom document properties (a packet's id, name and language).
    ``leading`` multiplies every line height and space of the styles.  ``columns``
    (:func:`generator.docx.pagination.column_starts` of the layout the type was fitted to) are where
    the columns of a block of ``data-columns`` start, and ``rows`` (:func:`generator.docx.pagination.
    row_widths` of it) how wide the cells of each ``.row`` are, in order.
    """
    with freed_at_once():
        return _write(html, theme=theme, page=page, template=template, fetch=fetch, page_numbers=page_numbers,
                      font_folders=font_folders, origin=origin, shared=shared, breaks=breaks,
                      properties=properties, leading=leading, columns=columns, rows=rows)


def _write(html: str, *, theme: Theme, page: Page, template: str, fetch: Fetch | None,
           page_numbers: Mapping[str, int] | None, font_folders: Sequence[Path], origin: Origin | None,
           shared: SharedBlocks | None, breaks: Breaks | None,
           properties: Mapping[str, str] | None = None, leading: float = 1.0,
           columns: Breaks | None = None, rows: Sequence[Sequence[float]] = ()) -> bytes:
    check_page(page)
    root = parse(html, template)
    origin = origin or Origin(html, template)
    meta = read_head(root, origin)
    kind, scale = document_kind(root), type_scale(root)
    document = themed_document(theme, meta.lang, content_size(page)[0], styled, kind=kind, scale=scale,
                               leading=leading)
    setup_section(document.sections[0], page)
    set_properties(document, meta)
    if properties:
        custom_properties(document, properties)
    writer = Writer(document, root, origin=origin, theme=theme, page=page, lang=meta.lang, fetch=fetch,
                    page_numbers=page_numbers or {}, kind=kind, scale=scale, shared=shared, fonts=font_folders)
    if kind == "poster":
        writer.top_band(BAND * scale)
    elif kind.startswith(SHOWCASE):
        writer.setup_page()
    if breaks is not None:
        writer.page_starts = set(breaking(root, breaks.starts))
        room_for_breaks(document.sections[0], page)
    if columns is not None:  # the columns of a block of data-columns; Word balances the others
        columns = within(root, columns, "data-columns")
        writer.column_starts = set(breaking(root, columns.starts))
    writer.row_widths = [list(widths) for widths in rows]
    writer.write()
    writer.end_after_table()
    if breaks is not None:
        split_lines(document.element.body, breaks.splits)
    if columns is not None:
        split_lines(document.element.body, columns.splits, "column")
    embed_fonts(document, font_folders, writer.copied)
    modern_settings(document)
    return reproducible_bytes(document)


def styled(document: Document, theme: Theme, lang: str, text_width: float, *, kind: str, scale: float,
           leading: float = 1.0) -> None:
    """The theme's styles and the list definitions, the same for every document of a theme and kind."""
    apply_theme(document, theme, lang, text_width, kind=kind, scale=scale, leading=leading)
    featured = FEATURED_INDENT * theme.sizes.body * scale if kind == "poster" else None
    body = theme.sizes.body * scale
    tile = (theme.fonts.heading, tile_number(theme, kind) * scale, round(tile_indent(kind) * body * 20))
    define_lists(document, theme.colors.accent, round(featured * 20) if featured else continue_indent(0), tile)


class Writer(Paragraphs, Showcase, Structures, Columns, Frame):
    """Walks the body of one HTML document into a python-docx Document."""

    def __init__(self, document: Document, root: HtmlElement, *, origin: Origin, theme: Theme,
                 page: Page, lang: str, fetch: Fetch | None, page_numbers: Mapping[str, int],
                 kind: str = "", scale: float = 1.0, shared: SharedBlocks | None = None,
                 fonts: Sequence[Path] = (FONTS,)) -> None:
        self.document, self.root, self.origin, self.theme, self.page = document, root, origin, theme, page
        self.shared, self.body = shared, root.find("body")
        self.copied = Known()  # the body elements copied from ``shared``, and the faces they show
        self.kind, self.scale = kind, scale
        self.styles = looks(theme, kind, scale)  # the styles this document defines
        self.widths = Widths(document, self.styles, fonts)
        self.numbering = Numbering(document)
        self.made: list[Paragraph] = []  # every body paragraph, in order
        self.pending_column = False
        self.balancing = False  # in a block of balanced columns (``balanced``)
        self.column, self.column_widths = 0, []  # the section column written, and the widths of unequal ones
        self.contents_end = False  # the contents were written: the next body paragraph starts a section
        self.chapters = False  # after the contents: each new page starts a section with its own header
        self.chapter_header: BaseOxmlElement | None = None  # a new section's header, awaiting its title
        self.control_ids = itertools.count(1)
        self.runs = Runs(small=theme.sizes.small, doc_lang=lang)
        self.runs.control = lambda item: control(item.kind, item.name, item.title, next(self.control_ids), lang)
        self.images = Images(self.at, content_size(page), fetch)
        self.text_width = content_size(page)[0]
        fields = {**FIELD_CLASSES, "chapter-title": chapter_title(first_chapter_title(root))}
        self.inlines = Inlines(fail=self.misplaced, lang=self.lang, anchor=self.anchor,
                               target=self.target, picture=self.picture, fields=fields)
        self.furniture = Furniture(document.sections[0])
        self.stories: dict[str, Blocks] = {}  # "header"/"footer" -> where running elements go
        self.ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        hrefs = ((a.get("href") or "").strip() for a in root.iter("a"))
        self.bookmarks = bookmark_names(href[1:] for href in hrefs if href.startswith("#"))
        self.pages = {self.bookmarks[id_]: str(n) for id_, n in page_numbers.items() if id_ in self.bookmarks}
        # What every block's output depends on besides its own HTML (a shared block's key).
        self.setting_key = (origin.name, kind, scale, self.text_width, lang, theme.model_dump_json(),
                            tuple(sorted(self.pages.items())), tuple(map(str, fonts))) if shared is not None else ()
        self.pending_break = False
        self.page_starts: set[HtmlElement] = set()  # blocks that start a page of the PDF
        self.column_starts: set[HtmlElement] = set()  # blocks that start a column of the layout
        self.row_widths: list[list[float]] = []  # the cells' widths of the rows to come, as laid out
        self.pending_page = False  # the next paragraph starts one: a page break, not a new section
        self.pending_bookmarks: list[str] = []
        self.handlers: dict[str, Handler] = {
            **{tag: self.container for tag in CONTAINERS},
            **{tag: self.heading for tag in HEADING_STYLES},
            "p": self.paragraph_element,
            "blockquote": self.blockquote,
            "figcaption": self.caption,
            "hr": self.rule,
            "ol": self.list,
            "ul": self.list,
            "li": self.list_item,
            "table": self.table,
        }
        # Classes that change how any block is written.
        self.class_handlers: dict[str, Handler] = {
            **{name: self.paragraph_element for name in fields},
            COVER: self.cover,
            RUNNING: self.running,
            ROW: self.row,
            TOC: self.contents,
        }
        if kind.startswith(SHOWCASE):
            self.class_handlers.update({MASTHEAD: self.title_band, BRAND: self.footer_band})

    def write(self) -> None:
        if self.body is not None:
            self.container(self.body, Scope(Blocks(self.document)))

    def end_after_table(self) -> None:
        """A body that ends in a table ends in a 1 pt paragraph after it: Word and LibreOffice
        give the last table a paragraph of their own otherwise, a Normal line that can take the
        table on to another page."""
        body = self.document.element.body
        if len(body) > 1 and body[-2].tag == qn("w:tbl"):
            self.document.add_paragraph().style = "Section Break"

    # --- lookups the inline collector shares -------------------------------------------------

    def misplaced(self, el: HtmlElement) -> NoReturn:
        """Stop at an element the writer cannot place here, saying why."""
        if el.tag not in SUPPORTED:
            raise MissionpressError(unsupported(el, self.at(el)))
        where = f"{self.at(el)}: <{el.tag}>"
        parent = el.getparent().tag
        if el.tag in PARENTS:
            raise MissionpressError(f"{where} must be inside {PARENTS[el.tag]}, not <{parent}>")
        raise MissionpressError(
            f"{where} cannot be inside <{parent}> in the Word writer "
            "(blocks go in sections and divs, text in blocks; lists hold only <li>)"
        )

    def at(self, el: HtmlElement) -> str:
        return self.origin.element(el)

    def lang(self, el: HtmlElement) -> str | None:
        value = (el.get("lang") or "").strip()
        return word_lang(value) if value else None

    def target(self, el: HtmlElement) -> str | None:
        """The bookmark name of an element some link points at."""
        return self.bookmarks.get(el.get("id") or "")

    def picture(self, el: HtmlElement) -> Image:
        """An ``<img>`` loaded, sized and placed as the stylesheet places it."""
        sizes = self.theme.sizes
        if self.kind.startswith(SHOWCASE):
            return self.band_picture(self.images.load(el), el)
        return placed(self.images.load(el), el, kind=self.kind, em=sizes.body * self.scale,
                      small=sizes.small * self.scale)

    def anchor(self, el: HtmlElement, id_: str) -> str:
        if id_ not in self.ids:
            raise MissionpressError(
                f'{self.at(el)}: <a href="#{id_}"> points at no element '
                f'(give the target id="{id_}" or fix the link)'
            )
        return self.bookmarks[id_]

    # --- walking -------------------------------------------------------------------------------

    def flow(self, el: HtmlElement, scope: Scope, block: Handler | None = None) -> None:
        """Write the children of a block container; loose text makes anonymous paragraphs."""
        loose: list[Piece] = []
        for part in pieces(el):
            if isinstance(part, str) or not isinstance(part.tag, str) or part.tag in INLINE_TAGS:
                loose.append(part)
            elif part.tag not in HEAD_TAGS:
                self.anonymous(loose, scope)
                loose = []
                (block or self.block)(part, scope)
        self.anonymous(loose, scope)

    def block(self, el: HtmlElement, scope: Scope) -> None:
        if self.shared is not None and scope.item is None and scope.out.container is self.document:
            self.shared.place(self, el, scope, lambda: self.walk(el, scope))
        else:
            self.walk(el, scope)

    def walk(self, el: HtmlElement, scope: Scope) -> None:
        names = classes(el)
        handler = next((self.class_handlers[c] for c in names if c in self.class_handlers), None)
        handler = handler or self.handlers.get(el.tag)
        if handler is None:
            self.misplaced(el)
        if NEW_PAGE in names:
            self.pending_break = True
        if el in self.page_starts:
            self.pending_page = True
        if el in self.column_starts:
            self.pending_column = True
        name = self.target(el)
        if name:
            self.pending_bookmarks.append(name)
        lang = self.lang(el)
        inner = replace(scope, fmt=replace(scope.fmt, lang=lang)) if lang else scope
        start = len(self.made)
        self.balanced(el, inner, handler)
        self.to_measure(el, start, scope.depth)
        if PAGE_BREAK in names:
            self.pending_break = True

    def anonymous(self, loose: list[Piece], scope: Scope) -> None:
        if not any(not isinstance(p, str) or p.strip(" \t\n\r\f") for p in loose):
            return
        items = collapse(self.inlines.collect(loose, scope.fmt))
        elements = [p for p in loose if not isinstance(p, str) and isinstance(p.tag, str)]
        logo = [el.tag == "img" and "logo" in classes(el) for el in elements] == [True]
        if visible(items):
            self.runs.write(self.body_paragraph(scope, "Logo" if logo else None), items)
        else:
            self.pending_bookmarks += [i.name for i in items]  # type: ignore[union-attr]

    # --- block handlers ------------------------------------------------------------------------

    def container(self, el: HtmlElement, scope: Scope) -> None:
        names = classes(el)
        variant = next((VARIANTS[c] for c in names if c in VARIANTS), None)
        if variant:
            scope = replace(scope, variants=(variant, *scope.variants))
        if VALUES in names:
            scope = replace(scope, fmt=replace(scope.fmt, emphasis_style="Core Value"))
        inner = replace(scope, style=own_style(el) or scope.style)
        start = len(self.made)
        side_by_side = COLUMNS in names or (el.tag == "main" and self.bilingual)  # the showcase's languages
        if side_by_side and scope.out.container is self.document:
            self.columns(el, inner)
        else:
            self.flow(el, inner)
        if KEEP_TOGETHER in names:
            keep_together(self.made[start:])

    def blockquote(self, el: HtmlElement, scope: Scope) -> None:
        self.flow(el, replace(scope, style=own_style(el) or "Quote"))
