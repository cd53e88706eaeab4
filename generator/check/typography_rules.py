"""check: the typographic rules, read from a PDF's lines (see :mod:`generator.check.typography`).

Each rule yields messages that name the page, the words and where they stand
(inches from the page's top left corner), and how to fix them; the rule ids are
documented in :mod:`generator.check.run`.  They read any PDF: a tagged one by its
structure tree, an untagged one by position.

Three rules are *warnings* (:data:`WARNINGS`), for a choice a designer may make on
purpose: a last line of one short word (a runt), a measure over 95 characters
(a wide table-like layout may want it) and type below the viewing-distance size
(a poster may be meant to be read up close).  The others are defects a reader
sees at once: words cut without a hyphen, text that runs into its neighbour, a
QR code too small to scan, a heading or one line of a paragraph alone at a page's
foot or head, a table row cut in two.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator

import pikepdf

from generator.check.pdf_reading import Node, PdfReading
from generator.check.rules import short
from generator.check.typography import WORD, Block, Layout, TextLine, layout

WARNINGS = frozenset({"pdf-lone-word", "pdf-measure", "pdf-type-size"})
HYPHENS = "-\u00ad\u2010\u2011\u2012\u2013\u2014/"
MEASURE = 95  # characters a line of running text may hold
RUNT = 4  # letters of a word too short to stand alone as a paragraph's last line
TITLE_RUNT = 20  # a heading's last line of one word is a runt unless the word is this long
GUTTER = 0.5  # ems between blocks side by side
QR_MIN = 0.8  # inches: the side of the smallest QR code a phone reads from a print
KEEP = 3  # lines a heading keeps below it on its page
LIST_KEEP = 3  # entries a list or contents carries onto, or leaves on, a page
BILINGUAL = 0.8  # share of the viewing-distance size two languages on one page may use
ROLE_NAMES = {"P": "paragraph", "LBody": "list item", "LI": "list item", "Lbl": "list label", "TD": "table cell",
              "TH": "table header", "Caption": "caption", "TOCI": "contents entry", "H": "heading"}


def _layout(r: PdfReading) -> Layout:
    """The document's blocks, read once per file for all the rules."""
    found: Layout | None = getattr(r, "_typography", None)
    if found is None:
        found = layout(r)
        setattr(r, "_typography", found)  # noqa: B010 (a cache on the reading, not a declared field)
    return found


def _where(line: TextLine) -> str:
    role = line.block.role
    what = "heading" if line.block.heading else ROLE_NAMES.get(role, role)
    return f"page {line.page + 1}, {what} at {line.x0 / 72:.1f} in from the left, {line.top / 72:.1f} in from the top"


def _quote(text: str, limit: int = 60) -> str:
    return f"\u201c{short(text, limit)}\u201d"


def _inches(points: float) -> str:
    return f"{points / 72:.2f} in"


# -- words and lines


def _broken(layout: Layout, vocabulary: Counter[str], words: set[str], before: TextLine, after: TextLine) -> str | None:
    """The word ``before``'s last fragment and ``after``'s first make, if it is cut without a hyphen."""
    tail, head = before.text.rstrip(), after.text.lstrip()
    if not tail or not head or not tail[-1].isalpha() or not head[0].isalpha() or tail[-1] in HYPHENS:
        return None
    first = WORD.findall(tail)[-1]
    second = WORD.match(head)
    if second is None or not tail.endswith(first):
        return None
    joined = first + second.group()
    if joined.casefold() in words and not vocabulary[first.casefold()]:
        return joined
    return None


def _broken_words(r: PdfReading) -> Iterator[str]:
    """A word cut across two lines where no hyphen says so: the two fragments are a word of the text."""
    found = _layout(r)
    vocabulary, words = found.vocabulary(), found.words()
    for block in found.blocks:
        for before, after in itertools.pairwise(block.lines):
            joined = _broken(found, vocabulary, words, before, after)
            if joined:
                first = WORD.findall(before.text)[-1]
                yield (f"{_where(before)}: \u201c{joined}\u201d is broken across lines as \u201c{first} / "
                       f"{after.text.split()[0]}\u201d with no hyphen, so it reads as two words; make the box "
                       "wider or the type smaller so the word fits, or let the text wrap between words only")


