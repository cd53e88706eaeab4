"""Stage 2: the pictures a template places: the theme's logo and the statement's QR code.

Both are given to templates as ready ``<img>`` sources with alt text.  The PDF
gets vector art wherever there is some (an SVG logo; the QR code drawn as one SVG path of
the outlines of its dark areas), Word gets a raster (it cannot show
SVG): the QR code as a PNG, the logo as the theme's ``logo.raster`` file.
Files come only from the content folder, and as ``data:`` URLs or ``file://``
URLs inside it, which both writers' sandboxes serve.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno

from generator.content.logo import Logo, image_kind, png_size, resolve
from generator.content.pages import Page
from generator.content.theme import Theme
from generator.errors import MissionpressError

log = logging.getLogger(__name__)

QUIET_ZONE = 4  # modules of white around a QR code, as the standard asks
QR_ERROR = "m"  # error correction: survives about 15% damage (a scuffed poster)
PNG_MODULE_PX = 10  # pixels per module of the QR code in Word: crisp when printed at 2 in
MIN_POSTER_DPI = 300
QR_MIN_SIDE = 0.8 * 72  # points: the smallest code a phone reads from a print (2 cm)
QR_SHARE = 0.1  # of a poster's short side: read from about ten times its side, as far as the poster is


@dataclass(frozen=True)
class Picture:
    """An image for a template: ``<img src="{{ p.src }}" alt="{{ p.alt }}">``."""

    src: str
    alt: str
    height: float = 0.0  # points at letter size (logo); templates scale it on posters


@dataclass(frozen=True)
class QRCode:
    """The statement's link: the code to print (``src``) and the URL to print beside it."""

    url: str
    src: str


@dataclass(frozen=True)
class Artwork:
    """What a template may place besides text; either may be None."""

    logo: Picture | None = None
    qr: QRCode | None = None


def artwork(theme: Theme, content: Path, url: str | None, word: bool = False) -> Artwork:
    """The logo and QR code of a document, for the PDF or (``word``) for Word."""
    return Artwork(logo(theme, content, word), qr_code(url, theme, word) if url else None)


# --- QR code -------------------------------------------------------------------------


def qr_matrix(url: str) -> list[list[bool]]:
    """The modules of the QR code for ``url`` (True is dark), without the quiet zone."""
    code = segno.make(url, error=QR_ERROR, micro=False, boost_error=False)
    return [[bool(m) for m in row] for row in code.matrix]


@lru_cache(maxsize=16)
def qr_svg(url: str, color: str = "#000000") -> str:
    """The QR code as SVG: one ``<path>`` of the outlines of its dark areas, on white.

    Outlines, not a rectangle per module or per run of modules: the same area
    filled (nonzero rule), in about half the path commands, and a renderer pays
    for each command (a packet's cover draws the code once per person).
    """
    matrix = qr_matrix(url)
    size = len(matrix) + 2 * QUIET_ZONE
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
            f'height="{size}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#ffffff"/>'
            f'<path fill="{color}" d="{outline_path(matrix, QUIET_ZONE)}"/></svg>')


def outline_path(matrix: list[list[bool]], margin: int = 0) -> str:
    """SVG path data of the outlines of the True cells of ``matrix`` (cell ``[y][x]`` is the unit square at
    ``x + margin, y + margin``): each area clockwise, each hole in it counter-clockwise, so the nonzero
    rule fills exactly the True cells, however the loops are cut where two areas touch at a corner."""
    rows, columns = len(matrix), len(matrix[0]) if matrix else 0

    def on(x: int, y: int) -> bool:
        return 0 <= y < rows and 0 <= x < columns and matrix[y][x]

    # The edges between a True cell and a False one, directed with the True cell on the right (y down).
    after: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for y in range(rows):
        for x in range(columns):
            if not matrix[y][x]:
                continue
            for neighbour, start, end in (((x, y - 1), (x, y), (x + 1, y)), ((x + 1, y), (x + 1, y), (x + 1, y + 1)),
                                          ((x, y + 1), (x + 1, y + 1), (x, y + 1)), ((x - 1, y), (x, y + 1), (x, y))):
                if not on(*neighbour):
                    after.setdefault(start, []).append(end)
    commands = []
    for first in sorted(after, key=lambda point: (point[1], point[0])):
        while after.get(first):
            commands.append(f"M{first[0] + margin} {first[1] + margin}")
            corner, point = first, first
            while True:
                following = after[point].pop()
                if not after[point]:
                    del after[point]
                turn = following[0] != corner[0] and following[1] != corner[1]
                if turn:  # the straight stretch from the last corner ends at ``point``
                    commands.append(f"h{point[0] - corner[0]}" if point[1] == corner[1] else f"v{point[1] - corner[1]}")
                    corner = point
                point = following
                if point == first:
                    break
            commands.append("z")  # the last stretch, back to the first point
    return "".join(commands)


