"""Writer: HTML -> DOCX, ``<... class="row">`` -> one row of a borderless layout table.

The PDF sets such a container as a flex row (the poster's footer: each
language's core values, then the QR code).  Word's own way to keep blocks
side by side on one line of the page is a table without borders: one row,
a cell per child block, a row that does not split.  Section columns would
flow one block into the next column instead, and stack where there is no room.

A cell that shows a picture is as wide as its picture (or its longest word),
as the PDF's ``flex: none``; the other cells share the rest equally (``flex: 1``).
The gap between cells is the right margin of each cell but the last.  The
"Layout Row" table style carries what the CSS gives the row: no borders and,
on the poster, the rule above it and the space under that rule.
"""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.table import Table
from lxml.html import HtmlElement

from generator.content.pages import PX
from generator.content.theme import Theme
from generator.docx.ooxml import element

ROW_STYLE = "Layout Row"
ROW_STYLE_ID = "LayoutRow"
GAP = 1.2  # ems between cells (templates/css/poster.css: footer.core-values { gap: 1.2em })
TC_MAR_SUCCESSORS = ("w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
                     "w:cellDel", "w:cellMerge", "w:tcPrChange")


def picture_width(el: HtmlElement) -> float | None:
    """The width in points of the widest ``<img width>`` inside ``el``, if it holds one."""
    widths = [float(img.get("width")) for img in el.iter("img")
              if (img.get("width") or "").replace(".", "", 1).isdigit()]
    return max(widths) * PX if widths else None


def cell_widths(cells: list[HtmlElement], width: float, gap: float, char: float) -> list[float]:
    """Widths (points, each but the last including ``gap``) of the cells of a row ``width`` wide.

    ``char`` is the width of an average character of a picture's caption.
    """
    fixed: dict[int, float] = {}
    for n, cell in enumerate(cells):
        picture = picture_width(cell)
        if picture is not None:
            longest = max((len(w) for w in cell.text_content().split()), default=0)
            fixed[n] = max(picture, longest * char)
    flexible = len(cells) - len(fixed)
    room = width - gap * (len(cells) - 1) - sum(fixed.values())
    share = room / flexible if flexible else 0.0
    widths = [fixed.get(n, share) for n in range(len(cells))]
    if not flexible:  # only pictures: the spare room goes to the last cell
        widths[-1] += room
    return [w + (gap if n < len(cells) - 1 else 0.0) for n, w in enumerate(widths)]


def layout_row(table: Table, widths: list[float], gap: float) -> None:
    """A one-row table as a layout: the row style, fixed widths, the gap, centred vertically."""
    table.style = ROW_STYLE
    table.autofit = False
    (row,) = table.rows
    trpr = row._tr.get_or_add_trPr()
    trpr.insert_element_before(element("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc",
                               "w:hidden", "w:ins", "w:del", "w:trPrChange")
    for n, (column, cell) in enumerate(zip(table.columns, row.cells, strict=True)):
        column.width = cell.width = Pt(widths[n])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if n < len(widths) - 1:
            margins = element("w:tcMar")
            margins.append(element("w:right", w=str(round(gap * 20)), type="dxa"))
            cell._tc.get_or_add_tcPr().insert_element_before(margins, *TC_MAR_SUCCESSORS)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:  # no header row, banding or first-column look
        table._tbl.tblPr.remove(look)


def row_style_xml(theme: Theme, kind: str, scale: float) -> str:
    """The "Layout Row" table style: no borders, no cell padding; on the poster the rule above
    the row (``.core-values { border-top: 1.5pt; padding-top: 0.6em }``)."""
    top, pad = '<w:top w:val="nil"/>', 0
    if kind == "poster":
        rule = theme.colors.rule.lstrip("#").upper()
        top = f'<w:top w:val="single" w:sz="{max(2, round(1.5 * scale * 8))}" w:space="0" w:color="{rule}"/>'
        pad = round(0.6 * theme.sizes.body * scale * 20)
    none = "".join(f'<w:{side} w:val="nil"/>' for side in ("left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{side} w:w="{w}" w:type="dxa"/>'
                      for side, w in (("top", pad), ("left", 0), ("bottom", 0), ("right", 0)))
    return (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="{ROW_STYLE_ID}">'
        f'<w:name w:val="{ROW_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{top}{none}'
        f"</w:tblBorders><w:tblCellMar>{margins}</w:tblCellMar></w:tblPr></w:style>"
    )