def _lone_words(r: PdfReading) -> Iterator[str]:
    """A paragraph whose last line is one short word, or a title whose last line is one word (a runt).

    A table cell is not a paragraph, and the tail of a word hyphenated at the line before is not a word.
    """
    found = _layout(r)
    vocabulary, words = found.vocabulary(), found.words()
    for block in found.blocks:
        if len(block.lines) < 2 or block.role in ("Lbl", "TD", "TH") or block.lines[-2].text.rstrip()[-1:] in HYPHENS:
            continue
        last, before = block.lines[-1], block.lines[-2]
        letters = WORD.findall(last.text)
        limit = TITLE_RUNT if block.heading else RUNT
        if (len(last.words()) == 1 and len(letters) == 1 and len(letters[0]) <= limit
                and last.width < block.measure / 3 and not _broken(found, vocabulary, words, before, last)):
            yield (f"{_where(last)}: {_quote(block.text)} ends on \u201c{last.text}\u201d alone on its last line; "
                   "keep the last two words together (a no-break space between them), or change the measure "
                   "so the line breaks earlier")


def _measure(r: PdfReading) -> Iterator[str]:
    """Running text set wider than 95 characters a line: the eye loses the next line."""
    pages: dict[int, list[TextLine]] = {}
    for block in _layout(r).blocks:
        if block.running and len(block.lines) > 1:
            widest = max(block.lines, key=lambda line: len(line.text))
            if len(widest.text) > MEASURE:
                pages.setdefault(widest.page, []).append(widest)
    for _page, lines in sorted(pages.items()):
        worst = max(lines, key=lambda line: len(line.text))
        more = f" (and {len(lines) - 1} more paragraph(s) on the page)" if len(lines) > 1 else ""
        yield (f"{_where(worst)}: lines of {len(worst.text)} characters ({_quote(worst.text, 50)}){more}; running "
               f"text reads best at 45-{MEASURE} characters a line: set it in more columns, narrow the column, "
               "or make the type larger")


def _gutters(r: PdfReading) -> Iterator[str]:
    """Text blocks side by side less than half an em apart: they read as one line."""
    pages: dict[int, list[tuple[float, TextLine, TextLine]]] = {}
    lines = sorted(_layout(r).lines(), key=lambda line: (line.page, line.top))
    for index, left in enumerate(lines):
        for right in lines[index + 1:]:
            if right.page != left.page or right.top >= left.bottom:
                break
            if right.block.group == left.block.group:
                continue
            overlap = min(left.bottom, right.bottom) - max(left.top, right.top)
            if overlap < 0.5 * min(left.bottom - left.top, right.bottom - right.top):
                continue
            a, b = (left, right) if left.x0 <= right.x0 else (right, left)
            gap = b.x0 - a.x1
            em = max(a.size, b.size)
            if gap < GUTTER * em:
                pages.setdefault(a.page, []).append((gap / em, a, b))
    for _page, pairs in sorted(pages.items()):
        gap, a, b = min(pairs, key=lambda pair: pair[0])
        more = f" ({len(pairs)} such places on the page)" if len(pairs) > 1 else ""
        yield (f"{_where(b)}: {_quote(a.text.split()[-1] if a.text else '', 30)} and "
               f"{_quote(b.text, 30)} stand {gap * max(a.size, b.size):.1f} pt apart ({gap:.2f} em), so they read "
               f"as one line{more}; keep at least {GUTTER} em between blocks side by side (a wider gutter or "
               "column gap, or narrower boxes)")


# -- sizes


def needed_size(short_side: float) -> float:
    """The body size (pt) a page needs for its viewing distance, from its short side (pt).

    9 pt at a letter page's 8.5 in, rising linearly to 24 pt at a 24 in short side; no less
    than 9 pt on smaller pages and no more than 24 pt on larger ones.

    >>> needed_size(8.5 * 72), needed_size(24 * 72), round(needed_size(18 * 72), 1)
    (9.0, 24.0, 18.2)
    """
    inches = short_side / 72
    return min(24.0, max(9.0, 9.0 + (inches - 8.5) * 15.0 / 15.5))


