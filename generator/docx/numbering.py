"""Writer: HTML -> DOCX, list numbering (``word/numbering.xml``).

Four abstract numberings, nine levels each: decimal, bullet, decimal with
bold numbers in the accent color (``<ol class="goals">``), and decimal with
large numbers hanging in the margin (the showcase poster's goal tiles).  The
"List Number" and "List Bullet" styles carry the first two (``w:numPr`` in
the style, ``w:pStyle`` in the level), so applying the style in Word, or
with python-docx, numbers a paragraph, and Enter after the last item
continues the count.  The first list of each kind uses the style's own list
(the first numbered list, plain or featured, that of "List Number": its
``w:num`` then points at the featured numbering, so "List Number" applied to
a new paragraph after the goals continues them, at their indent and in their
look); every later ``<ol>`` or ``<ul>`` gets its own ``w:num`` instance with a
``startOverride`` on its level, so every list restarts at 1 (or its
``start``): the numbering that runs on from list to list (python-docx #25)
cannot happen.  The default template's numberings are removed.
"""

from __future__ import annotations

from typing import Literal

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

Kind = Literal["decimal", "bullet", "featured", "tile"]
LEVELS = 9
INDENT = 600  # twips per level (30 pt, the browser's list padding)
HANGING = 360  # twips between the number and the text
BULLETS = ("\u2022", "\u2013", "\u2023")  # bullet, en dash, triangular bullet
ABSTRACT_IDS: dict[Kind, int] = {"decimal": 0, "bullet": 1, "featured": 2, "tile": 3}
STYLE_LISTS: dict[Kind, str] = {"decimal": "ListNumber", "bullet": "ListBullet"}  # style ids


def _level(kind: Kind, ilvl: int, indent: int, color: str, number_font: str = "") -> str:
    text = f"%{ilvl + 1}." if kind != "bullet" else BULLETS[ilvl % len(BULLETS)]
    fmt = "bullet" if kind == "bullet" else "decimal"
    style = f'<w:pStyle w:val="{STYLE_LISTS[kind]}"/>' if ilvl == 0 and kind in STYLE_LISTS else ""
    rpr = f'<w:rPr><w:b/><w:bCs/><w:color w:val="{color}"/></w:rPr>' if kind == "featured" else ""
    if kind == "tile":  # "Font Name/half points": large numbers in the accent colour, of a heading face
        family, size = number_font.rsplit("/", 1)
        fonts = "".join(f' w:{slot}="{family}"' for slot in ("ascii", "hAnsi", "eastAsia", "cs"))
        rpr = (f'<w:rPr><w:rFonts{fonts}/><w:b/><w:bCs/><w:color w:val="{color}"/>'
               f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    hanging = indent if kind == "tile" else min(HANGING, indent)  # a tile's number fills its margin
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/>{style}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent * (ilvl + 1)}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
    )


def _abstract_num(kind: Kind, indent: int, color: str, number_font: str = "") -> str:
    abstract_id = ABSTRACT_IDS[kind]
    levels = "".join(_level(kind, i, indent, color, number_font) for i in range(LEVELS))
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="4D50000{abstract_id}"/><w:multiLevelType w:val="hybridMultilevel"/>'
        f"{levels}</w:abstractNum>"
    )


def continue_indent(ilvl: int) -> int:
    """The left indent (twips) of an unnumbered paragraph that continues a list item."""
    return INDENT * (ilvl + 1)


def define_lists(document: Document, accent: str = "#000000", featured_indent: int = INDENT,
                 tile: tuple[str, float, int] = ("Noto Serif", 24.0, INDENT)) -> None:
    """Put the document's list definitions in place of the template's (once per styled template).

    ``accent`` ("#RRGGBB") colors the featured numbers, indented ``featured_indent`` twips; a
    tile's number (the showcase poster's goals) is set in ``tile``'s font and size (points),
    the text indented ``tile``'s twips.
    The "List Number" and "List Bullet" styles get the first two list instances.
    """
    numbering = document.part.numbering_part.element
    for old in numbering.findall(qn("w:abstractNum")) + numbering.findall(qn("w:num")):
        numbering.remove(old)
    for num_pr in list(document.styles.element.iter(qn("w:numPr"))):
        num_pr.getparent().remove(num_pr)
    color = accent.lstrip("#").upper()
    for kind in ABSTRACT_IDS:
        indent = featured_indent if kind == "featured" else tile[2] if kind == "tile" else INDENT
        numbering.append(parse_xml(_abstract_num(kind, indent, color, f"{tile[0]}/{round(tile[1] * 2)}")))
    for kind, style_id in STYLE_LISTS.items():
        num_id = int(numbering.add_num(ABSTRACT_IDS[kind]).numId)
        style = document.styles.element.get_by_id(style_id)
        if style is not None:
            num_pr = style.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_numId().val = num_id


class Numbering:
    """The lists of a document whose definitions are in place (:func:`define_lists`);
    :meth:`new_list` makes one list instance."""

    def __init__(self, document: Document) -> None:
        self._numbering = document.part.numbering_part.element
        nums = self._numbering.findall(qn("w:num"))  # the styles' own, as define_lists made them
        self._style_nums: dict[Kind, int] = {
            kind: int(num.numId) for kind, num in zip(STYLE_LISTS, nums, strict=False)}
        self._unused = set(self._style_nums)

    def new_list(self, kind: Kind, ilvl: int, start: int = 1) -> int:
        """A ``w:num`` that counts from ``start`` at level ``ilvl``; its ``numId``."""
        style_kind: Kind = "decimal" if kind in ("featured", "tile") else kind
        if style_kind in self._unused and ilvl == 0 and start == 1:
            self._unused.discard(style_kind)
            num_id = self._style_nums[style_kind]
            if kind != style_kind:  # the style's list takes the look of this one
                for num in self._numbering.findall(qn("w:num")):
                    if num.numId == num_id:
                        num.find(qn("w:abstractNumId")).set(qn("w:val"), str(ABSTRACT_IDS[kind]))
            return num_id
        num = self._numbering.add_num(ABSTRACT_IDS[kind])
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(start)
        return int(num.numId)


def number(paragraph: Paragraph, num_id: int, ilvl: int) -> None:
    """Make ``paragraph`` an item of list ``num_id`` at level ``ilvl`` (``w:numPr``)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id
