"""The sweep: every document a user can pick, built from two contents and read by every check rule.

Posters in every size, orientation, language and built-in layout; the handbook in each of
its sizes and languages; packets in each language.  Each is built from the built-in sample
and from a second organization's statement of another shape (``tests/data/other-org``: a
longer name and title, more goals and core values, two-word values).  A document passes
when ``missionpress check`` finds nothing in it, warnings included.

The tests are split by file (tests/test_sweep*.py) so that ``pytest -n auto --dist loadfile``
spreads them over the cores.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check.run import check_paths
from generator.content.pages import SIZES
from generator.documents.build import Project, Request, build
from generator.documents.request import ORIENTATIONS
from generator.paths import BUILTIN_CONTENT

OTHER = Path(__file__).parent / "data" / "other-org"
CONTENTS = ("sample", "other")
LANGUAGES = ("en", "es", "en+es")
POSTER_SIZES = tuple(SIZES)
# One person of the sample roster per packet language: (name, language).
PACKETS = (("Nguyễn Thị Minh Khai", "en"), ("Beatriz Gutiérrez Sandoval", "es"), ("José Ñúñez Ortega", "en+es"))


# Every poster of the sample; of the other content, every size and language in one orientation,
# alternating from size to size (both orientations of each layout are met on half the sizes),
# which keeps `make test` within its time.
POSTERS = [(content, size, orientation, lang) for content in CONTENTS for index, size in enumerate(POSTER_SIZES)
           for orientation in ORIENTATIONS for lang in LANGUAGES
           if content == "sample" or orientation == ORIENTATIONS[index % len(ORIENTATIONS)]]


def poster_sweep(layout: str) -> Callable[..., None]:
    """The test of every poster of a layout: one item per poster, so that each fails on its own."""

    @pytest.mark.parametrize(("content", "size", "orientation", "lang"), POSTERS, ids=lambda value: str(value))
    def test(sweep_projects: dict[str, Project], tmp_path: Path, content: str, size: str, orientation: str,
             lang: str) -> None:
        request = Request("poster", size, orientation, ("pdf",), lang, layout=layout)
        assert_clean(request, sweep_projects[content], tmp_path)

    return test


def content_folder(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sample, or a copy of it with the other organization's statement."""
    if name == "sample":
        return BUILTIN_CONTENT
    folder = tmp_path_factory.getbasetemp() / "sweep-other-content"
    if not folder.exists():
        shutil.copytree(BUILTIN_CONTENT, folder)
        for statement in OTHER.glob("statement*.yaml"):
            shutil.copy(statement, folder / statement.name)
    return folder


def assert_clean(request: Request, project: Project, out: Path) -> None:
    """Build the request's PDFs and fail with every check finding in them, warnings included."""
    made = [path for path in build(request, project, out) if path.suffix == ".pdf"]
    assert made, f"{request} made no PDF"
    found = [f"{failure.path.name}: {failure.rule}: {failure.message}" for failure in check_paths(made).failures]
    assert not found, "\n".join(found)
