"""Writer: HTML -> DOCX with python-docx, walking the same HTML as the PDF writer.

The ``<head>`` gives the core properties and the document language.  The
``<body>`` is walked block by block through :attr:`Writer.handlers`, a dict
tag -> handler; inline content (:mod:`generator.docx_inline`) becomes runs
with character styles.  Every element maps onto a named Word style made from
the theme (:mod:`generator.docx_styles`); lists get real Word numbering
(:mod:`generator.docx_numbering`).  An element the writer does not know
stops the build with an error naming the template and line, never a silent
loss.  The output is reproducible (:mod:`generator.docx_package`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import NoReturn

import docx
import lxml.html
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.shared import Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml.html import HtmlElement

from .docx_images import Fetch, Images
from .docx_inline import (
    INLINE_TAGS,
    Fmt,
    Inlines,
    Piece,
    Runs,
    classes,
    collapse,
    pieces,
    visible,
)
from .docx_numbering import LEVELS, Numbering, continue_indent, number
from .docx_ooxml import bookmark_names, paragraph_border
from .docx_package import (
    Metadata,
    check_page,
    content_size,
    reproducible_bytes,
    set_properties,
    setup_section,
    word_lang,
)
from .docx_styles import apply_theme
from .docx_tables import grid, rows_and_header, style_table
from .errors import MissionpressError
from .pages import Page
from .theme import Theme

# class -> paragraph style; an element's own class wins, else the nearest ancestor's.
CLASS_STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "lead": "Lead",
    "small": "Small",
    "caption": "Caption",
    "quote": "Quote",
}
HEADING_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
HEADING_CLASSES = {"Title", "Subtitle"}  # the only class styles a heading takes
CONTAINERS = ("body", "section", "div", "article", "main", "header", "footer", "nav", "aside", "figure")
HEAD_TAGS = frozenset({"title", "meta", "style", "link"})  # read or ignored: CSS is for the PDF
TABLE_PARTS = frozenset({"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"})
PARENTS = {"li": "<ol> or <ul>", "tr": "<table>", "td": "<tr>", "th": "<tr>", "thead": "<table>",
           "tbody": "<table>", "tfoot": "<table>", "caption": "<table>", "colgroup": "<table>",
           "col": "<colgroup>"}
NEW_PAGE, PAGE_BREAK = "new-page", "page-break"
BLOCK_TAGS = (*CONTAINERS, *HEADING_STYLES, "p", "blockquote", "figcaption", "hr", "ol", "ul", "li", "table")
# Every element the writer reads (for error messages and the README).
SUPPORTED = tuple(sorted({"html", "head", "body", *HEAD_TAGS, *BLOCK_TAGS, *TABLE_PARTS, *INLINE_TAGS}))

Handler = Callable[[HtmlElement, "Scope"], None]


def write_docx(html: str, *, theme: Theme, page: Page, template: str,
               fetch: Fetch | None = None) -> bytes:
    """The .docx bytes of a rendered template's HTML (same input, same bytes)."""
    check_page(page)
    root = _parse(html, template)
    meta = read_head(root, template)
    document = docx.Document()
    apply_theme(document, theme, meta.lang)
    setup_section(document.sections[0], page)
    set_properties(document, meta)
    Writer(document, root, template=template, theme=theme, page=page, lang=meta.lang, fetch=fetch).write()
    return reproducible_bytes(document)


def _parse(html: str, template: str) -> HtmlElement:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise MissionpressError(f"{template}: the rendered HTML cannot be read ({exc})") from None


