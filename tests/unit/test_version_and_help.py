"""`missionpress --version`, and `build --help` listing what there is to choose, read from the program."""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

import pytest

import generator
from generator.cli import main
from generator.content.pages import SIZES
from generator.documents.request import HANDBOOK_SIZES
from generator.paths import BUILTIN_CONTENT


def _printed(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert not err
    return out


def test_version_is_the_package_version_with_its_writers(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _printed(["--version"], capsys)
    assert shown.startswith(f"missionpress {generator.__version__} (WeasyPrint {metadata.version('weasyprint')}, ")
    assert f"python-docx {metadata.version('python-docx')}" in shown
    assert generator.__version__ == metadata.version("missionpress")  # pyproject.toml and the package agree


def test_build_help_lists_the_sizes_languages_and_layouts(capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no ./content: the built-in sample's languages
    shown = _printed(["build", "--help"], capsys)
    choices = shown[shown.index("to choose from:"):shown.index("examples:")]
    assert f"sizes      {', '.join(SIZES)} (a handbook: {' or '.join(HANDBOOK_SIZES)})" in choices
    assert "languages  en, es, those the built-in sample has a statement in" in choices
    assert "several in one document: en+es" in choices
    assert "layouts    classic, showcase (posters" in choices
    assert "--layout NAME" in shown and "--lang LANG" in shown  # the options' own help is still there


def test_build_help_reads_the_content_and_templates_folders_given(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    content = tmp_path / "ours"
    shutil.copytree(BUILTIN_CONTENT, content)
    shutil.copy(content / "statement.es.yaml", content / "statement.fr.yaml")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "poster-wall.html").write_text("{% extends 'poster-showcase.html' %}", encoding="utf-8")
    shown = _printed(["build", "--content", str(content), "--templates", str(tmp_path / "mine"), "-h"], capsys)
    assert f"languages  en, es, fr, those {content}/ has a statement in" in shown
    assert "several in one document: en+es+fr" in shown
    assert "layouts    classic, showcase, wall (posters" in shown
