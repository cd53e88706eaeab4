"""The logo and the QR code: drawn as vector art in the PDF, a picture in Word, with alt text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from docx import Document
from PIL import Image

from generator.content.theme import load_theme
from generator.documents.build import Project, Request, build
from generator.errors import MissionpressError
from generator.paths import BUILTIN_CONTENT
from generator.render.artwork import QUIET_ZONE, qr_matrix

URL = "https://hsc.unm.edu/"


def drawn_matrix(pdf: Path, color: tuple[float, ...]) -> list[list[bool]]:
    """The QR modules as drawn: the area the path filled in the code's color covers, on a module grid.

    Read from the page's drawing operators (whatever shapes the code is drawn as:
    rectangles or outlines), the fill rule the PDF names applied at each module's centre.
    """
    with pikepdf.open(pdf) as doc:
        operations = pikepdf.parse_content_stream(doc.pages[0])
    fill: tuple[float, ...] | None = None
    loops: list[list[tuple[float, float]]] = []
    for operands, operator in operations:
        op = str(operator)
        if op == "rg":
            fill = tuple(round(float(c), 3) for c in operands)
        elif op == "m":
            loops.append([(float(operands[0]), float(operands[1]))])
        elif op == "l":
            loops[-1].append((float(operands[0]), float(operands[1])))
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            loops.append([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])
        elif op in ("f", "f*", "F") and fill == color and len(loops) > 20:
            return _modules([[*loop, loop[0]] for loop in loops if len(loop) > 1], even_odd=op == "f*")
        elif op in ("f", "f*", "F", "S", "s", "n", "B", "B*", "b", "b*"):
            loops = []
    raise AssertionError("no QR code drawn")


def _modules(loops: list[list[tuple[float, float]]], even_odd: bool) -> list[list[bool]]:
    points = [point for loop in loops for point in loop]
    left, top = min(x for x, _ in points), min(y for _, y in points)
    size = round(max(x for x, _ in points) - left)  # a module is a unit of the code's own drawing

    def covered(x: float, y: float) -> bool:
        winding = 0  # a ray to the right: crossings of the edges, counted by direction
        for loop in loops:
            for (x1, y1), (x2, y2) in zip(loop, loop[1:], strict=False):
                if (y1 <= y) != (y2 <= y) and x1 + (y - y1) * (x2 - x1) / (y2 - y1) > x:
                    winding += 1 if y2 > y1 else -1
        return winding % 2 == 1 if even_odd else winding != 0

    return [[covered(left + column + 0.5, top + row + 0.5) for column in range(size)] for row in range(size)]


def test_the_qr_code_drawn_in_the_pdf_is_the_one_segno_makes_for_the_url(posters: dict[str, Path]) -> None:
    text_color = tuple(round(int("1F", 16) / 255, 3) for _ in range(3))  # the theme's text color, #1F1F1F
    assert drawn_matrix(posters["poster-letter.pdf"], text_color) == qr_matrix(URL)


def test_the_url_is_printed_beside_the_code_and_the_code_has_alt_text(posters: dict[str, Path]) -> None:
    with pdfplumber.open(posters["poster-letter.pdf"]) as doc:
        assert URL in doc.pages[0].extract_text()
    with pikepdf.open(posters["poster-letter.pdf"]) as pdf:
        alts = {str(e.get("/Alt")) for e in _elements(pdf.Root.StructTreeRoot) if "/Alt" in e}
    assert f"QR code: {URL}" in alts
    assert "Logo placeholder" in alts


def _elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack += list(item)
        elif isinstance(item, pikepdf.Dictionary):
            if item.get("/Type") in (None, "/StructElem") and "/S" in item:
                found.append(item)
            if "/K" in item:
                stack.append(item.K)
    return found


def test_word_gets_the_qr_code_and_the_logo_as_pictures_with_alt_text(posters: dict[str, Path]) -> None:
    doc = Document(str(posters["handout-letter.docx"]))
    described = {p.get("descr"): p for p in doc.element.body.iter("{*}docPr")}
    assert {f"QR code: {URL}", "Logo placeholder"} <= set(described)
    blobs = [part.blob for part in doc.part.package.parts if part.partname.endswith(".png")]
    matrices = [_png_matrix(blob) for blob in blobs]
    assert qr_matrix(URL) in matrices


def _png_matrix(blob: bytes) -> list[list[bool]] | None:
    image = Image.open(io.BytesIO(blob)).convert("L")
    modules = image.width // 10 - 2 * QUIET_ZONE
    if image.width != image.height or modules < 21:
        return None
    return [[image.getpixel(((QUIET_ZONE + x) * 10 + 5, (QUIET_ZONE + y) * 10 + 5)) < 128 for x in range(modules)]
            for y in range(modules)]


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, folder)
    return folder


def _set_logo(content: Path, block: str) -> None:
    theme = (content / "theme.yaml").read_text(encoding="utf-8")
    (content / "theme.yaml").write_text(theme[:theme.index("\nlogo:") + 1] + block, encoding="utf-8")


def test_a_logo_file_that_is_missing_or_not_an_image_is_reported_at_its_line(content: Path) -> None:
    (content / "notes.png").write_text("not a picture", encoding="utf-8")
    _set_logo(content, "logo:\n  file: missing.svg\n  raster: notes.png\n  alt: Acme logo\n")
    with pytest.raises(MissionpressError) as caught:
        load_theme(content)
    lines = (content / "theme.yaml").read_text(encoding="utf-8").splitlines()
    at = {key: lines.index(f"  {key}: {value}") + 1
          for key, value in (("file", "missing.svg"), ("raster", "notes.png"))}
    problems = "\n".join(caught.value.problems)
    assert f"theme.yaml:{at['file']}: logo.file: missing.svg is not a file of the content folder" in problems
    assert f"theme.yaml:{at['raster']}: logo.raster: notes.png is not PNG or JPEG" in problems


def test_a_logo_needs_alt_text(content: Path) -> None:
    _set_logo(content, "logo:\n  file: logo.svg\n")
    with pytest.raises(MissionpressError, match=r"theme.yaml:\d+: logo.alt: required field is missing"):
        load_theme(content)


def test_a_png_logo_under_300_dpi_at_its_printed_size_is_refused_for_a_poster(content: Path, tmp_path: Path) -> None:
    Image.new("RGB", (200, 200), "gray").save(content / "small.png")
    _set_logo(content, "logo:\n  file: small.png\n  alt: Acme logo\n  height: 40\n")
    with pytest.raises(MissionpressError, match=r"small.png is 200 px tall and prints .* dpi, and a print shop needs "
                       r"300 dpi \(give a PNG at least \d+ px tall, or an SVG"):
        build(Request("poster", "24x36"), Project(content), tmp_path / "out")
