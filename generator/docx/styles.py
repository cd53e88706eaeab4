"""Writer: HTML -> DOCX, the theme as named Word styles.

The default template's own styles (Normal, Title, Heading 1...) are restyled
from the theme, each as its look (:mod:`generator.docx.looks`) has it, and a
few are added (Small, Lead, Hyperlink, Missionpress Table), so a user edits
the document with Word's style gallery instead of direct formatting.  Every
font is named in all four ``rFonts`` slots and the theme-font attributes are
removed everywhere, or Word would keep showing its theme fonts (python-docx
#1089).  The document language goes into the ``w:lang`` of the document
defaults (python-docx #727).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle

from generator.content.theme import Theme
from generator.docx.fonts import line_height
from generator.docx.looks import BODY_LINE, SHOWCASE, TOC_STYLES, Look, looks
from generator.docx.ooxml import element, paragraph_border
from generator.docx.rows import row_style_xml

TABLE_STYLE = "Missionpress Table"
CELL_PADDING = (0.25, 0.5)  # ems of the body size above and below, and beside, a cell's text (css/base.css)
TABLE_RULE = 4  # eighths of a point: the table's rules (0.5pt in css/base.css)
CONTEXTUAL_SUCCESSORS = ("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                         "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                         "w:pPrChange")
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
HEADINGS = ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4")


CHARACTER_STYLES = ("Emphasis", "Strong", "Hyperlink", "Core Value")


def apply_theme(document: Document, theme: Theme, lang: str, text_width: float, kind: str = "",
                scale: float = 1.0, leading: float = 1.0) -> None:
    """Restyle the document's styles from ``theme``; ``lang`` is the proofing language.

    ``text_width`` (points, between the margins) places the contents' page numbers;
    ``kind`` and ``scale``: see :func:`looks`; ``leading`` multiplies every line height and space.
    """
    _doc_defaults(document, theme, lang, scale)
    _strip_title_border(document, outline=kind == "poster" or kind.startswith(SHOWCASE))
    for name, look in looks(theme, kind, scale).items():
        if leading != 1.0:
            look = replace(look, line=look.line and look.line * leading, before=look.before and look.before * leading,
                           after=look.after and look.after * leading)
        style = _style(document, name, look.based_on)
        _apply(style, look)
    _mirror_linked_character_styles(document)
    _quote_border(document, theme)
    _furniture_and_contents(document, theme, text_width)
    _forms(document, text_width)
    document.styles.element.append(parse_xml(_table_style_xml(theme)))
    document.styles.element.append(parse_xml(row_style_xml(theme, kind, scale)))
    replace_theme_fonts(document.styles.element, theme)


def _style(document: Document, name: str, based_on: str | None = None) -> BaseStyle:
    """The named style, added (based on Normal or the default font) when the template lacks it."""
    styles = document.styles
    if styles.element.get_by_name(BabelFish.ui2internal(name)) is not None:
        style = styles[name]
    elif name in TOC_STYLES:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.style_id = TOC_STYLES[name]
        style.base_style = styles["Normal"]
        style.next_paragraph_style = styles["Normal"]
        style.priority = 39
    elif name in CHARACTER_STYLES:
        # Word's built-in character styles, absent from python-docx's template.
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER, builtin=True)
        style.base_style = styles["Default Paragraph Font"]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[based_on or "Normal"]
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True
    return style


def _apply(style: BaseStyle, look: Look) -> None:
    assert isinstance(style, (ParagraphStyle, CharacterStyle))
    font = style.font
    if look.font:
        set_fonts(style.element.get_or_add_rPr(), look.font)
    if look.size:
        font.size = Pt(round(look.size * 2) / 2)  # Word sizes are half points
        _set_cs_size(style.element.get_or_add_rPr(), look.size)
    if look.color:
        font.color.rgb = RGBColor.from_string(look.color[1:].upper())
    font.bold, font.italic, font.underline = look.bold, look.italic, look.underline
    rpr = style.element.rPr
    _tracking_and_caps(style.element.get_or_add_rPr(), look)
    for tag, on in (("w:bCs", look.bold), ("w:iCs", look.italic)):  # complex-script twins
        for twin in rpr.findall(qn(tag)) if rpr is not None and on is None else ():
            rpr.remove(twin)
    if isinstance(style, ParagraphStyle) and style.type == WD_STYLE_TYPE.PARAGRAPH:
        _apply_paragraph(style, look)


RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                     "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                     "w:specVanish", "w:oMath")
RPR_AFTER_CAPS = ("w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
                  "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", *RPR_AFTER_SPACING)


def _tracking_and_caps(rpr: BaseOxmlElement, look: Look) -> None:
    """The look's letter spacing and capitals, and none of the template's (Subtitle's 0.75 pt, Title's kerning)."""
    for tag in ("w:spacing", "w:kern", "w:caps"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    if look.tracking:
        rpr.insert_element_before(element("w:spacing", val=str(round(look.tracking * 20))), *RPR_AFTER_SPACING)
    if look.caps:
        rpr.insert_element_before(element("w:caps"), *RPR_AFTER_CAPS)


def _apply_paragraph(style: ParagraphStyle, look: Look) -> None:
    fmt = style.paragraph_format
    fmt.widow_control = True
    if look.line is not None and look.font:
        # Word's "multiple" counts the font's own line height; CSS line-height counts ems. Below
        # single spacing (headings) an exact height, as CSS sets it, instead: readers shrink a
        # multiple below 1 each their own way.
        multiple = look.line / line_height(look.font)
        exact = multiple < 1 and look.size is not None
        fmt.line_spacing = Pt(look.line * look.size) if exact and look.size else multiple
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:contextualSpacing")):  # the template's own, or a list style's space kept
        ppr.remove(old)
    if look.contextual:
        ppr.insert_element_before(element("w:contextualSpacing"), *CONTEXTUAL_SUCCESSORS)
    for side, rule in (("top", look.rule_above), ("bottom", look.rule_below)):
        if rule:
            color, thick, space = rule
            paragraph_border(style.element.get_or_add_pPr(), side, color, eighths=round(thick * 8),
                             space=round(space))
    if look.before is not None:
        fmt.space_before = Pt(look.before)
    if look.after is not None:
        fmt.space_after = Pt(look.after)
    if look.keep_with_next:
        fmt.keep_with_next = True
    if look.indent is not None:
        fmt.left_indent = Pt(look.indent)
    if look.center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


def set_fonts(rpr: BaseOxmlElement, family: str) -> None:
    """Name ``family`` in all four ``rFonts`` slots and drop the theme-font attributes."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for slot in FONT_SLOTS:
        rfonts.set(qn(f"w:{slot}"), family)


