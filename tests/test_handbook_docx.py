"""The handbook as a Word file, read back as a reader meets it: python-docx, the XML parts, LibreOffice.

Cover without furniture, running header and footer with fields, a real TOC field,
one chapter per page, every sentence of the published statement, and a PDF made by
LibreOffice from the .docx that carries the chapters and "Page X of Y" footers.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from generator.documents.build import Project, Request, build
from generator.documents.handbook import Handbook, load_handbook
from tests.readers import normalise, pdftotext_pages, published_sentences, require_tool

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
LIBREOFFICE_TIMEOUT = 120


@pytest.fixture(scope="module")
def handbook_docx(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Path:
    out = tmp_path_factory.mktemp("handbook-docx")
    (path,) = build(Request("handbook", "letter", formats=("docx",)), project, out)
    assert path.suffix == ".docx"
    return path


@pytest.fixture(scope="module")
def document(handbook_docx: Path) -> Document:
    return docx.Document(str(handbook_docx))


@pytest.fixture(scope="module")
def book(project: Project) -> Handbook:
    return load_handbook(project.content, project.statement("en"))


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def instructions(root: etree._Element) -> list[str]:
    return [" ".join(t.text.split()) for t in root.iter(qn("w:instrText"))]


def story_part(path: Path, kind: str, which: str) -> etree._Element:
    """The header or footer part (``kind``) the section names for ``which`` ("default", "first")."""
    sects = list(part(path, "word/document.xml").iter(qn("w:sectPr")))  # the cover's section first
    sect = sects[0] if which == "first" else sects[-1]
    ref = sect.find(f"w:{kind}Reference[@w:type='{which}']", NS)
    assert ref is not None, f"no {which} {kind}"
    rels = part(path, "word/_rels/document.xml.rels")
    target = next(rel.get("Target") for rel in rels if rel.get("Id") == ref.get(f"{{{R}}}id"))
    return part(path, f"word/{target}")


def text_of(root: etree._Element) -> str:
    return "".join(t.text or "" for t in root.iter(qn("w:t")))


def by_style(document: Document, name: str) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style.name == name]


# --- fields, furniture, settings -------------------------------------------------------------


def test_contents_are_one_toc_field_of_the_pdfs_levels_that_asks_nothing_on_open(handbook_docx: Path) -> None:
    body = part(handbook_docx, "word/document.xml")
    tocs = [i for i in instructions(body) if i.startswith("TOC ")]
    assert tocs == ['TOC \\o "1-2" \\h \\z']  # chapters and sections, as the PDF's contents
    assert body.find(".//w:fldChar[@w:dirty='true']", NS) is None
    settings = part(handbook_docx, "word/settings.xml")
    assert settings.find("w:updateFields", NS) is None


def test_footer_has_page_and_numpages_and_header_a_styleref(handbook_docx: Path) -> None:
    footer = story_part(handbook_docx, "footer", "default")
    header = story_part(handbook_docx, "header", "default")
    assert instructions(footer) == ["PAGE", "NUMPAGES"]
    assert text_of(footer).startswith("Page ") and " of " in text_of(footer)
    assert instructions(header) == ['STYLEREF "Heading 1"']


def test_cover_page_has_no_header_or_footer(handbook_docx: Path, document: Document) -> None:
    cover, *chapters = document.sections  # cover and contents, then a section per chapter
    assert len(chapters) == len(by_style(document, "Heading 1"))
    assert cover.different_first_page_header_footer
    assert not any(section.different_first_page_header_footer for section in chapters)
    assert text_of(cover.header._element) == ""  # the contents page shows no chapter title
    titles = [p.text for p in by_style(document, "Heading 1")]
    assert [text_of(section.header._element) for section in chapters] == titles
    assert all(instructions(section.header._element) == ['STYLEREF "Heading 1"'] for section in chapters)
    for kind in ("header", "footer"):
        first = story_part(handbook_docx, kind, "first")
        assert text_of(first) == "" and instructions(first) == []


def test_running_elements_do_not_flow_into_the_body(document: Document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert not any(re.fullmatch(r"Page \d+ of \d+", t) for t in texts)


def test_contents_entries_link_to_heading_bookmarks_with_pagerefs(handbook_docx: Path, document: Document,
                                                                  book: Handbook) -> None:
    (heading,) = [p for p in document.paragraphs if p.text == "Contents"]
    assert heading.style.name == "TOC Heading"
    entries = [p for p in document.paragraphs if re.fullmatch(r"TOC\d", p.style.style_id)]
    expected = [e for c in book.chapters for e in [(1, c.title), *((2, s.title) for s in c.sections)]]
    assert [(int(p.style.style_id[3:]), p.text.split("\t")[0]) for p in entries] == expected
    # Until Word updates the field, the entries carry the page numbers of the PDF layout.
    numbers = [int(p.text.split("\t")[1]) for p in entries]
    assert numbers == sorted(numbers) and numbers[0] >= 2
    body = part(handbook_docx, "word/document.xml")
    bookmarks = {b.get(qn("w:name")) for b in body.iterfind(".//w:bookmarkStart", NS)}
    for entry in entries:
        (link,) = entry._p.iterfind("w:hyperlink", NS)
        anchor = link.get(qn("w:anchor"))
        assert anchor in bookmarks
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", anchor)
        assert instructions(link) == [f"PAGEREF {anchor} \\h"]


# --- structure and text ----------------------------------------------------------------------


def test_heading_1_paragraphs_are_the_chapter_titles_in_order(document: Document, book: Handbook) -> None:
    titles = [p.text for p in by_style(document, "Heading 1")]
    assert titles == [c.title for c in book.chapters]
    statement = [t for t in titles if t in ("Vision", "Mission", "Goals", "Core Values")]
    assert statement == ["Vision", "Mission", "Goals", "Core Values"]
    assert len(titles) > 4  # and the Markdown chapters around them


def test_heading_2_paragraphs_are_the_sections(document: Document, book: Handbook) -> None:
    assert [p.text for p in by_style(document, "Heading 2")] == [s.title for c in book.chapters
                                                                 for s in c.sections]


def test_each_chapter_starts_a_new_page(document: Document) -> None:
    paragraphs = document.paragraphs
    for i, paragraph in enumerate(paragraphs):
        if paragraph.style.name != "Heading 1":
            continue
        previous = paragraphs[i - 1]._p if i else None
        page_break_run = previous is not None and previous.find(".//w:br[@w:type='page']", NS) is not None
        section = previous is not None and previous.find("w:pPr/w:sectPr", NS) is not None  # a new-page section
        assert paragraph.paragraph_format.page_break_before or page_break_run or section, paragraph.text


def test_every_published_sentence_is_in_the_docx(document: Document) -> None:
    text = normalise("\n".join(p.text for p in document.paragraphs))
    missing = [s for s in published_sentences(title=False) if s not in text]
    assert not missing


def test_core_properties_title_language_and_author(document: Document, book: Handbook,
                                                   project: Project) -> None:
    props = document.core_properties
    assert props.title == book.config.title
    assert props.language == "en-US"
    assert props.author == project.statement("en").organization.name
    styles = document.styles.element
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(qn("w:val")) == "en-US"


# --- a real reader ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_pages(handbook_docx: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of each page of the PDF LibreOffice makes from the .docx."""
    soffice = require_tool("soffice")
    out = tmp_path_factory.mktemp("handbook-lo")
    profile = out / "profile"  # private: parallel runs do not share LibreOffice's user folder
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(handbook_docx)],
                   check=True, capture_output=True, timeout=LIBREOFFICE_TIMEOUT)
    return pdftotext_pages(out / (handbook_docx.stem + ".pdf"))


