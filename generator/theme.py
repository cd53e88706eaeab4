"""Theme: colors, fonts and type sizes, for both writers.

One ``theme.yaml`` becomes CSS custom properties (``Theme.css()``) for the
PDF and the named Word styles of the DOCX writer.  Values are validated so
that they can be placed in CSS without escaping.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from .content import Strict, load_model

HEX = r"^#[0-9A-Fa-f]{6}$"
FAMILY = r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,62}$"


class Colors(Strict):
    primary: str = Field(pattern=HEX)
    accent: str = Field(pattern=HEX)
    rule: str = Field(pattern=HEX)
    muted: str = Field(pattern=HEX)
    text: str = Field(pattern=HEX)
    background: str = Field(pattern=HEX)


class Fonts(Strict):
    body: str = Field(pattern=FAMILY)
    heading: str = Field(pattern=FAMILY)


class Sizes(Strict):
    """Type sizes in points at letter size."""

    body: float = Field(gt=4, lt=200)
    small: float = Field(gt=4, lt=200)
    h3: float = Field(gt=4, lt=200)
    h2: float = Field(gt=4, lt=200)
    h1: float = Field(gt=4, lt=200)
    title: float = Field(gt=4, lt=200)


class Theme(Strict):
    colors: Colors
    fonts: Fonts
    sizes: Sizes

    def css(self) -> str:
        """``:root`` custom properties: ``--color-primary``, ``--font-body``, ``--size-h1``..."""
        props = [f"--color-{k}: {v};" for k, v in self.colors.model_dump().items()]
        props += [f'--font-{k}: "{v}";' for k, v in self.fonts.model_dump().items()]
        props += [f"--size-{k}: {v:g}pt;" for k, v in self.sizes.model_dump().items()]
        return ":root {\n  " + "\n  ".join(props) + "\n}\n"


def load_theme(content_dir: Path) -> Theme:
    return load_model(content_dir / "theme.yaml", Theme)
