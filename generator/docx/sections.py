"""Writer: HTML -> DOCX, Word sections: side-by-side columns, the contents' own section, the band.

A Word section keeps its properties (page, columns, header and footer) in a
``w:sectPr`` at its end: in the last paragraph of every section but the
last, in the body for the last.  :func:`end_section` closes a section at a
given paragraph with a copy of the body's properties, without the empty
paragraph python-docx's ``add_section`` would add.

- ``<... class="columns">`` (the poster's languages side by side, or its two
  columns on a landscape page) becomes a continuous section of as many
  columns as the container has child blocks, a column break between them and
  a line between the columns, as the PDF's flex row with its rule.
- After the contents (``nav.toc``), a new section starts, so the contents
  page keeps an empty running header (the PDF has no chapter there yet) and
  the chapters get the STYLEREF header; the footer runs on.  Every later
  new-page block starts a section too, whose header copy shows its chapter's
  title until a reader updates the field.
"""

from __future__ import annotations

from copy import deepcopy

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from generator.docx.ooxml import element

SECT_PR_AFTER_COLS = ("w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                      "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _body_sect_pr(document: Document) -> BaseOxmlElement:
    return document.element.body.get_or_add_sectPr()


def _set_type(sect_pr: BaseOxmlElement, kind: str) -> None:
    for old in sect_pr.findall(qn("w:type")):
        sect_pr.remove(old)
    anchor = [c for c in sect_pr if c.tag in (qn("w:headerReference"), qn("w:footerReference"),
                                                qn("w:footnotePr"), qn("w:endnotePr"))]
    new = element("w:type", val=kind)
    if anchor:
        anchor[-1].addnext(new)
    else:
        sect_pr.insert(0, new)


def _set_cols(sect_pr: BaseOxmlElement, count: int, space: float, separator: bool,
              widths: list[float] | None = None) -> None:
    """``count`` columns ``space`` points apart, of equal width or of ``widths`` (points)."""
    for old in sect_pr.findall(qn("w:cols")):
        sect_pr.remove(old)
    cols = element("w:cols", space=str(round(space * 20)))
    if count > 1:
        cols.set(qn("w:num"), str(count))
        if separator:
            cols.set(qn("w:sep"), "1")
        if widths:
            cols.set(qn("w:equalWidth"), "0")
            for n, width in enumerate(widths):
                col = element("w:col", w=str(round(width * 20)))
                if n < len(widths) - 1:
                    col.set(qn("w:space"), str(round(space * 20)))
                cols.append(col)
    sect_pr.insert_element_before(cols, *SECT_PR_AFTER_COLS)


def end_section(document: Document, last: Paragraph) -> BaseOxmlElement:
    """End a section at paragraph ``last``, with a copy of the body's properties; that copy."""
    sect_pr = deepcopy(_body_sect_pr(document))
    ppr = last._p.get_or_add_pPr()
    for old in ppr.findall(qn("w:sectPr")):
        ppr.remove(old)
    ppr.insert_element_before(sect_pr, "w:pPrChange")
    return sect_pr


def start_columns(document: Document, before: Paragraph | None) -> None:
    """The text after ``before`` starts a continuous section (the columns)."""
    if before is not None:
        _set_cols(end_section(document, before), 1, 36, separator=False)
    _set_type(_body_sect_pr(document), "continuous")


def end_columns(document: Document, last: Paragraph, count: int, gap: float, separator: bool,
                widths: list[float] | None = None) -> None:
    """The columns (of equal width, or of ``widths`` points) end at ``last``; the text after it is
    one column again."""
    sect_pr = end_section(document, last)
    _set_cols(sect_pr, count, gap, separator, widths)
    _set_type(sect_pr, "continuous")
    _set_type(_body_sect_pr(document), "continuous")


def column_break(paragraph: Paragraph) -> None:
    """Start ``paragraph`` at the top of the next column."""
    run = element("w:r")
    run.append(element("w:br", type="column"))
    ppr = paragraph._p.pPr
    if ppr is None:
        paragraph._p.insert(0, run)
    else:
        ppr.addnext(run)


def contents_section(document: Document, last: Paragraph) -> None:
    """The contents end a section that has an empty running header; the next starts a page.

    The running header written so far moves to the following section; the first page
    (the cover) keeps its blank header and footer in the first section only.
    """
    body = _body_sect_pr(document)
    default = [r for r in body.findall(qn("w:headerReference")) if r.get(qn("w:type")) == "default"]
    first = end_section(document, last)
    if default:
        header_part, r_id = document.part.add_header_part()
        for ppr in header_part.element.iter(qn("w:pPr")):  # unstyled: the PDF shows no rule there
            for style in ppr.findall(qn("w:pStyle")):
                ppr.remove(style)
        for ref in first.findall(qn("w:headerReference")):
            if ref.get(qn("w:type")) == "default":
                ref.set(qn("r:id"), r_id)
    for ref in first.findall(qn("w:footerReference")):
        if ref.get(qn("w:type")) == "default":  # a copy of its own (LibreOffice drops the fields of a shared one)
            ref.set(qn("r:id"), _copy_part(document, ref.get(qn("r:id")), footer=True)[1])
    for ref in body.findall(qn("w:headerReference")) + body.findall(qn("w:footerReference")):
        if ref.get(qn("w:type")) != "default":
            body.remove(ref)
    for title_pg in body.findall(qn("w:titlePg")):
        body.remove(title_pg)
    _set_type(body, "nextPage")


def _copy_part(document: Document, r_id: str, footer: bool = False) -> tuple[BaseOxmlElement, str]:
    """A new header (or footer) part with the content of part ``r_id``: its element and id."""
    shared = document.part.related_parts[r_id]
    part, new_id = document.part.add_footer_part() if footer else document.part.add_header_part()
    root = part.element
    for child in list(root):
        root.remove(child)
    root.extend(deepcopy(child) for child in shared.element)
    return root, new_id


def chapter_section(document: Document, last: Paragraph) -> BaseOxmlElement | None:
    """End a section at ``last``; the next (a new page) gets a copy of the running header.

    The copy is returned, for :func:`set_field_result` to show the new chapter's title:
    a reader that does not update STYLEREF (LibreOffice 7.4) shows that result, so each
    chapter's pages carry their own title, as in the PDF.
    """
    end_section(document, last)
    body = _body_sect_pr(document)
    for ref in body.findall(qn("w:headerReference")):
        if ref.get(qn("w:type")) == "default":
            header, r_id = _copy_part(document, ref.get(qn("r:id")))
            ref.set(qn("r:id"), r_id)
            return header
    return None


def set_field_result(root: BaseOxmlElement, text: str) -> None:
    """The shown result of the first field in ``root`` becomes ``text``."""
    inside, done = False, False
    for run in list(root.iter(qn("w:r"))):
        char = run.find(qn("w:fldChar"))
        kind = char.get(qn("w:fldCharType")) if char is not None else None
        if kind == "separate":
            inside = True
        elif kind == "end" and inside:
            return
        elif inside:
            for t in run.findall(qn("w:t")):
                t.text = "" if done else text
                done = True


def last_columns(document: Document, count: int, gap: float, separator: bool,
                 widths: list[float] | None = None) -> None:
    """The columns run to the end of the document: the last section has them (and is not balanced,
    so a table at the foot of a column stays in it); of equal width, or of ``widths`` (points)."""
    _set_cols(_body_sect_pr(document), count, gap, separator, widths)
