"""Writer: HTML -> DOCX, ``<table>`` structure -> a Word table grid.

Rows are read in document order from ``thead``/``tbody``/``tfoot`` or the
table itself; ``colspan`` and ``rowspan`` are laid on a grid as a browser
does.  Header rows (those in a leading ``thead``, else a first row of only
``th`` cells) repeat on every page (``w:tblHeader``, python-docx #322) and get
the table style's first-row look.  Cell content is written by the walker,
which measures it (:mod:`generator.docx.widths`) for :func:`column_widths`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NoReturn

from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from lxml.html import HtmlElement

from generator.docx.ooxml import element
from generator.docx.styles import TABLE_STYLE

Place = tuple[int, int, int, int, HtmlElement]  # row, column, rowspan, colspan, cell
Extent = tuple[int, int, float, float]  # a cell's column, colspan, widest word and widest line (points)
MAX_SPAN = 1000
IGNORED = ("caption", "colgroup", "col")  # the caption is written before the table


def rows_and_header(
    table: HtmlElement,
    children: Callable[[HtmlElement], Iterator[HtmlElement]],
    fail: Callable[[HtmlElement], NoReturn],
) -> tuple[list[HtmlElement], int]:
    """The ``<tr>`` of a table in order, and how many leading rows are header rows."""
    rows: list[HtmlElement] = []
    header = 0
    for child in children(table):
        if child.tag in ("thead", "tbody", "tfoot"):
            group = list(children(child))
            if child.tag == "thead" and not rows:
                header = len(group)
            rows += group
        elif child.tag == "tr":
            rows.append(child)
        elif child.tag not in IGNORED:
            fail(child)
    for tr in rows:
        if tr.tag != "tr":
            fail(tr)
        for cell in children(tr):
            if cell.tag not in ("td", "th"):
                fail(cell)
    if not header and rows and all(cell.tag == "th" for cell in children(rows[0])):
        header = 1
    return rows, header


def _span(cell: HtmlElement, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def grid(rows: list[HtmlElement]) -> tuple[list[Place], int]:
    """Where each cell sits in the table grid, and the number of columns."""
    taken: set[tuple[int, int]] = set()
    places: list[Place] = []
    for r, tr in enumerate(rows):
        c = 0
        for cell in (child for child in tr if isinstance(child.tag, str)):
            while (r, c) in taken:
                c += 1
            rowspan, colspan = min(_span(cell, "rowspan"), len(rows) - r), _span(cell, "colspan")
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            places.append((r, c, rowspan, colspan, cell))
            c += colspan
    return places, max((c for _, c in taken), default=0) + 1


def style_table(table: Table, header: int) -> None:
    """The theme's table style; the first ``header`` rows repeat on each page; no row splits
    across pages (as the PDF's ``break-inside: avoid`` on tables keeps a row whole)."""
    table.style = TABLE_STYLE
    _look(table, header=header > 0)
    for n, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        later = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
        trpr.insert_element_before(element("w:cantSplit"), "w:trHeight", "w:tblHeader", *later)
        if n < header:
            trpr.insert_element_before(element("w:tblHeader"), *later)


def column_widths(extents: list[Extent], cols: int, width: float, pad: float) -> list[float]:
    """Column widths (points) filling ``width`` as a browser's automatic table layout does:
    every column gets its longest word, the rest is shared in proportion to how much more
    each column's longest line needs.  ``extents`` are the measured cells (:class:`Extent`),
    ``pad`` the room a cell's margins and rules take from its width."""
    least, most = [pad] * cols, [pad] * cols
    for c, colspan, word, line in extents:
        if colspan == 1:
            least[c] = max(least[c], pad + word)
            most[c] = max(most[c], pad + line)
    if sum(most) <= width:
        widths = [m * width / sum(most) for m in most]
    else:
        spare, wants = max(0.0, width - sum(least)), [m - a for m, a in zip(most, least, strict=True)]
        widths = [a + spare * w / (sum(wants) or 1.0) for a, w in zip(least, wants, strict=True)]
    return [width * w / sum(widths) for w in widths]


def set_widths(table: Table, widths: list[float]) -> None:
    """Fixed column widths in the grid and every cell (Word reads the cells, LibreOffice the grid)."""
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Pt(w)
        for cell in col.cells:
            cell.width = Pt(w)


def _look(table: Table, *, header: bool) -> None:
    """First-row look of the style on or off; no banding, no first-column look."""
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = element("w:tblLook")
        tbl_pr.append(look)
    flags = {"firstRow": header, "lastRow": False, "firstColumn": False, "lastColumn": False,
             "noHBand": True, "noVBand": True}
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")
    look.set(qn("w:val"), f"{(0x20 if header else 0) | 0x600:04X}")
