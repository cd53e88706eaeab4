"""How tests read typography from a PDF, through the reader of the typographic checks.

:func:`lines` reads positions alone (:func:`generator.check.typography.layout` with
``by_position``): characters on one baseline are a line, cut into columns only at gaps
wider than an em and a half, so the core values of a row read as one line.
:func:`short_lines` reads the paragraphs the structure tree tags (a list item's body,
a table cell...), each with its lines in reading order; a paragraph's *measure* is
its widest line.
"""

from __future__ import annotations

from pathlib import Path

from generator.check.pdf_reading import PdfReading
from generator.check.typography import TextLine, layout


def lines(pdf: Path) -> list[list[TextLine]]:
    """The text lines of every page (``page`` counts from 0), left column first."""
    with PdfReading(pdf) as reading:
        found = layout(reading, by_position=True)
        pages: list[list[TextLine]] = [[] for _ in range(reading.page_count())]
    for line in found.lines():
        pages[line.page].append(line)
    return [sorted(page, key=lambda ln: (round(ln.x0), ln.top)) for page in pages]


def short_lines(pdf: Path) -> list[str]:
    """Every non-final line of a paragraph shorter than a third of its measure, quoted with its page."""
    with PdfReading(pdf) as reading:
        blocks = layout(reading).blocks
    flagged = []
    for block in blocks:
        for line, following in zip(block.lines, block.lines[1:], strict=False):
            if line.width < block.measure / 3:
                flagged.append(f"{pdf.name} page {line.page + 1}: {line.text!r} alone on a line "
                               f"({line.width:.0f} of {block.measure:.0f} pt), before {following.text[:40]!r}")
    return flagged
