"""Writer: HTML -> DOCX, how wide running text sets: side-by-side columns, balanced columns, the measure.

The :class:`Columns` part of the walker (:class:`generator.docx.writer.Writer`
is built on it).  Each of these becomes a Word section of its own
(:mod:`generator.docx.sections`):

- ``<... class="columns">`` (the poster's languages side by side, its two
  columns on a landscape page, the showcase's languages): each child block
  a column, a column break between them, a line between the columns when
  each column is a language; a child's ``data-share`` is its share of the
  width, and its ``data-columns`` how many columns it flows through, broken
  where the layout the type was fitted to breaks them (:meth:`Columns.columns`);
- ``<... class="balanced-N">``: the block's text flows through N columns of
  a continuous section, which Word (and LibreOffice) balance so that the
  columns end together, as the PDF's (:meth:`Columns.balanced`).

Running text is held to the PDF's measure (:meth:`Columns.to_measure`,
:func:`generator.docx.pagination.measure`): a paragraph or list item of a
handbook chapter or a packet's letter is no wider than its stylesheet's
``max-width``.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from generator.content.theme import Theme
from generator.docx.blocks import Handler, Scope
from generator.docx.html import BALANCED, HEAD_TAGS, SHOWCASE
from generator.docx.inline import classes
from generator.docx.looks import Look
from generator.docx.numbering import INDENT
from generator.docx.pagination import measure, measured
from generator.docx.sections import end_columns, last_columns, start_columns

COLUMN_GAP = 2.5  # ems between the poster's columns
LANGUAGE_GAP, RULE_PAD = 2.0, 1.0  # ems between the poster's languages, and from the rule to the second's text
FLOW_GAP = 1.6  # ems between the columns of one language beside another (poster.css)
SHOWCASE_GAP = 1.6  # ems between the showcase's columns of running text


class Columns:
    """Side-by-side and balanced columns, and the measure; the walker supplies the rest."""

    document: Document
    theme: Theme
    kind: str
    scale: float
    text_width: float
    styles: dict[str, Look]
    made: list[Paragraph]
    pending_column: bool
    balancing: bool
    column: int
    column_widths: list[float]

    # The walker's own (annotations only: the walker's methods are found first).
    block: Callable[[HtmlElement, Scope], None]
    section_end: Callable[[Scope], Paragraph]

    @property
    def bilingual(self) -> bool:
        """The showcase's languages side by side (:class:`generator.docx.showcase.Showcase`'s, found first)."""
        raise NotImplementedError

    def columns(self, el: HtmlElement, scope: Scope) -> None:
        """``.columns``: each child block a column of a section of its own, or ``data-columns`` of it
        (broken where the writer's ``column_starts`` say)."""
        blocks = [child for child in el if isinstance(child.tag, str) and child.tag not in HEAD_TAGS]
        start_columns(self.document, self.made[-1] if self.made else None)
        ems = COLUMN_GAP if self.kind == "poster" else 2.4 if self.bilingual else 2.0  # the showcase's: 2 x 1.2em
        gap = ems * self.theme.sizes.body * self.scale
        shares = [float(child.get("data-share") or 0) for child in blocks]  # each column's share of the width
        self.column_widths = [share * self.text_width - gap / 2 for share in shares] if all(shares) else []
        spaces: list[float] = []
        if self.kind == "poster" and all(shares):  # the CSS grid's gap, the next language in from its rule
            em = self.theme.sizes.body * self.scale
            gap = (LANGUAGE_GAP + RULE_PAD) * em
            self.column_widths = []
            for n, (child, share) in enumerate(zip(blocks, shares, strict=True)):
                count = int(child.get("data-columns") or 1)  # the block's own columns, FLOW_GAP apart
                width = share * (self.text_width - LANGUAGE_GAP * em) - (RULE_PAD * em if n else 0.0)
                self.column_widths += [(width - (count - 1) * FLOW_GAP * em) / count] * count
                spaces += [FLOW_GAP * em] * (count - 1) + [gap]
        for n, child in enumerate(blocks):
            self.pending_column = n > 0
            self.column = n
            self.block(child, scope)
        self.pending_column = False
        if not self.made:
            return
        count = len(self.column_widths) if spaces else len(blocks)
        # A line between languages, where each is one column (Word draws one between every column).
        separator = len(blocks) > 1 and all(child.get("lang") for child in blocks) and count == len(blocks)
        if self.kind.startswith(SHOWCASE):  # nothing follows the showcase's languages in the body
            last_columns(self.document, len(blocks), gap, separator, self.column_widths)
        else:
            end_columns(self.document, self.section_end(scope), count, gap, separator, self.column_widths,
                        spaces[:-1])

    def balanced(self, el: HtmlElement, scope: Scope, handler: Handler) -> None:
        """``el`` written by ``handler``; a ``.balanced-N`` block of the body flows through N columns of
        a continuous section of its own, which Word (and LibreOffice) balance so that the columns end
        together, as the PDF's."""
        count = next((int(m.group(1)) for c in classes(el) if (m := BALANCED.fullmatch(c))), 1)
        if count <= 1 or scope.out.container is not self.document:
            handler(el, scope)
            return
        start_columns(self.document, self.made[-1] if self.made else None)
        self.balancing = True
        handler(el, scope)
        self.balancing = False
        ems = COLUMN_GAP if self.kind == "poster" else SHOWCASE_GAP
        end_columns(self.document, self.section_end(scope), count, ems * self.theme.sizes.body * self.scale,
                    separator=False)

    def to_measure(self, el: HtmlElement, start: int, depth: int) -> None:
        """The paragraphs ``el`` made (from ``start`` on) held to the PDF's measure if it is running text,
        counted in the type of the first of them; ``depth`` is the list nesting they stand at."""
        if not measured(self.kind, el) or len(self.made) <= start:
            return
        style = self.made[start].style  # the type the measure is counted in
        look = self.styles.get(style.name or "") if style is not None else None
        size = (look.size if look and look.size else None) or self.styles["Normal"].size or 0.0
        measure(self.made[start:], self.text_width, Twips(INDENT * depth).pt, size)