def test_libreoffice_shows_every_chapter(libreoffice_pages: list[str], book: Handbook) -> None:
    assert len(libreoffice_pages) >= 8
    text = normalise("\n".join(libreoffice_pages))
    for chapter in book.chapters:
        assert chapter.title in text, chapter.title


def test_libreoffice_numbers_pages_in_the_footer_but_not_on_the_cover(libreoffice_pages: list[str]) -> None:
    count = len(libreoffice_pages)
    assert "Page" not in libreoffice_pages[0]
    footers = [normalise(page) for page in libreoffice_pages[1:]]
    assert all(f"Page {n} of {count}" in text for n, text in enumerate(footers, 2))


def test_libreoffice_starts_each_chapter_on_a_page_of_its_own(libreoffice_pages: list[str],
                                                              book: Handbook) -> None:
    starts = []
    for chapter in book.chapters:
        found = [n for n, page in enumerate(libreoffice_pages) if _starts_page(page, chapter.title)]
        assert len(found) == 1, chapter.title
        starts.append(found[0])
    assert starts == sorted(set(starts))  # in order, one page each


def _starts_page(page: str, title: str) -> bool:
    """Whether the page's first lines after the running header (line 0) are ``title``, maybe wrapped."""
    joined = ""
    for line in [line.strip() for line in page.splitlines() if line.strip()][1:]:
        joined = normalise(f"{joined}\n{line}")
        if len(joined) >= len(title):
            return joined == title
    return False
