"""Word files off the defaults and after editing, as LibreOffice shows them without Noto installed.

Six handbooks (letter and A4; English, Spanish and both) and two edited handouts are rendered
in one LibreOffice run, with fontconfig limited to DejaVu (as in test_docx_readers): each
handbook's contents numbers are checked against the pages where its headings stand and its
page count against the PDF's, and no word of its tables is broken where a column ends; a
paragraph given "List Number" after goal 6 continues the goals; characters typed into the file
later still come from the embedded Noto.  The file sizes are checked against their targets.
"""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from generator.docx.styles import TABLE_STYLE
from tests.readers import normalise, pdftotext
from tests.test_docx_readers import fonts_of, pages, render

SIZES = ("letter", "A4")
LANGS = ("en", "es", "en+es")
HYPHENS = ("\u2010", "\u00ad", "-")  # a hyphen the layout adds, a soft one, one of the text
TYPED = "Typed later: é ñ ł ǫ́ ʼ ư"  # Spanish, Polish, Navajo (o-ogonek + combining acute), Vietnamese
HANDOUT_MAX, PACKET_MAX, HANDBOOK_MAX = 300_000, 300_000, 400_000


@pytest.fixture(scope="module")
def handbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(size, lang) -> the folder holding that handbook's .docx and .pdf."""
    from generator.cli import main

    out = tmp_path_factory.mktemp("handbooks")
    made = {}
    for size in SIZES:
        for lang in LANGS:
            folder = out / f"{size}-{lang}"
            assert main(["-q", "build", "handbook", "--size", size, "--lang", lang, "--out", str(folder)]) == 0
            made[(size, lang)] = folder
    return made


def after_goal_six(default_build: Path, out: Path, text: str) -> Path:
    """The handout with a new paragraph after goal 6, given only the "List Number" style."""
    handout = docx.Document(str(default_build / "handout-letter.docx"))
    goals = [p for p in handout.paragraphs if p.style.name == "List Number"]
    new = copy.deepcopy(goals[-1]._p)
    for child in list(new):
        new.remove(child)
    goals[-1]._p.addnext(new)
    paragraph = Paragraph(new, goals[-1]._parent)
    paragraph.style = handout.styles["List Number"]
    paragraph.add_run(text)
    handout.save(str(out))
    return out


