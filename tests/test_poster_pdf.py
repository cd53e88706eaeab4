"""The poster PDF as a reader meets it: text, pages, sizes, fonts, tags."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from generator.content.pages import SIZES
from generator.documents.build import Project, Request, build
from tests.readers import normalise, pdftotext, published_sentences


@pytest.mark.parametrize("name", ["poster-letter.pdf", "poster-24x36.pdf"])
def test_every_published_sentence_is_in_the_pdf_text(posters: dict[str, Path], name: str) -> None:
    text = normalise(pdftotext(posters[name], "-raw"))  # in drawing order: one column, then the next
    missing = [s for s in published_sentences() if s not in text]
    assert not missing


def test_curly_apostrophe_and_goal_three_semicolon_survive(posters: dict[str, Path]) -> None:
    text = normalise(pdftotext(posters["poster-letter.pdf"], "-raw"))
    assert "Health Sciences Center\u2019s most important value" in text
    assert "into clinical or educational practice;" in text


@pytest.mark.parametrize("size", list(SIZES))
def test_each_size_is_one_page_of_its_dimensions(tmp_path: Path, project: Project, size: str) -> None:
    (pdf,) = build(Request("poster", size), project, tmp_path)
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 1
        box = [float(v) for v in doc.pages[0].MediaBox]
    width, height = SIZES[size]
    assert box[2] - box[0] == pytest.approx(width, abs=0.5)
    assert box[3] - box[1] == pytest.approx(height, abs=0.5)


@pytest.mark.parametrize("size", ["letter", "A3", "24x36"])
def test_landscape_is_one_wide_page(tmp_path: Path, project: Project, size: str) -> None:
    (pdf,) = build(Request("poster", size, "landscape"), project, tmp_path)
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 1
        x0, y0, x1, y1 = (float(v) for v in doc.pages[0].MediaBox)
    assert (x1 - x0) == pytest.approx(max(SIZES[size]), abs=0.5)
    assert (y1 - y0) == pytest.approx(min(SIZES[size]), abs=0.5)


def test_type_grows_with_the_page(posters: dict[str, Path]) -> None:
    def body_size(pdf: Path) -> float:
        with pdfplumber.open(pdf) as doc:
            sizes = [c["size"] for c in doc.pages[0].chars if c["text"] == "V"]
        return min(sizes)

    assert body_size(posters["poster-24x36.pdf"]) > 2.5 * body_size(posters["poster-letter.pdf"])


def _words_with_fonts(pdf: Path) -> list[tuple[str, str]]:
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[0].extract_words(extra_attrs=["fontname"])
    return [(w["text"], w["fontname"]) for w in words]


def test_core_values_are_emphasized_in_the_values_statement(posters: dict[str, Path]) -> None:
    words = _words_with_fonts(posters["poster-letter.pdf"])
    values_start = next(i for i, (t, _) in enumerate(words) if t == "steadfast")
    in_values = words[values_start:]
    for value in ("integrity", "accountability", "diversity", "excellence", "compassion",
                  "respect", "professionalism"):
        fonts = [f for t, f in in_values if t.strip(".;,") == value]
        assert fonts and all("Bold" in f for f in fonts), (value, fonts)
    plain = [f for t, f in in_values if t in ("patients", "public", "colleagues;")]
    assert plain and not any("Bold" in f for f in plain)


def test_only_bundled_fonts_are_embedded(posters: dict[str, Path]) -> None:
    with pikepdf.open(posters["poster-letter.pdf"]) as doc:
        fonts = {}
        for font in doc.pages[0].Resources.Font.values():
            descendant = font.DescendantFonts[0]
            fonts[str(font.BaseFont)] = "/FontFile2" in descendant.FontDescriptor
    assert fonts and all(fonts.values())
    assert all(name.split("+")[1].startswith(("Noto-Sans", "Noto-Serif")) for name in fonts)


def test_pdf_is_tagged_pdf_ua_with_language_and_title(posters: dict[str, Path]) -> None:
    with pikepdf.open(posters["poster-letter.pdf"]) as doc:
        root = doc.Root
        assert root.Lang == "en"
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert "/StructTreeRoot" in root
        assert str(doc.docinfo.Title) == "UNM HSC Vision, Mission and Core Values"
        with doc.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        roles = set()
        stack = [root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                roles.add(str(node.S))
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    assert {"/H1", "/H2", "/P", "/L", "/LI"} <= roles


def test_content_too_long_to_stay_legible_stops_with_the_size_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from generator.cli import main
    from generator.paths import BUILTIN_CONTENT

    content = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, content)
    statement = content / "statement.yaml"
    text = statement.read_text(encoding="utf-8")
    mission = text.split("mission: >-\n", 1)[1].split("\ngoals_intro")[0]
    statement.write_text(text.replace(mission, mission * 40), encoding="utf-8")
    status = main(["build", "poster", "--content", str(content), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert "poster letter: the statement does not fit on one page even with body text at 7.0 pt" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
