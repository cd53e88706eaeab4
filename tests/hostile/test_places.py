"""Hostile templates: every refusal names the template (or stylesheet, or logo) file and line a person edits.

The renderer's HTML is never what a person edits: an element the Word writer
cannot place, a URL the sandbox refuses and a link a page cannot open are named
at the line of the template, macro, included CSS file, linked stylesheet or
SVG logo that wrote them.  What the command line checks, the Python API checks
in the same place; and a file a template attaches is dated by the build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.paths import BUILTIN_TEMPLATES
from tests.hostile.harness import content, refused, run


def inject(folder: Path, name: str, after: str, text: str, source: Path = BUILTIN_TEMPLATES) -> str:
    """A copy of ``source/name`` in ``folder`` with ``text`` on a new line after the first line holding
    ``after`` (else at the end); the ``name:line`` where ``text`` now stands."""
    lines = (source / name).read_text(encoding="utf-8").splitlines(keepends=True) if (source / name).exists() else []
    at = next((n for n, line in enumerate(lines, 1) if after in line), len(lines))
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(lines[:at]) + text + "\n" + "".join(lines[at:]), encoding="utf-8")
    return f"{target}:{at + 1}"


MASTHEAD = '<header class="masthead">'


def beside(place: str, path: Path, size: int = 0) -> str:
    """``place``, once the file ``path`` is made: a pipe if no ``size``, else sparse (no bytes written)."""
    if size:
        path.write_bytes(b"")
        os.truncate(path, size)
    else:
        os.mkfifo(path)
    return place
ROOT = Path(__file__).parents[2]


def python(*args: str) -> subprocess.CompletedProcess[str]:
    """This checkout's Python code in a child process (it cannot take the test run down with it)."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
# name: (the templates folder is spoiled -> where the error points, what it says, --format)
CASES: dict[str, tuple[Callable[[Path], str], str, str]] = {
    "an element Word cannot write, in the poster": (
        lambda t: inject(t, "poster.html", MASTHEAD, '<video src="intro.mp4"></video>'),
        "<video> is not supported by the Word writer", "docx"),
    "an element Word cannot write, in a macro": (
        lambda t: inject(t, "macros.html", '<section class="vision">', "<iframe>x</iframe>"),
        "<iframe> is not supported by the Word writer", "docx"),
    "an image from the network, for Word": (
        lambda t: inject(t, "poster.html", MASTHEAD, '<img src="http://example.com/x.png" alt="x">'),
        "refused to load http://example.com/x.png: it is on the network", "docx"),
    "an attachment out of the project": (
        lambda t: inject(t, "base.html", "<head>", '<link rel="attachment" href="file:///etc/passwd">'),
        "refused to load file:///etc/passwd: it is outside the project", "pdf"),
    "a CSS url() out of the project": (
        lambda t: inject(t, "css/poster.css", "\0", ".masthead::after { content: url(../../../../../../etc/passwd) }"),
        "refused to load file:///etc/passwd", "pdf"),
    "an @import out of the project, in a linked stylesheet": (
        lambda t: (inject(t, "base.html", "<head>", '<link rel="stylesheet" href="css/extra.css">'),
                   inject(t, "css/extra.css", "", '/* linked */\n@import "file:///etc/hostname";'))[1][:-1] + "2",
        "refused to load file:///etc/hostname", "pdf"),
    "an SVG image naming a file out of the project (WeasyPrint drew it without)": (
        lambda t: (inject(t, "poster.html", MASTHEAD, '<img src="mark.svg" alt="Our mark">'),
                   inject(t, "mark.svg", "", '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">\n'
                          '<image href="file:///etc/passwd" width="9" height="9"/>\n</svg>'))[1][:-1] + "2",
        "refused to load file:///etc/passwd", "pdf"),
    "an image that is a pipe (reading it would wait forever)": (
        lambda t: beside(inject(t, "poster.html", MASTHEAD, '<img src="pipe.png" alt="x">'), t / "pipe.png"),
        "pipe.png: is not a regular file (it is a pipe; give a file)", "pdf"),
    "an image past its size limit, for Word": (
        lambda t: beside(inject(t, "poster.html", MASTHEAD, '<img src="big.png" alt="x">'), t / "big.png", 20 << 20),
        "big.png: is 20 MB, over the limit of 10 MB", "docx"),
    "a font past its size limit, named by a stylesheet": (
        lambda t: beside(inject(t, "css/poster.css", "\0", "@font-face { font-family: Huge; src: url(huge.woff2) }"),
                         t / "huge.woff2", 40 << 20),
        "huge.woff2: is 40 MB, over the limit of 32 MB", "pdf"),
    "an asset that is not there": (
        lambda t: inject(t, "poster.html", MASTHEAD, "<img src=\"{{ asset('missing.png') }}\" alt=\"x\">"),
        "asset 'missing.png' not found in the template search path", "pdf"),
    "a link to a file": (
        lambda t: inject(t, "poster.html", MASTHEAD, '<p><a href="../notes.html">notes</a></p>'),
        "link ../notes.html: a printed page can only open web and mail addresses", "pdf"),
    "a power that would take minutes": (
        lambda t: inject(t, "poster.html", MASTHEAD, "<p>{{ 10 ** (10 ** 9) % 7 }}</p>"),
        "SecurityError: a power above 1000 is not allowed", "html"),
    "a repetition that would take the memory": (
        lambda t: inject(t, "poster.html", MASTHEAD, "<p>{{ ('x' * 10 ** 10)|length }}</p>"),
        "SecurityError: a repetition of more than 100,000 items is not allowed", "html"),
    "a filter's width that would take the memory": (
        lambda t: inject(t, "macros.html", '<section class="vision">', "<p>{{ 'x'|center(10 ** 9) }}</p>"),
        "SecurityError: the center filter with a width or count of 1,000,000,000 is not allowed", "html"),
    "a format's width that would take the memory": (
        lambda t: inject(t, "poster.html", MASTHEAD, "<p>{{ '%999999999d'|format(1) ~ '{:>9999999}'.format(1) }}</p>"),
        "SecurityError: the format '%999999999' with a width or count of 999,999,999 is not allowed", "html"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refusals_name_the_template_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  case: str) -> None:
    spoil, message, fmt = CASES[case]
    place = spoil(tmp_path / "templates")
    outcome = run(capsys, tmp_path, "build", "poster", "--templates", str(tmp_path / "templates"), "--format", fmt)
    refused(outcome, place, message)
    assert len(outcome.errors) == 1 and outcome.errors[0].startswith(f"error: {place}: "), outcome.err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_what_the_pdf_renderer_ignores_in_a_stylesheet_is_one_warning_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    included = inject(templates, "css/poster.css", "\0", ".masthead { colr: red; }")
    inject(templates, "base.html", "<head>", '<link rel="stylesheet" href="css/extra.css">')
    linked = inject(templates, "css/extra.css", "", "p {\n  margin: 1pt;\n  color: rde;\n}")[:-1] + "3"
    outcome = run(capsys, tmp_path, "build", "poster", "--templates", str(templates))
    assert outcome.status == 0 and "Traceback" not in outcome.err, outcome.err
    warnings = [line for line in outcome.err.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        f"warning: {linked}: the PDF renderer ignores `color: rde`: invalid value (check the spelling of the "
        "property and its value)",
        f"warning: {included}: the PDF renderer ignores `colr: red`: unknown property (check the spelling of the "
        "property and its value)"], outcome.err  # each once, though the poster is laid out at several sizes


def test_an_svg_logo_naming_another_file_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = content(tmp_path)
    place = inject(folder, "logo.svg", "<svg", '<image href="file:///etc/passwd" width="9" height="9"/>', folder)
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(folder))
    refused(outcome, place, "the logo refers to file:///etc/passwd (an SVG logo must stand alone")


