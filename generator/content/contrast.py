"""WCAG 2.2 contrast: relative luminance of sRGB colors and the ratio between two.

Used when a theme loads (its color pairs must reach AA) and by ``check`` on
Word files.  AA asks 4.5:1 for body text and 3:1 for large text (18 pt, or
14 pt bold).
"""

from __future__ import annotations

BODY_TEXT = 4.5
LARGE_TEXT = 3.0


def luminance(color: str) -> float:
    """Relative luminance of ``#RRGGBB``, ``RRGGBB`` or ``#RGB``."""
    value = color.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6:
        raise ValueError(f"not a hex color: {color!r}")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#RRGGBB`` colors, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def needed(size_pt: float, bold: bool) -> float:
    """The AA ratio text of this size and weight needs."""
    large = size_pt >= 18 or (bold and size_pt >= 14)
    return LARGE_TEXT if large else BODY_TEXT
