"""Stage 1: the theme's logo: which file, its words for screen readers, its size.

The logo is a file of the content folder: SVG (sharp at any size) or PNG (then
it must reach 300 dpi at the size a poster prints it).  Word cannot show SVG,
so an SVG logo may name a PNG or JPEG twin for Word as ``raster``.  The files
are checked when the theme loads, each problem at its theme.yaml line.
"""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from generator.content.model import Loc, Strict, Text, points
from generator.content.references import references
from generator.content.svg import svg_problems
from generator.errors import MissionpressError, where
from generator.inputs import MAX_IMAGE, MAX_PIXELS, read_bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LINKING = ("href", "xlink:href", "src", "url", "@import")  # where SVG names another file


class Logo(Strict):
    """``logo:`` in theme.yaml."""

    file: Text  # SVG, or PNG of 300 dpi at its printed size; relative to the content folder
    alt: Text  # required: what the logo says, e.g. "Acme Health logo"
    height: Annotated[float, AfterValidator(points(4, 400))] = 42  # points on a letter page; posters scale it
    raster: Text | None = None  # a PNG or JPEG of the same logo for Word, which cannot show SVG


def image_kind(data: bytes) -> str | None:
    """``"png"``, ``"svg"``, ``"jpeg"`` or None, from a file's first bytes."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in head:
        return "svg"
    return None


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG (its IHDR chunk)."""
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def resolve(content: Path, name: str) -> Path | None:
    """The file ``name`` of the content folder, or None if it is not one."""
    root = content.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def logo_problems(logo: Logo, content: Path, theme_file: Path, lines: dict[Loc, int]) -> list[str]:
    """Every problem with the logo's files, as ``theme.yaml:LINE: field: what (how to fix)``."""
    problems = []
    wanted = {"file": (("svg", "png"), "export the logo as SVG, or as PNG of 300 dpi at its printed size"),
              "raster": (("png", "jpeg"), "Word shows PNG and JPEG")}
    for field, (kinds, fix) in wanted.items():
        name = getattr(logo, field)
        if name is None:
            continue
        at = f"{where(theme_file, lines.get(('logo', field)))}: logo.{field}"
        path = resolve(content, name)
        if path is None:
            problems.append(f"{at}: {name} is not a file of the content folder {content} (put the logo file "
                            "there and name it relative to the folder, e.g. logo.svg)")
            continue
        try:
            data = read_bytes(path, f"{at}: {name}", MAX_IMAGE)
        except MissionpressError as error:
            problems += error.problems
            continue
        kind = image_kind(data)
        if kind not in kinds:
            problems.append(f"{at}: {name} is not {' or '.join(k.upper() for k in kinds)} ({fix})")
        elif kind == "svg":
            shown = content / name  # as the user named the folder
            problems += svg_problems(data, shown) or _outside_references(data.decode("utf-8", "replace"), shown)
        else:
            problems += _pixels(data, f"{at}: {name}")
    return problems


def _pixels(data: bytes, label: str) -> list[str]:
    """A PNG or JPEG over ``MAX_PIXELS``, refused by its header: Word decodes the whole picture when it
    opens the file (a 109 KB PNG of 30000 x 30000 pixels is 3.6 GB to decode)."""
    from PIL import Image

    over = f"over the limit of {MAX_PIXELS // 1_000_000} megapixels (scale it down; 300 dpi at the printed size " \
           "is enough)"
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above ours: the size it names
        if data.startswith(PNG_SIGNATURE):
            return [f"{label}: is {' x '.join(map(str, png_size(data)))} pixels, {over}"]
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        return [f"{label}: is {int(pixels.group(1)) if pixels else 0:,} pixels, {over}"]
    except Exception:  # Pillow raises many types for a damaged file
        return [f"{label}: cannot be decoded as an image: damaged (open it and save it again)"]
    if width * height > MAX_PIXELS:
        return [f"{label}: is {width} x {height} pixels, {over}"]
    return []


def _outside_references(svg: str, path: Path) -> list[str]:
    """An SVG logo names no other file or web address: the renderer would not load it, and the
    picture would print without it."""
    return [f"{where(path, svg.count(chr(10), 0, offset) + 1)}: the logo refers to {value[:80]} (an SVG logo "
            "must stand alone: embed pictures in it as data: URLs, and fonts as outlines)"
            for offset, name, value in references(svg)
            if name in LINKING and value and not value.startswith(("#", "data:"))]
