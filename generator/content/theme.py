"""Theme: colors, fonts and type sizes, for both writers.

One ``theme.yaml`` becomes CSS custom properties (``Theme.css()``) for the
PDF and the named Word styles of the DOCX writer.  Values are validated so
that they can be placed in CSS without escaping.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from generator.content.contrast import BODY_TEXT, contrast_ratio, luminance
from generator.content.logo import Logo, logo_problems
from generator.content.model import Strict, parse_yaml, points, read_text, validate
from generator.errors import MissionpressError, quoted, where

HEX = re.compile(r"#[0-9A-Fa-f]{6}")
FAMILY = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]{0,62}")


def _color(value: str) -> str:
    if not HEX.fullmatch(value):
        raise ValueError(f"{quoted(value)} is not a color (write it as # and six hex digits, e.g. \"#1F1F1F\", "
                         "in quotes: YAML reads a line from # on as a comment)")
    return value


def _family(value: str) -> str:
    if not FAMILY.fullmatch(value):
        raise ValueError(f"{quoted(value)} is not a font family name (letters, digits, spaces and hyphens, up to "
                         "63 characters, as the font calls itself, e.g. Noto Sans)")
    return value


Color = Annotated[str, AfterValidator(_color)]
Family = Annotated[str, AfterValidator(_family)]
Size = Annotated[float, AfterValidator(points(4, 200))]


class Colors(Strict):
    primary: Color
    accent: Color
    rule: Color
    muted: Color
    text: Color
    background: Color


class Fonts(Strict):
    body: Family
    heading: Family


class Sizes(Strict):
    """Type sizes in points at letter size."""

    body: Size
    small: Size
    h3: Size
    h2: Size
    h1: Size
    title: Size


class Theme(Strict):
    colors: Colors
    fonts: Fonts
    sizes: Sizes
    logo: Logo | None = None

    def css(self) -> str:
        """``:root`` custom properties: ``--color-primary``, ``--font-body``, ``--size-h1``..."""
        props = [f"--color-{k}: {v};" for k, v in self.colors.model_dump().items()]
        props += [f'--font-{k}: "{v}";' for k, v in self.fonts.model_dump().items()]
        props += [f"--size-{k}: {v:g}pt;" for k, v in self.sizes.model_dump().items()]
        if self.logo is not None:
            props.append(f"--logo-height: {self.logo.height:g}pt;")
        return ":root {\n  " + "\n  ".join(props) + "\n}\n"


# The color pairs the templates use for text, and the ratio each needs (WCAG 2.2 AA).
# Primary and accent also color body-size text (emphasis, links), so they need 4.5:1.
TEXT_PAIRS = {
    "text": ("body text", BODY_TEXT),
    "primary": ("titles, headings and emphasized words", BODY_TEXT),
    "accent": ("headings, links and list numbers", BODY_TEXT),
    "muted": ("subtitles, captions and page furniture", BODY_TEXT),
}


def load_theme(content_dir: Path, families: set[str] | None = None) -> Theme:
    """The theme of a content folder.

    A color pair below WCAG AA contrast is an error, and so is a font family that
    is not among ``families`` (the fonts shipped with the templates): the PDF would
    silently fall back to another font while Word asked for the missing one.
    """
    path = content_dir / "theme.yaml"
    data, lines = parse_yaml(read_text(path), path)
    theme = validate(data, lines, path, Theme)
    background = theme.colors.background
    problems = []
    for role, family in theme.fonts.model_dump().items():
        if families is not None and family not in families:
            problems.append(f"{where(path, lines.get(('fonts', role)))}: fonts.{role}: no font family '{family}' "
                            f"in the templates' fonts/ folders (have: {', '.join(sorted(families))}); add its "
                            "files to templates/fonts/ or choose one of those")
    for name, (use, ratio_needed) in TEXT_PAIRS.items():
        color = getattr(theme.colors, name)
        ratio = contrast_ratio(color, background)
        if ratio < ratio_needed:
            problems.append(
                f"{where(path, lines.get(('colors', name)))}: colors.{name}: {color} on background {background} "
                f"has contrast {ratio:.2f}:1, {use} need {ratio_needed:g}:1 (WCAG 2.2 AA); choose a "
                f"{'darker' if luminance(background) > 0.5 else 'lighter'} color"
            )
    if theme.logo is not None:
        problems += logo_problems(theme.logo, content_dir, path, lines)
    if problems:
        raise MissionpressError(*problems)
    return theme
