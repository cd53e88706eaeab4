"""Writer: HTML -> DOCX, the contents (``<nav class="toc">``) as a Word TOC field.

The nested lists of links become one ``TOC`` field whose result is written
here: one paragraph per entry in Word's "TOC 1"... styles (dotted leader to a
right-aligned tab at the margin, see :mod:`generator.docx.styles`), each an
internal hyperlink to its heading's bookmark with a ``PAGEREF`` field for the
page number.  The result carries the page numbers the caller knows (the
PDF's, :func:`anchor_pages`; the Word pages break where the PDF's do, see
:mod:`generator.docx.pagination`, so they agree), so no reader has to update
the field and Word asks nothing when it opens the file; pressing F9 rebuilds
it with the same entries (the field lists the heading levels the contents
list, and never the Title).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from docx.document import Document
from docx.text.paragraph import Paragraph

from generator.docx.inline import Bookmark, Item, Text
from generator.docx.looks import TOC_STYLES
from generator.docx.ooxml import Field, hyperlink, page_ref, tab_run, text_run


def toc_field(levels: int) -> Field:
    """Heading 1 to ``levels`` (as deep as the contents list goes), as links (``\\h``), no page
    numbers in web view (``\\z``); no ``\\u``, so only heading styles enter, never the Title."""
    return Field(f'TOC \\o "1-{levels}" \\h \\z')

STYLE_NAMES = tuple(TOC_STYLES)  # level 1 -> "toc 1"...


class LaidOutPage(Protocol):
    anchors: Mapping[str, object]  # a WeasyPrint page: element id -> position


def anchor_pages(pages: Iterable[LaidOutPage]) -> dict[str, int]:
    """Element id -> the (1-based) page it stands on, from a laid-out document's pages."""
    numbers: dict[str, int] = {}
    for number, page in enumerate(pages, 1):
        for id_ in page.anchors:
            numbers.setdefault(id_, number)
    return numbers


@dataclass(frozen=True)
class Entry:
    """One contents line: its level (1 = chapter), text, and the bookmark it points at."""

    level: int
    text: str
    anchor: str | None = None
    bookmarks: tuple[str, ...] = ()  # link targets on the entry itself
    page_break: bool = False  # the entry starts a page of the PDF's contents

    @classmethod
    def of(cls, level: int, items: Iterable[Item], page_break: bool = False) -> Entry:
        """The entry for a list item's collapsed inline items: all its text, its first internal link."""
        items = list(items)
        text = "".join(i.text for i in items if isinstance(i, Text))
        anchor = next((i.fmt.link.anchor for i in items
                       if not isinstance(i, Bookmark) and i.fmt.link and i.fmt.link.anchor), None)
        bookmarks = tuple(i.name for i in items if isinstance(i, Bookmark))
        return cls(level, text, anchor, bookmarks, page_break)


def write_contents(document: Document, entries: list[Entry], paragraph: Callable[[str], Paragraph],
                   bookmark: Callable[[Paragraph, str], None], pages: Mapping[str, str]) -> None:
    """The TOC field over one paragraph per entry; ``paragraph(style)`` makes the next one.

    ``pages``: bookmark name -> the page number shown until the field is updated.
    """
    if not entries:
        return
    last: Paragraph | None = None
    field = toc_field(max(entry.level for entry in entries))
    for entry in entries:
        last = paragraph(STYLE_NAMES[entry.level - 1])
        if entry.page_break:
            last.paragraph_format.page_break_before = True
        p = last._p
        if entry is entries[0]:
            p.extend(field.opening())
        for name in entry.bookmarks:
            bookmark(last, name)
        if entry.anchor is None:
            p.append(text_run(entry.text))
            continue
        link = hyperlink(anchor=entry.anchor)
        link.append(text_run(entry.text))
        link.append(tab_run())
        link.extend(page_ref(entry.anchor, pages.get(entry.anchor, "")).runs())
        p.append(link)
    assert last is not None
    last._p.extend(field.closing())