def read_head(root: HtmlElement, template: str) -> Metadata:
    """Title, language, author, description and keywords; lang and title are required."""
    lang = (root.get("lang") or "").strip()
    if not lang:
        raise MissionpressError(f'{template}: <html> has no lang attribute (write <html lang="en">)')
    head = root.find("head")
    head_children = [el for el in head if isinstance(el.tag, str)] if head is not None else []
    for el in head_children:
        if el.tag not in HEAD_TAGS:
            raise MissionpressError(unsupported(el, template))
    title = " ".join((head.findtext("title") or "").split()) if head is not None else ""
    if not title:
        raise MissionpressError(f"{template}: <title> is missing or empty (give the document a title)")
    metas = (el for el in head_children if el.tag == "meta")
    meta = {(el.get("name") or "").lower(): el.get("content") or "" for el in metas}
    return Metadata(title=title, lang=word_lang(lang), author=meta.get("author", ""),
                    description=meta.get("description", ""), keywords=meta.get("keywords", ""))


def unsupported(el: HtmlElement, template: str) -> str:
    return (f"{template}: <{el.tag}> at line {el.sourceline} is not supported by the Word writer "
            f"(supported: {', '.join(SUPPORTED)}; remove it or render it only for the PDF)")


def own_style(el: HtmlElement) -> str | None:
    """The paragraph style of the element's own first known class."""
    return next((CLASS_STYLES[c] for c in classes(el) if c in CLASS_STYLES), None)


@dataclass
class ListItem:
    """The ``<li>`` being written: its first paragraph is numbered, later ones continue it."""

    num_id: int
    ilvl: int
    style: str
    numbered: bool = False


class Blocks:
    """Where paragraphs and tables go: the document body or a table cell."""

    def __init__(self, container: Document | _Cell) -> None:
        self.container = container
        # A cell starts with an empty paragraph (and gets one after a table): fill it first.
        self._blank: Paragraph | None = container.paragraphs[0] if isinstance(container, _Cell) else None

    def paragraph(self) -> Paragraph:
        blank, self._blank = self._blank, None
        return blank if blank is not None else self.container.add_paragraph()

    def table(self, rows: int, cols: int) -> Table:
        if self._blank is not None:
            self._blank._p.getparent().remove(self._blank._p)
            self._blank = None
        table = self.container.add_table(rows, cols)
        if isinstance(self.container, _Cell):
            self._blank = self.container.paragraphs[-1]
        return table


@dataclass(frozen=True)
class Scope:
    """What ancestors pass down: output, inherited style and formatting, list position."""

    out: Blocks
    style: str | None = None  # from an ancestor's class, or Quote inside <blockquote>
    fmt: Fmt = field(default_factory=Fmt)
    depth: int = 0  # list nesting: the ilvl of a list opened here
    item: ListItem | None = None