def _set_cs_size(rpr: BaseOxmlElement, size: float) -> None:
    """Complex-script size (``w:szCs``) equal to the size, so no script keeps the old one."""
    half_points = str(round(size * 2))
    sz_cs = rpr.find(qn("w:szCs"))
    if sz_cs is None:
        sz_cs = element("w:szCs")
        rpr.find(qn("w:sz")).addnext(sz_cs)
    sz_cs.set(qn("w:val"), half_points)


def replace_theme_fonts(root: BaseOxmlElement, theme: Theme) -> None:
    """Every ``rFonts`` still naming a theme font names the theme's family instead."""
    for rfonts in root.iter(qn("w:rFonts")):
        if not any(qn(f"w:{a}") in rfonts.attrib for a in THEME_FONT_ATTRS):
            continue
        major = "major" in (rfonts.get(qn("w:asciiTheme")) or rfonts.get(qn("w:hAnsiTheme")) or "")
        family = theme.fonts.heading if major else theme.fonts.body
        for attr in THEME_FONT_ATTRS:
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
        for slot in FONT_SLOTS:
            rfonts.set(qn(f"w:{slot}"), family)


def _doc_defaults(document: Document, theme: Theme, lang: str, scale: float) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr, theme.fonts.body)
    rpr.get_or_add_sz().val = Pt(round(theme.sizes.body * scale * 2) / 2)
    _set_cs_size(rpr, theme.sizes.body * scale)
    lang_el = rpr.find(qn("w:lang"))
    lang_el.set(qn("w:val"), lang)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), str(round(theme.sizes.body * scale * 0.6 * 20)))
    spacing.set(qn("w:line"), str(round(240 * BODY_LINE / line_height(theme.fonts.body))))


