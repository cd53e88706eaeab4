"""Writer: HTML -> DOCX, ``<table>`` structure -> a Word table grid.

Rows are read in document order from ``thead``/``tbody``/``tfoot`` or the
table itself; ``colspan`` and ``rowspan`` are laid on a grid as a browser
does.  Header rows (those in a leading ``thead``, else a first row of only
``th`` cells) repeat on every page (``w:tblHeader``, python-docx #322) and get
the table style's first-row look.  Cell content is written by the walker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NoReturn

from docx.oxml.ns import qn
from docx.table import Table
from lxml.html import HtmlElement

from generator.docx.ooxml import element
from generator.docx.styles import TABLE_STYLE

Place = tuple[int, int, int, int, HtmlElement]  # row, column, rowspan, colspan, cell
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
    """The theme's table style; the first ``header`` rows repeat on each page."""
    table.style = TABLE_STYLE
    _look(table, header=header > 0)
    for row in table.rows[:header]:
        trpr = row._tr.get_or_add_trPr()
        trpr.insert_element_before(
            element("w:tblHeader"), "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"
        )


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
