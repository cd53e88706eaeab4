"""Messages: one line each, long values cut, in the project's words, naming files as the user named them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.harness import content, edit, refused, run

URL = "url: https://hsc.unm.edu/"
STATEMENT = "content/statement.yaml"
THEME = "content/theme.yaml"

# name: (how the content is spoiled, where the one error points, what it says)
CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "a URL with a new line": (lambda f: edit(f / "statement.yaml", URL, 'url: "https://hsc.unm.edu/\\nerror: x"'),
                              f"{STATEMENT}:48", "url: 'https://hsc.unm.edu/\\x0aerror: x' is not a web address"),
    "a URL with a line separator": (lambda f: edit(f / "statement.yaml", URL, 'url: "https://a.org/\\Lb"'),
                                    f"{STATEMENT}:48", "contains \\u2028"),
    "a URL of 5,020 characters": (lambda f: edit(f / "statement.yaml", URL, "url: https://a.org/" + "x" * 5006),
                                  f"{STATEMENT}:48", "url: is 5,020 characters, over the limit of 300 for a web "
                                                     "address"),
    "a key of 5,000 characters": (lambda f: edit(f / "statement.yaml", URL, URL + "\n? " + "k" * 5000 + "\n: x"),
                                  f"{STATEMENT}:49", "(5,000 characters): unknown field"),
    "a color without its quotes": (lambda f: edit(f / "theme.yaml", 'primary: "#BA0C2F"', "primary: #BA0C2F"),
                                   f"{THEME}:5", "colors.primary: expected text, got NoneType"),
    "a color of five digits": (lambda f: edit(f / "theme.yaml", '"#BA0C2F"', '"#BA0C2"'), f"{THEME}:5",
                               "colors.primary: '#BA0C2' is not a color (write it as # and six hex digits"),
    "a size of .nan": (lambda f: edit(f / "theme.yaml", "body: 11", "body: .nan"), f"{THEME}:15",
                       "sizes.body: nan is not a number of points (write a number such as 11 or 10.5)"),
    "a size of .inf": (lambda f: edit(f / "theme.yaml", "h1: 22", "h1: .inf"), f"{THEME}:19",
                       "sizes.h1: inf is not a number of points"),
    "a size of 500": (lambda f: edit(f / "theme.yaml", "title: 30", "title: 500"), f"{THEME}:20",
                      "sizes.title: 500 points is out of range (give more than 4 and less than 200)"),
    "a logo height of .nan": (lambda f: edit(f / "theme.yaml", "height: 40", "height: .nan"), f"{THEME}:28",
                              "logo.height: nan is not a number of points"),
    "a font family with a semicolon": (lambda f: edit(f / "theme.yaml", "body: Noto Sans", 'body: "Noto;Sans"'),
                                       f"{THEME}:12", "fonts.body: 'Noto;Sans' is not a font family name"),
    "an SVG logo that is not XML": (lambda f: (f / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">'
                                                                         "\n<g>\n</svg>\n", encoding="utf-8"),
                                    "content/logo.svg:3", "the logo is not readable SVG (mismatched tag"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_message_is_one_line_in_the_projects_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    spoil, where, message = CASES[case]
    spoil(content(tmp_path))
    monkeypatch.chdir(tmp_path)  # content named relative: messages name it so
    outcome = run(capsys, tmp_path, "build", "poster", "--content", "content", "--format", "html")
    refused(outcome, where, message)
    assert outcome.err.count("\n") == 1 and len(outcome.err) < 400, outcome.err
    assert not any(words in outcome.err for words in ("String should", "Input should", "base64", "macros.html",
                                                      str(tmp_path)))


@pytest.mark.parametrize(("flag", "value"), [("--size", "B" * 5000), ("--lang", "x" * 3000),
                                             ("--layout", "\x1b[2J" + "a" * 300)])
def test_a_long_flag_value_is_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str) -> None:
    outcome = run(capsys, tmp_path, "build", "poster", flag, value, "--format", "html")
    assert outcome.status == 2 and len(outcome.errors) == 1 and len(outcome.err) < 400, outcome.err
    assert f"{flag} '" in outcome.err and "characters)" in outcome.err
