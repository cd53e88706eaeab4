"""The handbook PDF as a reader meets it: contents that point right, bookmarks, furniture."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from generator.content.pages import SIZES
from generator.documents.build import Project, Request, build
from tests.readers import normalise, pdftotext_pages, published_sentences


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Path:
    out = tmp_path_factory.mktemp("handbook")
    (pdf,) = build(Request("handbook", "letter", formats=("pdf",)), project, out)
    return pdf


@pytest.fixture(scope="module")
def pages(handbook: Path) -> list[list[str]]:
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pdftotext_pages(handbook)]


def contents(pages: list[list[str]]) -> list[tuple[str, int]]:
    """(title, page) for every contents entry, read from the contents pages' text."""
    entries = []
    for lines in pages[1:4]:
        for line in lines:
            match = re.fullmatch(r"(.+?)\s*\.{3,}\s*(\d+)", line)
            if match:
                entries.append((match.group(1).strip(), int(match.group(2))))
    return entries


def test_the_handbook_is_at_least_eight_pages(pages: list[list[str]]) -> None:
    assert len(pages) >= 8


def test_contents_entries_point_to_the_pages_where_they_start(pages: list[list[str]]) -> None:
    entries = contents(pages)
    assert len(entries) > 20
    titles = [t for t, _ in entries]
    for chapter in ("Vision", "Mission", "Goals", "Core Values", "Glossary", "How to Use This Handbook"):
        assert chapter in titles
    first_chapter = min(n for _, n in entries)
    for title, number in entries:
        # The first page after the contents where the title stands as a heading line is the
        # page the contents gives (the running header, line 0, is left out).
        found = next(i + 1 for i in range(first_chapter - 1, len(pages)) if is_heading(title, pages[i][1:]))
        assert found == number, (title, number, found)


def is_heading(title: str, lines: list[str]) -> bool:
    """Whether ``title`` is a line of its own, or wrapped over consecutive lines."""
    for start in range(len(lines)):
        joined = ""
        for line in lines[start : start + 3]:
            joined = f"{joined} {line}".strip()
            if joined == title:
                return True
    return False


def test_chapters_start_on_a_new_page_under_their_running_header(pages: list[list[str]]) -> None:
    for title, number in contents(pages):
        if title in ("Vision", "Mission", "Glossary"):
            lines = pages[number - 1]
            assert lines[0] == title and lines[1] == title  # running header, then the chapter heading


def test_footer_reads_page_x_of_y(pages: list[list[str]]) -> None:
    total = len(pages)
    middle = total // 2
    assert pages[middle - 1][-1] == f"Page {middle} of {total}"
    assert not any(line.startswith("Page ") for line in pages[0])  # the cover has no furniture


def test_every_chapter_and_section_has_a_bookmark(handbook: Path, pages: list[list[str]]) -> None:
    with pikepdf.open(handbook) as pdf, pdf.open_outline() as outline:
        top = {item.title: [child.title for child in item.children] for item in outline.root}
    chapters = [t for t, _ in contents(pages) if t in top]
    assert {"Vision", "Mission", "Goals", "Core Values", "Glossary"} <= set(chapters)
    assert top["Goals"] == [f"Goal {n}" for n in range(1, 7)]
    assert "Language access" in top["Serving a Bilingual, Majority-Minority State"]


def test_statement_sentences_are_verbatim(pages: list[list[str]]) -> None:
    text = normalise("\n".join("\n".join(page) for page in pages))
    assert not [s for s in published_sentences(title=False) if s not in text]


def test_a4_handbook(tmp_path: Path, project: Project) -> None:
    (pdf,) = build(Request("handbook", "A4", formats=("pdf",)), project, tmp_path)
    with pikepdf.open(pdf) as doc:
        box = [float(v) for v in doc.pages[0].MediaBox]
        assert len(doc.pages) >= 8
    assert (box[2], box[3]) == pytest.approx(SIZES["A4"], abs=0.5)


def test_handbook_refuses_poster_sizes(tmp_path: Path, project: Project) -> None:
    from generator.errors import MissionpressError

    with pytest.raises(MissionpressError, match="the handbook is made in letter or A4"):
        build(Request("handbook", "24x36"), project, tmp_path)
