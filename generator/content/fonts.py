"""The bundled fonts: which characters they can print.

The build never uses system fonts (see ``pdf.py``), so a character that no
bundled font maps would print as an empty box.  ``missing_glyphs`` finds such
characters before anything is built, so the user hears about them by name.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from generator.errors import MissionpressError
from generator.inputs import MAX_FONT, check_regular
from generator.paths import FONTS

FONT_SUFFIXES = (".ttf", ".otf")
TABLES = ("name", "head", "OS/2", "post", "cmap")  # what the PDF's and Word's font handling read


def font_files(folder: Path = FONTS) -> list[Path]:
    """The font files of ``folder``: regular files only (a pipe or a device is no font)."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


@lru_cache(maxsize=8)
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def covered(style_file: str = "NotoSans-Regular.ttf", folder: Path = FONTS) -> frozenset[int]:
    """Code points the given bundled font maps."""
    return _cmap(folder / style_file)


def _ignorable(char: str) -> bool:
    # Line breaks and other controls are layout, not glyphs.
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def missing_glyphs(text: str, style_file: str = "NotoSans-Regular.ttf") -> list[str]:
    """Characters of ``text`` that the bundled font cannot print, in order of appearance."""
    cmap = covered(style_file)
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) not in cmap and not _ignorable(char) and char not in seen:
            seen[char] = None
    return list(seen)


def describe(char: str) -> str:
    """``U+0142 LATIN SMALL LETTER L WITH STROKE`` for messages."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def families(folders: list[Path]) -> set[str]:
    """The font family names of the font files in ``folders`` (those that exist)."""
    names: set[str] = set()
    for folder in folders:
        if folder.is_dir():
            names.update(_family(path) for path in font_files(folder))
    return names


def family_name(font: TTFont) -> str:
    """The family a font belongs to, as CSS and Word name it: the typographic family (name ID 16) if it
    has one, else the family (ID 1), which splits a family of more than four faces."""
    return str(font["name"].getDebugName(16) or font["name"].getDebugName(1))


def _family(path: Path) -> str:
    """A font file's family name, or an error naming the file a build could not use."""
    check_regular(path, str(path), MAX_FONT)  # the Word writer embeds it whole
    try:
        with path.open("rb") as handle, TTFont(handle, lazy=True) as font:  # closed if TTFont fails
            missing = [table for table in TABLES if table not in font]
            if not missing:
                return family_name(font)
            problem = f"has no {', '.join(missing)} table"
    except Exception as exc:  # fontTools raises many kinds for a damaged or foreign file
        problem = f"cannot be read as a font ({exc})"
    raise MissionpressError(f"{path}: {problem}; replace it with a TrueType or OpenType font (.ttf, .otf) "
                            "or remove it from the fonts folder")
