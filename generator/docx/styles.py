"""Writer: HTML -> DOCX, the theme as named Word styles.

The default template's own styles (Normal, Title, Heading 1...) are restyled
from the theme, and a few are added (Small, Lead, Hyperlink, Missionpress
Table), so a user edits the document with Word's style gallery instead of
direct formatting.  Every font is named in all four ``rFonts`` slots and the
theme-font attributes are removed everywhere, or Word would keep showing its
theme fonts (python-docx #1089).  The document language goes into the
``w:lang`` of the document defaults (python-docx #727).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle

from generator.content.theme import Theme
from generator.docx.ooxml import element, paragraph_border

TABLE_STYLE = "Missionpress Table"
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
LINE = 259  # line spacing in 240ths of a line: 1.08, Word's own default
HEADINGS = ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4")
TOC_LEVELS = 3
# Word's built-in names of the contents styles (shown as "TOC 1"...) and their ids.
TOC_STYLES = {f"toc {n}": f"TOC{n}" for n in range(1, TOC_LEVELS + 1)}


@dataclass(frozen=True)
class Look:
    """The formatting of one style; ``None`` leaves (or removes) a property."""

    font: str | None = None
    size: float | None = None  # points
    color: str | None = None  # "#RRGGBB"
    bold: bool | None = None
    italic: bool | None = None
    underline: bool | None = None
    before: float | None = None  # points of space before
    after: float | None = None  # points of space after
    keep_with_next: bool | None = None
    indent: float | None = None  # points of left indent
    center: bool = False


def looks(theme: Theme) -> dict[str, Look]:
    """Style name -> look, for every paragraph and character style the writer uses."""
    c, f, s = theme.colors, theme.fonts, theme.sizes
    lead = round(s.body * 1.2 * 2) / 2

    def heading(size: float, color: str) -> Look:
        return Look(f.heading, size, color, bold=True, before=round(size * 0.6), after=round(size * 0.3),
                    keep_with_next=True)

    body = Look(f.body, s.body, c.text)
    return {
        "Normal": body,
        "Title": Look(f.heading, s.title, c.primary, bold=True, before=0, after=round(s.title * 0.2),
                      keep_with_next=True),
        "Subtitle": Look(f.body, s.h3, c.muted, after=round(s.h3 * 0.2), keep_with_next=True),
        "Heading 1": heading(s.h1, c.primary),
        "Heading 2": heading(s.h2, c.accent),
        "Heading 3": heading(s.h3, c.text),
        "Heading 4": heading(s.body, c.text),
        "List Number": body,
        "List Bullet": body,
        "List Continue": body,
        "Quote": Look(f.body, s.body, c.muted, italic=True),
        "Caption": Look(f.body, s.small, c.muted, after=round(s.body * 0.6)),
        "Small": Look(f.body, s.small, c.text),
        "Lead": Look(f.body, lead, c.text),
        "Emphasis": Look(italic=True),
        "Strong": Look(bold=True),
        "Hyperlink": Look(color=c.accent, underline=True),
        "Header": Look(f.body, s.small, c.muted, center=True),
        "Footer": Look(f.body, s.small, c.muted, center=True),
        "TOC Heading": Look(after=round(s.h1 * 0.6)),  # Heading 1's look, outline level "body text"
        "toc 1": Look(f.body, s.body, c.text, bold=True, before=round(s.body * 0.5), after=0),
        **{name: Look(f.body, s.body, c.text, before=0, after=0, indent=s.body * 1.5 * (n - 1))
           for n, name in enumerate(TOC_STYLES, 1) if n > 1},
    }


CHARACTER_STYLES = ("Emphasis", "Strong", "Hyperlink")


def apply_theme(document: Document, theme: Theme, lang: str, text_width: float) -> None:
    """Restyle the document's styles from ``theme``; ``lang`` is the proofing language.

    ``text_width`` (points, between the margins) places the contents' page numbers.
    """
    _doc_defaults(document, theme, lang)
    for name, look in looks(theme).items():
        style = _style(document, name)
        _apply(style, look)
    _mirror_linked_character_styles(document)
    _quote_border(document, theme)
    _furniture_and_contents(document, theme, text_width)
    _strip_title_border(document)
    document.styles.element.append(parse_xml(_table_style_xml(theme)))
    replace_theme_fonts(document.styles.element, theme)


def _style(document: Document, name: str) -> BaseStyle:
    """The named style, added (based on Normal or the default font) when the template lacks it."""
    styles = document.styles
    if name in [s.name for s in styles]:
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
        style.base_style = styles["Normal"]
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
        font.size = Pt(look.size)
        _set_cs_size(style.element.get_or_add_rPr(), look.size)
    if look.color:
        font.color.rgb = RGBColor.from_string(look.color[1:].upper())
    font.bold, font.italic, font.underline = look.bold, look.italic, look.underline
    rpr = style.element.rPr
    for tag, on in (("w:bCs", look.bold), ("w:iCs", look.italic)):  # complex-script twins
        for twin in rpr.findall(qn(tag)) if rpr is not None and on is None else ():
            rpr.remove(twin)
    if isinstance(style, ParagraphStyle) and style.type == WD_STYLE_TYPE.PARAGRAPH:
        _apply_paragraph(style, look)


def _apply_paragraph(style: ParagraphStyle, look: Look) -> None:
    fmt = style.paragraph_format
    fmt.widow_control = True
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


def _doc_defaults(document: Document, theme: Theme, lang: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr, theme.fonts.body)
    rpr.get_or_add_sz().val = Pt(theme.sizes.body)
    _set_cs_size(rpr, theme.sizes.body)
    lang_el = rpr.find(qn("w:lang"))
    lang_el.set(qn("w:val"), lang)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), str(round(theme.sizes.body * 0.6 * 20)))
    spacing.set(qn("w:line"), str(LINE))


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
    for name in TOC_STYLES:
        stops = styles[name].paragraph_format.tab_stops
        stops.add_tab_stop(Pt(text_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _strip_title_border(document: Document) -> None:
    """The template's Title carries a bottom rule in Word's blue; the theme has none.

    The Title also gets outline level 1: it is the document's top heading (the
    poster's sections under it are Heading 2), as navigation panes and screen
    readers should present it.  The contents field lists heading styles only
    (no ``\\u``), so the handbook's cover title does not join the contents.
    """
    ppr = document.styles["Title"].element.get_or_add_pPr()
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is not None:
        ppr.remove(pbdr)
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is None:
        outline = OxmlElement("w:outlineLvl")
        ppr.append(outline)
    outline.set(qn("w:val"), "0")


def tint(color: str, share: float) -> str:
    """``color`` mixed with white, ``share`` of the color kept: "RRGGBB"."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "".join(f"{round(255 - (255 - v) * share):02X}" for v in rgb)


def _table_style_xml(theme: Theme) -> str:
    rule = theme.colors.rule.lstrip("#").upper()
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    pad_v, pad_h = round(theme.sizes.body * 0.25 * 20), round(theme.sizes.body * 0.5 * 20)
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
