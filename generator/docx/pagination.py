"""Writer: HTML -> DOCX, the PDF's page breaks carried into the Word file.

The handbook's contents give page numbers, and they are the PDF's.  Word (or
LibreOffice) lays the same text out with the same fonts, sizes and margins,
but its lines and breaks fall a little differently, so a heading near the
foot of a page can stand a page earlier or later than the PDF's, and its
contents entry is wrong.  So the Word file breaks its pages where the PDF
does: :func:`page_starts` reads, from WeasyPrint's layout, the first block
that starts on each page after the first (a heading, paragraph, list item or
table; never a part of a table that runs on from the page before, where Word
cannot break), and the writer gives the paragraph made from that block
"page break before" (:func:`breaking`).  Then every heading stands on its PDF
page and the page count stays the PDF's, as long as Word's text takes no more
room than the PDF's: LibreOffice's lines and paragraph spacing come out a
little taller (a few points a page), so the Word page gets a little more room
at its foot (:func:`room_for_breaks`), which only a page the PDF fills uses.

A poster's Word handout follows the layout its type is fitted to in the same way:
:func:`column_starts` reads where the columns of a block laid out in columns start
(two languages on a landscape page, each through two columns: the Word section's
column breaks go there), and :func:`row_widths` how wide the cells of each
``.row`` are (the footer's: the Word table's cells take those widths).

Running text is set to the PDF's measure (:func:`measure`): a paragraph or list item
of the running text (``.chapter`` in the handbook; the letter, statement and
acknowledgment of a packet) is no wider than 37 em of its type, as
templates/css/handbook.css and packet.css have it, so its lines fill the page
as the PDF's do.

Blocks are named by tag, text and how many blocks with the same tag and text
came before them: the same in WeasyPrint's tree and in the writer's, whatever
else (pictures, say) differs between the HTML the two are made from.

This reads WeasyPrint's box tree, not its public API (which gives only the
positions of elements that have an id); a layout whose boxes it cannot read
gives no breaks, and the Word file falls back on breaking where it likes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, Protocol

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt

from generator.content.pages import PX, Page

BREAKABLE = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "dt", "dd",
                       "pre", "table"})
PREFIX = 80  # characters of a block's text that name it
PROBE = 40  # characters that find a block's paragraph, and a line in it
SLACK = 0.12

# A block: its tag, the start of its text, and how many such blocks came before it.
PageStart = tuple[str, str, int]

MEASURE = 37.0  # ems: the longest line of running text (max-width in handbook.css, packet.css)
MEASURED = {"handbook": frozenset({"chapter"}), "packet": frozenset({"letter", "statement", "acknowledgment"})}


class Element(Protocol):
    tag: Any

    def iter(self) -> Iterator[Any]: ...

    def itertext(self) -> Iterator[str]: ...


def _text(el: Element) -> str:
    return " ".join("".join(el.itertext()).split())[:PREFIX]


def _named(root: Element) -> list[tuple[Any, PageStart]]:
    """Each breakable block under ``root`` and its name, in document order."""
    seen: dict[tuple[str, str], int] = {}
    names: list[tuple[Any, PageStart]] = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BREAKABLE:
            key = (el.tag, _text(el))
            names.append((el, (*key, seen.get(key, 0))))
            seen[key] = seen.get(key, 0) + 1
    return names


def _boxes(box: Any, in_table: bool = False) -> Iterator[tuple[Any, bool, Any]]:
    """Each box under ``box`` with its element, whether it is inside a table, and the box."""
    element = getattr(box, "element", None)
    if element is not None:
        yield element, in_table, box
    inside = in_table or (element is not None and getattr(element, "tag", None) == "table")
    for child in getattr(box, "children", ()):
        yield from _boxes(child, inside)


def _first_line(box: Any) -> str:
    """The text of the first line inside ``box``."""
    for _, _, inner in _boxes(box):
        if type(inner).__name__ == "LineBox":
            return "".join(getattr(b, "text", "") for _, _, b in _boxes(inner) if b is not inner)
    return ""


@dataclass(frozen=True)
class Breaks:
    """Where the PDF's pages start: blocks that start one, and blocks whose lines go on onto one
    (with the text of their first line there)."""

    starts: frozenset[PageStart] = frozenset()
    splits: tuple[tuple[PageStart, str], ...] = ()


def page_starts(pages: Iterable[Any]) -> Breaks:
    """Where each page after the first of a WeasyPrint layout starts."""
    try:
        roots = [_html(page) for page in pages]
    except (AttributeError, StopIteration):  # the box tree is WeasyPrint's own and may change
        return Breaks()
    if not roots:
        return Breaks()
    return _starts([roots], {id(el): name for el, name in _named(roots[0].element)})


def _html(page: Any) -> Any:
    """The box of the root element on a laid-out page."""
    return next(c for c in page._page_box.children if getattr(c, "element_tag", None) == "html")


def column_starts(pages: Iterable[Any]) -> Breaks:
    """Where each column after the first of the multi-column blocks of a WeasyPrint layout starts
    (a one-page poster's: a block of ``columns: 2`` is laid out as a box per column)."""
    try:
        (page,) = pages
        html = _html(page)
        runs = list(_multicolumn(html))
    except (AttributeError, KeyError, StopIteration, ValueError):  # the box tree is WeasyPrint's own
        return Breaks()
    return _starts(runs, {id(el): name for el, name in _named(html.element)})


def row_widths(pages: Iterable[Any]) -> tuple[tuple[float, ...], ...]:
    """The widths in points of the cells of each ``.row`` of a one-page layout, in document order:
    each cell's from its left edge to the next one's (the gap included), the last one's own."""
    try:
        (page,) = pages
        rows = [[c for c in box.children if getattr(c, "element", None) is not None]
                for box in _rows(page._page_box)]
        return tuple(tuple(PX * (b.position_x - a.position_x) for a, b in itertools.pairwise(cells))
                     + (PX * cells[-1].border_width(),) for cells in rows if cells)
    except (AttributeError, TypeError, ValueError):  # the box tree is WeasyPrint's own and may change
        return ()


def _rows(box: Any) -> Iterator[Any]:
    element = getattr(box, "element", None)
    if element is not None and "row" in (element.get("class") or "").split():
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _rows(child)


def _multicolumn(box: Any) -> Iterator[list[Any]]:
    """The column boxes of each block laid out in columns (``columns: N``): its children that are
    boxes of its own element, one a column."""
    children = list(getattr(box, "children", ()))
    element = getattr(box, "element", None)
    if element is not None and box.style["column_count"] != "auto":
        yield [c for c in children if getattr(c, "element", None) is element]
        return
    for child in children:
        yield from _multicolumn(child)


def _starts(runs: Iterable[list[Any]], names: dict[int, PageStart]) -> Breaks:
    """Where each fragment after the first of each run of fragments (pages, or a block's columns) starts:
    the first block in it, or the block whose lines go on into it and the text of its first line there."""
    starts: set[PageStart] = set()
    splits: list[tuple[PageStart, str]] = []
    for run in runs:
        seen: set[int] = set()
        for number, root in enumerate(run, 1):
            decided = False
            for element, in_table, box in _boxes(root):
                if not decided and id(element) in names:
                    decided = True
                    if in_table and element.tag != "table":
                        pass  # a table's rows go on from the page before: Word breaks where it can
                    elif id(element) not in seen:
                        if number > 1:
                            starts.add(names[id(element)])
                    elif line := " ".join(_first_line(box).split()):
                        splits.append((names[id(element)], line))  # a paragraph's last lines
                seen.add(id(element))
    return Breaks(frozenset(starts), tuple(splits))


def within(root: Element, breaks: Breaks, attribute: str) -> Breaks:
    """The ``breaks`` of blocks inside an element of ``root`` that has ``attribute``."""
    inside = {name for el, name in _named(root)
              if any(a.get(attribute) for a in el.iterancestors())}  # type: ignore[attr-defined]
    return Breaks(breaks.starts & inside, tuple(split for split in breaks.splits if split[0] in inside))


def breaking(root: Element, starts: frozenset[PageStart]) -> list[Any]:
    """The blocks under ``root`` (the writer's tree) that start a page in the PDF."""
    return [el for el, name in _named(root) if name in starts] if starts else []


def room_for_breaks(section: Section, page: Page) -> None:
    """The body of ``section`` reaches a little lower than the PDF's (the footer stays where it is)."""
    section.bottom_margin = Pt(page.margin * (1 - SLACK))


def split_lines(body: Any, splits: Iterable[tuple[PageStart, str]], kind: str = "page") -> None:
    """A break (of ``kind``: page, or column) inside each paragraph whose lines go on onto a new page
    (column) of the PDF, before the word that starts it (in the paragraph of ``body`` whose text
    starts as the block's)."""
    for (_tag, text, occurrence), line in splits:
        matches = (p for p in body.iter(qn("w:p")) if _paragraph_text(p)[:PROBE] == text[:PROBE])
        p = next(itertools.islice(matches, occurrence, None), None)
        if p is None:
            continue
        texts = list(p.iter(qn("w:t")))
        whole = "".join(t.text or "" for t in texts)
        words = line.split(" ")
        # The line's first word may be the end of a hyphenated one: find what follows it, then go
        # back to the start of the whole word.
        probe = " ".join(words[1:])[:PROBE] if len(words) > 1 else line[:PROBE]
        at = whole.find(probe)
        if at > 0 and len(words) > 1:
            at = whole.rfind(" ", 0, at - 1) + 1
        if at > 0:
            _break_at(texts, at, kind)


def measured(kind: str, el: Element) -> bool:
    """Whether ``el`` is a paragraph or list item of running text held to :data:`MEASURE`."""
    held = MEASURED.get(kind, frozenset())
    return el.tag in ("p", "li") and bool(held) and any(
        held & set((a.get("class") or "").split()) for a in el.iterancestors())  # type: ignore[attr-defined]


def measure(paragraphs: Iterable[Any], text_width: float, left: float, size: float) -> None:
    """Each of ``paragraphs`` (starting ``left`` points in, in type of ``size``) ends at most
    :data:`MEASURE` ems of it further right, as the PDF's; a paragraph given its measure keeps it."""
    right = text_width - left - MEASURE * size
    for paragraph in paragraphs:
        if right > 0 and paragraph.paragraph_format.right_indent is None:
            paragraph.paragraph_format.right_indent = Pt(right)


def _paragraph_text(p: Any) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))).split())


def _break_at(texts: list[Any], at: int, kind: str) -> None:
    """Split the run holding character ``at`` of the texts ``texts`` with a break of ``kind`` there."""
    for t in texts:
        size = len(t.text or "")
        if at < size:
            run = t.getparent()
            head, tail = (t.text or "")[:at], (t.text or "")[at:]
            after = deepcopy(run)
            for child in list(after):
                if child.tag != qn("w:rPr"):
                    after.remove(child)
            br = OxmlElement("w:br")
            br.set(qn("w:type"), kind)
            after.append(br)
            rest = OxmlElement("w:t")
            rest.text = tail
            rest.set(qn("xml:space"), "preserve")
            after.append(rest)
            t.text = head
            t.set(qn("xml:space"), "preserve")
            run.addnext(after)
            return
        at -= size
