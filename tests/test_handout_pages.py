"""The Word handout is one legible page in every size, orientation and language.

Each of the 18 handouts (letter, A4, tabloid; portrait, landscape; en, es, en+es)
is built once and LibreOffice renders them all in one call, on a system whose
only fonts have no Noto (as an office computer meets the file): each is one
page, and its body text is no smaller than the poster's smallest legible size.  The
bilingual ones (every structure the handout has) pass an independent OOXML validator.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import docx
import pytest

from generator.content.pages import page
from generator.documents import poster
from generator.documents.build import Project, Request, build
from tests.test_docx_readers import ooxml_findings, pages, render

SIZES, ORIENTATIONS, LANGS = ("letter", "A4", "tabloid"), ("portrait", "landscape"), ("en", "es", "en+es")
COMBINATIONS = list(product(SIZES, ORIENTATIONS, LANGS))


@pytest.fixture(scope="module")
def handouts(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    out = tmp_path_factory.mktemp("handouts")
    requests = [Request("poster", size, orientation=orientation, lang=lang, formats=("docx",))
                for size, orientation, lang in COMBINATIONS]
    made = build(requests, project, out)
    assert len(made) == len(COMBINATIONS)
    return dict(zip(COMBINATIONS, made, strict=True))


@pytest.fixture(scope="module")
def rendered(handouts: dict[tuple[str, str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    return render(list(handouts.values()), tmp_path_factory.mktemp("lo-handouts"))


def test_every_handout_is_one_page_in_libreoffice_without_noto(handouts: dict[tuple[str, str, str], Path],
                                                                 rendered: dict[Path, Path]) -> None:
    counts = {"-".join(combination): len(pages(rendered[path])) for combination, path in handouts.items()}
    assert {name: n for name, n in counts.items() if n != 1} == {}


def test_every_handout_stays_legible(handouts: dict[tuple[str, str, str], Path], project: Project) -> None:
    for (size, orientation, lang), path in handouts.items():
        smallest = poster.page_scale(page(size, orientation)) * poster.MIN_BODY_PT_AT_LETTER
        body = docx.Document(str(path)).styles["Normal"].font.size.pt
        assert body >= round(smallest * 2) / 2, (size, orientation, lang, body)


def test_bilingual_handouts_pass_an_independent_ooxml_validator(handouts: dict[tuple[str, str, str], Path]) -> None:
    assert ooxml_findings([path for (_, _, lang), path in handouts.items() if lang == "en+es"]) == {}
