"""Small inputs that would cost minutes and gigabytes: refused before the work, at their file and line."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.harness import content, edit, refused, run


def nested_use(depth: int = 6, width: int = 10) -> str:
    """A 2 KB SVG whose <use> elements nest ``depth`` deep, ``width`` wide: width**depth circles drawn."""
    lines = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             'viewBox="0 0 120 120">', "<defs>", '<circle id="l0" cx="60" cy="60" r="2"/>']
    for level in range(1, depth + 1):
        lines.append(f'<g id="l{level}">' + "".join(f'<use xlink:href="#l{level - 1}" x="{i}"/>'
                                                    for i in range(width)) + "</g>")
    return "\n".join([*lines, "</defs>", f'<use href="#l{depth}"/>', "</svg>"])


def large_png(width: int, height: int) -> bytes:
    """A PNG's signature, header and a short image stream: what says its size, without the pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 3, 0, 0, 0)  # 1 bit per pixel, palette
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"PLTE", b"\0\0\0\xff\xff\xff")
            + chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b""))


def svg(*body: str) -> str:
    return "\n".join(['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120">', *body, "</svg>"])


# name: (the logo's SVG, the line the refusal points at, what it says)
SVG_CASES: dict[str, tuple[str, int, str]] = {
    "<use> nested six deep, ten wide": (nested_use(), 6, "the logo draws over 20,000 elements"),
    "<use> nested thirty deep, two wide": (nested_use(30, 2), 14, "the logo draws over 20,000 elements"),
    "30,000 plain circles": (svg(*['<circle cx="5" cy="5" r="1"/>'] * 30_000), 20_001,
                             "the logo draws over 20,000 elements"),
    "a <use> that draws itself": (svg('<g id="a">', '<use href="#a"/>', "</g>"), 3,
                                  "<use> of #a draws itself, without end"),
    "groups nested 50 deep": (svg(*["<g>"] * 50, *["</g>"] * 50), 41, "nests elements more than 40 deep"),
    "a path of 600,000 characters": (svg('<path d="M0 0' + " L1 1" * 120_000 + '"/>'), 2,
                                     "over 500,000 characters of path data"),
    "polygons of 600,000 characters": (svg(*[f'<polygon points="{"1,1 " * 10_000}"/>'] * 15), 14,
                                       "over 500,000 characters of path data"),
    "an entity declared": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>\n' + svg("<text>&a;</text>"), 2,
        "declares a DTD or entities"),
    "not well-formed": (svg('<circle cx="5" cy="5" r="1">'), 3, "the logo is not readable SVG (mismatched tag"),
    "an embedded picture that does not decode": (
        svg('<image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==" width="9" height="9"/>'), 2,
        "the logo's embedded picture cannot be decoded as an image"),
    "an embedded 30000 x 30000 picture": (
        svg(f'<image href="data:image/png;base64,{base64.b64encode(large_png(30_000, 30_000)).decode()}"/>'), 2,
        "the logo's embedded picture is over the limit of 40 megapixels"),
    "21 embedded pictures": (svg(*['<image href="data:image/png;base64,AAAA"/>'] * 21), 22,
                             "the logo embeds more than 20 pictures"),
}


@pytest.mark.parametrize("case", list(SVG_CASES))
def test_an_svg_logo_too_costly_to_draw_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, line, message = SVG_CASES[case]
    folder = content(tmp_path)
    (folder / "logo.svg").write_text(text, encoding="utf-8")
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(folder), "--format", "html")
    refused(outcome, f"{folder / 'logo.svg'}:{line}", message)
    assert len(outcome.errors) == 1 and "macros.html" not in outcome.err and "base64" not in outcome.err


def test_a_logo_of_six_hundred_drawn_elements_still_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = content(tmp_path)
    (folder / "logo.svg").write_text(nested_use(2, 24), encoding="utf-8")  # 576 circles through <use>
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(folder), "--format", "html")
    assert outcome.status == 0, outcome.err


def large_jpeg(width: int, height: int) -> bytes:
    """A JPEG's start and frame header (SOF0) naming ``width`` x ``height``: what Pillow reads to size it."""
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    return (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
            + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof + b"\xff\xd9")


# name: (how the theme is spoiled, the theme field, what the message says)
RASTER_CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "a 30000 x 30000 PNG for Word": (lambda f: (f / "logo.png").write_bytes(large_png(30_000, 30_000)),
                                     "logo.raster: logo.png", "is 30000 x 30000 pixels, over the limit of 40"),
    "a 9000 x 5000 PNG for Word": (lambda f: (f / "logo.png").write_bytes(large_png(9_000, 5_000)),
                                   "logo.raster: logo.png", "is 9000 x 5000 pixels, over the limit of 40"),
    "a 20000 x 20000 JPEG for Word": (
        lambda f: ((f / "logo.jpg").write_bytes(large_jpeg(20_000, 20_000)),
                   edit(f / "theme.yaml", "raster: logo.png", "raster: logo.jpg")),
        "logo.raster: logo.jpg", "is 400,000,000 pixels, over the limit of 40"),
    "a 30000 x 30000 PNG as the logo": (
        lambda f: ((f / "big.png").write_bytes(large_png(30_000, 30_000)),
                   edit(f / "theme.yaml", "file: logo.svg", "file: big.png")),
        "logo.file: big.png", "is 30000 x 30000 pixels"),
}


@pytest.mark.parametrize("case", list(RASTER_CASES))
def test_a_logo_picture_over_40_megapixels_is_refused_at_its_theme_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    spoil, field, message = RASTER_CASES[case]
    folder = content(tmp_path)
    spoil(folder)
    line = next(n for n, text in enumerate((folder / "theme.yaml").read_text().splitlines(), 1)
                if text.strip().startswith(field.split(".")[1].split(":")[0] + ":"))
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(folder), "--format", "docx")
    refused(outcome, f"{folder / 'theme.yaml'}:{line}", f"{field}: {message}")
    assert not (tmp_path / "out" / "poster-letter.docx").exists()
