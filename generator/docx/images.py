"""Writer: HTML -> DOCX, ``<img>`` -> picture bytes, size and alt text.

Images come through the caller's sandboxed ``fetch`` (``data:`` URLs are
decoded here).  Sizes follow the browser: ``width``/``height`` attributes
are CSS pixels (96 per inch), else the image's pixel size is taken as CSS
pixels (as WeasyPrint does), and the result is scaled down to fit the page's
content box.  ``alt`` is required; ``alt=""`` marks a decorative image.

A picture the stylesheet floats (the QR code beside its label, the poster's
logo at the right of its masthead) is a floating picture in Word
(:func:`floating`): anchored to its paragraph, text wrapping on its other
side, at the CSS margin's distance.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import unquote_to_bytes

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.html import HtmlElement

from generator.content.pages import PX
from generator.errors import MissionpressError

EMU_PER_POINT = 12700
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")

Fetch = Callable[[str], bytes]


@dataclass(frozen=True)
class Image:
    """A picture ready to place: its bytes, size in EMU and alt text."""

    blob: bytes
    width: int
    height: int
    alt: str
    float: Literal["left", "right"] | None = None  # floats to this side of its paragraph, text beside
    gap: int = 0  # EMU between a floating picture and the text beside it


COVER_LOGO = 1.5  # .cover img.logo { height: calc(var(--logo-height) * 1.5) } (handbook.css, packet.css)
COVER_QR = {"handbook": 0.9 * 72, "packet": 0.8 * 72}  # .cover .link img.qr { width: 0.9in } (0.8in)
QR_GAP = 0.6  # ems of the label: .link img.qr { float: left; margin-right: 0.6em } (base.css)
LOGO_GAP = 1.0  # ems: .masthead img.logo { float: right; margin-left: 1em } (poster.css)


def placed(image: Image, el: HtmlElement, *, kind: str, em: float, small: float) -> Image:
    """``image`` as the stylesheets place and size it in a document of ``kind`` (``em``: body
    size, ``small``: the small size, points).

    The cover's logo is half as tall again and its QR code as the cover sets it; a QR code
    beside its label floats left of it (but on the poster, whose code stands over its label);
    the poster's logo floats at the right of the masthead.
    """
    names = set((el.get("class") or "").split())
    around = {name for parent in el.iterancestors() for name in (parent.get("class") or "").split()}
    cover = "cover" in around
    if "logo" in names and cover:
        return replace(image, width=round(image.width * COVER_LOGO), height=round(image.height * COVER_LOGO))
    if "qr" in names and "link" in around and kind != "poster":
        side = COVER_QR.get(kind) if cover else None
        sized = replace(image, width=round(side * EMU_PER_POINT), height=round(side * EMU_PER_POINT)) if side else image
        return replace(sized, float="left", gap=round(QR_GAP * small * EMU_PER_POINT))
    if "logo" in names and "masthead" in around and kind == "poster":
        return replace(image, float="right", gap=round(LOGO_GAP * em * EMU_PER_POINT))
    return image


def floating(inline: BaseOxmlElement, image: Image, drawing_id: int) -> BaseOxmlElement:
    """The ``wp:anchor`` of ``inline``'s picture floating as ``image`` says: at the side of the
    column, its top at its first line's, text wrapping on the other side only."""
    side = image.float or "left"
    gaps = {"distL": image.gap if side == "right" else 0, "distR": image.gap if side == "left" else 0}
    wrap = inline.makeelement(qn("wp:wrapSquare"), {"wrapText": "right" if side == "left" else "left"})
    return _anchor(inline, drawing_id, ("column", "align", side), ("line", "posOffset", "0"), wrap, gaps)


def band(inline: BaseOxmlElement, drawing_id: int) -> BaseOxmlElement:
    """The ``wp:anchor`` of ``inline``'s picture at the top left corner of the page, behind the text."""
    return _anchor(inline, drawing_id, ("page", "posOffset", "0"), ("page", "posOffset", "0"),
                   inline.makeelement(qn("wp:wrapNone"), {}), {}, behind=True)


