"""Writer: HTML -> DOCX, the showcase poster's own structures (templates/poster-showcase.html).

The :class:`Showcase` part of the walker (:class:`generator.docx.writer.Writer` is
built on it), for a document of kind ``showcase``.  What its stylesheet draws
with boxes, Word draws with tables, each in a named style's colours:

- the title band (``header.masthead``): a one-cell table shaded in the primary
  colour from page edge to page edge (the page's top margin is the cell's
  padding, as the PDF's band steps back over the margin), the organization,
  title and translations in white;
- the goals (``ol.goals``): tiles ``tiles-N`` to a row, as the PDF's,
  each a cell with a rule on top, the goal a numbered item whose large number
  hangs in the tile's margin (one Word list: the numbers run on from tile to tile);
- the core values (``ul.core-values``): tiles in balanced rows, cells shaded in
  the accent colour, white gaps between them, a short row centred;
- the footer band (``footer.brand``): the page footer, a table from edge to edge
  with the primary rule on top: logo, organization, QR code and its label beside
  it, at the foot of the page whatever space the text leaves (as the PDF places it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import NoReturn

from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from generator.content.pages import Page
from generator.content.theme import Theme
from generator.docx.blocks import Blocks, ListItem, Scope
from generator.docx.faces import Face
from generator.docx.furniture import Furniture
from generator.docx.html import BRAND, FEATURED, SHOWCASE, TILES
from generator.docx.images import EMU_PER_POINT, Image
from generator.docx.inline import Fmt, Inlines, Runs, classes, collapse
from generator.docx.numbering import Numbering
from generator.docx.ooxml import element
from generator.docx.widths import advance
from generator.render.artwork import poster_qr_side

# A goal tile (ol.goals li): the margin its number stands in, and its right padding, in ems (one language,
# two); the number is the h1 size (h2 for two languages).  A cell holds the PDF's tile and the gap after
# it (0.05em more than the margin): its line is that much longer than the PDF's, never shorter, so a
# line the PDF's tile holds Word's holds too (a tied "community-wide solutions" is not cut).
TILE_INDENT = {False: 2.6, True: 2.0}
TILE_RIGHT = {False: 1.1, True: 0.9}
TILES_PER_ROW = re.compile(r"tiles-(\d+)")
TILE_RULE = 2.0  # points (times the scale) of the rule over a goal tile
VALUE_GAP = 0.35  # ems between the core value tiles
BAND_RULE = 3.0  # points (times the scale) of the footer band's rule
BAND_INSET = 0.6  # of the page margin: the bands' own margin above and below (templates/css/poster-showcase.css)
LABEL_SLACK = 1.04  # the footer band's label cell: this much wider than its longest line
PER_ROW = re.compile(r"per-row-(\d+)")
FIT = re.compile(r"fit-(\d+)")  # the core values' type in tenths of its size (templates/poster-showcase.html)
TC_PR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
               "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
TBL_PR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def tile_indent(kind: str) -> float:
    """The goal tile's margin its number stands in, in ems of the body size, in a document of ``kind``."""
    return TILE_INDENT["bilingual" in kind.split()]


def tile_number(theme: Theme, kind: str) -> float:
    """The size (points, before the scale) of a goal tile's number in a document of ``kind``."""
    return theme.sizes.h2 if "bilingual" in kind.split() else theme.sizes.h1


def _borders(parent: str, **sides: tuple[str, float] | None) -> object:
    """A ``w:tblBorders``/``w:tcBorders`` of (colour, points) per side; ``None`` draws no line."""
    borders = element(parent)
    for side, line in sides.items():
        if line is None:
            borders.append(element(f"w:{side}", val="nil"))
        else:
            color, points = line
            borders.append(element(f"w:{side}", val="single", sz=str(max(2, round(points * 8))), space="0",
                                   color=color.lstrip("#").upper()))
    return borders


