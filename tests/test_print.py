"""Posters for a print shop: bleed and trim boxes, marks, PDF/X-4 and PDF/A-2b that stay tagged."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from generator.cli import main
from generator.content.pages import IN, MM, SIZES
from tests.readers import require_tool

CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian's libgs-common


def poster(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Path:
    status = main(["-q", "build", "poster", "--out", str(tmp_path), *extra])
    assert status == 0, capsys.readouterr().err
    (pdf,) = tmp_path.glob("poster-*.pdf")
    return pdf


def boxes(pdf: Path) -> dict[str, list[float]]:
    with pikepdf.open(pdf) as doc:
        page = doc.pages[0].obj
        return {name: [float(v) for v in page[name]] for name in ("/MediaBox", "/BleedBox", "/TrimBox")}


@pytest.mark.parametrize(("size", "bleed", "points"), [("24x36", "0.125in", 0.125 * IN), ("A2", "3mm", 3 * MM)])
def test_bleed_sets_trim_to_the_ordered_size_and_bleed_around_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], size: str, bleed: str, points: float
) -> None:
    found = boxes(poster(tmp_path, capsys, "--size", size, "--bleed", bleed))
    width, height = SIZES[size]
    trim, bled = found["/TrimBox"], found["/BleedBox"]
    assert trim[2] - trim[0] == pytest.approx(width, abs=0.01)
    assert trim[3] - trim[1] == pytest.approx(height, abs=0.01)
    for edge in (0, 1):
        assert trim[edge] - bled[edge] == pytest.approx(points, abs=0.01)
    for edge in (2, 3):
        assert bled[edge] - trim[edge] == pytest.approx(points, abs=0.01)


def pixel(pdf: Path, x: int, y: int) -> tuple[int, int, int]:
    """The color of one pixel of the page rendered at 72 dpi, MediaBox (bleed included)."""
    require_tool("pdftoppm")
    ppm = subprocess.run(["pdftoppm", "-r", "72", "-x", str(x), "-y", str(y), "-W", "1", "-H", "1", str(pdf)],
                         capture_output=True, check=True).stdout
    return tuple(ppm[-3:])  # type: ignore[return-value]


def test_background_art_runs_into_the_bleed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = poster(tmp_path, capsys, "--bleed", "0.125in")
    red, green, blue = pixel(pdf, 30, 2)  # inside the top bleed, left of center
    assert red > 150 and green < 60 and blue < 80  # the primary color (cherry), not white paper


def test_crop_marks_are_drawn_outside_the_trim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = poster(tmp_path / "plain", capsys, "--bleed", "0.125in")
    marked = poster(tmp_path / "marked", capsys, "--bleed", "0.125in", "--marks", "crop")

    def strokes_outside_trim(pdf: Path) -> int:
        x0, y0, x1, y1 = boxes(pdf)["/TrimBox"]
        with pdfplumber.open(pdf) as doc:
            return sum(1 for line in doc.pages[0].lines
                       if line["x1"] <= x0 or line["x0"] >= x1 or line["y1"] <= y0 or line["y0"] >= y1)

    assert strokes_outside_trim(plain) == 0 and strokes_outside_trim(marked) >= 8


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_x4_carries_the_output_intent_stays_tagged_and_reproducible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not CMYK_PROFILE.is_file():
        require_tool("missing-libgs-common-icc-profile")
    args = ("--size", "24x36", "--bleed", "0.125in", "--marks", "crop", "--pdf-variant", "x-4",
            "--icc-profile", str(CMYK_PROFILE))
    first, second = poster(tmp_path / "a", capsys, *args), poster(tmp_path / "b", capsys, *args)
    assert sha(first) == sha(second)
    with pikepdf.open(first) as doc:
        (intent,) = doc.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
        assert "/StructTreeRoot" in doc.Root and doc.Root.Lang == "en"
        with doc.open_metadata() as xmp:
            assert xmp.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
            assert xmp.get("pdfuaid:part") == "1"
    require_tool("qpdf")
    assert subprocess.run(["qpdf", "--check", str(first)], capture_output=True).returncode == 0


def test_pdf_a2b_is_identified_and_reproducible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = poster(tmp_path / "a", capsys, "--pdf-variant", "a-2b")
    second = poster(tmp_path / "b", capsys, "--pdf-variant", "a-2b")
    assert sha(first) == sha(second)
    with pikepdf.open(first) as doc, doc.open_metadata() as xmp:
        assert xmp.get("pdfaid:part") == "2" and xmp.get("pdfaid:conformance") == "B"
        assert xmp.get("pdfuaid:part") == "1"


@pytest.mark.parametrize(("args", "message"), [
    (("--pdf-variant", "x-4"), "--pdf-variant x-4: needs the print shop's CMYK output profile"),
    (("--bleed", "0.5in"), "--bleed 0.5in: at most 10 pt"),
    (("--bleed", "wide"), "--bleed wide: expected a length such as 0.125in"),
    (("--marks", "stars"), "--marks stars: choose crop, cross or both"),
    (("--pdf-variant", "x-4", "--icc-profile", __file__), "not an ICC color profile"),
])
def test_print_options_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    assert main(["build", "poster", "--out", str(tmp_path), *args]) == 2
    assert message in capsys.readouterr().err
