"""Writer: HTML -> DOCX, ``<img>`` -> picture bytes, size and alt text.

Images come through the caller's sandboxed ``fetch`` (``data:`` URLs are
decoded here).  Sizes follow the browser: ``width``/``height`` attributes
are CSS pixels (96 per inch), else the image's pixel size is taken as CSS
pixels (as WeasyPrint does), and the result is scaled down to fit the page's
content box.  ``alt`` is required; ``alt=""`` marks a decorative image.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from lxml.html import HtmlElement

from generator.errors import MissionpressError

EMU_PER_POINT = 12700
POINTS_PER_PX = 72 / 96
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")

Fetch = Callable[[str], bytes]


@dataclass(frozen=True)
class Image:
    """A picture ready to place: its bytes, size in EMU and alt text."""

    blob: bytes
    width: int
    height: int
    alt: str


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
        width = given_width or (given_height or px_height * POINTS_PER_PX) * px_width / px_height
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
        return float(match.group(1)) * POINTS_PER_PX
