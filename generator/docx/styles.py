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
from dataclasses import dataclass, replace

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
from generator.docx.ooxml import element, paragraph_border
from generator.docx.rows import row_style_xml

TABLE_STYLE = "Missionpress Table"
CELL_PADDING = (0.25, 0.5)  # ems of the body size above and below, and beside, a cell's text (css/base.css)
TABLE_RULE = 4  # eighths of a point: the table's rules (0.5pt in css/base.css)
SHOWCASE = "showcase"  # the showcase poster's document kind, followed by "bilingual" and "landscape" if so
CONTEXTUAL_SUCCESSORS = ("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                         "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                         "w:pPrChange")
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
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
    line: float | None = None  # line height in ems, as CSS line-height
    contextual: bool = False  # no space between paragraphs of this style (a list's items)
    rule_below: tuple[str, float, float] | None = None  # color, points thick, points of space
    rule_above: tuple[str, float, float] | None = None
    based_on: str | None = None
    tracking: float = 0.0  # points of letter spacing (CSS letter-spacing); the template's own is removed
    caps: bool = False  # shown in capitals (CSS text-transform: uppercase), the text kept as written


BODY_LINE, HEADING_LINE = 1.4, 1.15  # the CSS line heights of templates/css/base.css
TOC_LINE = 1.3  # the contents' (.toc in templates/css/handbook.css)
LIST_MARGIN = 1.0  # ems above and below a list (the browser's default)


def looks(theme: Theme, kind: str = "", scale: float = 1.0) -> dict[str, Look]:
    """Style name -> look, for every paragraph and character style the writer uses.

    ``kind`` is the document's body class (``poster``, ``handbook``, ``packet``): the
    spacing and the featured styles follow that document's stylesheet; ``scale`` is the
    poster's fitted type scale (every size and space is multiplied by it).
    """
    c, f = theme.colors, theme.fonts
    z = scale
    body, small, h1, h2, h3, title = (v * z for v in (theme.sizes.body, theme.sizes.small, theme.sizes.h1,
                                                      theme.sizes.h2, theme.sizes.h3, theme.sizes.title))
    para_after = 0.6 * body

    def heading(size: float, color: str, top: float = 0.0, bottom: float = 0.4) -> Look:
        # CSS collapses a heading's top margin with the paragraph's 0.6em before it; Word adds them.
        return Look(f.heading, size, color, bold=True, before=max(0.0, top * size - para_after),
                    after=bottom * size, keep_with_next=True, line=HEADING_LINE)

    lead = body * (1.15 if kind == "poster" else 1.2)
    value_size = h3 if kind == "poster" else body
    styles = {
        "Normal": Look(f.body, body, c.text, after=para_after, line=BODY_LINE),
        "Title": Look(f.heading, title, c.primary, bold=True, before=0, after=0.4 * title,
                      keep_with_next=True, line=HEADING_LINE),
        "Subtitle": Look(f.body, h3, c.muted, before=0, after=0.2 * h3, keep_with_next=True, line=BODY_LINE),
        "Heading 1": heading(h1, c.primary),
        "Heading 2": heading(h2, c.accent),
        "Heading 3": heading(h3, c.text),
        "Heading 4": heading(body, c.text),
        "List Number": Look(f.body, body, c.text, before=LIST_MARGIN * body - para_after,
                            after=LIST_MARGIN * body, contextual=True, line=BODY_LINE),
        "List Bullet": Look(f.body, body, c.text, before=LIST_MARGIN * body - para_after,
                            after=LIST_MARGIN * body, contextual=True, line=BODY_LINE),
        "List Continue": Look(f.body, body, c.text, line=BODY_LINE),
        "Quote": Look(f.body, body, c.muted, italic=False, after=0.8 * body, line=BODY_LINE),
        "Caption": Look(f.body, small, c.muted, after=round(body * 0.6), line=BODY_LINE),
        "Small": Look(f.body, small, c.text, line=BODY_LINE),
        "Lead": Look(f.body, lead, c.text, line=BODY_LINE),
        "Label": Look(f.heading, small, c.accent, bold=True, before=0, after=0.4 * small, keep_with_next=True,
                      line=HEADING_LINE, based_on="Heading 2"),
        "Title Translation": Look(f.heading, h2, c.muted, bold=True, before=0.2 * h2, after=0.4 * h2,
                                  keep_with_next=True, line=HEADING_LINE),
        "Edition": Look(f.body, body, c.accent, bold=True, before=3 * body, line=BODY_LINE),
        "Value List": Look(f.heading, value_size, c.accent, bold=True, center=kind == "poster",
                           after=para_after, line=BODY_LINE),
        "Value Item": Look(f.heading, body, c.accent, bold=True, before=LIST_MARGIN * body - para_after,
                           after=LIST_MARGIN * body, contextual=True, line=BODY_LINE, based_on="List Bullet"),
        # Tasks are 0.3em apart; the list's own margins go on its first and last task (structures.py).
        "Checklist": Look(f.body, body, c.text, before=0, after=0.15 * body, line=1.3, indent=1.6 * body),
        "Signature Line": Look(f.body, body, c.text, before=2.2 * body, after=para_after, line=BODY_LINE),
        # A logo alone in its paragraph (the covers'): as tall as the picture, 1.2em under it.
        "Logo": Look(f.body, body, c.text, before=0, after=1.2 * body, line=line_height(f.body)),
        "Section Break": Look(f.body, 1, c.text, before=0, after=0, line=1.0),  # an empty paragraph
        "Emphasis": Look(italic=True),
        "Strong": Look(bold=True),
        "Core Value": Look(bold=True, italic=False, color=c.primary),
        "Hyperlink": Look(color=c.accent, underline=True),
        "Header": Look(f.body, small, c.muted, center=True, line=BODY_LINE, before=0, after=0),
        "Footer": Look(f.body, small, c.muted, center=True, line=BODY_LINE, before=0, after=0),
        "TOC Heading": Look(f.heading, h1, c.primary, bold=True, before=0, after=0.8 * h1, line=BODY_LINE),
        # The contents are set close (templates/css/handbook.css): entries on 1.3 lines with no
        # space between them, 0.3em above a chapter's.
        "toc 1": Look(f.body, body, c.text, bold=True, before=0.3 * body, after=0, line=TOC_LINE),
        **{name: Look(f.body, body, c.text, before=0, after=0, indent=body * 1.5 * (n - 1), line=TOC_LINE)
           for n, name in enumerate(TOC_STYLES, 1) if n > 1},
    }
    return _set_low({**styles, **_kind_looks(kind, styles, theme, z)})


