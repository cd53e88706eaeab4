"""The Word handouts of a statement of another shape, as a reader meets them.

The second organization's statement of the tests (``tests/data/other-org``: a longer title,
8 goals, 10 values, two-word values) fits the page differently from the sample's: its Word
twins must hold what the sample's do (``tests/test_handout_pages.py``).  Eight of them, the
ones closest to a second page or to an empty foot when they were made: built, rendered by
LibreOffice on a system without Noto, each is one page, and the classic layout's text ends
within half an inch of the bottom margin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.documents.build import Project, Request, build
from tests.sweep import content_folder
from tests.test_docx_readers import pages, render
from tests.test_handout_pages import unfilled

KEYS = [("classic", size, orientation, "en+es")
        for size in ("letter", "A4") for orientation in ("portrait", "landscape")]
KEYS += [("classic", "letter", "portrait", "es"), ("showcase", "letter", "portrait", "en"),
         ("showcase", "A4", "landscape", "en"), ("showcase", "letter", "landscape", "en+es")]


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str, str], Path]:
    project = Project(content_folder("other", tmp_path_factory))
    out = tmp_path_factory.mktemp("other-handouts")
    made = build([Request("poster", size, orientation=o, lang=lang, formats=("docx",), layout=layout)
                  for layout, size, o, lang in KEYS], project, out)
    rendered = render(made, tmp_path_factory.mktemp("lo-other-handouts"))
    return {key: rendered[path] for key, path in zip(KEYS, made, strict=True)}


def test_every_twin_is_one_page(shown: dict[tuple[str, str, str, str], Path]) -> None:
    counts = {"-".join(key): len(pages(pdf)) for key, pdf in shown.items()}
    assert {name: n for name, n in counts.items() if n != 1} == {}


def test_classic_twins_fill_the_page_to_within_half_an_inch(shown: dict[tuple[str, str, str, str], Path]) -> None:
    assert unfilled(shown) == {}
