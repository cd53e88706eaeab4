"""Shared fixtures: builds made once per session."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from generator.documents.build import Project, Request, build
from generator.paths import BUILTIN_CONTENT


@pytest.fixture(scope="session", autouse=True)
def _font_folders_removed() -> Iterator[None]:
    """pytest-xdist's workers end without exit handlers: this process's font folders are removed here."""
    yield
    setup = sys.modules.get("generator.pdf.setup")
    if setup is not None:
        setup.release()


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(BUILTIN_CONTENT)


@pytest.fixture(scope="session")
def posters(tmp_path_factory: pytest.TempPathFactory, project: Project) -> dict[str, Path]:
    """The letter and 24x36 posters as PDF, and the letter handout as DOCX, built once."""
    out = tmp_path_factory.mktemp("posters")
    made: dict[str, Path] = {}
    for request in (Request("poster", "letter", formats=("pdf", "docx", "html")),
                    Request("poster", "24x36", formats=("pdf",))):
        for path in build(request, project, out):
            made[path.name] = path
    return made


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every default document (`missionpress build`), built once; tests only read it."""
    from generator.cli import main

    out = tmp_path_factory.mktemp("default-build")
    assert main(["-q", "build", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def roster_build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Builds the packets of a roster and their combined print file, in a folder of their own.

    Called with the people as (name, language) pairs, all nurses starting on ``start``, and any
    more `build onboarding` options (``"--format", "pdf"``); returns the output folder, which
    holds the roster as ``roster.csv``.
    """
    from generator.cli import main

    def build_for(people: Sequence[tuple[str, str]], start: str, *options: str) -> Path:
        out = tmp_path_factory.mktemp("roster-build")
        roster = out / "roster.csv"
        roster.write_text("name,role,start_date,language\n"
                          + "".join(f"{name},Nurse,{start},{lang}\n" for name, lang in people), encoding="utf-8")
        assert main(["-q", "build", "onboarding", "--roster", str(roster), "--out", str(out), *options,
                     "--jobs", "1", "--combined"]) == 0
        return out

    return build_for


@pytest.fixture(scope="module")
def content_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built-in content, for a module whose tests edit it."""
    import shutil

    folder = tmp_path_factory.mktemp("content-copy") / "content"
    shutil.copytree(BUILTIN_CONTENT, folder)
    return folder


@pytest.fixture(scope="session")
def sweep_projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Project]:
    """The two contents the sweep builds every document from (tests/sweep.py), by name."""
    from tests.sweep import CONTENTS, content_folder

    return {name: Project(content_folder(name, tmp_path_factory)) for name in CONTENTS}