def _mirror_linked_character_styles(document: Document) -> None:
    """``Heading 1 Char`` and the like take the run formatting of their paragraph style."""
    styles = document.styles
    for name in HEADINGS + ("Subtitle", "Quote"):
        paragraph = styles[name].element
        link = paragraph.find(qn("w:link"))
        linked = styles.element.get_by_id(link.get(qn("w:val"))) if link is not None else None
        if linked is None:
            continue
        if linked.rPr is not None:
            linked.remove(linked.rPr)
        linked.append(deepcopy(paragraph.rPr))


def _quote_border(document: Document, theme: Theme) -> None:
    """Quote: a 2 pt rule-colored bar on the left, the text indented past it (as the PDF)."""
    quote = document.styles["Quote"]
    quote.paragraph_format.left_indent = Pt(12)
    paragraph_border(quote.element.get_or_add_pPr(), "left", theme.colors.rule, eighths=16, space=8)


def _furniture_and_contents(document: Document, theme: Theme, text_width: float) -> None:
    """Header: a hairline under it (as the PDF); contents: dotted leaders to right-aligned numbers."""
    styles = document.styles
    for name in ("Header", "Footer"):  # the template's tab stops assume Word's own margins
        tabs = styles[name].element.pPr.find(qn("w:tabs"))
        if tabs is not None:
            tabs.getparent().remove(tabs)
    paragraph_border(styles["Header"].element.get_or_add_pPr(), "bottom", theme.colors.rule,
                     eighths=4, space=2)
    toc_heading = styles["TOC Heading"].element.get_or_add_pPr()  # no chapter rule from Heading 1
    paragraph_border(toc_heading, "bottom", theme.colors.rule, eighths=0, space=0)
    toc_heading.find(qn("w:pBdr")).find(qn("w:bottom")).set(qn("w:val"), "nil")
    for name in TOC_STYLES:
        stops = styles[name].paragraph_format.tab_stops
        stops.add_tab_stop(Pt(text_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    styles["toc 1"].paragraph_format.keep_with_next = True  # a chapter's entry never ends a page alone


SIGNATURE_LINE = 270.0  # points from the margin to the end of a line to sign on (3.75 in)


def _forms(document: Document, text_width: float) -> None:
    """Checklist: the text hangs after the box; Signature Line: a tab stop with a line leader."""
    styles = document.styles
    checklist = styles["Checklist"].paragraph_format
    checklist.first_line_indent = -checklist.left_indent
    stops = styles["Signature Line"].paragraph_format.tab_stops
    stops.add_tab_stop(Pt(min(text_width, SIGNATURE_LINE)), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES)


def _strip_title_border(document: Document, outline: bool) -> None:
    """The template's Title carries a bottom rule in Word's blue (the theme draws its own, if any).

    The Title is the top heading (level 1) only in a document without contents (the handout,
    whose sections are Heading 2, as the PDF's H1 and H2); elsewhere Word's contents field
    would list the cover's title, so it has no outline level.
    """
    ppr = document.styles["Title"].element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:outlineLvl"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    if outline:
        ppr.append(element("w:outlineLvl", val="0"))


def tint(color: str, share: float) -> str:
    """``color`` mixed with white, ``share`` of the color kept: "RRGGBB"."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "".join(f"{round(255 - (255 - v) * share):02X}" for v in rgb)


def _table_style_xml(theme: Theme) -> str:
    rule = theme.colors.rule.lstrip("#").upper()
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="{TABLE_RULE}" w:space="0" w:color="{rule}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    pad_v, pad_h = (round(theme.sizes.body * ems * 20) for ems in CELL_PADDING)
    margins = "".join(
        f'<w:{side} w:w="{pad}" w:type="dxa"/>'
        for side, pad in (("top", pad_v), ("left", pad_h), ("bottom", pad_v), ("right", pad_h))
    )
    return (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="MissionpressTable">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:tblPr><w:tblBorders>{sides}</w:tblBorders><w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>'
        f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{tint(theme.colors.rule, 0.25)}"/></w:tcPr>'
        f"</w:tblStylePr></w:style>"
    )
