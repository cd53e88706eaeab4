"""Writer: HTML -> DOCX, the theme's looks: how each named Word style looks in each kind of document.

A :class:`Look` is the formatting of one style (font, size, colour, spacing,
line height, rules); :func:`looks` gives every paragraph and character style
the writer uses its look from the theme, as the stylesheets set the same
elements (templates/css/base.css, and what handbook.css, packet.css,
poster.css and poster-showcase.css change), scaled by the poster's fitted
type scale.  :mod:`generator.docx.styles` writes them into the document's
styles part; the walker reads them where it counts in a style's type (the
text measure) and picks a container's variant of a style
(:func:`variant_style`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.content.theme import Theme
from generator.docx.fonts import line_height

SHOWCASE = "showcase"  # the showcase poster's document kind, followed by "bilingual" and "landscape" if so
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
            # Two languages' core values side by side, at body size so that three fit a row (.paired).
            "Paired Value List": replace(styles["Value List"], size=body, based_on="Value List"),
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


def variant_style(variants: tuple[str, ...], style: str, names: set[str] | dict[str, Look]) -> str:
    """The style standing for ``style`` ("Statement Text" for Normal) in the first of ``variants``
    (the innermost container's set first) that defines one, else ``style``."""
    own = "Text" if style == "Normal" else style
    return next((f"{v} {own}" for v in variants if f"{v} {own}" in names), style)
