"""Writer: HTML -> DOCX, list numbering (``word/numbering.xml``).

Two abstract numberings, one decimal and one bullet, nine levels each; every
``<ol>`` or ``<ul>`` gets its own ``w:num`` instance with a ``startOverride``
on its level, so every list restarts at 1 (or its ``start``): the numbering
that runs on from list to list (python-docx #25) cannot happen.  The default
template's own numberings are removed, and with them the ``numPr`` its list
styles carried, so a list style alone never numbers a paragraph.
"""

from __future__ import annotations

from typing import Literal

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

Kind = Literal["decimal", "bullet"]
LEVELS = 9
INDENT = 360  # twips per level (1/4 in), also the hanging indent of the number
BULLETS = ("\u2022", "\u2013", "\u2023")  # bullet, en dash, triangular bullet
ABSTRACT_IDS: dict[Kind, int] = {"decimal": 0, "bullet": 1}


def _level(kind: Kind, ilvl: int) -> str:
    text = f"%{ilvl + 1}." if kind == "decimal" else BULLETS[ilvl % len(BULLETS)]
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{kind}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{INDENT * (ilvl + 1)}" w:hanging="{INDENT}"/></w:pPr></w:lvl>'
    )


def _abstract_num(kind: Kind) -> str:
    abstract_id = ABSTRACT_IDS[kind]
    levels = "".join(_level(kind, i) for i in range(LEVELS))
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="4D50000{abstract_id}"/><w:multiLevelType w:val="hybridMultilevel"/>'
        f"{levels}</w:abstractNum>"
    )


def continue_indent(ilvl: int) -> int:
    """The left indent (twips) of an unnumbered paragraph that continues a list item."""
    return INDENT * (ilvl + 1)


class Numbering:
    """The document's list definitions; :meth:`new_list` makes one list instance."""

    def __init__(self, document: Document) -> None:
        self._numbering = document.part.numbering_part.element
        for old in self._numbering.findall(qn("w:abstractNum")) + self._numbering.findall(qn("w:num")):
            self._numbering.remove(old)
        for num_pr in list(document.styles.element.iter(qn("w:numPr"))):
            num_pr.getparent().remove(num_pr)
        for kind in ABSTRACT_IDS:
            self._numbering.append(parse_xml(_abstract_num(kind)))

    def new_list(self, kind: Kind, ilvl: int, start: int = 1) -> int:
        """A new ``w:num`` that counts from ``start`` at level ``ilvl``; its ``numId``."""
        num = self._numbering.add_num(ABSTRACT_IDS[kind])
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(start)
        return int(num.numId)


def number(paragraph: Paragraph, num_id: int, ilvl: int) -> None:
    """Make ``paragraph`` an item of list ``num_id`` at level ``ilvl`` (``w:numPr``)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id
