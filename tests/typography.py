"""How tests read typography from a PDF: line boxes, paragraphs, and the lines that stand out.

pdfplumber gives words with their positions.  Words on one baseline are one line,
cut where a gap wider than a word space separates columns.  A *paragraph* is a
run of lines of one type size that share a left edge and follow each other at one
line pitch: the gap after a list item, a heading or a paragraph's own margin is
larger, so items and paragraphs stay apart.  The *measure* is the widest line of
the paragraph.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    size: float
    font: str  # the font of most of its words

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def lines(pdf: Path, gap: float = 0.7) -> list[list[Line]]:
    """The text lines of every page, left column first.

    A line is cut where the space between two words is wider than ``gap`` type sizes (a word
    space is about a quarter of one; table columns and poster columns are farther apart).
    """
    pages = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=False)
            rows: dict[float, list[dict]] = {}
            for word in words:
                key = next((k for k in rows if abs(k - word["bottom"]) < 1.0), word["bottom"])
                rows.setdefault(key, []).append(word)
            found = []
            for row in rows.values():
                row.sort(key=lambda w: w["x0"])
                segment = [row[0]]
                for word in row[1:]:
                    if word["x0"] - segment[-1]["x1"] > gap * word["size"]:
                        found.append(_line(number, segment))
                        segment = []
                    segment.append(word)
                found.append(_line(number, segment))
            pages.append(sorted(found, key=lambda ln: (round(ln.x0), ln.top)))
    return pages


def _line(page: int, words: list[dict]) -> Line:
    size = Counter(round(w["size"], 1) for w in words).most_common(1)[0][0]
    font = Counter(w["fontname"] for w in words).most_common(1)[0][0]
    return Line(page, " ".join(w["text"] for w in words), words[0]["x0"], words[-1]["x1"],
                min(w["top"] for w in words), size, font)


def paragraphs(page: list[Line]) -> list[list[Line]]:
    """Runs of lines with one left edge, one size, at one line pitch (see the module docstring)."""
    by_column: dict[tuple[int, float], list[Line]] = {}
    for line in page:
        key = next((k for k in by_column if abs(k[1] - line.x0) < 1.0 and k[0] == round(line.size * 10)),
                   (round(line.size * 10), line.x0))
        by_column.setdefault(key, []).append(line)
    found = []
    for column in by_column.values():
        column.sort(key=lambda ln: ln.top)
        steps = Counter(round(b.top - a.top, 1) for a, b in pairwise(column))
        pitch = min((s for s, n in steps.items() if s > 0 and 1.1 * column[0].size < s < 1.7 * column[0].size),
                    default=None)
        current = [column[0]]
        for before, line in pairwise(column):
            if pitch is not None and abs((line.top - before.top) - pitch) < 0.6:
                current.append(line)
            else:
                found.append(current)
                current = [line]
        found.append(current)
    return [p for p in found if len(p) > 1]


def short_lines(pdf: Path) -> list[str]:
    """Every non-final line of a paragraph shorter than a third of its measure, quoted with its page."""
    flagged = []
    for page in lines(pdf):
        for paragraph in paragraphs(page):
            measure = max(line.width for line in paragraph)
            for index, line in enumerate(paragraph[:-1]):
                if line.width < measure / 3:
                    following = paragraph[index + 1].text
                    flagged.append(f"{pdf.name} page {line.page}: {line.text!r} alone on a line "
                                   f"({line.width:.0f} of {measure:.0f} pt), before {following[:40]!r}")
    return flagged
