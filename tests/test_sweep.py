"""The sweep over paged documents: the handbook in each size and language, and packets in each
language, from two contents, pass every check rule (tests/sweep.py; posters: test_sweep_<layout>.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.documents.build import Project, Request
from generator.documents.layouts import available
from generator.documents.request import HANDBOOK_SIZES
from generator.paths import BUILTIN_TEMPLATES
from tests.sweep import CONTENTS, LANGUAGES, PACKETS, assert_clean

# Every handbook of the sample; of the other content, the first size's (the others' pages differ only in size).
HANDBOOKS = [(content, size, lang) for content in CONTENTS for size in HANDBOOK_SIZES for lang in LANGUAGES
             if content == "sample" or size == HANDBOOK_SIZES[0]]


@pytest.mark.parametrize(("content", "size", "lang"), HANDBOOKS, ids=lambda value: str(value))
def test_every_handbook_passes_every_rule(sweep_projects: dict[str, Project], tmp_path: Path, content: str,
                                          size: str, lang: str) -> None:
    request = Request("handbook", size, formats=("pdf",), lang=lang)
    assert_clean(request, sweep_projects[content], tmp_path)


@pytest.mark.parametrize(("name", "lang"), PACKETS, ids=[lang for _, lang in PACKETS])
@pytest.mark.parametrize("content", CONTENTS)
def test_every_packet_language_passes_every_rule(sweep_projects: dict[str, Project], tmp_path: Path, content: str,
                                                 name: str, lang: str) -> None:
    project = sweep_projects[content]
    request = Request("onboarding", formats=("pdf",), roster=project.content / "roster.csv", only=name)
    assert_clean(request, project, tmp_path)


def test_every_built_in_layout_is_swept() -> None:
    swept = {path.stem.removeprefix("test_sweep_") for path in Path(__file__).parent.glob("test_sweep_*.py")}
    assert set(available([BUILTIN_TEMPLATES])) == swept
