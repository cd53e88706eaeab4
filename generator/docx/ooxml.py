"""Writer: HTML -> DOCX, the WordprocessingML python-docx has no API for.

Small builders of raw elements, each named for what Word calls it: complex
fields (``PAGE``, ``NUMPAGES``, ``STYLEREF``, ``PAGEREF``, ``TOC``), Word's
``updateFields`` setting, bookmarks, hyperlinks, run languages, picture alt
text and paragraph borders.  The walker (:mod:`generator.docx.writer`)
decides where they go.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

# The Office 2019+ "mark as decorative" flag of a drawing (a:extLst of wp:docPr).
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new ``w:`` element with ``w:`` attributes: ``element("w:lang", val="en-US")``."""
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


@dataclass(frozen=True)
class Field:
    """A complex field: ``fldChar`` begin, ``instrText``, separate, result, end.

    ``result`` is the text shown until the reader updates the field; ``dirty``
    asks Word to update it on open (for a TOC).  A field whose result spans
    paragraphs (a TOC) is written as :meth:`opening`, the result, :meth:`closing`.
    """

    instruction: str
    result: str = ""
    dirty: bool = False

    def runs(self, rpr: BaseOxmlElement | None = None) -> Iterator[BaseOxmlElement]:
        """The ``w:r`` elements of the field, each with a copy of ``rpr``."""
        yield from self.opening(rpr)
        yield text_run(self.result, rpr)
        yield from self.closing(rpr)

    def opening(self, rpr: BaseOxmlElement | None = None) -> Iterator[BaseOxmlElement]:
        """Begin, instruction and separator: the result follows."""
        begin = element("w:fldChar", fldCharType="begin")
        if self.dirty:
            begin.set(qn("w:dirty"), "true")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {self.instruction} "
        for content in (begin, instr, element("w:fldChar", fldCharType="separate")):
            yield _run(content, rpr)

    def closing(self, rpr: BaseOxmlElement | None = None) -> Iterator[BaseOxmlElement]:
        yield _run(element("w:fldChar", fldCharType="end"), rpr)


def _run(content: BaseOxmlElement, rpr: BaseOxmlElement | None) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    if rpr is not None:
        run.append(deepcopy(rpr))
    run.append(content)
    return run


def text_run(text: str, rpr: BaseOxmlElement | None = None) -> BaseOxmlElement:
    """A ``w:r`` holding ``text`` (spaces kept)."""
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    return _run(t, rpr)


def tab_run(rpr: BaseOxmlElement | None = None) -> BaseOxmlElement:
    return _run(OxmlElement("w:tab"), rpr)


def style_ref(style: str, result: str = "") -> Field:
    """The text of the nearest paragraph in ``style`` (a running chapter title)."""
    return Field(f'STYLEREF "{style}"', result)


def page_ref(bookmark_name: str, result: str = "") -> Field:
    """The page number of a bookmark (``\\h``: a link to it)."""
    return Field(f"PAGEREF {bookmark_name} \\h", result)


PAGE = Field("PAGE", "1")
NUMPAGES = Field("NUMPAGES", "1")


def bookmark(bookmark_id: int, name: str) -> tuple[BaseOxmlElement, BaseOxmlElement]:
    """A point bookmark: ``w:bookmarkStart`` and its ``w:bookmarkEnd``."""
    start = element("w:bookmarkStart", id=str(bookmark_id), name=name)
    end = element("w:bookmarkEnd", id=str(bookmark_id))
    return start, end


def bookmark_names(ids: Iterable[str]) -> dict[str, str]:
    """id -> a unique Word bookmark name (a letter, then letters, digits, ``_``; 40 at most).

    Word compares bookmark names ignoring case, so ``Goal`` and ``goal`` get different names.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for id_ in sorted(set(ids)):
        name = re.sub(r"[^A-Za-z0-9_]", "_", id_)[:36]
        if not name or name[0] not in string.ascii_letters:
            name = "id_" + name[:33]
        base, n = name, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}_{n}"
        names[id_] = name
        taken.add(name.lower())
    return names


def hyperlink(*, r_id: str | None = None, anchor: str | None = None) -> BaseOxmlElement:
    """An empty ``w:hyperlink`` to a relationship (external URL) or a bookmark."""
    link = OxmlElement("w:hyperlink")
    if r_id is not None:
        link.set(qn("r:id"), r_id)
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    return link


def set_run_lang(rpr: BaseOxmlElement, lang: str) -> None:
    """Set the proofing language of a run (``w:lang``), in schema order."""
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert_element_before(
        element("w:lang", val=lang), "w:eastAsianLayout", "w:specVanish", "w:oMath"
    )


def set_alt_text(doc_pr: BaseOxmlElement, drawing_id: int, alt: str) -> None:
    """Number a picture's ``wp:docPr`` and give it alt text (``alt=""``: decorative)."""
    doc_pr.set("id", str(drawing_id))
    doc_pr.set("name", f"Picture {drawing_id}")
    doc_pr.set("descr", alt)
    if alt:
        doc_pr.set("title", alt)
        return
    ext_lst = doc_pr.makeelement(f"{{{DRAWING_NS}}}extLst", {})
    ext = doc_pr.makeelement(f"{{{DRAWING_NS}}}ext", {"uri": DECORATIVE_EXT})
    flag = ext.makeelement(f"{{{DECORATIVE_NS}}}decorative", {"val": "1"}, nsmap={"adec": DECORATIVE_NS})
    ext.append(flag)
    ext_lst.append(ext)
    doc_pr.append(ext_lst)


def border(side: str, color: str, *, eighths: int, space: int = 1) -> BaseOxmlElement:
    """A single-line border (``w:top``, ``w:left``...) of ``eighths`` of a point in ``color``."""
    return element(
        f"w:{side}", val="single", sz=str(eighths), space=str(space), color=color.lstrip("#").upper()
    )


def paragraph_border(ppr: BaseOxmlElement, side: str, color: str, *, eighths: int, space: int) -> None:
    """Give a paragraph (or paragraph style) one border, in ``w:pPr`` schema order."""
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = OxmlElement("w:pBdr")
        ppr.insert_element_before(
            pbdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
            "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
            "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
            "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
            "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
            "w:rPr", "w:sectPr", "w:pPrChange",
        )
    for old in pbdr.findall(qn(f"w:{side}")):
        pbdr.remove(old)
    order = ["top", "left", "bottom", "right", "between", "bar"]
    new = border(side, color, eighths=eighths, space=space)
    later = [qn(f"w:{s}") for s in order[order.index(side) + 1 :]]
    for i, child in enumerate(pbdr):
        if child.tag in later:
            pbdr.insert(i, new)
            return
    pbdr.append(new)
