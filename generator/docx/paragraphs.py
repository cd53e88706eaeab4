"""Writer: HTML -> DOCX, the paragraphs the walk makes and the blocks that are one paragraph of text.

The :class:`Paragraphs` part of the walker (:class:`generator.docx.writer.Writer`
is built on it).  Every paragraph is made by :meth:`Paragraphs.paragraph`,
which gives it its style (a container's variant of it where the document
defines one) and what the walk left pending for the next paragraph: a page
break (``.new-page``, or where the PDF's page starts, see
:mod:`generator.docx.pagination`), a column break, link targets as bookmarks,
and the end of a section (after the contents, and at each chapter's new page,
see :mod:`generator.docx.sections`).  A list item's first paragraph is
numbered, its later ones continue it (:meth:`Paragraphs.body_paragraph`).

Headings, paragraphs, captions and ``<hr>`` each become one paragraph; a
handbook's chapter heading gives the running header its title.
"""

from __future__ import annotations

from dataclasses import replace

from docx.document import Document
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from generator.content.theme import Theme
from generator.docx.blocks import Scope
from generator.docx.forms import signature_blanks
from generator.docx.furniture import CHAPTER_STYLE
from generator.docx.html import LABEL, heading_style, own_style, paragraph_style
from generator.docx.inline import Fmt, Inlines, Runs, classes, collapse
from generator.docx.looks import Look, variant_style
from generator.docx.numbering import continue_indent, number
from generator.docx.ooxml import paragraph_border
from generator.docx.sections import chapter_section, column_break, contents_section, set_field_result


class Paragraphs:
    """New paragraphs, and the text blocks each one paragraph; the walker supplies the rest."""

    document: Document
    theme: Theme
    styles: dict[str, Look]
    runs: Runs
    inlines: Inlines
    made: list[Paragraph]
    pending_page: bool
    pending_break: bool
    pending_column: bool
    pending_bookmarks: list[str]
    contents_end: bool
    chapters: bool
    chapter_header: BaseOxmlElement | None

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

    def caption(self, el: HtmlElement, scope: Scope) -> None:
        self.text_block(el, self.paragraph(scope, own_style(el) or "Caption"), scope.fmt)

    def rule(self, el: HtmlElement, scope: Scope) -> None:
        """``<hr>``: an empty paragraph with a bottom border in the rule color."""
        paragraph = self.paragraph(scope, "Normal")
        ppr = paragraph._p.get_or_add_pPr()
        paragraph_border(ppr, "bottom", self.theme.colors.rule, eighths=6, space=1)
