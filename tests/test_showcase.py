"""The showcase poster layout: one page of its size, every rule of `check`, read in order (every size,
orientation and language of it is built and checked by the sweep, tests/test_sweep_showcase.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check.pdf_reading import PdfReading
from generator.check.run import check_paths
from generator.cli import main
from generator.content.pages import SIZES, page
from generator.documents.build import Project, Request, build

LANGS = ("en", "es", "en+es")
ORIENTATIONS = ("portrait", "landscape")

DEFAULT_SIZES = ("letter", "24x36")  # the sizes of the default documents


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    """The showcase poster on the two sizes the default documents use, in both orientations and every
    language, built once.  Every other size is built and checked by the sweep
    (tests/test_sweep_showcase.py: every rule of `check`, its one page and the size by name included)."""
    out = tmp_path_factory.mktemp("showcase")
    project = Project()
    keys = [(size, orientation, lang) for size in SIZES if size in DEFAULT_SIZES
            for orientation in ORIENTATIONS for lang in LANGS]
    requests = [Request("poster", size, orientation, ("pdf",), lang, layout="showcase")  # type: ignore[arg-type]
                for size, orientation, lang in keys]
    files = build(requests, project, out)  # on every core, in order: one file per request
    return dict(zip(keys, files, strict=True))


def test_the_showcase_fits_one_page_of_the_size_in_every_orientation_and_language(
    sweep: dict[tuple[str, str, str], Path],
) -> None:
    assert len(sweep) == len(DEFAULT_SIZES) * 2 * 3
    for (size, orientation, _), pdf in sweep.items():
        with PdfReading(pdf) as reading:
            assert reading.page_count() == 1, pdf.name
            box = reading.plumber.pages[0]
            expected = page(size, orientation)
            assert (round(box.width), round(box.height)) == (round(expected.width), round(expected.height)), pdf.name


def test_showcase_posters_pass_check(sweep: dict[tuple[str, str, str], Path]) -> None:
    """Every rule of `check` (tags, fonts, page count and size by name, text on the page...) on the two
    sizes the default documents use, in both orientations and every language."""
    chosen = list(sweep.values())
    report = check_paths(chosen)
    assert [str(f) for f in report.failures] == []
    assert len(report.checked) == len(chosen) == 12


def test_the_showcase_is_tagged_in_reading_order(sweep: dict[tuple[str, str, str], Path]) -> None:
    for key in (("letter", "portrait", "en"), ("24x36", "landscape", "en+es")):
        with PdfReading(sweep[key]) as reading:
            assert reading.tree is not None
            # Section labels are set in capitals by CSS; the text itself is the heading as written.
            headings = [reading.node_text(n).strip().casefold() for n in reading.tree.walk() if n.role == "H2"]
        expected = ["Vision", "Mission", "Goals", "Values Statement"]
        if key[2] == "en+es":
            expected += ["Visión", "Misión", "Metas", "Declaración de valores"]
        assert headings == [h.casefold() for h in expected], key


def test_an_unknown_layout_names_the_layouts_there_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "poster", "--layout", "wall", "--out", str(tmp_path)]) == 2
    assert "error: --layout wall: no such poster layout (layouts: classic, showcase;" in capsys.readouterr().err
