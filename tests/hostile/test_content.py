"""Hostile content files: YAML, Markdown, templates and catalogs, refused at their file and line."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.harness import GOAL, content, edit, refused, run

STATEMENT = "content/statement.yaml"


def alias_bomb(folder: Path) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    statement = folder / "statement.yaml"
    statement.write_text("\n".join(levels) + "\n" + statement.read_text(encoding="utf-8"), encoding="utf-8")


def append(text: str) -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        with (folder / "statement.yaml").open("a", encoding="utf-8") as handle:
            handle.write(text)
    return spoil


def replace(old: str, new: str, name: str = "statement.yaml") -> Callable[[Path], None]:
    return lambda folder: edit(folder / name, old, new)


def lines_in_statement() -> int:
    from generator.paths import BUILTIN_CONTENT

    return (BUILTIN_CONTENT / "statement.yaml").read_text(encoding="utf-8").count("\n")


END = lines_in_statement() + 1  # the first line appended

# name: (how the content folder is spoiled, where the error points, what it says)
STATEMENT_CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "alias bomb": (alias_bomb, f"{STATEMENT}:1", "anchor &a0 is not allowed in content files"),
    "python tag": (append("extra: !!python/object/apply:os.system ['true']\n"), f"{STATEMENT}:{END}",
                   "tag !!python/object/apply:os.system is not allowed"),
    "duplicate key": (append("title: Another title\n"), f"{STATEMENT}:{END}",
                      "title: duplicate key, also at line"),
    "nesting 900 deep": (append("deep: " + "[" * 900 + "]" * 900 + "\n"), f"{STATEMENT}:{END}",
                         "nested more than 20 levels deep"),
    "terminal escape in a key": (append("\x1b]0;owned\x07\x1b[2J: x\n"), f"{STATEMENT}:{END}",
                                 "contains \\x1b (U+001B"),
    "escape written as YAML": (append('note: "\\e[31mred"\n'), f"{STATEMENT}:{END}", "contains \\x1b"),
    "direction override": (replace(GOAL, GOAL + " \u202eevil"), f"{STATEMENT}:28", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "a 25,000-character goal": (replace(GOAL, GOAL + " word" * 5000), f"{STATEMENT}:28",
                                "goals[1]: is 25,088 characters, over the limit of 20,000"),
    "3000 combining marks": (replace(GOAL, GOAL + " Z" + "\u0301" * 3000), f"{STATEMENT}:28",
                             "3000 accents stacked on one letter"),
}


@pytest.mark.parametrize("case", list(STATEMENT_CASES))
def test_hostile_statement(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                           case: str) -> None:
    spoil, where, message = STATEMENT_CASES[case]
    folder = content(tmp_path)
    spoil(folder)
    monkeypatch.chdir(tmp_path)  # messages name the file as given: content/statement.yaml
    outcome = run(capsys, tmp_path, "build", "poster", "--content", "content", "--format", "html")
    refused(outcome, where, message)
    assert len(outcome.errors) == 1 and not (tmp_path / "out" / "poster-letter.html").exists()


def chapter(body: str, front: str = "title: Hostile\norder: 99\n") -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        (folder / "handbook" / "hostile.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
        # The Spanish edition is not built here, but every chapter needs its translation file.
        (folder / "handbook" / "hostile.es.md").write_text(f"---\n{front}---\n\nTexto.\n", encoding="utf-8")
    return spoil


def png(width: int = 4, height: int = 4) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


def huge_png(folder: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, "PNG")  # 50 megapixels, a few KB
    (folder / "handbook" / "huge.png").write_bytes(buffer.getvalue())
    chapter("Intro.\n\n![A map](huge.png)\n")(folder)


def broken_png(folder: Path) -> None:
    (folder / "handbook" / "broken.png").write_bytes(png()[:40])
    chapter("![A map](broken.png)\n")(folder)


HOSTILE_MD = "content/handbook/hostile.md"
MARKDOWN_CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "duplicate key in front matter": (chapter("Text.\n", "title: A\norder: 99\ntitle: B\n"), f"{HOSTILE_MD}:4",
                                      "title: duplicate key, also at line 2"),
    "quotes 25 deep": (chapter("Intro.\n\n" + "> " * 25 + "deep\n"), f"{HOSTILE_MD}:8",
                       "nested more than 8 levels deep"),
    "lists 12 deep": (chapter("".join("  " * i + "- item\n" for i in range(12))), HOSTILE_MD,
                      "nested more than 8 levels deep"),
    "link out of the content": (chapter("See [x](../../x).\n"), f"{HOSTILE_MD}:6",
                                "link ../../x: leads outside the content folder"),
    "smb link": (chapter("Intro.\n\nSee [share](smb://server/share).\n"), f"{HOSTILE_MD}:8",
                 "only http:, https: and mailto: links"),
    "launch link": (chapter("[run](launch:calc)\n"), f"{HOSTILE_MD}:6", "only http:, https: and mailto: links"),
    "link to a file": (chapter("[the roster](../roster.csv)\n"), f"{HOSTILE_MD}:6", "not a chapter of this document"),
    "missing section": (chapter("See [below](#nowhere).\n"), f"{HOSTILE_MD}:6", "no section of that name"),
    "image too large to decode": (huge_png, f"{HOSTILE_MD}:8", "over the limit of 40 megapixels"),
    "image that does not decode": (broken_png, f"{HOSTILE_MD}:6", "cannot be decoded as an image"),
    "malformed data: image": (chapter("![A dot](data:image/png;base64,%%%)\n"), f"{HOSTILE_MD}:6",
                              "not a valid data: URL"),
    "control character in Markdown": (chapter("Ring the bell\x07.\n"), f"{HOSTILE_MD}:6", "contains \\x07"),
}


@pytest.mark.parametrize("case", list(MARKDOWN_CASES))
def test_hostile_chapter(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                         case: str) -> None:
    spoil, where, message = MARKDOWN_CASES[case]
    spoil(content(tmp_path))
    monkeypatch.chdir(tmp_path)
    outcome = run(capsys, tmp_path, "build", "handbook", "--content", "content", "--format", "html")
    refused(outcome, where, message)


def test_links_between_chapters_become_anchors_and_images_carry_no_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = content(tmp_path)
    (folder / "handbook" / "dot.png").write_bytes(png())
    chapter("See the [glossary](glossary.md), its [terms](glossary.md#Terms), [the web](https://hsc.unm.edu/) "
            "and [mail](mailto:hr@example.org).\n\n![A red dot](dot.png)\n")(folder)
    outcome = run(capsys, tmp_path, "build", "handbook", "--content", str(folder), "--format", "html")
    assert outcome.status == 0, outcome.err
    html = (tmp_path / "out" / "handbook-letter.html").read_text(encoding="utf-8")
    assert '<a href="#ch-glossary">glossary</a>' in html and '<a href="#ch-glossary-terms">terms</a>' in html
    assert 'href="https://hsc.unm.edu/"' in html and 'href="mailto:hr@example.org"' in html
    assert f'src="data:image/png;base64,{base64.b64encode(png()).decode()}"' in html
    assert str(tmp_path) not in html.split("</style>", 1)[1]  # no build path in the document's body
    assert 'id="ch-glossary"' in html


def test_a_device_or_a_dangling_link_as_content_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = content(tmp_path)
    theme = folder / "theme.yaml"
    good = theme.read_text(encoding="utf-8")
    theme.unlink()
    theme.symlink_to("/dev/zero")
    refused(run(capsys, tmp_path, "build", "poster", "--content", str(folder)), "theme.yaml",
            "is a symbolic link to /dev/zero, outside the content folder")
    theme.unlink()
    theme.symlink_to(folder / "nowhere.yaml")
    refused(run(capsys, tmp_path, "build", "poster", "--content", str(folder)), "theme.yaml",
            "is a symbolic link to")
    theme.unlink()
    theme.symlink_to(theme)
    refused(run(capsys, tmp_path, "build", "poster", "--content", str(folder)), "theme.yaml",
            "symbolic link in a loop")
    theme.unlink()
    theme.write_text(good, encoding="utf-8")
    (folder / "statement.es.yaml").unlink()
    os.mkfifo(folder / "statement.es.yaml")  # a pipe would block a reader forever
    refused(run(capsys, tmp_path, "build", "poster", "--lang", "es", "--content", str(folder)),
            "statement.es.yaml", "is not a regular file")


def test_hostile_templates_and_catalogs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:

    mine = tmp_path / "mine"
    (mine / "locale").mkdir(parents=True)
    (mine / "locale" / "es.po").write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                            b'msgid "Contents"\nmsgstr "\xcdndice"\n')
    refused(run(capsys, tmp_path, "build", "poster", "--lang", "es", "--templates", str(mine), "--format", "html"),
            "es.po:6", "not UTF-8 text")
    (mine / "locale" / "es.po").unlink()
    (mine / "macros.html").write_bytes(b"<p>\xe9</p>")
    refused(run(capsys, tmp_path, "build", "poster", "--templates", str(mine), "--format", "html"),
            "macros.html", "not UTF-8 text")
    # A <link rel=attachment> out of the project: tests/hostile/test_places.py


def test_an_icc_profile_that_is_a_device_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = run(capsys, tmp_path, "build", "poster", "--pdf-variant", "x-4", "--icc-profile", "/dev/zero")
    refused(outcome, "--icc-profile /dev/zero", "is not a regular file")


@pytest.mark.parametrize("flag", ["--content", "--templates"])
def test_dangling_and_looping_folder_links_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      flag: str) -> None:
    dangling, loop = tmp_path / "dangling", tmp_path / "loop"
    dangling.symlink_to(tmp_path / "nowhere")
    loop.symlink_to(loop)
    refused(run(capsys, tmp_path, "build", "poster", flag, str(dangling)), f"{flag} {dangling}",
            f"is a symbolic link to {tmp_path / 'nowhere'}, which does not exist")
    refused(run(capsys, tmp_path, "build", "poster", flag, str(loop)), f"{flag} {loop}", "symbolic link in a loop")


def test_check_does_not_wait_on_a_pipe_named_like_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    os.mkfifo(folder / "poster.pdf")
    refused(run(capsys, tmp_path, "check", str(folder / "poster.pdf")), "poster.pdf", "is not a regular file")
    outcome = run(capsys, tmp_path, "check", str(folder))
    assert outcome.status == 0 and "checked 0 files" in outcome.out


def test_content_links_and_rosters_leading_out_of_the_content_folder_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = content(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\norder: 98\n---\n\nPayroll.\n", encoding="utf-8")
    (folder / "handbook" / "secret.md").symlink_to(secret)
    refused(run(capsys, tmp_path, "build", "handbook", "--content", str(folder), "--format", "html"),
            str(folder / "handbook" / "secret.md"), "outside the content folder")
    (folder / "handbook" / "secret.md").unlink()
    (folder / "documents.yaml").write_text("documents:\n  - document: onboarding\n    roster: ../staff.csv\n",
                                           encoding="utf-8")
    refused(run(capsys, tmp_path, "build", "--content", str(folder)), str(folder / "documents.yaml"),
            "roster: ../staff.csv is outside the content folder")


def test_pango_warnings_never_reach_the_terminal(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from generator.paths import BUILTIN_TEMPLATES

    (tmp_path / "mine" / "css").mkdir(parents=True)
    css = (BUILTIN_TEMPLATES / "css" / "poster.css").read_text(encoding="utf-8")
    # A size past what Pango can hold: it complains on stderr from C, past Python, unless routed to the log.
    (tmp_path / "mine" / "css" / "poster.css").write_text(css + "\n.subtitle { font-size: 2.5e6px; }\n",
                                                          encoding="utf-8")
    outcome = run(capfd, tmp_path, "build", "poster", "--templates", str(tmp_path / "mine"))
    assert outcome.status == 2 and "does not fit on one page" in outcome.err
    assert "Pango" not in outcome.err and "CRITICAL" not in outcome.err


def test_a_chapter_past_its_size_limit_is_refused_unparsed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = content(tmp_path)
    chapter("[" * 300_000 + "\n")(folder)  # brackets take markdown-it time that grows faster than their number
    outcome = run(capsys, tmp_path, "build", "handbook", "--content", str(folder), "--format", "html")
    refused(outcome, "hostile.md", "is 293 KB, over the limit of 200 KB")


@pytest.mark.parametrize("src", ["data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==", "broken.png"])
def test_an_image_of_a_template_that_cannot_be_shown_stops_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], src: str
) -> None:
    from generator.paths import BUILTIN_TEMPLATES

    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    poster = (BUILTIN_TEMPLATES / "poster.html").read_text(encoding="utf-8")
    (mine / "poster.html").write_text(poster.replace('<header class="masthead">',
                                                     f'<header class="masthead"><img src="{src}" alt="Our mark">'),
                                      encoding="utf-8")
    outcome = run(capsys, tmp_path, "build", "poster", "--templates", str(mine))
    line = next(n for n, text in enumerate(poster.splitlines(), 1) if '<header class="masthead">' in text)
    refused(outcome, f"poster.html:{line}", "cannot be shown")
    assert not (tmp_path / "out" / "poster-letter.pdf").exists()