class Writer:
    """Walks the body of one HTML document into a python-docx Document."""

    def __init__(self, document: Document, root: HtmlElement, *, template: str, theme: Theme,
                 page: Page, lang: str, fetch: Fetch | None) -> None:
        self.document, self.root, self.template, self.theme = document, root, template, theme
        self.numbering = Numbering(document)
        self.runs = Runs(small=theme.sizes.small, doc_lang=lang)
        images = Images(template, content_size(page), fetch)
        self.inlines = Inlines(fail=self.misplaced, lang=self.lang, anchor=self.anchor,
                               target=self.target, picture=images.load)
        self.ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        hrefs = ((a.get("href") or "").strip() for a in root.iter("a"))
        self.bookmarks = bookmark_names(href[1:] for href in hrefs if href.startswith("#"))
        self.pending_break = False
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
        # Classes that change how any block is written (later: "toc" on <nav>).
        self.class_handlers: dict[str, Handler] = {
            "page-number": self.paragraph_element,
            "page-count": self.paragraph_element,
        }

    def write(self) -> None:
        body = self.root.find("body")
        if body is not None:
            self.container(body, Scope(Blocks(self.document)))

    # --- lookups the inline collector shares -------------------------------------------------

    def misplaced(self, el: HtmlElement) -> NoReturn:
        """Stop at an element the writer cannot place here, saying why."""
        if el.tag not in SUPPORTED:
            raise MissionpressError(unsupported(el, self.template))
        where = f"{self.template}: <{el.tag}> at line {el.sourceline}"
        parent = el.getparent().tag
        if el.tag in PARENTS:
            raise MissionpressError(f"{where} must be inside {PARENTS[el.tag]}, not <{parent}>")
        raise MissionpressError(
            f"{where} cannot be inside <{parent}> in the Word writer "
            "(blocks go in sections and divs, text in blocks; lists hold only <li>)"
        )

    def lang(self, el: HtmlElement) -> str | None:
        value = (el.get("lang") or "").strip()
        return word_lang(value) if value else None

    def target(self, el: HtmlElement) -> str | None:
        """The bookmark name of an element some link points at."""
        return self.bookmarks.get(el.get("id") or "")

    def anchor(self, el: HtmlElement, id_: str) -> str:
        if id_ not in self.ids:
            raise MissionpressError(
                f'{self.template}: <a href="#{id_}"> at line {el.sourceline} points at no element '
                f'(give the target id="{id_}" or fix the link)'
            )
        return self.bookmarks[id_]

    # --- walking -------------------------------------------------------------------------------

    def flow(self, el: HtmlElement, scope: Scope) -> None:
        """Write the children of a block container; loose text makes anonymous paragraphs."""
        loose: list[Piece] = []
        for part in pieces(el):
            if isinstance(part, str) or not isinstance(part.tag, str) or part.tag in INLINE_TAGS:
                loose.append(part)
            elif part.tag not in HEAD_TAGS:
                self.anonymous(loose, scope)
                loose = []
                self.block(part, scope)
        self.anonymous(loose, scope)

    def block(self, el: HtmlElement, scope: Scope) -> None:
        names = classes(el)
        handler = next((self.class_handlers[c] for c in names if c in self.class_handlers), None)
        handler = handler or self.handlers.get(el.tag)
        if handler is None:
            self.misplaced(el)
        if NEW_PAGE in names:
            self.pending_break = True
        name = self.target(el)
        if name:
            self.pending_bookmarks.append(name)
        lang = self.lang(el)
        handler(el, replace(scope, fmt=replace(scope.fmt, lang=lang)) if lang else scope)
        if PAGE_BREAK in names:
            self.pending_break = True

    def anonymous(self, loose: list[Piece], scope: Scope) -> None:
        if not any(not isinstance(p, str) or p.strip(" \t\n\r\f") for p in loose):
            return
        items = collapse(self.inlines.collect(loose, scope.fmt))
        if visible(items):
            self.runs.write(self.body_paragraph(scope, None), items)
        else:
            self.pending_bookmarks += [i.name for i in items]  # type: ignore[union-attr]

    def paragraph(self, scope: Scope, style: str) -> Paragraph:
        """A new paragraph in ``style``, taking any pending page break and bookmarks."""
        paragraph = scope.out.paragraph()
        if style != "Normal":
            paragraph.style = style
        if self.pending_break:
            paragraph.paragraph_format.page_break_before = True
            self.pending_break = False
        for name in self.pending_bookmarks:
            self.runs.bookmark(paragraph, name)
        self.pending_bookmarks = []
        return paragraph

    def body_paragraph(self, scope: Scope, own: str | None) -> Paragraph:
        """A text paragraph: a list item's, else own class -> ancestor class -> Normal."""
        item = scope.item
        if item is None:
            return self.paragraph(scope, own or scope.style or "Normal")
        if not item.numbered:
            item.numbered = True
            paragraph = self.paragraph(scope, item.style)
            number(paragraph, item.num_id, item.ilvl)
            return paragraph
        paragraph = self.paragraph(scope, "List Continue")
        paragraph.paragraph_format.left_indent = Twips(continue_indent(item.ilvl))
        return paragraph

    def text_block(self, el: HtmlElement, paragraph: Paragraph, fmt: Fmt) -> None:
        self.runs.write(paragraph, collapse(self.inlines.content(el, fmt)))

    # --- block handlers ------------------------------------------------------------------------

    def container(self, el: HtmlElement, scope: Scope) -> None:
        self.flow(el, replace(scope, style=own_style(el) or scope.style))

    def heading(self, el: HtmlElement, scope: Scope) -> None:
        own = own_style(el)
        style = own if own in HEADING_CLASSES else HEADING_STYLES[el.tag]
        fmt = replace(scope.fmt, small=True) if "small" in classes(el) else scope.fmt
        self.text_block(el, self.paragraph(scope, style), fmt)

    def paragraph_element(self, el: HtmlElement, scope: Scope) -> None:
        self.text_block(el, self.body_paragraph(scope, own_style(el)), scope.fmt)

    def blockquote(self, el: HtmlElement, scope: Scope) -> None:
        self.flow(el, replace(scope, style=own_style(el) or "Quote"))

    def caption(self, el: HtmlElement, scope: Scope) -> None:
        self.text_block(el, self.paragraph(scope, own_style(el) or "Caption"), scope.fmt)

    def rule(self, el: HtmlElement, scope: Scope) -> None:
        """``<hr>``: an empty paragraph with a bottom border in the rule color."""
        paragraph = self.paragraph(scope, "Normal")
        ppr = paragraph._p.get_or_add_pPr()
        paragraph_border(ppr, "bottom", self.theme.colors.rule, eighths=6, space=1)

    def list(self, el: HtmlElement, scope: Scope) -> None:
        """``<ol>``/``<ul>``: a new numbering instance at level ``depth``, restarting its count."""
        if scope.depth >= LEVELS:
            raise MissionpressError(
                f"{self.template}: <{el.tag}> at line {el.sourceline} is nested deeper than "
                f"Word's {LEVELS} list levels"
            )
        ordered = el.tag == "ol"
        num_id = self.numbering.new_list("decimal" if ordered else "bullet", scope.depth, self._start(el))
        style = "List Number" if ordered else "List Bullet"
        for child in self.children(el):
            if child.tag != "li":
                self.misplaced(child)
            item = ListItem(num_id, scope.depth, style)
            self.block(child, replace(scope, item=item, depth=scope.depth + 1))

    def list_item(self, el: HtmlElement, scope: Scope) -> None:
        """``<li>``: its first paragraph carries the number (see :meth:`body_paragraph`)."""
        if el.getparent().tag not in ("ol", "ul"):
            self.misplaced(el)
        self.flow(el, scope)

    def _start(self, el: HtmlElement) -> int:
        value = el.get("start")
        if value is None:
            return 1
        if not re.fullmatch(r"\s*-?\d+\s*", value) or el.tag != "ol":
            raise MissionpressError(
                f'{self.template}: <{el.tag} start="{value}"> at line {el.sourceline}: '
                "start must be a whole number, on <ol> only"
            )
        return max(0, int(value))

    def table(self, el: HtmlElement, scope: Scope) -> None:
        rows, header = rows_and_header(el, self.children, self.misplaced)
        caption = el.find("caption")
        if caption is not None:
            self.caption(caption, scope)
        if not rows:
            return
        if self.pending_break:  # Word ignores "page break before" inside tables
            self.paragraph(scope, "Normal").add_run().add_break(WD_BREAK.PAGE)
        places, cols = grid(rows)
        table = scope.out.table(len(rows), cols)
        style_table(table, header)
        for r, c, rowspan, colspan, cell_el in places:
            cell = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            fmt = replace(scope.fmt, strong=True) if cell_el.tag == "th" else scope.fmt
            self.flow(cell_el, Scope(Blocks(cell), style=scope.style, fmt=fmt))

    def children(self, el: HtmlElement) -> Iterator[HtmlElement]:
        """The child elements of a list or table part, where loose text has no place."""
        texts = [el.text] + [child.tail for child in el]
        if any((text or "").strip() for text in texts):
            raise MissionpressError(
                f"{self.template}: <{el.tag}> at line {el.sourceline} holds text outside its items "
                f"(put it inside {'<li>' if el.tag in ('ol', 'ul') else '<td> or <th>'})"
            )
        return (child for child in el if isinstance(child.tag, str))
