"""Writer: HTML -> DOCX with python-docx, walking the same HTML as the PDF writer.

The ``<head>`` gives the core properties and the document language.  The
``<body>`` is walked block by block through :attr:`Writer.handlers`, a dict
tag -> handler; inline content (:mod:`generator.docx.inline`) becomes runs
with character styles.  Every element maps onto a named Word style made from
the theme (:mod:`generator.docx.styles`); lists get real Word numbering
(:mod:`generator.docx.numbering`).  A few classes mean something of their
own (:attr:`Writer.class_handlers`): ``section.cover`` is a first page without
header or footer, ``header.running``/``footer.running`` are the page header
and footer (:mod:`generator.docx.furniture`), ``nav.toc`` is a Word table of
contents (:mod:`generator.docx.toc`).  An element the writer does not know
stops the build with an error naming the template and line, never a silent
loss.  The output is reproducible (:mod:`generator.docx.package`).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Pt, Twips
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from generator.content.pages import Page
from generator.content.theme import Theme
from generator.docx.blocks import Blocks, Scope
from generator.docx.faces import Known
from generator.docx.fonts import embed_fonts
from generator.docx.forms import control, custom_properties, signature_blanks
from generator.docx.furniture import CHAPTER_STYLE, Furniture, chapter_title
from generator.docx.html import (
    BALANCED,
    BRAND,
    CLASS_STYLES,
    COLUMNS,
    CONTAINERS,
    COVER,
    HEAD_TAGS,
    HEADING_CLASSES,
    HEADING_STYLES,
    KEEP_TOGETHER,
    LABEL,
    LISTS,
    MASTHEAD,
    NEW_PAGE,
    PAGE_BREAK,
    PARENTS,
    ROW,
    RUNNING,
    SHOWCASE,
    SUPPORTED,
    TOC,
    VALUES,
    VARIANTS,
    document_kind,
    first_chapter_title,
    heading_style,
    own_style,
    paragraph_style,
    parse,
    read_head,
    type_scale,
    unsupported,
)
from generator.docx.images import EMU_PER_POINT, Fetch, Image, Images, band, placed, solid_png
from generator.docx.inline import (
    FIELD_CLASSES,
    INLINE_TAGS,
    Fmt,
    Inlines,
    Piece,
    Runs,
    classes,
    collapse,
    pieces,
    visible,
)
from generator.docx.numbering import INDENT, Numbering, continue_indent, define_lists, number
from generator.docx.ooxml import bookmark_names, paragraph_border, set_alt_text
from generator.docx.package import (
    check_page,
    content_size,
    modern_settings,
    reproducible_bytes,
    set_properties,
    setup_section,
    word_lang,
)
from generator.docx.pagination import Breaks, breaking, measure, measured, room_for_breaks, split_lines
from generator.docx.reuse import freed_at_once, themed_document
from generator.docx.sections import (
    chapter_section,
    column_break,
    contents_section,
    end_columns,
    last_columns,
    set_field_result,
    start_columns,
)
from generator.docx.shared import SharedBlocks
from generator.docx.showcase import Showcase, tile_indent, tile_number
from generator.docx.structures import Structures, keep_together
from generator.docx.styles import TOC_LEVELS, apply_theme, looks, variant_style
from generator.docx.toc import Entry, write_contents
from generator.docx.widths import Widths
from generator.errors import MissionpressError
from generator.paths import FONTS
from generator.render.origin import Origin

__all__ = ["CLASS_STYLES", "HEADING_CLASSES", "SUPPORTED", "write_docx"]

Handler = Callable[[HtmlElement, "Scope"], None]
BAND = 0.22 * 72  # the poster's band along the top edge, points at scale 1 (templates/css/poster.css)
FEATURED_INDENT = 2.0  # ems from the margin to the text of a featured list (the poster's goals)
COLUMN_GAP = 2.5  # ems between the poster's columns
LANGUAGE_GAP, RULE_PAD = 2.0, 1.0  # ems between the poster's languages, and from the rule to the second's text
SHOWCASE_GAP = 1.6  # ems between the showcase's columns of running text
COVER_DROP = {"handbook": 0.30, "packet": 0.28}  # the cover's padding-top, a share of the text width


def write_docx(html: str, *, theme: Theme, page: Page, template: str,
               fetch: Fetch | None = None, page_numbers: Mapping[str, int] | None = None,
               font_folders: Sequence[Path] = (FONTS,), origin: Origin | None = None,
               shared: SharedBlocks | None = None, breaks: Breaks | None = None,
               properties: Mapping[str, str] | None = None, leading: float = 1.0) -> bytes:
    """The .docx bytes of a rendered template's HTML (same input, same bytes).

    ``page_numbers`` (element id -> page, e.g. :func:`generator.docx.toc.anchor_pages` of the
    PDF's layout) are the contents' page numbers, and ``breaks`` (:func:`generator.docx.pagination.
    page_starts` of the same layout) where its pages start, which start pages here too.  The faces
    the document shows are embedded from ``font_folders`` (the first folder that has a face wins).
    ``origin`` (from the renderer) names the template line of an element in a message; without it
    ``html`` is its own source.
    The blocks ``shared`` has from documents written before are copied from there, not walked again.
    ``properties`` become custom document properties (a packet's id, name and language).
    ``leading`` multiplies every line height and space of the styles.
    """
    with freed_at_once():
        return _write(html, theme=theme, page=page, template=template, fetch=fetch, page_numbers=page_numbers,
                      font_folders=font_folders, origin=origin, shared=shared, breaks=breaks,
                      properties=properties, leading=leading)


def _write(html: str, *, theme: Theme, page: Page, template: str, fetch: Fetch | None,
           page_numbers: Mapping[str, int] | None, font_folders: Sequence[Path], origin: Origin | None,
           shared: SharedBlocks | None, breaks: Breaks | None,
           properties: Mapping[str, str] | None = None, leading: float = 1.0) -> bytes:
    check_page(page)
    root = parse(html, template)
    origin = origin or Origin(html, template)
    meta = read_head(root, origin)
    kind, scale = document_kind(root), type_scale(root)
    document = themed_document(theme, meta.lang, content_size(page)[0], styled, kind=kind, scale=scale,
                               leading=leading)
    setup_section(document.sections[0], page)
    set_properties(document, meta)
    if properties:
        custom_properties(document, properties)
    writer = Writer(document, root, origin=origin, theme=theme, page=page, lang=meta.lang, fetch=fetch,
                    page_numbers=page_numbers or {}, kind=kind, scale=scale, shared=shared, fonts=font_folders)
    if kind == "poster":
        writer.top_band(BAND * scale)
    elif kind.startswith(SHOWCASE):
        writer.setup_page()
    if breaks is not None:
        writer.page_starts = set(breaking(root, breaks.starts))
        room_for_breaks(document.sections[0], page)
    writer.write()
    writer.end_after_table()
    if breaks is not None:
        split_lines(document.element.body, breaks.splits)
    embed_fonts(document, font_folders, writer.copied)
    modern_settings(document)
    return reproducible_bytes(document)


def styled(document: Document, theme: Theme, lang: str, text_width: float, *, kind: str, scale: float,
           leading: float = 1.0) -> None:
    """The theme's styles and the list definitions, the same for every document of a theme and kind."""
    apply_theme(document, theme, lang, text_width, kind=kind, scale=scale, leading=leading)
    featured = FEATURED_INDENT * theme.sizes.body * scale if kind == "poster" else None
    body = theme.sizes.body * scale
    tile = (theme.fonts.heading, tile_number(theme, kind) * scale, round(tile_indent(kind) * body * 20))
    define_lists(document, theme.colors.accent, round(featured * 20) if featured else continue_indent(0), tile)


class Writer(Showcase, Structures):
    """Walks the body of one HTML document into a python-docx Document."""

    def __init__(self, document: Document, root: HtmlElement, *, origin: Origin, theme: Theme,
                 page: Page, lang: str, fetch: Fetch | None, page_numbers: Mapping[str, int],
                 kind: str = "", scale: float = 1.0, shared: SharedBlocks | None = None,
                 fonts: Sequence[Path] = (FONTS,)) -> None:
        self.document, self.root, self.origin, self.theme, self.page = document, root, origin, theme, page
        self.shared, self.body = shared, root.find("body")
        self.copied = Known()  # the body elements copied from ``shared``, and the faces they show
        self.kind, self.scale = kind, scale
        self.styles = looks(theme, kind, scale)  # the styles this document defines
        self.widths = Widths(document, self.styles, fonts)
        self.numbering = Numbering(document)
        self.made: list[Paragraph] = []  # every body paragraph, in order
        self.pending_column = False
        self.balancing = False  # in a block of balanced columns (``balanced``)
        self.column, self.column_widths = 0, []  # the section column written, and the widths of unequal ones
        self.contents_end = False  # the contents were written: the next body paragraph starts a section
        self.chapters = False  # after the contents: each new page starts a section with its own header
        self.chapter_header: BaseOxmlElement | None = None  # a new section's header, awaiting its title
        self.control_ids = itertools.count(1)
        self.runs = Runs(small=theme.sizes.small, doc_lang=lang)
        self.runs.control = lambda item: control(item.kind, item.name, item.title, next(self.control_ids), lang)
        self.images = Images(self.at, content_size(page), fetch)
        self.text_width = content_size(page)[0]
        fields = {**FIELD_CLASSES, "chapter-title": chapter_title(first_chapter_title(root))}
        self.inlines = Inlines(fail=self.misplaced, lang=self.lang, anchor=self.anchor,
                               target=self.target, picture=self.picture, fields=fields)
        self.furniture = Furniture(document.sections[0])
        self.stories: dict[str, Blocks] = {}  # "header"/"footer" -> where running elements go
        self.ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        hrefs = ((a.get("href") or "").strip() for a in root.iter("a"))
        self.bookmarks = bookmark_names(href[1:] for href in hrefs if href.startswith("#"))
        self.pages = {self.bookmarks[id_]: str(n) for id_, n in page_numbers.items() if id_ in self.bookmarks}
        # What every block's output depends on besides its own HTML (a shared block's key).
        self.setting_key = (origin.name, kind, scale, self.text_width, lang, theme.model_dump_json(),
                            tuple(sorted(self.pages.items())), tuple(map(str, fonts))) if shared is not None else ()
        self.pending_break = False
        self.page_starts: set[HtmlElement] = set()  # blocks that start a page of the PDF
        self.pending_page = False  # the next paragraph starts one: a page break, not a new section
        self.pending_bookmarks: list[str] = []
        self.handlers: dict[str, Handler] = {
            **{tag: self.container for tag in CONTAINERS},
            **{tag: self.heading for tag in HEADING_STYLES},
            "p": self.paragraph_element,
            "blockquote": self.blockquote,
            "figcaption": self.caption,
            "hr": self.rule,
            "ol": self.list,
            "ul": self.list,
            "li": self.list_item,
            "table": self.table,
        }
        # Classes that change how any block is written.
        self.class_handlers: dict[str, Handler] = {
            **{name: self.paragraph_element for name in fields},
            COVER: self.cover,
            RUNNING: self.running,
            ROW: self.row,
            TOC: self.contents,
        }
        if kind.startswith(SHOWCASE):
            self.class_handlers.update({MASTHEAD: self.title_band, BRAND: self.footer_band})

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

    def write(self) -> None:
        if self.body is not None:
            self.container(self.body, Scope(Blocks(self.document)))

    def end_after_table(self) -> None:
        """A body that ends in a table ends in a 1 pt paragraph after it: Word and LibreOffice
        give the last table a paragraph of their own otherwise, a Normal line that can take the
        table on to another page."""
        body = self.document.element.body
        if len(body) > 1 and body[-2].tag == qn("w:tbl"):
            self.document.add_paragraph().style = "Section Break"

    # --- lookups the inline collector shares -------------------------------------------------

    def misplaced(self, el: HtmlElement) -> NoReturn:
        """Stop at an element the writer cannot place here, saying why."""
        if el.tag not in SUPPORTED:
            raise MissionpressError(unsupported(el, self.at(el)))
        where = f"{self.at(el)}: <{el.tag}>"
        parent = el.getparent().tag
        if el.tag in PARENTS:
            raise MissionpressError(f"{where} must be inside {PARENTS[el.tag]}, not <{parent}>")
        raise MissionpressError(
            f"{where} cannot be inside <{parent}> in the Word writer "
            "(blocks go in sections and divs, text in blocks; lists hold only <li>)"
        )

    def at(self, el: HtmlElement) -> str:
        return self.origin.element(el)

    def lang(self, el: HtmlElement) -> str | None:
        value = (el.get("lang") or "").strip()
        return word_lang(value) if value else None

    def target(self, el: HtmlElement) -> str | None:
        """The bookmark name of an element some link points at."""
        return self.bookmarks.get(el.get("id") or "")

    def picture(self, el: HtmlElement) -> Image:
        """An ``<img>`` loaded, sized and placed as the stylesheet places it."""
        sizes = self.theme.sizes
        if self.kind.startswith(SHOWCASE):
            return self.band_picture(self.images.load(el), el)
        return placed(self.images.load(el), el, kind=self.kind, em=sizes.body * self.scale,
                      small=sizes.small * self.scale)

    def anchor(self, el: HtmlElement, id_: str) -> str:
        if id_ not in self.ids:
            raise MissionpressError(
                f'{self.at(el)}: <a href="#{id_}"> points at no element '
                f'(give the target id="{id_}" or fix the link)'
            )
        return self.bookmarks[id_]

    # --- walking -------------------------------------------------------------------------------

    def flow(self, el: HtmlElement, scope: Scope, block: Handler | None = None) -> None:
        """Write the children of a block container; loose text makes anonymous paragraphs."""
        loose: list[Piece] = []
        for part in pieces(el):
            if isinstance(part, str) or not isinstance(part.tag, str) or part.tag in INLINE_TAGS:
                loose.append(part)
            elif part.tag not in HEAD_TAGS:
                self.anonymous(loose, scope)
                loose = []
                (block or self.block)(part, scope)
        self.anonymous(loose, scope)

    def block(self, el: HtmlElement, scope: Scope) -> None:
        if self.shared is not None and scope.item is None and scope.out.container is self.document:
            self.shared.place(self, el, scope, lambda: self.walk(el, scope))
        else:
            self.walk(el, scope)

    def walk(self, el: HtmlElement, scope: Scope) -> None:
        names = classes(el)
        handler = next((self.class_handlers[c] for c in names if c in self.class_handlers), None)
        handler = handler or self.handlers.get(el.tag)
        if handler is None:
            self.misplaced(el)
        if NEW_PAGE in names:
            self.pending_break = True
        if el in self.page_starts:
            self.pending_page = True
        name = self.target(el)
        if name:
            self.pending_bookmarks.append(name)
        lang = self.lang(el)
        inner = replace(scope, fmt=replace(scope.fmt, lang=lang)) if lang else scope
        start = len(self.made)
        count = next((int(m.group(1)) for c in names if (m := BALANCED.fullmatch(c))), 1)
        if count > 1 and scope.out.container is self.document:
            self.balanced(el, inner, handler, count)
        else:
            handler(el, inner)
        if measured(self.kind, el) and len(self.made) > start:
            style = self.made[start].style  # the type the measure is counted in
            look = self.styles.get(style.name or "") if style is not None else None
            size = (look.size if look and look.size else None) or self.styles["Normal"].size or 0.0
            measure(self.made[start:], self.text_width, Twips(INDENT * scope.depth).pt, size)
        if PAGE_BREAK in names:
            self.pending_break = True

    def anonymous(self, loose: list[Piece], scope: Scope) -> None:
        if not any(not isinstance(p, str) or p.strip(" \t\n\r\f") for p in loose):
            return
        items = collapse(self.inlines.collect(loose, scope.fmt))
        elements = [p for p in loose if not isinstance(p, str) and isinstance(p.tag, str)]
        logo = [el.tag == "img" and "logo" in classes(el) for el in elements] == [True]
        if visible(items):
            self.runs.write(self.body_paragraph(scope, "Logo" if logo else None), items)
        else:
            self.pending_bookmarks += [i.name for i in items]  # type: ignore[union-attr]

    def paragraph(self, scope: Scope, style: str) -> Paragraph:
        """A new paragraph in ``style``, taking any pending page break and bookmarks."""
        new_page = self.pending_page and scope.out.container is self.document  # never in a header or cell
        self.pending_page = self.pending_page and not new_page
        if self.contents_end and scope.out.container is self.document:
            # What follows the contents starts a section; the contents' section ends in a paragraph
            # of its own (LibreOffice loses the footer's fields when it ends inside the TOC field).
            self.contents_end, self.chapters = False, True
            end = scope.out.paragraph()
            end.style = "Section Break"
            contents_section(self.document, end)
            self.pending_break = new_page = False  # the new section starts the next page
        elif self.chapters and self.pending_break and scope.out.container is self.document:
            self.chapter_header = chapter_section(self.document, self.section_end(scope))
            self.pending_break = new_page = False
        paragraph = scope.out.paragraph()
        style = variant_style(scope.variants, style, self.styles)
        if style != "Normal":
            paragraph.style = style
        if self.pending_break or new_page:
            paragraph.paragraph_format.page_break_before = True
            self.pending_break = False
        if self.pending_column:
            column_break(paragraph)
            self.pending_column = False
        for name in self.pending_bookmarks:
            self.runs.bookmark(paragraph, name)
        self.pending_bookmarks = []
        if scope.out.container is self.document:
            self.made.append(paragraph)
        if scope.item is not None:
            scope.item.paragraphs.append(paragraph)
        return paragraph

    def section_end(self, scope: Scope) -> Paragraph:
        """The paragraph a section can end in: the last of the body, or a new one after a table."""
        if self.made and self.made[-1]._p is self.document.element.body[-2]:
            return self.made[-1]
        end = scope.out.paragraph()
        end.style = "Section Break"
        return end

    def body_paragraph(self, scope: Scope, own: str | None) -> Paragraph:
        """A text paragraph: a list item's, else own class -> ancestor class -> Normal."""
        item = scope.item
        if item is None:
            return self.paragraph(scope, own or scope.style or "Normal")
        if not item.numbered:
            item.numbered = True
            paragraph = self.paragraph(scope, item.style)
            if item.num_id:
                number(paragraph, item.num_id, item.ilvl)
            return paragraph
        paragraph = self.paragraph(scope, "List Continue")
        paragraph.paragraph_format.left_indent = Twips(continue_indent(item.ilvl))
        return paragraph

    def text_block(self, el: HtmlElement, paragraph: Paragraph, fmt: Fmt) -> None:
        self.runs.write(paragraph, collapse(self.inlines.content(el, fmt)))

    # --- block handlers ------------------------------------------------------------------------

    def container(self, el: HtmlElement, scope: Scope) -> None:
        names = classes(el)
        variant = next((VARIANTS[c] for c in names if c in VARIANTS), None)
        if variant:
            scope = replace(scope, variants=(variant, *scope.variants))
        if VALUES in names:
            scope = replace(scope, fmt=replace(scope.fmt, emphasis_style="Core Value"))
        inner = replace(scope, style=own_style(el) or scope.style)
        start = len(self.made)
        side_by_side = COLUMNS in names or (el.tag == "main" and self.bilingual)  # the showcase's languages
        if side_by_side and scope.out.container is self.document:
            self.columns(el, inner)
        else:
            self.flow(el, inner)
        if KEEP_TOGETHER in names:
            keep_together(self.made[start:])

    def columns(self, el: HtmlElement, scope: Scope) -> None:
        """``.columns``: each child block a column of a section of its own."""
        blocks = [child for child in el if isinstance(child.tag, str) and child.tag not in HEAD_TAGS]
        start_columns(self.document, self.made[-1] if self.made else None)
        ems = COLUMN_GAP if self.kind == "poster" else 2.4 if self.bilingual else 2.0  # the showcase's: 2 x 1.2em
        gap = ems * self.theme.sizes.body * self.scale
        shares = [float(child.get("data-share") or 0) for child in blocks]  # each column's share of the width
        self.column_widths = [share * self.text_width - gap / 2 for share in shares] if all(shares) else []
        if self.kind == "poster" and all(shares):  # the CSS grid's gap, the next language in from its rule
            em = self.theme.sizes.body * self.scale
            gap = (LANGUAGE_GAP + RULE_PAD) * em
            self.column_widths = [share * (self.text_width - LANGUAGE_GAP * em) - (RULE_PAD * em if n else 0.0)
                                  for n, share in enumerate(shares)]
        for n, child in enumerate(blocks):
            self.pending_column = n > 0
            self.column = n
            self.block(child, scope)
        self.pending_column = False
        if not self.made:
            return
        separator = len(blocks) > 1 and all(child.get("lang") for child in blocks)
        if self.kind.startswith(SHOWCASE):  # nothing follows the showcase's languages in the body
            last_columns(self.document, len(blocks), gap, separator, self.column_widths)
        else:
            end_columns(self.document, self.section_end(scope), len(blocks), gap, separator, self.column_widths)

    def balanced(self, el: HtmlElement, scope: Scope, handler: Handler, count: int) -> None:
        """``.balanced-N``: the block's text flows through ``count`` columns of a continuous section of
        its own, which Word (and LibreOffice) balance so that the columns end together, as the PDF's."""
        start_columns(self.document, self.made[-1] if self.made else None)
        self.balancing = True
        handler(el, scope)
        self.balancing = False
        ems = COLUMN_GAP if self.kind == "poster" else SHOWCASE_GAP
        end_columns(self.document, self.section_end(scope), count, ems * self.theme.sizes.body * self.scale,
                    separator=False)

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
        self.flow(el, Scope(self.stories[el.tag], style=own_style(el) or story_style, fmt=scope.fmt))
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

    def heading(self, el: HtmlElement, scope: Scope) -> None:
        style = heading_style(el)
        small = "small" in classes(el) and style != LABEL  # the Label style is small itself
        fmt = replace(scope.fmt, small=True) if small else scope.fmt
        paragraph = self.paragraph(scope, style)
        self.text_block(el, paragraph, fmt)
        if self.chapter_header is not None and style == CHAPTER_STYLE:
            set_field_result(self.chapter_header, paragraph.text)
            self.chapter_header = None

    def paragraph_element(self, el: HtmlElement, scope: Scope) -> None:
        style = paragraph_style(el)
        paragraph = self.body_paragraph(scope, style)
        self.text_block(el, paragraph, scope.fmt)
        if style == "Signature Line" and scope.item is None:
            signature_blanks(paragraph)

    def blockquote(self, el: HtmlElement, scope: Scope) -> None:
        self.flow(el, replace(scope, style=own_style(el) or "Quote"))

    def caption(self, el: HtmlElement, scope: Scope) -> None:
        self.text_block(el, self.paragraph(scope, own_style(el) or "Caption"), scope.fmt)

    def rule(self, el: HtmlElement, scope: Scope) -> None:
        """``<hr>``: an empty paragraph with a bottom border in the rule color."""
        paragraph = self.paragraph(scope, "Normal")
        ppr = paragraph._p.get_or_add_pPr()
        paragraph_border(ppr, "bottom", self.theme.colors.rule, eighths=6, space=1)