SET_LOW = ("Title",)  # large type on lines tighter than its font's own (see _set_low)


def _set_low(styles: dict[str, Look]) -> dict[str, Look]:
    """Large type on lines tighter than the font's own line height stands lower, as in the PDF.

    LibreOffice sets such a line (an exact line height below the font's) with its
    glyphs raised by the whole shortfall where CSS centres them in the line; the
    shortfall as space before puts a title where the PDF has it (measured on the covers).
    """
    out = dict(styles)
    for name in SET_LOW:
        look = styles[name]
        if look.font and look.size and look.line:
            shortfall = max(0.0, line_height(look.font) - look.line) * look.size
            out[name] = replace(look, before=(look.before or 0.0) + shortfall)
    return out


def _kind_looks(kind: str, styles: dict[str, Look], theme: Theme, z: float) -> dict[str, Look]:
    """What one document's stylesheet changes (templates/css/handbook.css, packet.css, poster.css)."""
    c = theme.colors
    body = theme.sizes.body * z
    para_after = 0.6 * body
    h1, h2, h3, title = (v * z for v in (theme.sizes.h1, theme.sizes.h2, theme.sizes.h3, theme.sizes.title))
    if kind == "handbook":
        return {
            "Heading 1": replace(styles["Heading 1"], after=0.8 * h1, rule_below=(c.primary, 1.5, 0.2 * h1)),
            "Heading 2": replace(styles["Heading 2"], before=max(0.0, 1.0 * h2 - para_after)),
            "Heading 3": replace(styles["Heading 3"], before=max(0.0, 0.8 * h3 - para_after)),
            "Title": replace(styles["Title"], size=title * 1.3, after=0.3 * title * 1.3),
            "Lead": replace(styles["Lead"], size=h2, color=c.muted, after=0.6 * h2),  # .cover .lead
            "Cover Small": _cover_link(styles),
            "Value List": replace(styles["Value List"], after=0.2 * body),
        }
    if kind == "packet":
        size = body * 0.94  # the statement's text (.statement { font-size: 0.94em })
        after = 0.6 * size
        return {
            "Title": replace(styles["Title"], size=theme.sizes.title * 1.2),
            "Lead": replace(styles["Lead"], size=theme.sizes.h2, color=c.muted, after=0.2 * theme.sizes.h2),
            "Cover Small": _cover_link(styles),
            "Value List": replace(styles["Value List"], size=size, after=after),
            "Statement Text": replace(styles["Normal"], size=size, after=after),
            "Statement Heading 1": replace(styles["Heading 1"], size=h2, after=0.4 * h2, based_on="Heading 1"),
            "Statement Heading 2": replace(styles["Heading 2"], size=h3, before=max(0.0, 0.6 * h3 - after),
                                           after=0.4 * h3, based_on="Heading 2"),
            "Statement List Number": replace(styles["List Number"], size=size, before=LIST_MARGIN * size - after,
                                             after=LIST_MARGIN * size, based_on="List Number"),
        }
    if kind.startswith(SHOWCASE):
        return _showcase_looks(kind.split(), styles, theme, z)
    if kind == "poster":
        section_gap = 1.0 * body  # .poster section { margin-bottom: 1em }
        return {
            "Normal": replace(styles["Normal"], after=section_gap),
            "Vision Text": replace(styles["Normal"], size=1.15 * body, after=section_gap),
            "List Number": replace(styles["List Number"], before=0, after=0.35 * body, contextual=False),
            # .masthead { padding-bottom: 0.5em; border-bottom: 4pt; margin-bottom: 1.1em }: the rule
            # under the title and its translations (one rule under consecutive paragraphs), the space under it.
            "Title": replace(styles["Title"], after=1.1 * body, rule_below=(c.primary, 4 * z, 0.5 * body)),
            "Title Translation": replace(styles["Title Translation"], after=1.1 * body,
                                         rule_below=(c.primary, 4 * z, 0.5 * body)),
            "Heading 2": replace(styles["Heading 2"], after=0.25 * h2),
        }
    return {}


