"""The Word writer's font subsets and its page breaks inside a paragraph, without rendering."""

from __future__ import annotations

import io
import zipfile

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from fontTools.ttLib import TTFont

from generator.docx.fonts import obfuscate
from generator.docx.pagination import split_lines
from generator.docx.subsets import EDITING_SET, beyond, subset
from generator.docx.writer import write_docx
from generator.paths import FONTS
from tests.test_docx_writer import LETTER, THEME, html

REGULAR = FONTS / "NotoSans-Regular.ttf"
OMEGA, ZHE = 0x03A9, 0x0416  # Greek and Cyrillic: Noto Sans has both, the repertoire neither


def cmap(data: bytes) -> set[int]:
    return set(TTFont(io.BytesIO(data)).getBestCmap())


def test_a_subset_holds_the_repertoire_and_the_extra_characters_only() -> None:
    whole = cmap(REGULAR.read_bytes())
    plain, greek = subset(REGULAR), subset(REGULAR, frozenset({OMEGA}))
    assert cmap(plain) == EDITING_SET & whole
    assert cmap(greek) == (EDITING_SET & whole) | {OMEGA} and ZHE not in cmap(greek)
    assert "fpgm" not in TTFont(io.BytesIO(plain)) and "glyf" in TTFont(io.BytesIO(plain))
    assert subset(REGULAR) == plain  # the same bytes every time
    assert len(plain) < REGULAR.stat().st_size / 3


def test_characters_beyond_the_repertoire_are_found() -> None:
    assert beyond(["Ωmega é ñ ł ǫ́ ʼ ư\u2610 \n", "Жук"]) == {OMEGA, ZHE, ord("у"), ord("к")}


def test_a_document_embeds_the_letters_it_shows_beyond_the_repertoire() -> None:
    made = write_docx(html("<p>Ωmega and Жук</p>"), theme=THEME, page=LETTER, template="t.html")
    with zipfile.ZipFile(io.BytesIO(made)) as z:
        table = z.read("word/fontTable.xml").decode()
        key = table.split('w:fontKey="', 1)[1].split('"', 1)[0]
        (name,) = [n for n in z.namelist() if n.endswith("regular.odttf")]
        font = cmap(obfuscate(z.read(name), key))
    assert {OMEGA, ZHE, ord("у"), ord("к")} <= font and "subsetted" not in table


def paragraph(*runs: str) -> object:
    body = parse_xml(f"<w:body {nsdecls('w')}><w:p>"
                     + "".join(f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{t}</w:t></w:r>' for t in runs)
                     + "</w:p></w:body>")
    return body


def shown(body: object) -> list[str]:
    """Each run of the paragraph as its text, with "|" for a page break."""
    return ["".join("|" if c.tag == qn("w:br") else c.text or "" for c in r if c.tag != qn("w:rPr"))
            for r in body.iter(qn("w:r"))]  # type: ignore[attr-defined]


def test_a_paragraph_breaks_before_the_word_that_starts_the_pdf_page() -> None:
    body = paragraph("Serving the whole commu", "nity, every day of the year.")
    # The PDF's page starts with the end of a hyphenated word: the break goes before the whole word.
    split_lines(body, [(("p", "Serving the whole community, every day of the year.", 0), "nity, every day of the")])
    assert shown(body) == ["Serving the whole ", "|commu", "nity, every day of the year."]
    assert all(r.find(qn("w:rPr")) is not None for r in body.iter(qn("w:r")))  # the run keeps its look


def test_a_paragraph_not_found_is_left_alone() -> None:
    body = paragraph("Something else entirely.")
    split_lines(body, [(("p", "Serving the whole community", 0), "community")])
    assert shown(body) == ["Something else entirely."]
