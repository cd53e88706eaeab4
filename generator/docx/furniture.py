"""Writer: HTML -> DOCX, page furniture: the cover page and the running header and footer.

A ``<section class="cover">`` is the first page alone: the section gets
"different first page" (``w:titlePg``) with an empty first-page header and
footer, so the cover shows no furniture.  A ``<header class="running">`` or
``<footer class="running">`` does not flow into the body: it becomes the
section's default header or footer (the writer walks it into the part this
module hands out).  The document has one section, so python-docx's
``add_section`` pitfall (it copies "different first page") cannot arise.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.section import Section, _Footer, _Header

from generator.docx.ooxml import Field, style_ref

Story = _Header | _Footer
CHAPTER_STYLE = "Heading 1"


def chapter_title(result: str) -> Field:
    """The running chapter title: the text of the last Heading 1 before the page."""
    return style_ref(CHAPTER_STYLE, result)


class Furniture:
    """The header and footer parts of the document's one section, made when first needed."""

    def __init__(self, section: Section) -> None:
        self.section = section

    def blank_first_page(self) -> None:
        """No header or footer on the first page (the cover)."""
        section = self.section
        section.different_first_page_header_footer = True
        for story in (section.first_page_header, section.first_page_footer):
            story.is_linked_to_previous = False  # an empty part of its own: nothing to inherit
            for paragraph in story.paragraphs:  # unstyled: the Header style's rule would show
                ppr = paragraph._p.pPr
                for style in ppr.findall(qn("w:pStyle")) if ppr is not None else ():
                    ppr.remove(style)

    def story(self, tag: str) -> Story:
        """The default header (``tag`` "header") or footer, as its own part."""
        story = self.section.header if tag == "header" else self.section.footer
        story.is_linked_to_previous = False
        return story
