"""check: a PDF's text as a typographer reads it: blocks of lines, for the typographic rules.

:func:`layout` turns a :class:`~generator.check.pdf_reading.PdfReading` into
:class:`Block` objects (a paragraph, a heading, a list item's body, a table cell),
each a list of :class:`TextLine` in reading order, with its page, position and
type size.

In a tagged PDF the blocks are the structure tree's elements: every piece of
marked content belongs to the innermost block element above it (``P``, ``H1``,
``LBody``, ``TD``...); a list item's label and body, or a table of contents entry,
share a *group*, so they are one block for the rules that look at what stands
side by side; table cells remember their row.  Lines are cut where the position
of the next character jumps (a new baseline, or back to the left).

A PDF without a structure tree (or any PDF, when ``layout`` is asked to) is read
from positions alone: characters on one baseline are a line, cut where a gap of
more than an em and a half separates columns; lines of one size, one left edge
and one line pitch are a block; a block set larger than the page's most common
size is a heading.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.check.pdf_reading import HEADING, Node, PdfReading, chars_text, page_lines

# Elements whose text is one block of lines; the innermost one holds a character.
BLOCKS = frozenset({"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Lbl", "LBody", "LI", "TD", "TH", "Caption",
                    "TOCI", "BlockQuote", "Quote", "Note", "BibEntry", "Code", "Title"})
# Elements whose blocks belong together on a line (a list item's label and body).
GROUPS = frozenset({"LI", "TOCI"})
# Elements whose text is not set as lines of type (an image's alternative text, a formula).
SKIP = frozenset({"Figure", "Formula", "Artifact"})
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
SPACE_CUT = 0.25  # a gap wider than this many type sizes is a space between words
LEADER = re.compile(r"(\.\s?){4,}\s*\S+$")  # a contents entry's dotted leader and page number: a whole entry
FULL_PAGE = 0.6  # a page whose text ends above this share of its height was not full
FULL_LINE = 0.85  # a line this share of its block's measure wide is full: the paragraph goes on
COLUMN_CUT = 1.5  # an untagged line is cut into columns at gaps wider than this many type sizes


@dataclass(eq=False)
class TextLine:
    """One line of a block on one page (``page`` 0-based; positions in points from the page's top left)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the type size of most of its characters
    block: Block
    font: str = ""  # the font of most of its characters

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def words(self) -> list[str]:
        return self.text.split()


@dataclass(eq=False)
class Block:
    """A paragraph, heading, list item body or table cell: its role and its lines in reading order."""

    role: str
    lines: list[TextLine] = field(default_factory=list)
    group: int = 0  # blocks of one group stand together (a list item's label and body)
    row: int | None = None  # table cells of one row share it
    items: int | None = None  # the list or table of contents it is an entry of
    table: int | None = None  # the table it is a cell of
    node: Node | None = None

    @property
    def heading(self) -> bool:
        return self.role == "H" or bool(HEADING.fullmatch(self.role))

    @property
    def running(self) -> bool:
        """Running text: paragraphs, list item bodies and quotations (not headings, labels or cells)."""
        return self.role in ("P", "LBody", "LI", "BlockQuote", "Quote", "Note")

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def measure(self) -> float:
        return max((line.width for line in self.lines), default=0.0)


@dataclass
class Layout:
    """Every block of a document, in reading order, and what the rules ask of all of them."""

    blocks: list[Block]
    tagged: bool
    page_sizes: list[tuple[float, float]]

    def lines(self) -> list[TextLine]:
        return [line for block in self.blocks for line in block.lines]

    def vocabulary(self) -> Counter[str]:
        """How often each word (casefolded) stands inside a line, not at its end: the document's own words."""
        found: Counter[str] = Counter()
        for line in self.lines():
            words = WORD.findall(line.text)
            found.update(w.casefold() for w in words[:-1] if w)
            tail = line.text.rstrip()
            if words and tail and not tail[-1].isalpha():  # ends in punctuation: the last word is whole
                found[words[-1].casefold()] += 1
        return found

    def words(self) -> set[str]:
        """Every word of the document's text (casefolded), wherever it stands."""
        return {w.casefold() for line in self.lines() for w in WORD.findall(line.text)}


def layout(reading: PdfReading, by_position: bool = False) -> Layout:
    """The document's blocks: from the structure tree if it reaches text, else from positions.

    ``by_position`` reads positions alone even in a tagged PDF: lines cut into columns only at wide
    gaps, so the items of a row set side by side read as one line.
    """
    sizes = [(float(p.width), float(p.height)) for p in reading.plumber.pages]
    if reading.tree is not None and not by_position:
        blocks = _tagged_blocks(reading)
        if any(block.lines for block in blocks):
            return Layout([b for b in blocks if b.lines], True, sizes)  # joined parts have no lines left
    return Layout(_untagged_blocks(reading), False, sizes)


# -- tagged PDFs


def _tagged_blocks(reading: PdfReading) -> list[Block]:
    """Blocks from the structure tree, each with its marked content's characters cut into lines."""
    assert reading.tree is not None
    by_mcid = reading.mcid_chars()
    blocks: list[Block] = []
    refs: dict[int, list[tuple[int, int]]] = {}
    counter = iter(range(1, 1 << 30))
    # (node, its block, its group, its row, its list): walked without recursion, in document order
    Walk = tuple[Node | tuple[int, int], Block | None, int, int | None, int | None, int | None]
    stack: list[Walk] = [(reading.tree, None, 0, None, None, None)]
    while stack:
        item, block, group, row, items, table = stack.pop()
        if not isinstance(item, Node):
            if block is None:
                continue
            refs.setdefault(id(block), []).append(item)
            continue
        if item.role in SKIP or item.actual is not None:
            continue
        if item.role in GROUPS and not group:
            group = next(counter)
        if item.role == "TR":
            row = next(counter)
        if item.role in ("L", "TOC") and items is None:
            items = next(counter)
        if item.role == "Table":
            table = next(counter)
        if item.role in BLOCKS or (block is None and any(not isinstance(c, Node) for c in item.content)):
            role = item.role if item.role in BLOCKS else "P"  # text straight in a Div is a paragraph
            block = Block(role, group=group or next(counter), row=row, items=items, table=table, node=item)
            blocks.append(block)
        stack.extend((child, block, group, row, items, table) for child in reversed(item.content))
    for block in blocks:
        chars = [c for ref in refs.get(id(block), []) for c in by_mcid.get(ref, [])]
        block.lines = _cut_lines(chars, block)
    _join_pages([b for b in blocks if b.lines], [float(p.height) for p in reading.plumber.pages])
    return blocks


def _join_pages(blocks: list[Block], heights: list[float]) -> None:
    """Join again what a page break cut into two elements (WeasyPrint tags each part on its own).

    When the last block of a page and the first of the next belong to lists or tables, the two
    are one list or table.  When they are paragraphs (or list item bodies) of one role, left edge
    and size, and the first ends on a full line at the foot of the text area (the page was full)
    while the second starts at its head, the second is the rest of the first.
    """
    if not blocks:
        return
    lines = [line for block in blocks for line in block.lines]
    foot = max(line.bottom for line in lines)  # the lowest and highest text of any page: the text area
    head = min(line.top for line in lines)
    a = blocks[0]
    for b in blocks[1:]:
        if b.lines[0].page != a.lines[-1].page + 1:
            a = b
            continue
        for kind in ("items", "table"):
            first, second = getattr(a, kind), getattr(b, kind)
            if first is not None and second is not None and first != second:
                for block in blocks:
                    if getattr(block, kind) == second:
                        setattr(block, kind, first)
        end, start = a.lines[-1], b.lines[0]
        pitch = 2 * (end.bottom - end.top)
        if (a.role == b.role and a.row is None and abs(end.x0 - start.x0) < 1 and abs(end.size - start.size) < 0.1
                and end.width >= FULL_LINE * max(a.measure, b.measure) and not LEADER.search(end.text)
                and end.bottom > max(foot - pitch, FULL_PAGE * heights[end.page])
                and start.top < head + pitch):  # the page was full
            for line in b.lines:
                line.block = a
            a.lines += b.lines
            b.lines = []
        else:
            a = b


def _cut_lines(chars: list[dict[str, Any]], block: Block) -> list[TextLine]:
    """Characters in reading order cut into lines where the position jumps (see chars_text)."""
    lines: list[TextLine] = []
    current: list[dict[str, Any]] = []
    for char in chars:
        if current:
            prev = current[-1]
            size = max(float(prev.get("size") or 0), 1.0)
            if (char.get("page_number") != prev.get("page_number") or abs(char["top"] - prev["top"]) > 0.5 * size
                    or char["x0"] < prev["x0"] - size):
                lines += _line(current, block)
                current = []
        current.append(char)
    lines += _line(current, block)
    return lines


def _line(chars: list[dict[str, Any]], block: Block) -> list[TextLine]:
    """The line of these characters (none if they are all blank)."""
    inked = [c for c in chars if c["text"].strip()]
    if not inked:
        return []
    size = Counter(round(float(c.get("size") or 0), 1) for c in inked).most_common(1)[0][0]
    font = Counter(str(c.get("fontname") or "") for c in inked).most_common(1)[0][0]
    text = " ".join(chars_text(chars).split())
    return [TextLine(int(inked[0]["page_number"]) - 1, text, min(c["x0"] for c in inked),
                     max(c["x1"] for c in inked), min(c["top"] for c in inked), max(c["bottom"] for c in inked),
                     size, block, font)]


# -- untagged PDFs


def _untagged_blocks(reading: PdfReading) -> list[Block]:
    """Blocks from positions alone (see the module docstring)."""
    blocks: list[Block] = []
    for page in range(reading.page_count()):
        segments: list[list[dict[str, Any]]] = []
        for row in page_lines([c for c in reading.chars(page) if c.get("upright", True)]):
            inked = [c for c in row if c["text"].strip()]
            segment: list[dict[str, Any]] = []
            for char in inked:
                if segment and char["x0"] - segment[-1]["x1"] > COLUMN_CUT * max(float(char.get("size") or 0), 1.0):
                    segments.append(segment)
                    segment = []
                segment.append(char)
            if segment:
                segments.append(segment)
        page_blocks = _stack(page, segments)
        body = Counter(round(line.size) for b in page_blocks for line in b.lines
                       for _ in range(len(line.text))).most_common(1)
        for block in page_blocks:
            if body and block.lines and block.lines[0].size > 1.15 * body[0][0] and len(block.lines) <= 3:
                block.role = "H"
        blocks += page_blocks
    return blocks


def _stack(page: int, segments: list[list[dict[str, Any]]]) -> list[Block]:
    """Segments of one size and left edge, one below the other at one pitch, made into blocks."""
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    for segment in sorted(segments, key=lambda s: min(c["top"] for c in s)):
        probe = Block("P")
        [line] = _line(segment, probe)
        home = next((b for b in open_blocks if _continues(b.lines[-1], line)), None)
        if home is None:
            home = Block("P", group=len(blocks) + 1 + page * 100_000)
            blocks.append(home)
            open_blocks.append(home)
        line.block = home
        home.lines.append(line)
    return blocks


def _continues(last: TextLine, line: TextLine) -> bool:
    step = line.top - last.top
    return (abs(last.size - line.size) < 0.5 and abs(last.x0 - line.x0) < max(1.0, 0.5 * line.size)
            and 0.9 * line.size < step < 1.8 * line.size)