def test_the_api_refuses_a_device_as_icc_profile_unread() -> None:
    # In a child process with little memory: reading /dev/zero would end there, not in the suite.
    code = ("import resource, generator as mp\n"
            "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
            "try:\n    mp.PrintOptions(variant='x-4', profile='/dev/zero')\n"
            "except mp.MissionpressError as error:\n    print(error.field, error)\n")
    done = python("-c", code)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip() == "profile profile /dev/zero: is not a regular file (it is a device; give a file)"


def test_the_api_and_the_command_line_refuse_thousands_of_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator as mp

    with pytest.raises(mp.MissionpressError, match="10000 worker processes") as error:
        mp.Request("onboarding", roster="roster.csv", jobs=10000)
    assert error.value.field == "jobs"
    refused(run(capsys, tmp_path, "build", "onboarding", "--roster", "r.csv", "--jobs", "10000"),
            "--jobs 10000", "10000 worker processes")


def test_a_logo_past_its_size_limit_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = content(tmp_path)
    with (folder / "logo.png").open("r+b") as logo:
        logo.truncate(20 * 1024 * 1024)  # sparse: no 20 MB written
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(folder))
    refused(outcome, f"{folder / 'theme.yaml'}:", "logo.raster: logo.png: is 20 MB, over the limit of 10 MB")


def test_check_content_does_not_wait_on_a_pipe_named_like_a_template(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    os.mkfifo(tmp_path / "templates" / "poster.html")  # the loader skips it; reading it would wait forever
    done = python("-m", "generator", "check-content", "--templates", str(tmp_path / "templates"))
    assert done.returncode == 0 and "0 gaps" in done.stdout, done.stderr


def test_a_damaged_font_in_the_templates_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fonts = tmp_path / "templates" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "Brand.ttf").write_bytes(b"not a font")
    os.mkfifo(fonts / "Pipe.otf")  # no font either; skipped, never opened
    outcome = run(capsys, tmp_path, "build", "poster", "--templates", str(tmp_path / "templates"))
    refused(outcome, str(fonts / "Brand.ttf"), "cannot be read as a font")
    os.truncate(fonts / "Brand.ttf", 40 << 20)  # sparse: no 40 MB written; the Word writer would embed it whole
    outcome = run(capsys, tmp_path, "build", "poster", "--templates", str(tmp_path / "templates"))
    refused(outcome, str(fonts / "Brand.ttf"), "is 40 MB, over the limit of 32 MB")


def test_files_a_template_attaches_are_dated_by_the_build_not_the_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pikepdf

    from generator.output import build_date

    templates = tmp_path / "templates"
    inject(templates, "base.html", "<head>", '<link rel="attachment" href="notes.txt">')
    (templates / "notes.txt").write_text("Printed for the Albuquerque campus\n", encoding="utf-8")
    assert run(capsys, tmp_path, "build", "poster", "--templates", str(templates)).status == 0
    with pikepdf.open(tmp_path / "out" / "poster-letter.pdf") as pdf:
        files = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/EmbeddedFile"]
        assert len(files) == 1 and files[0].read_bytes() == b"Printed for the Albuquerque campus\n"
        params = files[0].Params
        stamp = build_date().strftime("D:%Y%m%d%H%M%SZ")  # WeasyPrint wrote the time of the build
        assert str(params.CreationDate) == str(params.ModDate) == stamp
