"""Page sizes and orientation, shared by both writers.

Sizes are stored in points (1/72 in), the unit of PDF and of Word's
half-points and twips, so both writers convert from one number.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import bad_value

MM = 72 / 25.4
IN = 72.0
PX = 72 / 96  # points per CSS pixel, the unit of laid-out boxes

# name -> (width, height) in points, portrait.
SIZES: dict[str, tuple[float, float]] = {
    "letter": (8.5 * IN, 11 * IN),
    "tabloid": (11 * IN, 17 * IN),
    "18x24": (18 * IN, 24 * IN),
    "24x36": (24 * IN, 36 * IN),
    "A4": (210 * MM, 297 * MM),
    "A3": (297 * MM, 420 * MM),
    "A2": (420 * MM, 594 * MM),
    "A1": (594 * MM, 841 * MM),
    "A0": (841 * MM, 1189 * MM),
}

WORD_MAX = 22 * IN  # Word refuses pages longer or wider than 22 inches.


@dataclass(frozen=True)
class Page:
    """A page: its size name, dimensions in points and margin in points."""

    name: str
    width: float
    height: float
    margin: float

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def css_size(self) -> str:
        return f"{self.width:.2f}pt {self.height:.2f}pt"


def canonical(name: str) -> str | None:
    """The canonical spelling of a size name (matched case-insensitively), or None."""
    return next((known for known in SIZES if known.lower() == name.lower()), None)


def size_name(name: str) -> str:
    """The canonical spelling of a --size value, or an error listing the sizes."""
    known = canonical(name)
    if known is None:
        raise bad_value("size", name, f"unknown page size (choose one of: {', '.join(SIZES)})")
    return known


def page(name: str, orientation: str = "portrait", margin: float | None = None) -> Page:
    """The page for a size name; the margin defaults to a share of the short side."""
    name = size_name(name)
    width, height = SIZES[name]
    if orientation not in ("portrait", "landscape"):
        raise bad_value("orientation", orientation, "unknown orientation (choose portrait or landscape)")
    if orientation == "landscape":
        width, height = height, width
    if margin is None:
        margin = max(0.5 * IN, round(min(width, height) * 0.06 / 9) * 9)
    return Page(name, width, height, margin)