def _showcase_looks(kind: list[str], styles: dict[str, Look], theme: Theme, z: float) -> dict[str, Look]:
    """The showcase poster's styles (templates/css/poster-showcase.css); ``kind`` holds ``bilingual``
    and ``landscape`` when the page has them."""
    c, f = theme.colors, theme.fonts
    body, small, h1, h2, h3, title = (v * z for v in (theme.sizes.body, theme.sizes.small, theme.sizes.h1,
                                                      theme.sizes.h2, theme.sizes.h3, theme.sizes.title))
    bilingual, landscape = "bilingual" in kind, "landscape" in kind
    # section { margin-bottom }, the tiles' and the title band's: less on a short (landscape) page
    section_gap = (0.6 if bilingual and landscape else 0.8 if bilingual or landscape else 1.1) * body
    white = c.background
    label = Look(f.body, small, c.accent, bold=True, caps=True, tracking=0.12 * small, before=0, after=0.5 * small,
                 keep_with_next=True, line=HEADING_LINE)
    vision = h3 if bilingual else h2 * 1.1 if landscape else h1
    tile_after = (0.4 if bilingual and landscape else 0.6 if bilingual or landscape else 0.9) * body
    return {
        "Normal": replace(styles["Normal"], after=section_gap),
        # The title band (.masthead): white on the primary colour.
        "Subtitle": Look(f.body, small, white, bold=True, caps=True, tracking=0.08 * small, before=0,
                         after=0.3 * small, keep_with_next=True, line=BODY_LINE),
        "Title": replace(styles["Title"], size=title * (0.85 if landscape else 1.0), color=white, before=0, after=0,
                         line=1.05),
        "Title Translation": replace(styles["Title Translation"], color=white, before=0.25 * h2, after=0),
        "Heading 2": replace(label, based_on=None),  # section labels: small capitals
        "Vision Text": Look(f.heading, vision, c.primary, bold=True, before=0, after=section_gap, line=1.2),
        "Mission Text": replace(styles["Normal"], size=(1.0 if bilingual and landscape else 1.12) * body,
                                after=section_gap),
        "Goals Text": replace(styles["Normal"], color=c.muted, after=0.6 * body),
        "Values Text": replace(styles["Normal"], after=0.6 * body),
        "Values Heading 3": replace(label, before=0.8 * small, after=0.4 * small, based_on="Heading 3"),
        "Goal Tile": Look(f.body, body, c.text, before=0.35 * body, after=tile_after, line=1.3,
                          based_on="List Number"),
        "Value Tile": Look(f.heading, body if bilingual else h3, white, bold=True, center=True, before=0, after=0,
                           line=1.15),
        "Organization": Look(f.heading, h3, c.muted, bold=True, before=0, after=0, line=BODY_LINE),
        "Band Small": replace(styles["Small"], color=c.muted, before=0, after=0),
        # An empty paragraph under the title band: the band's margin-bottom.
        "Band Gap": Look(f.body, 1, c.text, before=0, after=(0.8 if landscape else 1.2) * body,
                         line=1.0),
    }


def _cover_link(styles: dict[str, Look]) -> Look:
    """The cover's QR code paragraph: 3em under what is above it (``.cover .link { margin-top: 3em }``),
    less the space that leaves under itself."""
    body, para_after = styles["Normal"].size or 0.0, styles["Normal"].after or 0.0
    return replace(styles["Small"], before=3 * body - para_after, based_on="Small")


CHARACTER_STYLES = ("Emphasis", "Strong", "Hyperlink", "Core Value")


def variant_style(variants: tuple[str, ...], style: str, names: set[str] | dict[str, Look]) -> str:
    """The style standing for ``style`` ("Statement Text" for Normal) in the first of ``variants``
    (the innermost container's set first) that defines one, else ``style``."""
    own = "Text" if style == "Normal" else style
    return next((f"{v} {own}" for v in variants if f"{v} {own}" in names), style)


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