def _cell_props(cell: _Cell, *, fill: str | None = None, top: tuple[str, float] | None = None,
                margins: dict[str, float] | None = None) -> None:
    """A cell's shading, rule on top and padding (points)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    if top is not None:
        tc_pr.insert_element_before(_borders("w:tcBorders", top=top), *TC_PR_ORDER[6:])
    if fill is not None:
        tc_pr.insert_element_before(element("w:shd", val="clear", color="auto", fill=fill.lstrip("#").upper()),
                                    *TC_PR_ORDER[7:])
    if margins:
        mar = element("w:tcMar")
        for side in ("top", "left", "bottom", "right"):
            if side in margins:
                mar.append(element(f"w:{side}", w=str(round(margins[side] * 20)), type="dxa"))
        tc_pr.insert_element_before(mar, *TC_PR_ORDER[9:])


def _layout_table(table: Table, widths: list[float], *, indent: float = 0.0,
                  borders: dict[str, tuple[str, float] | None] | None = None) -> None:
    """A layout table: the "Layout Row" style (no borders, no padding), fixed column widths,
    ``indent`` points from the margin (negative: into it), and its own ``borders``."""
    table.style = "Layout Row"
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(element("w:tblInd", w=str(round(indent * 20)), type="dxa"),
                                 "w:tblBorders", *TBL_PR_AFTER_BORDERS)
    if borders:
        tbl_pr.insert_element_before(_borders("w:tblBorders", **borders), *TBL_PR_AFTER_BORDERS)
    grid = [w for w in widths]
    for column, width in zip(table.columns, grid, strict=True):
        column.width = Pt(width)
    for row in table.rows:
        row._tr.get_or_add_trPr().insert_element_before(element("w:cantSplit"), "w:trHeight", "w:tblHeader",
                                                         "w:tblCellSpacing", "w:jc", "w:hidden")
        for cell in row.cells:
            cell.width = Pt(sum(grid[i] for i in _grid_span(table, cell)))


def _grid_span(table: Table, cell: _Cell) -> range:
    """The grid columns a cell covers."""
    row = next(r for r in table.rows if cell._tc.getparent() is r._tr)
    start = 0
    for tc in row._tr.tc_lst:
        if tc is cell._tc:
            return range(start, start + tc.grid_span)
        start += tc.grid_span
    return range(0)


class Showcase:
    """The showcase poster's title band, tiles and footer band; the walker supplies the rest."""

    document: Document
    theme: Theme
    page: Page
    kind: str
    scale: float
    text_width: float
    numbering: Numbering
    furniture: Furniture
    inlines: Inlines
    runs: Runs
    made: list[Paragraph]
    column: int
    column_widths: list[float]

    # The walker's own (annotations only: the walker's methods are found first).
    block: Callable[[HtmlElement, Scope], None]
    flow: Callable[[HtmlElement, Scope], None]
    paragraph: Callable[[Scope, str], Paragraph]
    misplaced: Callable[[HtmlElement], NoReturn]
    children: Callable[[HtmlElement], Iterator[HtmlElement]]

    def list(self, el: HtmlElement, scope: Scope) -> None:
        """The goals and the core values as tiles; any other list as a list."""
        names, showcase = classes(el), self.kind.startswith(SHOWCASE)
        if showcase and el.tag == "ol" and FEATURED & set(names):
            self.goal_tiles(el, scope)
        elif showcase and el.tag == "ul" and TILES in names:
            self.value_tiles(el, scope)
        else:
            super().list(el, scope)  # type: ignore[misc]

    def band_picture(self, image: Image, el: HtmlElement) -> Image:
        """A picture of the footer band at the band's size: the QR code as tall as the band,
        the logo at the theme's logo height (four fifths of it on a landscape page)."""
        if BRAND not in {name for parent in el.iterancestors() for name in classes(parent)}:
            return image
        names = classes(el)
        if "qr" in names:
            side = round(self.footer_height * EMU_PER_POINT)
            return replace(image, width=side, height=side)
        if "logo" in names:
            factor = self.scale * (0.8 if self.page.landscape else 1.0)
            return replace(image, width=round(image.width * factor), height=round(image.height * factor))
        return image

    @property
    def footer_height(self) -> float:
        """The footer band's height (--footer): the QR code's side, from the page (not the fitted type)."""
        return poster_qr_side(self.page)

    @property
    def band_inset(self) -> float:
        """The bands' margin from the page edge above and below (the PDF's page margin there)."""
        return BAND_INSET * self.page.margin

    @property
    def em(self) -> float:
        return self.theme.sizes.body * self.scale

    @property
    def bilingual(self) -> bool:
        return "bilingual" in self.kind.split()

    @property
    def margin(self) -> float:
        return self.page.margin

    def column_width(self, scope: Scope) -> float:
        """The width a table in ``scope`` has: a column's in the bilingual poster, else the text's."""
        if scope.out.container is self.document and self.bilingual:
            if self.column < len(self.column_widths):  # each language's column as wide as its share
                return self.column_widths[self.column]
            return (self.text_width - 2.4 * self.em) / 2  # .edition padding 1.2em either side of the rule
        return self.text_width

    def setup_page(self) -> None:
        """The page's top edge is the title band's, its bottom edge the footer band's."""
        section = self.document.sections[0]
        section.top_margin = section.header_distance = section.footer_distance = Pt(0)
        self.furniture.story("footer")  # in every section the columns copy from this one

    def title_band(self, el: HtmlElement, scope: Scope) -> None:
        """``header.masthead``: a cell shaded in the primary colour from edge to edge of the page."""
        table = scope.out.table(1, 1)
        _layout_table(table, [self.page.width], indent=-self.margin)
        bottom = (0.5 if self.bilingual and self.page.landscape else 0.9) * self.em
        _cell_props(table.cell(0, 0), fill=self.theme.colors.primary,
                    margins={"top": self.band_inset, "left": self.margin, "right": self.margin, "bottom": bottom})
        self.flow(el, Scope(Blocks(table.cell(0, 0)), style=scope.style, fmt=scope.fmt))
        # What follows stands under the band; a paragraph of its own ends the band's section
        # (the bilingual poster's columns start after it).
        self.made.append(self.paragraph(scope, "Band Gap"))

    def goal_tiles(self, el: HtmlElement, scope: Scope) -> None:
        """``ol.goals``: numbered tiles, a rule over each, ``tiles-N`` to a row."""
        items = list(self.children(el))
        if any(li.tag != "li" for li in items):
            self.misplaced(next(li for li in items if li.tag != "li"))
        per_row = next((int(m.group(1)) for c in classes(el) if (m := TILES_PER_ROW.fullmatch(c))), 3)
        table = scope.out.table(max(1, math.ceil(len(items) / per_row)), per_row)
        width = self.column_width(scope)
        _layout_table(table, [width / per_row] * per_row)
        num_id = self.numbering.new_list("tile", 0)
        rule = (self.theme.colors.rule, TILE_RULE * self.scale)
        for n, li in enumerate(items):
            cell = table.cell(n // per_row, n % per_row)
            _cell_props(cell, top=rule, margins={"right": TILE_RIGHT[self.bilingual] * self.em})
            item = ListItem(num_id, 0, "Goal Tile")
            self.block(li, replace(scope, out=Blocks(cell), item=item, depth=1))

    def value_tiles(self, el: HtmlElement, scope: Scope) -> None:
        """``ul.core-values``: tiles shaded in the accent colour, ``per-row-N`` to a row, a short row centred."""
        items = list(self.children(el))
        per_row = next((int(m.group(1)) for c in classes(el) if (m := PER_ROW.fullmatch(c))), 4)
        rows = [items[i:i + per_row] for i in range(0, len(items), per_row)]
        if not rows:
            return
        fit = next((int(m.group(1)) for c in classes(el) if (m := FIT.fullmatch(c))), 10)  # tenths of the type
        size = (self.theme.sizes.body if self.bilingual else self.theme.sizes.h3) * self.scale
        gap = VALUE_GAP * size
        size *= fit / 10
        table = scope.out.table(len(rows), 2 * per_row)  # a tile spans two grid columns: a short row is centred
        width = self.column_width(scope)
        white = (self.theme.colors.background, gap)
        _layout_table(table, [width / per_row / 2] * (2 * per_row), borders={
            "top": None, "left": None, "bottom": None, "right": None, "insideH": white, "insideV": white})
        for r, row in enumerate(rows):
            offset = per_row - len(row)  # grid columns left blank on either side
            cells = table.rows[r].cells
            spans = ([(0, offset)] if offset else []) + [(offset + 2 * i, 2) for i in range(len(row))] \
                + ([(offset + 2 * len(row), offset)] if offset else [])
            merged = [cells[start].merge(cells[start + count - 1]) if count > 1 else cells[start]
                      for start, count in spans]
            tiles = merged[1:-1] if offset else merged
            for cell, li in zip(tiles, row, strict=True):
                if li.tag != "li":
                    self.misplaced(li)
                _cell_props(cell, fill=self.theme.colors.accent,
                            margins={"top": 0.45 * size, "bottom": 0.45 * size, "left": 0.2 * size,
                                     "right": 0.2 * size})
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = self.paragraph(replace(scope, out=Blocks(cell)), "Value Tile")
                self.runs.write(paragraph, collapse(self.inlines.content(li, scope.fmt)))
                if fit < 10:  # type made smaller so that the longest word fits whole (class fit-N)
                    for run in paragraph.runs:
                        run.font.size = Pt(round(size * 2) / 2)
        for row in table.rows:
            for cell in row.cells:
                cell.width = Pt(sum(width / per_row / 2 for _ in _grid_span(table, cell)))

    def footer_band(self, el: HtmlElement, scope: Scope) -> None:
        """``footer.brand``: the page footer, a band from edge to edge: logo, organization, QR code, label."""
        story = self.furniture.story("footer")
        blocks = Blocks(story, self.page.width)
        height = self.footer_height
        logo = next((img for img in el if img.tag == "img" and "logo" in classes(img)), None)
        organization = next((p for p in el if p.tag == "p"), None)
        link = next((div for div in el if div.tag == "div"), None)
        qr = next(link.iter("img"), None) if link is not None else None
        label = next(link.iter("p"), None) if link is not None else None
        parts: list[tuple[HtmlElement | None, float]] = []
        if logo is not None:
            parts.append((logo, 0.0))
        parts.append((organization, 0.0))
        if qr is not None:
            parts.append((qr, height))
        if label is not None:
            parts.append((label, self._label_width(label)))
        table = blocks.table(1, len(parts))
        story.add_paragraph().style = "Section Break"  # a story ends in a paragraph
        pictures = {id(p): self._picture_width(p, height) for p, _ in parts if p is not None and p.tag == "img"}
        gap = self.em
        widths = [pictures.get(id(p), w) for p, w in parts]
        flexible = [n for n, (p, _) in enumerate(parts) if p is organization]
        fixed = sum(w for n, w in enumerate(widths) if n not in flexible)
        gaps = gap * (len(parts) - 1) + 2 * self.margin
        for n in flexible:
            widths[n] = max(self.page.width - gaps - fixed, 0.0)
        widths = [w + (gap if n < len(parts) - 1 else 0.0) for n, w in enumerate(widths)]
        widths[0] += self.margin
        widths[-1] += self.margin
        _layout_table(table, widths, indent=-self.margin,
                      borders={"top": (self.theme.colors.primary, BAND_RULE * self.scale)})
        for n, (cell, (part, _)) in enumerate(zip(table.rows[0].cells, parts, strict=True)):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _cell_props(cell, margins={"top": 0.6 * self.em, "bottom": self.band_inset,
                                       "left": self.margin if n == 0 else 0.0,
                                       "right": self.margin if n == len(parts) - 1 else gap})
            if part is None:
                continue
            inner = Scope(Blocks(cell), fmt=scope.fmt)
            if part.tag == "img":
                paragraph = self.paragraph(inner, "Band Small")
                self.runs.write(paragraph, collapse(self.inlines.collect([part], Fmt())))
            elif part is organization:
                self.runs.write(self.paragraph(inner, "Organization"), collapse(self.inlines.content(part, scope.fmt)))
            else:
                self.runs.write(self.paragraph(inner, "Band Small"), collapse(self.inlines.content(part, scope.fmt)))

    def _label_width(self, label: HtmlElement) -> float:
        """The width in points of the code's label: its longest line at its size ("Band Small", on Word's
        half points), as the PDF's label stands at its own width beside the code, and a little more."""
        size = round(self.theme.sizes.small * self.scale * 2) / 2
        face = Face(self.theme.fonts.body)
        return max((advance(line.strip(), face, size) for line in _lines(label)), default=0.0) * LABEL_SLACK

    def _picture_width(self, img: HtmlElement, height: float) -> float:
        """The width in points of a band's picture: the QR code as tall as the band, the logo as set."""
        if "qr" in classes(img):
            return height
        return self.inlines.picture(img).width / EMU_PER_POINT  # sized for the band already (band_picture)


def _lines(p: HtmlElement) -> list[str]:
    """The lines of a paragraph broken by ``<br>``."""
    text = "".join((child.text_content() if child.tag != "br" else "\n") + (child.tail or "") for child in p)
    return [line for line in ((p.text or "") + text).split("\n") if line.strip()]
