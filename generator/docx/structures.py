"""Writer: HTML -> DOCX, lists and tables: the block structures with items.

The :class:`Structures` part of the walker (:class:`generator.docx.writer.Writer`
is built on it).  ``<ol>``/``<ul>`` get real Word numbering
(:mod:`generator.docx.numbering`), restarting per list; a list of at most
:data:`SHORT_LIST` items keeps together on a page.  Classes change a list:
``goals`` (an ``<ol>``) numbers in bold accent color on the poster, ``tasks`` (a ``<ul>``)
makes checkboxes (:mod:`generator.docx.forms`), ``inline`` (a ``<ul>``) sets
the items in one row, ``core-values`` features the items.  Tables get the
theme's table style, column widths as a browser sets them from the written
cells measured in the embedded fonts (:mod:`generator.docx.widths`), and stay
whole on a page as the PDF keeps them (:mod:`generator.docx.tables`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import NoReturn

from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml.html import Element, HtmlElement

from generator.content.theme import Theme
from generator.docx.blocks import Blocks, ListItem, Scope
from generator.docx.forms import checkbox
from generator.docx.html import FEATURED, HEAD_TAGS, INLINE_LIST, TASKS
from generator.docx.inline import Inlines, Piece, Runs, classes, collapse, pieces
from generator.docx.numbering import LEVELS, Numbering
from generator.docx.numbering import Kind as NumberKind
from generator.docx.rows import GAP, cell_widths, layout_row
from generator.docx.styles import CELL_PADDING, TABLE_RULE
from generator.docx.tables import Extent, column_widths, grid, rows_and_header, set_widths, style_table
from generator.docx.widths import Widths
from generator.errors import MissionpressError

CHAR = 0.5  # an average character's width, in ems (for a picture's caption in a row)
SHORT_LIST = 8  # a list of at most this many items stays on one page
VALUE_ITEMS = "core-values"  # <ul class="core-values">: the values as featured list items
INLINE_GAP = "\u2003 "  # between the items of an inline list


def keep_together(paragraphs: list[Paragraph]) -> None:
    """Every paragraph but the last keeps with the next, so they share a page."""
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True


class Structures:
    """Lists and tables; the walker supplies the attributes and methods declared here."""

    document: Document
    theme: Theme
    numbering: Numbering
    runs: Runs
    inlines: Inlines
    text_width: float
    widths: Widths  # measures written text in the document's faces
    row_widths: list[list[float]]  # the cells' widths of the rows to come, as laid out (may be none)
    scale: float
    kind: str
    pending_break: bool
    pending_page: bool
    balancing: bool  # in balanced columns, where a list's items move from column to column
    control_ids: itertools.count[int]

    def block(self, el: HtmlElement, scope: Scope) -> None:
        raise NotImplementedError

    def flow(self, el: HtmlElement, scope: Scope) -> None:
        raise NotImplementedError

    def paragraph(self, scope: Scope, style: str) -> Paragraph:
        raise NotImplementedError

    def caption(self, el: HtmlElement, scope: Scope) -> None:
        raise NotImplementedError

    def misplaced(self, el: HtmlElement) -> NoReturn:
        raise NotImplementedError

    def at(self, el: HtmlElement) -> str:
        """The template file and line that wrote ``el``."""
        raise NotImplementedError

    def list(self, el: HtmlElement, scope: Scope) -> None:
        """``<ol>``/``<ul>``: a new numbering instance at level ``depth``, restarting its count."""
        if scope.depth >= LEVELS:
            raise MissionpressError(
                f"{self.at(el)}: <{el.tag}> is nested deeper than "
                f"Word's {LEVELS} list levels"
            )
        names = classes(el)
        if INLINE_LIST in names and el.tag == "ul":
            self.inline_list(el, scope)
            return
        ordered = el.tag == "ol"
        tasks = TASKS in names and not ordered
        # The goals' numbers are featured where the stylesheet features them (the poster's).
        featured = FEATURED & set(names) and self.kind == "poster"
        kind: NumberKind = ("featured" if featured else "decimal") if ordered else "bullet"
        num_id = 0 if tasks else self.numbering.new_list(kind, scope.depth, self._start(el))
        style = ("Checklist" if tasks else "List Number" if ordered
                 else "Value Item" if VALUE_ITEMS in names else "List Bullet")
        items: list[ListItem] = []
        for child in self.children(el):
            if child.tag != "li":
                self.misplaced(child)
            item = ListItem(num_id, scope.depth, style)
            items.append(item)
            self.block(child, replace(scope, item=item, depth=scope.depth + 1))
            if tasks and item.paragraphs and child.find(".//input") is None:  # else the input is its box
                checkbox(item.paragraphs[0], next(self.control_ids))
        if len(items) <= SHORT_LIST and not self.balancing:
            keep_together([p for item in items for p in item.paragraphs])
        if self.balancing:  # a column breaks between items, never inside one (break-inside: avoid)
            for paragraph in (p for item in items for p in item.paragraphs):
                paragraph.paragraph_format.keep_together = True
        if tasks and items and items[0].paragraphs and items[-1].paragraphs:
            # The list's margins (1em above and below, the paragraph before gives 0.6em of it).
            body = self.theme.sizes.body
            items[0].paragraphs[0].paragraph_format.space_before = Pt(0.7 * body)
            items[-1].paragraphs[-1].paragraph_format.space_after = Pt(1.2 * body)

    def inline_list(self, el: HtmlElement, scope: Scope) -> None:
        """``<ul class="inline">``: the items in one paragraph, as the PDF's row.

        An item of class ``row-end`` ends a row: the next item starts a new line, so
        balanced rows (4 + 3) stay balanced instead of wrapping where Word likes.
        """
        items: list[Piece] = []
        row_end = False
        for n, li in enumerate(self.children(el)):
            if li.tag != "li":
                self.misplaced(li)
            if n:
                items.append(Element("br") if row_end else INLINE_GAP)
            items.extend(pieces(li))
            row_end = "row-end" in classes(li)
        paragraph = self.paragraph(scope, "Value List")
        self.runs.write(paragraph, collapse(self.inlines.collect(items, scope.fmt)))

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
                f'{self.at(el)}: <{el.tag} start="{value}">: '
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
        elif self.pending_page:  # the table starts a page of the PDF: a 1 pt paragraph takes the break
            self.paragraph(scope, "Section Break")
        places, cols = grid(rows)
        table = scope.out.table(len(rows), cols)
        style_table(table, header)
        top = scope.out.container is self.document  # a table in a cell takes the width it is given
        extents: list[Extent] = []
        for r, c, rowspan, colspan, cell_el in places:
            cell = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            fmt = replace(scope.fmt, strong=True) if cell_el.tag == "th" else scope.fmt
            self.flow(cell_el, Scope(Blocks(cell), style=scope.style, fmt=fmt))
            if cell.paragraphs:  # no paragraph's space under a cell's text (the PDF's cells have none)
                cell.paragraphs[-1].paragraph_format.space_after = Pt(0)
            if top:  # the first row takes the table style's bold where its text says nothing
                extents.append((c, colspan, *self.widths.extent(cell.paragraphs, bold=r == 0 and header > 0)))
        if top:
            pad = 2 * CELL_PADDING[1] * self.theme.sizes.body + TABLE_RULE / 8
            set_widths(table, column_widths(extents, cols, self.text_width, pad))
            last = table.rows[-1].cells[0].paragraphs[:1]
            keep_together([p for row in table.rows[:-1] for cell in row.cells for p in cell.paragraphs] + last)

    def row(self, el: HtmlElement, scope: Scope) -> None:
        """``.row``: the child blocks side by side, a cell each of a borderless one-row table."""
        if (el.text or "").strip() or any((child.tail or "").strip() for child in el):
            raise MissionpressError(
                f'{self.at(el)}: <{el.tag} class="row"> holds text outside '
                "its blocks (put it inside a <p> or <div>)"
            )
        cells = [child for child in el if isinstance(child.tag, str) and child.tag not in HEAD_TAGS]
        if not cells:
            return
        width = self.text_width if scope.out.container is self.document else (scope.out.width or self.text_width)
        gap = GAP * self.theme.sizes.body * self.scale
        table = scope.out.table(1, len(cells))
        laid_out = self.row_widths.pop(0) if self.row_widths else []  # the layout the type is fitted to
        widths = laid_out if len(laid_out) == len(cells) else cell_widths(cells, width, gap,
                                                                          CHAR * self.theme.sizes.small * self.scale)
        layout_row(table, widths, gap)
        for cell, child in zip(table.rows[0].cells, cells, strict=True):
            self.block(child, Scope(Blocks(cell), style=scope.style, fmt=scope.fmt))
            if self.kind == "poster" and cell.paragraphs:  # the poster's footer ends at its text, as the PDF's
                cell.paragraphs[-1].paragraph_format.space_after = Pt(0)

    def children(self, el: HtmlElement) -> Iterator[HtmlElement]:
        """The child elements of a list or table part, where loose text has no place."""
        texts = [el.text] + [child.tail for child in el]
        if any((text or "").strip() for text in texts):
            raise MissionpressError(
                f"{self.at(el)}: <{el.tag}> holds text outside its items "
                f"(put it inside {'<li>' if el.tag in ('ol', 'ul') else '<td> or <th>'})"
            )
        return (child for child in el if isinstance(child.tag, str))
