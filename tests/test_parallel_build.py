"""Several documents built at once read and write exactly as one at a time."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from generator.documents.build import Project, Request, build
from generator.errors import MissionpressError
from generator.paths import BUILTIN_CONTENT, BUILTIN_TEMPLATES

REQUESTS = [Request("poster", "letter", formats=("html",)), Request("poster", "letter", formats=("docx",)),
            Request("poster", "A4", formats=("html",), lang="es")]


def _build(out: Path, project: Project, jobs: int, caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[Path]]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="generator"):
        written = build(REQUESTS, project, out, jobs=jobs)
    lines = [r.getMessage().replace(str(out), "OUT") for r in caplog.records if r.name.startswith("generator")]
    return [line for line in lines if not line.startswith("built ")], written


def test_in_parallel_the_messages_come_in_request_order_and_the_files_are_the_same(
    tmp_path: Path, project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    one, written_one = _build(tmp_path / "one", project, 1, caplog)
    many, written_many = _build(tmp_path / "many", project, 2, caplog)
    assert many == one
    assert [line.split()[0] for line in many if line.startswith("[")] == ["[1/3]", "[2/3]", "[3/3]"]
    assert [p.name for p in written_many] == [p.name for p in written_one]
    for a, b in zip(written_one, written_many, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_an_error_in_a_worker_reaches_the_caller_whole(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    poster = (BUILTIN_TEMPLATES / "poster.html").read_text(encoding="utf-8")
    (templates / "poster.html").write_text(poster.replace("{% block body %}", "{% block body %}{{ no_such }}", 1),
                                           encoding="utf-8")
    with pytest.raises(MissionpressError) as raised:
        build(REQUESTS[:1] * 2, Project(BUILTIN_CONTENT, templates), tmp_path / "out", jobs=2)
    assert len(raised.value.problems) == 1
    assert "poster.html" in raised.value.problems[0] and "no_such" in raised.value.problems[0]


def test_a_document_built_here_prints_its_messages_once_when_replayed() -> None:
    """The terminal's handler sits on the "generator" logger: what a document made in this process logs is
    kept from it (not printed at once as well) and printed when its turn comes."""
    from generator.documents import parallel

    printed: list[str] = []

    class Terminal(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            printed.append(record.getMessage())

    logger = logging.getLogger("generator")
    terminal = Terminal()
    logger.addHandler(terminal)
    try:
        outcome = parallel.kept(lambda: logging.getLogger("generator.x").warning("warning: once") or [],
                                logging.INFO)
        assert printed == []
        parallel.replay(outcome)
        assert printed == ["warning: once"]
        assert terminal in logger.handlers
    finally:
        logger.removeHandler(terminal)


def test_a_parallel_build_leaves_no_temporary_folder_behind(tmp_path: Path) -> None:
    """Each process that lays out a PDF makes a fontconfig folder and WeasyPrint copies of the fonts; the
    workers of a parallel build and of a batch end without Python's exit handlers, the command without its
    teardown: every one of those folders is removed all the same."""
    import os
    import shutil
    import subprocess
    import sys

    content = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, content)
    (content / "documents.yaml").write_text(
        "documents:\n  - {document: poster, size: letter, format: pdf}\n"
        "  - {document: poster, size: A4, format: pdf, lang: es}\n"
        "  - {document: onboarding, size: letter, format: pdf, roster: roster.csv}\n", encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    for command in (["build", "--content", str(content)],
                    ["build", "onboarding", "--content", str(content), "--roster", str(content / "roster.csv"),
                     "--format", "pdf", "--jobs", "2"]):
        result = subprocess.run([sys.executable, "-m", "generator", "-q", *command, "--out", str(tmp_path / "out")],
                                capture_output=True, text=True, env=os.environ | {"TMPDIR": str(temporary)})
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in temporary.iterdir()) == [], command
    assert len(list((tmp_path / "out").glob("poster-*.pdf"))) == 2
