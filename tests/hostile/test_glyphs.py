"""Text the fonts cannot print stops the build, named at the file and line a person edits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.harness import content, edit, refused, run
from tests.hostile.test_content import chapter
from tests.hostile.test_places import inject

VISION = "  to help New Mexico make more progress in health and health equity than any other state."
ARABIC = "مركز العلوم الصحية"


def in_statement(old: str, new: str) -> Callable[[Path], str]:
    def spoil(folder: Path) -> str:
        edit(folder / "statement.yaml", old, new)
        text = (folder / "statement.yaml").read_text(encoding="utf-8")
        return f"{folder / 'statement.yaml'}:{text[:text.index(new)].count(chr(10)) + 1}"
    return spoil


def in_chapter(folder: Path) -> str:
    chapter("Intro.\n\nWelcome, 欢迎 to the team.\n")(folder)
    return f"{folder / 'handbook' / 'hostile.md'}:8"


def in_catalog(folder: Path) -> str:
    from generator.paths import BUILTIN_TEMPLATES

    (folder.parent / "mine" / "locale").mkdir(parents=True)
    lines = (BUILTIN_TEMPLATES / "locale" / "es.po").read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.strip() == 'msgid "Core Values"') + 1
    lines[at] = 'msgstr "ใหม่"\n'  # Thai
    (folder.parent / "mine" / "locale" / "es.po").write_text("".join(lines), encoding="utf-8")
    return f"{folder.parent / 'mine' / 'locale' / 'es.po'}:{at + 1}"


def in_template(folder: Path) -> str:
    return inject(folder.parent / "mine", "poster.html", '<header class="masthead">', "<p>Since 1968 · 自 1968</p>")


# name: (how the content or templates are spoiled -> where the error points, the document, the language)
CASES: dict[str, tuple[Callable[[Path], str], str, str, str]] = {
    "an Arabic organization name": (in_statement("name: University of New Mexico Health Sciences Center",
                                                 f"name: {ARABIC}"), "poster", "en", "U+0645 ARABIC LETTER MEEM"),
    "Chinese added to the vision": (in_statement(VISION, VISION + " 中文"), "poster", "en",
                                    "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D"),
    "Chinese in a handbook chapter": (in_chapter, "handbook", "en", "U+6B22 CJK UNIFIED IDEOGRAPH-6B22"),
    "Thai in the templates' catalog": (in_catalog, "poster", "es", "U+0E43 THAI CHARACTER SARA AI MAIMUAN"),
    "Chinese in a template's own text": (in_template, "poster", "en", "U+81EA CJK UNIFIED IDEOGRAPH-81EA"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_text_the_fonts_cannot_print_is_refused_where_it_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    spoil, document, lang, named = CASES[case]
    folder = content(tmp_path)
    place = spoil(folder)
    templates = ["--templates", str(tmp_path / "mine")] if (tmp_path / "mine").exists() else []
    outcome = run(capsys, tmp_path, "build", document, "--content", str(folder), "--lang", lang,
                  "--format", "pdf", *templates)
    refused(outcome, place, f"no glyph for {named}")
    assert "it would print as an empty box" in outcome.err and len(outcome.errors) == 1
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_init_with_an_arabic_name_builds_nothing_with_boxes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = run(capsys, tmp_path, "init", str(tmp_path / "site"), "--name", ARABIC, out=tmp_path / "site")
    assert made.status == 0, made.err
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(tmp_path / "site"), "--format", "docx")
    refused(outcome, f"{tmp_path / 'site' / 'statement.yaml'}:", "no glyph for U+0645 ARABIC LETTER MEEM")


def test_latin_symbols_and_accents_the_fonts_have_still_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = content(tmp_path)
    edit(folder / "statement.yaml", VISION, VISION + " Ñuñoa, Łódź, Tiếng Việt, © ½ € • ☑ – “quoted”.")
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(folder), "--format", "html")
    assert outcome.status == 0, outcome.err