@pytest.fixture(scope="module")
def rendered(handbooks: dict[tuple[str, str], Path], default_build: Path,
             tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Every file of this module through one LibreOffice run."""
    edits = tmp_path_factory.mktemp("edited")
    files = [next(folder.glob("*.docx")) for folder in handbooks.values()]
    files.append(after_goal_six(default_build, edits / "handout-edited.docx", TYPED))
    return render(files, edits / "lo")


def contents(shown: list[str]) -> list[tuple[str, int]]:
    """(title, page) of each contents entry (an entry may wrap onto a second line)."""
    entries = []
    for page in shown[1:4]:
        lines = [line.strip() for line in page.splitlines()]
        for n, line in enumerate(lines):
            match = re.match(r"^(.*?)\s*\.{3,}\s*(\d+)$", line)
            if not match:
                continue
            title = match.group(1)
            if n and lines[n - 1] and not re.search(r"\d$", lines[n - 1]) and lines[n - 1] != "Contents" \
                    and lines[n - 1] != "Contenido" and not title[:1].isupper():
                title = f"{lines[n - 1]} {title}"  # the first line of a wrapped entry
            entries.append((title, int(match.group(2))))
    return entries


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_contents_numbers_are_where_the_headings_stand(size: str, lang: str, handbooks: dict[tuple[str, str], Path],
                                                       rendered: dict[Path, Path]) -> None:
    folder = handbooks[(size, lang)]
    word = next(folder.glob("*.docx"))
    shown, pdf = pages(rendered[word]), pages(word.with_suffix(".pdf"))
    assert len(shown) == len(pdf)
    entries = contents(shown)
    assert len(entries) >= 39
    wrong = [(title, n) for title, n in entries if normalise(title) not in normalise(shown[n - 1])]
    assert wrong == []


def broken(words: list[str], shown: str) -> list[str]:
    """The first word of ``words`` (a table's, in reading order) that ``shown`` (pdftotext -raw: the
    cells one after the other, each line by line) breaks across lines with no hyphen, with how it
    shows; nothing when every word shows whole or hyphenated."""
    lines = [line.split() for line in shown.splitlines()]
    tokens = [(token, n == len(line) - 1) for line in lines for n, token in enumerate(line)]
    best: list[str] = [f"{words[:1]} not shown"]
    for start in (i for i, (token, _) in enumerate(tokens) if token == words[0]):
        i, found = start, []
        for word in words:
            joined, at_end = tokens[i] if i < len(tokens) else ("", False)
            while joined != word and at_end and joined.endswith(HYPHENS) and i + 1 < len(tokens):
                i += 1
                halves = (joined[:-1] + tokens[i][0], joined + tokens[i][0])  # the text's own hyphen stays
                joined, at_end = next((h for h in halves if word.startswith(h)), halves[0]), tokens[i][1]
            if joined != word:
                found = [f"{word!r} shows as {' | '.join(t for t, _ in tokens[i:i + 2])!r}"]
                break
            i += 1
        if not found:
            return []
        best = found
    return best


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_no_word_of_a_table_is_broken_without_a_hyphen(size: str, lang: str,
                                                      handbooks: dict[tuple[str, str], Path],
                                                      rendered: dict[Path, Path]) -> None:
    """Each column is as wide as its longest word ("Responsabilidad" is not "Responsabilida" / "d")."""
    word = next(handbooks[(size, lang)].glob("*.docx"))
    tables = [t for t in docx.Document(str(word)).tables if t.style is not None and t.style.name == TABLE_STYLE]
    assert tables
    shown = pdftotext(rendered[word], "-raw")
    for table in tables:
        cells = {cell._tc: cell for row in table.rows for cell in row.cells}  # a merged cell once
        assert broken([w for cell in cells.values() for w in cell.text.split()], shown) == []


def test_handbook_sizes_and_settings(handbooks: dict[tuple[str, str], Path]) -> None:
    for folder in handbooks.values():
        word = next(folder.glob("*.docx"))
        assert word.stat().st_size <= HANDBOOK_MAX, word.name
        with zipfile.ZipFile(word) as z:
            settings = z.read("word/settings.xml").decode()
            styles = z.read("word/styles.xml").decode()
        assert "<w:autoHyphenation/>" in settings
        toc1 = re.search(r'<w:style [^>]*w:styleId="TOC1".*?</w:style>', styles).group(0)
        assert "<w:keepNext/>" in toc1


def test_paragraphs_in_the_other_language_carry_it(handbooks: dict[tuple[str, str], Path]) -> None:
    both = docx.Document(str(next(handbooks[("letter", "en+es")].glob("*.docx"))))
    langs = {}
    for p in both.paragraphs:
        mark = p._p.pPr.find(qn("w:rPr")) if p._p.pPr is not None else None
        lang = mark.find(qn("w:lang")) if mark is not None else None
        langs[p.text] = lang.get(qn("w:val")) if lang is not None else "en-US"
    assert langs["Las metas en la práctica"] == "es-US" and langs["The Goals in Practice"] == "en-US"


def test_list_number_after_goal_six_continues_the_goals(rendered: dict[Path, Path]) -> None:
    (edited,) = [pdf for docx_file, pdf in rendered.items() if docx_file.name == "handout-edited.docx"]
    lines = "\n".join(pages(edited)).splitlines()
    six = next(line for line in lines if re.search(r"\b6\.\s+Nurture", line))
    seven = next(line for line in lines if "Typed later" in line)
    assert re.search(r"\b7\.\s+Typed later", seven)
    assert seven.index("7.") == six.index("6.")  # the same indent


def test_typed_characters_show_in_the_embedded_noto(rendered: dict[Path, Path]) -> None:
    (edited,) = [pdf for docx_file, pdf in rendered.items() if docx_file.name == "handout-edited.docx"]
    text = normalise(" ".join(pages(edited)))
    assert all(normalise(word) in text for word in TYPED.split()[2:]), text[-200:]
    names = fonts_of(edited)
    assert [n for n in names if not n.startswith("Noto")] == [], names  # no DejaVu stood in


def test_word_files_of_the_default_build_are_within_their_sizes(default_build: Path) -> None:
    assert (default_build / "handout-letter.docx").stat().st_size <= HANDOUT_MAX
    assert (default_build / "handbook-letter.docx").stat().st_size <= HANDBOOK_MAX
    packets = sorted((default_build / "onboarding").glob("*.docx"))
    assert packets and all(p.stat().st_size <= PACKET_MAX for p in packets)
