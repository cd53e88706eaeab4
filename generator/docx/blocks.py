"""Writer: HTML -> DOCX, where blocks go and what ancestors pass down to them.

:class:`Blocks` hands out the next paragraph or table of the document body,
a table cell, or a header or footer part; :class:`Scope` carries the output,
inherited style and formatting, and list position down the walk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docx.document import Document
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from generator.docx.furniture import Story
from generator.docx.inline import Fmt


@dataclass
class ListItem:
    """The ``<li>`` being written: its first paragraph is numbered, later ones continue it."""

    num_id: int
    ilvl: int
    style: str
    numbered: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)  # the item's paragraphs, as written


class Blocks:
    """Where paragraphs and tables go: the document body, a table cell, a header or footer.

    ``width`` (points) is the width of a table in a header or footer, which python-docx needs.
    """

    def __init__(self, container: Document | _Cell | Story, width: float | None = None) -> None:
        self.container, self.width = container, width
        # A cell, header or footer starts with an empty paragraph (a cell gets one after a
        # table): fill it first.
        blank = not isinstance(container, Document)
        self._blank: Paragraph | None = container.paragraphs[0] if blank else None

    def paragraph(self) -> Paragraph:
        blank, self._blank = self._blank, None
        return blank if blank is not None else self.container.add_paragraph()

    def table(self, rows: int, cols: int) -> Table:
        if self._blank is not None:
            self._blank._p.getparent().remove(self._blank._p)
            self._blank = None
        if isinstance(self.container, Document | _Cell):
            table = self.container.add_table(rows, cols)
        else:
            table = self.container.add_table(rows, cols, Pt(self.width or 0))
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
    # The style sets of the containers around ("Vision" inside "Statement"), innermost first: a
    # paragraph takes the first set's style that the document defines ("Vision Text", else "Statement Text").
    variants: tuple[str, ...] = ()


Handler = Callable[[HtmlElement, Scope], None]  # writes one block of the walk