def bilingual(r: PdfReading) -> bool:
    """Two languages in one document: a structure element in another language than the catalog's."""
    main = str(r.pdf.Root.get("/Lang", "")).split("-")[0].casefold()
    if re.search(r"\.[a-z]{2,3}(\+[a-z]{2,3})+\.pdf$", r.path.name, re.IGNORECASE):
        return True
    if r.tree is None:
        return False
    return any(str(node.attributes.get("/Lang", main)).split("-")[0].casefold() != main for node in r.tree.walk())


def _type_size(r: PdfReading) -> Iterator[str]:
    """Running text smaller than the page's viewing distance needs."""
    found = _layout(r)
    share = BILINGUAL if bilingual(r) else 1.0
    smallest: dict[int, TextLine] = {}
    for block in found.blocks:
        if not block.running or len(block.lines) < 2 or len(block.text.split()) < 10:
            continue  # a label, a kicker line, a URL or a line of fine print is not running text
        for line in block.lines:
            if line.page not in smallest or line.size < smallest[line.page].size:
                smallest[line.page] = line
    for page, line in sorted(smallest.items()):
        width, height = found.page_sizes[page]
        need = needed_size(min(width, height)) * share
        if line.size < need - 0.05:
            why = f" (two languages share the page: {BILINGUAL:.0%} of {need / share:.1f} pt)" if share < 1 else ""
            yield (f"{_where(line)}: running text is set at {line.size:.1f} pt ({_quote(line.text, 40)}), but a "
                   f"page of {width / 72:.1f} x {height / 72:.1f} in is read from a distance that needs {need:.1f} pt"
                   f"{why}; make the type larger (shorten the text, or use more of the page), or print it larger")


def _qr_codes(r: PdfReading) -> Iterator[str]:
    """A QR code (a figure whose alternative text says QR) smaller than 0.8 in a side: phones miss it.

    Its size is what its marked content draws (image, rectangles, paths), else its /BBox.
    """
    if r.tree is None:
        return
    for node in r.tree.walk():
        text = f"{node.alt or ''} {node.actual or ''}".strip()
        if node.role != "Figure" or not re.search(r"\bQR\b", text, re.IGNORECASE):
            continue
        page, box = _drawn(r, node)
        if box is None:
            continue
        x0, y0, x1, y1 = box
        side = min(abs(x1 - x0), abs(y1 - y0))
        if side < QR_MIN * 72 - 0.5:
            where = f"page {page + 1}, " if page is not None else ""
            yield (f"{where}{_quote(text, 50)} at {min(x0, x1) / 72:.1f} in from the left is {_inches(side)} a side; "
                   f"a phone needs at least {QR_MIN} in (2 cm) to read it from a print, more on a wall: make it larger")


def _drawn(r: PdfReading, node: Node) -> tuple[int | None, tuple[float, float, float, float] | None]:
    """The page and the box of what a figure's marked content draws, else of its /BBox attribute."""
    refs = set(node.refs())
    page = node.first_page()
    if page is not None and refs:
        plumber = r.plumber.pages[page]
        drawn = [o for o in (*plumber.images, *plumber.rects, *plumber.curves, *plumber.lines)
                 if (page, o.get("mcid")) in refs]
        if drawn:
            return page, (min(o["x0"] for o in drawn), min(o["top"] for o in drawn),
                          max(o["x1"] for o in drawn), max(o["bottom"] for o in drawn))
    box = node.attributes.get("/BBox")
    if isinstance(box, pikepdf.Array) and len(box) == 4:
        x0, y0, x1, y1 = (float(v) for v in box)
        return page, (x0, y0, x1, y1)
    return page, None


# -- pages


def _paged(r: PdfReading, found: Layout) -> bool:
    return r.page_count() > 1


def _headings_kept(r: PdfReading) -> Iterator[str]:
    """A heading with fewer than three lines of its section below it before its page ends."""
    found = _layout(r)
    if not _paged(r, found):
        return
    blocks = found.blocks
    for index, block in enumerate(blocks):
        if not block.heading or not block.lines:
            continue
        page = block.lines[-1].page
        rows: set[int] = set()
        continues = False
        for after in blocks[index + 1:]:
            if after.heading:
                break
            for line in after.lines:
                if line.page == page:
                    rows.add(round(line.top))
                elif line.page > page:
                    continues = True
            if continues:
                break
        if continues and len(rows) < KEEP:
            yield (f"{_where(block.lines[-1])}: the heading {_quote(block.text)} has only {len(rows)} line(s) of "
                   f"its section below it before the page ends; keep at least {KEEP} with it (CSS: "
                   "break-after: avoid on the heading and orphans: 3 on what follows), or start it on the next page")


