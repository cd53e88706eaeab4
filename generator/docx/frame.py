"""Writer: HTML -> DOCX, the frame around the running text: cover, running header and footer, contents.

The :class:`Frame` part of the walker (:class:`generator.docx.writer.Writer`
is built on it): the blocks of the body that are not running text.

- ``section.cover``: the first page, alone and without header or footer
  (:mod:`generator.docx.furniture`), set as low on the page as the PDF's;
- ``header.running``/``footer.running``: the page header and footer, walked
  into their own parts, not the body;
- the poster's band along the top edge of the page, a picture in the page header;
- ``nav.toc``: the contents, its lists one Word TOC field (:mod:`generator.docx.toc`),
  after which a new section starts (see :meth:`generator.docx.paragraphs.Paragraphs.paragraph`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import NoReturn

from docx.document import Document
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Pt
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from generator.content.pages import Page
from generator.content.theme import Theme
from generator.docx.blocks import Blocks, Handler, Scope
from generator.docx.furniture import Furniture
from generator.docx.html import LISTS, own_style
from generator.docx.images import EMU_PER_POINT, band, solid_png
from generator.docx.inline import Fmt, Inlines, Runs, collapse, pieces
from generator.docx.looks import TOC_LEVELS
from generator.docx.ooxml import set_alt_text
from generator.docx.toc import Entry, write_contents
from generator.errors import MissionpressError

BAND = 0.22 * 72  # the poster's band along the top edge, points at scale 1 (templates/css/poster.css)
COVER_DROP = {"handbook": 0.30, "packet": 0.28}  # the cover's padding-top, a share of the text width


class Frame:
    """The cover, the running header and footer, the top band, the contents; the walker supplies the rest."""

    document: Document
    theme: Theme
    page: Page
    kind: str
    text_width: float
    furniture: Furniture
    stories: dict[str, Blocks]
    inlines: Inlines
    runs: Runs
    made: list[Paragraph]
    pages: Mapping[str, str]
    page_starts: set[HtmlElement]
    pending_break: bool
    pending_bookmarks: list[str]
    contents_end: bool

    # The walker's own (annotations only: the walker's methods are found first).
    block: Callable[[HtmlElement, Scope], None]
    container: Callable[[HtmlElement, Scope], None]
    flow: Callable[[HtmlElement, Scope, Handler | None], None]
    paragraph: Callable[[Scope, str], Paragraph]
    misplaced: Callable[[HtmlElement], NoReturn]
    at: Callable[[HtmlElement], str]
    target: Callable[[HtmlElement], str | None]
    children: Callable[[HtmlElement], Iterator[HtmlElement]]

    def top_band(self, height: float) -> None:
        """The poster's band along the top edge of the page, edge to edge: a picture in the primary
        colour, ``height`` points tall, behind the page header (the PDF paints it on the page)."""
        paragraph = self.furniture.story("header").paragraphs[0]
        paragraph.style = "Section Break"  # no Header rule, no height of its own
        run = paragraph.add_run()
        r_id, picture = run.part.get_or_add_image(io.BytesIO(solid_png(self.theme.colors.primary)))
        inline = CT_Inline.new_pic_inline(0, r_id, picture.filename, Emu(round(self.page.width * EMU_PER_POINT)),
                                          Emu(round(height * EMU_PER_POINT)))
        drawing_id = next(self.runs.drawing_ids)
        set_alt_text(inline.docPr, drawing_id, "")  # decoration
        run._r.add_drawing(band(inline, drawing_id))

    def cover(self, el: HtmlElement, scope: Scope) -> None:
        """``section.cover``: the first page, alone and without header or footer."""
        if self.document.paragraphs or self.document.tables:
            raise MissionpressError(
                f'{self.at(el)}: <{el.tag} class="cover"> must come first '
                "in the body (Word leaves out the header and footer of the first page only)"
            )
        self.furniture.blank_first_page()
        self.container(el, scope)
        if self.made:  # placed as the PDF's cover, whose padding-top is a share of the text width
            share = COVER_DROP.get(self.kind, 0.0)
            self.made[0].paragraph_format.space_before = Pt(share * self.text_width)
        self.pending_break = True  # the next block starts page 2, as the PDF's named page does

    def running(self, el: HtmlElement, scope: Scope) -> None:
        """``header.running``/``footer.running``: the page header or footer, not body text."""
        if el.tag not in ("header", "footer"):
            raise MissionpressError(
                f'{self.at(el)}: <{el.tag} class="running">: '
                "only <header> and <footer> can run on every page"
            )
        if el.tag not in self.stories:
            self.stories[el.tag] = Blocks(self.furniture.story(el.tag), self.text_width)
        # A pending page break or link target belongs to the next body paragraph, not to the header.
        pending = self.pending_break, self.pending_bookmarks
        self.pending_break, self.pending_bookmarks = False, []
        story_style = "Header" if el.tag == "header" else "Footer"
        self.flow(el, Scope(self.stories[el.tag], style=own_style(el) or story_style, fmt=scope.fmt), None)
        self.pending_break, self.pending_bookmarks = pending

    def contents(self, el: HtmlElement, scope: Scope) -> None:
        """``nav.toc``: its lists become one Word TOC field, its other blocks stay as they are."""
        entries: list[Entry] = []

        def block(child: HtmlElement, inner: Scope) -> None:
            if child.tag in LISTS:
                entries.extend(self.entries(child, 1))
                return
            self.toc_field(entries, inner)
            entries.clear()
            self.block(child, inner)

        inner = replace(scope, style=own_style(el) or scope.style)
        self.flow(el, inner, block)
        self.toc_field(entries, inner)
        self.contents_end = scope.out.container is self.document  # see paragraph()

    def entries(self, el: HtmlElement, level: int) -> Iterator[Entry]:
        """The contents entries of a list of links, nested lists one level down."""
        for li in self.children(el):
            if li.tag != "li":
                self.misplaced(li)
            if level > TOC_LEVELS:
                raise MissionpressError(f"{self.at(el)}: <{el.tag}>: the "
                                        f"contents go {TOC_LEVELS} levels deep at most")
            inline = [p for p in pieces(li) if isinstance(p, str) or p.tag not in LISTS]
            target = self.target(li)
            entry = Entry.of(level, collapse(self.inlines.collect(inline, Fmt())), page_break=li in self.page_starts)
            yield replace(entry, bookmarks=(target, *entry.bookmarks)) if target else entry
            for sub in li:
                if isinstance(sub.tag, str) and sub.tag in LISTS:
                    yield from self.entries(sub, level + 1)

    def toc_field(self, entries: list[Entry], scope: Scope) -> None:
        write_contents(self.document, entries, lambda style: self.paragraph(scope, style),
                       self.runs.bookmark, self.pages)
