"""Templates: overrides by search path, and the renderer's sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.paths import BUILTIN_TEMPLATES
from tests.readers import normalise, pdftotext


def override(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "templates"
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (BUILTIN_TEMPLATES / name).read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def build(capsys: pytest.CaptureFixture[str], tmp_path: Path, templates: Path, *extra: str) -> tuple[int, str]:
    status = main(["-q", "build", "poster", "--templates", str(templates), "--out", str(tmp_path / "out"), *extra])
    return status, capsys.readouterr().err


def test_a_template_override_takes_effect_file_by_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = override(tmp_path, "poster.html", '<header class="masthead">',
                      '<header class="masthead"><p>Printed for the Albuquerque campus</p>')
    status, err = build(capsys, tmp_path, folder)
    assert status == 0, err
    text = normalise(pdftotext(tmp_path / "out" / "poster-letter.pdf"))
    assert text.startswith("Printed for the Albuquerque campus")
    assert "UNM HSC Vision, Mission and Core Values" in text  # base.html still from the built-ins


def test_a_css_override_takes_effect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = override(tmp_path, "css/poster.css", "/* The one-page poster.",
                      ".masthead .subtitle { display: none; }\n/* The one-page poster.")
    status, err = build(capsys, tmp_path, folder)
    assert status == 0, err
    assert "University of New Mexico Health Sciences Center\n" not in pdftotext(tmp_path / "out" / "poster-letter.pdf")


@pytest.mark.parametrize("url", ["file:///etc/hostname", "http://example.com/logo.png",
                                 "https://example.com/logo.png"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_urls_outside_the_project_stop_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, fmt: str
) -> None:
    folder = override(tmp_path, "poster.html", '<header class="masthead">',
                      f'<header class="masthead"><img src="{url}" alt="logo">')
    status, err = build(capsys, tmp_path, folder, "--format", fmt)
    assert status == 2
    line = next(n for n, text in enumerate((folder / "poster.html").read_text(encoding="utf-8").splitlines(), 1)
                if url in text)
    assert err.startswith(f"error: {folder / 'poster.html'}:{line}: refused to load {url}"), err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_css_url_outside_the_project_stops_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = override(tmp_path, "css/poster.css", "/* The one-page poster.",
                      "/* The one-page poster.*/ .masthead { background: url(file:///etc/passwd); } /*")
    status, err = build(capsys, tmp_path, folder)
    line = next(n for n, text in enumerate((folder / "css" / "poster.css").read_text(encoding="utf-8").splitlines(), 1)
                if "/etc/passwd" in text)
    assert status == 2 and err.startswith(f"error: {folder / 'css' / 'poster.css'}:{line}: refused to load "
                                          "file:///etc/passwd"), err


def test_a_symlink_out_of_the_project_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = override(tmp_path, "poster.html", '<header class="masthead">',
                      '<header class="masthead"><img src="{{ asset(\'secret.png\') }}" alt="x">')
    (folder / "secret.png").symlink_to("/etc/hostname")
    status, err = build(capsys, tmp_path, folder)
    assert status == 2 and "asset 'secret.png' not found" in err


def test_an_undefined_variable_names_the_template_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = override(tmp_path, "poster.html", "{{ statement.title|tie }}",
                      "{{ statement.titel|tie }}")
    status, err = build(capsys, tmp_path, folder)
    assert status == 2
    source = (BUILTIN_TEMPLATES / "poster.html").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(source, 1) if "{{ statement.title|tie }}" in text)
    assert f"poster.html:{line}:" in err and "has no attribute 'titel'" in err


def test_content_is_escaped_never_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from generator.paths import BUILTIN_CONTENT

    content = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, content)
    statement = content / "statement.yaml"
    text = statement.read_text(encoding="utf-8").replace(
        "title: UNM HSC Vision, Mission and Core Values",
        "title: '<b>Bold</b> {{ 7*7 }} <img src=\"file:///etc/passwd\">'")
    statement.write_text(text, encoding="utf-8")
    status = main(["-q", "build", "poster", "--content", str(content), "--out", str(tmp_path / "out")])
    assert status == 0, capsys.readouterr().err
    text = normalise(pdftotext(tmp_path / "out" / "poster-letter.pdf"))
    assert '<b>Bold</b> {{ 7*7 }} <img src="file:///etc/passwd">' in text


def test_a_template_cannot_touch_files_through_paths_in_its_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "written.txt"
    folder = override(tmp_path, "poster.html", '<header class="masthead">',
                      '<header class="masthead">{{ editions[1].labels.catalog.joinpath("/etc/hostname").read_text() }}'
                      f'{{{{ editions[1].labels.catalog.joinpath("{secret}").write_text("x") }}}}')
    status, err = build(capsys, tmp_path, folder, "--lang", "en+es", "--format", "html")
    assert status == 2 and "poster.html:" in err and "SecurityError" in err
    assert not secret.exists()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("expression", "name"), [("{{ 1/0 }}", "ZeroDivisionError"),
                                                  ("{% for i in range(10**7) %}{% endfor %}", "OverflowError")])
def test_errors_raised_by_template_code_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expression: str, name: str
) -> None:
    folder = override(tmp_path, "poster.html", '<header class="masthead">', f'<header class="masthead">{expression}')
    status, err = build(capsys, tmp_path, folder)
    assert status == 2 and "poster.html:" in err and name in err and "Traceback" not in err


def test_a_relative_image_of_the_templates_prints_in_both_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    from tests.test_markdown import png

    folder = override(tmp_path, "poster.html", '<header class="masthead">',
                      '<header class="masthead"><img src="logo.png" alt="UNM HSC logo" width="40" height="30">')
    (folder / "logo.png").write_bytes(png())
    status, err = build(capsys, tmp_path, folder, "--format", "all")
    assert status == 0, err
    document = Document(str(tmp_path / "out" / "handout-letter.docx"))
    descr = [d.get("descr") for d in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    # The template's own image, then the theme's logo and the statement's QR code.
    assert descr == ["UNM HSC logo", "Logo placeholder", "QR code: https://hsc.unm.edu/"]


def test_a_symlinked_template_out_of_the_folder_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.html"
    outside.write_text("{% extends 'base.html' %}{% block body %}OUTSIDE{% endblock %}", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "poster.html").symlink_to(outside)
    status, err = build(capsys, tmp_path, folder)
    assert status == 2 and f"{folder}/poster.html: links to {outside}, outside the template folders" in err


def test_a_template_error_names_the_file_as_given_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = override(tmp_path, "poster.html", '<header class="masthead">', '<header class="masthead">{{ broken ( }}')
    monkeypatch.chdir(tmp_path)
    status, err = build(capsys, tmp_path, Path("templates"))
    assert status == 2
    line = next(n for n, text in enumerate((folder / "poster.html").read_text(encoding="utf-8").splitlines(), 1)
                if "broken (" in text)
    (message,) = err.splitlines()  # the source line is part of the one problem, not a second error
    assert message.startswith(f"error: templates/poster.html:{line}: template syntax error: "), message
    assert message.endswith("(the line reads: <header class=\"masthead\">{{ broken ( }})"), message