def _widows(r: PdfReading) -> Iterator[str]:
    """One line of a paragraph alone at a page's foot (orphan) or head (widow); a list leaving 1-2 entries."""
    found = _layout(r)
    if not _paged(r, found):
        return
    for block in found.blocks:
        if not block.running or block.heading:
            continue
        pages = Counter(line.page for line in block.lines)
        if len(pages) < 2:
            continue
        first, last = min(pages), max(pages)
        for page, kind in ((first, "an orphan: its first line alone at the foot of"),
                           (last, "a widow: its last line alone at the head of")):
            if pages[page] == 1:
                yield (f"{_where(next(line for line in block.lines if line.page == page))}: {_quote(block.text)} "
                       f"is split across pages, {kind} page {page + 1}; keep at least two lines together "
                       "(CSS widows: 2; orphans: 2) or let the page break before the paragraph")
    yield from _list_widows(found)


def _list_widows(found: Layout) -> Iterator[str]:
    """A list or table of contents that leaves one or two of its entries to a page."""
    lists: dict[int, dict[int, list[Block]]] = {}  # list -> page -> its entries there (labels aside)
    for block in found.blocks:
        if block.items is not None and block.role != "Lbl":
            for page in sorted({line.page for line in block.lines}):
                lists.setdefault(block.items, {}).setdefault(page, []).append(block)
    for pages in lists.values():
        entries = {id(block) for blocks in pages.values() for block in blocks}
        if len(pages) < 2 or len(entries) < 2 * LIST_KEEP:
            continue
        for page in (min(pages), max(pages)):
            if len(pages[page]) < LIST_KEEP:
                line = next(line for line in pages[page][0].lines if line.page == page)
                yield (f"{_where(line)}: a list of {len(entries)} entries leaves only {len(pages[page])} of them "
                       f"on page {page + 1} ({_quote(line.text, 40)}); keep at least {LIST_KEEP} together (fit "
                       "the list on one page, or break it earlier)")


def _split_rows(r: PdfReading) -> Iterator[str]:
    """A table row whose cells run onto the next page.

    A row is split when one row element has text on two pages, or when the first row of a
    table's next page (not a repeated header) is the rest of one: some of its cells are empty
    where the table's rows are full, or a cell goes on with a lowercase word.
    """
    found = _layout(r)
    if not _paged(r, found):
        return
    tables: dict[int, dict[int, list[Block]]] = {}  # table -> row -> cells, in reading order
    for block in found.blocks:
        if block.row is not None and block.table is not None:
            tables.setdefault(block.table, {}).setdefault(block.row, []).append(block)
    for rows in tables.values():
        widest = max(len(cells) for cells in rows.values())
        seen: set[int] = set()
        before: list[Block] = []
        for cells in rows.values():
            pages = sorted({line.page for cell in cells for line in cell.lines})
            rest = (bool(seen) and pages[0] not in seen and not all(c.role == "TH" for c in cells)
                    and (len(cells) < widest or any(c.text[:1].islower() for c in cells)))
            seen.update(pages)
            if len(pages) > 1 or (rest and before):
                row = cells if len(pages) > 1 else before  # the row as it starts
                text = " | ".join(c.text for c in row)
                yield (f"{_where(row[0].lines[0])}: the table row {_quote(text, 50)} is split across pages "
                       f"{row[0].lines[0].page + 1} and {pages[-1] + 1}; keep rows whole (CSS: break-inside: "
                       "avoid on tr) or shorten the row")
            before = cells


RULES: list[tuple[str, Callable[[PdfReading], Iterator[str]]]] = [
    ("pdf-broken-word", _broken_words),
    ("pdf-lone-word", _lone_words),
    ("pdf-measure", _measure),
    ("pdf-block-gap", _gutters),
    ("pdf-type-size", _type_size),
    ("pdf-qr-size", _qr_codes),
    ("pdf-heading-kept", _headings_kept),
    ("pdf-widow-orphan", _widows),
    ("pdf-table-row-split", _split_rows),
]