@lru_cache(maxsize=16)
def qr_png(url: str) -> bytes:
    """The QR code as a black-on-white PNG, for Word."""
    import io

    out = io.BytesIO()
    segno.make(url, error=QR_ERROR, micro=False, boost_error=False).save(
        out, kind="png", scale=PNG_MODULE_PX, border=QUIET_ZONE)
    return out.getvalue()


def data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def qr_code(url: str, theme: Theme, word: bool) -> QRCode:
    """The QR code for ``url``: vector SVG for the PDF, PNG for Word."""
    if word:
        return QRCode(url, data_url("image/png", qr_png(url)))
    return QRCode(url, data_url("image/svg+xml", qr_svg(url, theme.colors.text).encode("utf-8")))


def poster_qr_side(page: Page) -> float:
    """The side of a poster's QR code, in points: a tenth of the page's short side (a wall poster is read
    from farther away, and so is its code), never under 0.8 in.  It does not shrink with the fitted type."""
    return max(QR_MIN_SIDE, QR_SHARE * min(page.width, page.height))


# --- Logo ----------------------------------------------------------------------------


def logo(theme: Theme, content: Path, word: bool) -> Picture | None:
    """The theme's logo for the PDF (SVG or PNG) or for Word (PNG, or the ``raster`` twin of an SVG)."""
    spec = theme.logo
    if spec is None:
        return None
    path = _file(content, spec.file)
    if word and image_kind(path.read_bytes()) == "svg":
        if spec.raster is None:
            log.warning("warning: %s: logo.file is SVG, which Word cannot show; the Word file has no logo "
                        "(add logo.raster: a PNG of the logo)", content / "theme.yaml")
            return None
        path = _file(content, spec.raster)
    data = path.read_bytes()  # embedded: the HTML names no path of the machine that built it
    mime = {"svg": "image/svg+xml", "png": "image/png", "jpeg": "image/jpeg"}[image_kind(data) or "png"]
    return Picture(data_url(mime, data), spec.alt, spec.height)


def _file(content: Path, name: str) -> Path:
    path = resolve(content, name)
    if path is None:  # load_theme checked it; the file went away since
        raise MissionpressError(f"{content / 'theme.yaml'}: logo: {name} not found in {content}")
    return path


def require_print_resolution(spec: Logo | None, content: Path, scale: float, page_name: str) -> None:
    """Refuse a PNG logo that would print under 300 dpi on a poster of this ``scale``."""
    if spec is None:
        return
    data = _file(content, spec.file).read_bytes()
    if image_kind(data) != "png":
        return
    _, pixels = png_size(data)
    inches = spec.height * scale / 72
    dpi = pixels / inches
    if dpi < MIN_POSTER_DPI - 0.5:
        needed = int(MIN_POSTER_DPI * inches + 0.999)
        raise MissionpressError(
            f"{content / 'theme.yaml'}: logo.file: {spec.file} is {pixels} px tall and prints {inches:.2f} in "
            f"tall on the {page_name} poster: {dpi:.0f} dpi, and a print shop needs {MIN_POSTER_DPI} dpi "
            f"(give a PNG at least {needed} px tall, or an SVG, or a smaller logo.height)")
