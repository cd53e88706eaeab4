"""Every way into the text is checked: Markdown character references, and the names ``init`` writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import content, refused, run
from tests.hostile.test_content import chapter

HOSTILE_MD = "content/handbook/hostile.md"

# name: (the chapter's body, where the refusal points, what it says)
REFERENCES: dict[str, tuple[str, str, str]] = {
    "direction override in hex": ("Intro.\n\nPay &#x202e;gnp.exe today.\n", f"{HOSTILE_MD}:8",
                                  "&#x202e;: the character reference gives \\u202e (U+202E RIGHT-TO-LEFT OVERRIDE)"),
    "direction override in decimal": ("Pay &#8238;gnp.exe.\n", f"{HOSTILE_MD}:6", "&#8238;: the character reference"),
    "terminal escape": ("Ring &#x1b;[2J.\n", f"{HOSTILE_MD}:6", "gives \\x1b (U+001B"),
    "escape in decimal, in a link": ("See [x&#27;](https://example.org).\n", f"{HOSTILE_MD}:6", "gives \\x1b"),
    "NUL": ("A &#0; here.\n", f"{HOSTILE_MD}:6", "&#0;: the character reference gives U+0000, which is no character"),
    "a surrogate": ("A &#xD800; here.\n", f"{HOSTILE_MD}:6", "gives U+D800, which is no character"),
    "past Unicode": ("A &#x110000; here.\n", f"{HOSTILE_MD}:6", "gives U+110000, which is no character"),
    "an isolate in an image's alt text": ("![A &#x2066;map](dot.png)\n", f"{HOSTILE_MD}:6", "U+2066"),
    "a line separator": ("One&#x2028;two.\n", f"{HOSTILE_MD}:6", "U+2028"),
}


@pytest.mark.parametrize("case", list(REFERENCES))
def test_markdown_character_references_are_checked_like_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    body, where, message = REFERENCES[case]
    chapter(body)(content(tmp_path))
    monkeypatch.chdir(tmp_path)
    outcome = run(capsys, tmp_path, "build", "handbook", "--content", "content", "--format", "html")
    refused(outcome, where, message)
    assert not (tmp_path / "out" / "handbook-letter.html").exists()


def test_harmless_character_references_still_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chapter("Caf&eacute; &amp; t&#233;, &#x2014; &copy; 2026.\n")(content(tmp_path))
    outcome = run(capsys, tmp_path, "build", "handbook", "--content", str(tmp_path / "content"), "--format", "html")
    assert outcome.status == 0, outcome.err
    html = (tmp_path / "out" / "handbook-letter.html").read_text(encoding="utf-8")
    assert "Café &amp; té, — ©\u00a02026." in html  # the last two words tied, as in every paragraph


# name: (init's flags, the flag the refusal names, what it says)
NAMES: dict[str, tuple[list[str], str, str]] = {
    "a terminal escape": (["--name", "Acme\x1b[2J"], "--name", "contains \\x1b (U+001B"),
    "a direction override": (["--name", "Acme \u202eHealth"], "--name", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "a new line": (["--name", "Acme\nHealth"], "--name", "spans several lines (write the name on one line)"),
    "a tab": (["--name", "Acme\tHealth"], "--name", "spans several lines"),
    "5,000 characters": (["--name", "Acme " * 1000], "--name", "is 4,999 characters, over the limit of 150"),
    "stacked accents": (["--name", "Acme Z" + "\u0301" * 30], "--name", "30 accents stacked on one letter"),
    "a short name with an escape": (["--name", "Acme Health", "--short-name", "AH\x1b"], "--short-name",
                                    "contains \\x1b"),
    "initials too long": (["--name", "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z " * 2], "--short-name",
                          "over the limit of 40 for a name (it must fit on the printed page; shorten it) "
                          "(the initials of --name; give --short-name)"),
}


@pytest.mark.parametrize("case", list(NAMES))
def test_init_refuses_names_that_build_would_refuse(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    case: str) -> None:
    flags, flag, message = NAMES[case]
    site = tmp_path / "site"
    outcome = run(capsys, tmp_path, "init", str(site), *flags, out=site)
    refused(outcome, flag, message)
    assert not site.exists()


def test_init_on_a_file_or_a_dangling_link_says_what_is_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    cases = {"notes.txt": "is a file; init makes a content folder there (choose a new folder name)",
             "dangling": f"is a symbolic link to {tmp_path / 'nowhere'}, which does not exist; init makes a "
                         "content folder there (fix or remove the link)",
             "notes.txt/site": f"lies under {tmp_path / 'notes.txt'}, which is a file"}
    for name, message in cases.items():
        outcome = run(capsys, tmp_path, "init", str(tmp_path / name), out=tmp_path / "unused")
        refused(outcome, str(tmp_path / name), message)
        assert "File exists" not in outcome.err and "Not a directory" not in outcome.err
    assert (tmp_path / "notes.txt").read_text() == "mine\n" and not (tmp_path / "nowhere").exists()