def _anchor(inline: BaseOxmlElement, drawing_id: int, horizontal: tuple[str, str, str],
            vertical: tuple[str, str, str], wrap: BaseOxmlElement, gaps: dict[str, int],
            behind: bool = False) -> BaseOxmlElement:
    """A ``wp:anchor`` holding ``inline``'s picture, placed by (relative to, ``align`` or ``posOffset``,
    value) on each axis, wrapped by ``wrap``, ``gaps`` (``distL``, ``distR``) EMU from the text."""
    anchor = inline.makeelement(qn("wp:anchor"), {
        "distT": "0", "distB": "0", "distL": str(gaps.get("distL", 0)), "distR": str(gaps.get("distR", 0)),
        "simplePos": "0", "relativeHeight": str(drawing_id), "behindDoc": "1" if behind else "0",
        "locked": "0", "layoutInCell": "1", "allowOverlap": "1" if behind else "0"})
    anchor.append(anchor.makeelement(qn("wp:simplePos"), {"x": "0", "y": "0"}))
    for axis, (relative, how, value) in (("wp:positionH", horizontal), ("wp:positionV", vertical)):
        position = anchor.makeelement(qn(axis), {"relativeFrom": relative})
        position.append(anchor.makeelement(qn(f"wp:{how}"), {}))
        position[0].text = value
        anchor.append(position)
    anchor.extend([inline.find(qn("wp:extent")),
                   anchor.makeelement(qn("wp:effectExtent"), {"l": "0", "t": "0", "r": "0", "b": "0"}), wrap])
    anchor.extend(list(inline))  # docPr, cNvGraphicFramePr, graphic
    return anchor


def solid_png(color: str) -> bytes:
    """A one-pixel PNG of ``color`` ("#RRGGBB"), to be stretched over an area."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1 x 1, 8-bit RGB
    pixels = zlib.compress(b"\x00" + bytes.fromhex(color.lstrip("#")), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def decode_data_url(url: str) -> bytes:
    """The bytes of a ``data:`` URL (base64 or percent-encoded)."""
    header, comma, data = url[5:].partition(",")
    if not comma:
        raise ValueError("no comma")
    raw = unquote_to_bytes(data)
    return base64.b64decode(raw, validate=False) if header.lower().endswith(";base64") else raw


@dataclass
class Images:
    """Loads and sizes the pictures of one document; ``box`` is the content size in points."""

    at: Callable[[HtmlElement], str]  # the template file and line that wrote an element
    box: tuple[float, float]
    fetch: Fetch | None = None
    _cache: dict[str, bytes] = field(default_factory=dict)

    def load(self, el: HtmlElement) -> Image:
        src = (el.get("src") or "").strip()

        def where() -> str:  # the template line is found only for a message (it renders the template again)
            return f'{self.at(el)}: <img src="{src}">'

        alt = el.get("alt")
        if alt is None:
            raise MissionpressError(
                f'{where()} has no alt attribute (describe the image in alt="...", '
                'or write alt="" if it is only decoration)'
            )
        if not src:
            raise MissionpressError(f"{where()} has no src (give the image's URL)")
        blob = self._bytes(src, el)
        try:
            info = DocxImage.from_blob(blob)
        except UnrecognizedImageError:
            raise MissionpressError(
                f"{where()}: Word cannot show this image format (use PNG, JPEG or GIF)"
            ) from None
        width, height = self._size(el, info.px_width, info.px_height, where)
        return Image(blob, round(width * EMU_PER_POINT), round(height * EMU_PER_POINT), alt.strip())

    def _bytes(self, src: str, el: HtmlElement) -> bytes:
        if src not in self._cache:
            self._cache[src] = self._read(src, el)
        return self._cache[src]

    def _read(self, src: str, el: HtmlElement) -> bytes:
        if src.lower().startswith("data:"):
            try:
                return decode_data_url(src)
            except (ValueError, binascii.Error):
                raise MissionpressError(f'{self.at(el)}: <img src="{src}">: the data: URL cannot be decoded') from None
        if self.fetch is None:
            raise MissionpressError(f'{self.at(el)}: <img src="{src}">: images can only be loaded through the build '
                                    "(no fetcher)")
        try:
            return self.fetch(src)
        except MissionpressError as refused:  # the sandbox's refusal, placed at the template line
            raise MissionpressError(*(f"{self.at(el)}: {p}" for p in refused.problems)) from None

    def _size(self, el: HtmlElement, px_width: int, px_height: int,
              where: Callable[[], str]) -> tuple[float, float]:
        """Width and height in points: attributes, else natural size; then fit the box."""
        given_width, given_height = (self._attribute(el, name, where) for name in ("width", "height"))
        width = given_width or (given_height or px_height * PX) * px_width / px_height
        height = given_height or width * px_height / px_width
        scale = min(1.0, self.box[0] / width, self.box[1] / height)
        return width * scale, height * scale

    @staticmethod
    def _attribute(el: HtmlElement, name: str, where: Callable[[], str]) -> float | None:
        value = el.get(name)
        if value is None:
            return None
        match = LENGTH.match(value)
        if not match or float(match.group(1)) == 0:
            raise MissionpressError(
                f'{where()}: {name}="{value}" is not a size in CSS pixels (write e.g. {name}="240")'
            )
        return float(match.group(1)) * PX
