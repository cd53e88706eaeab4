"""The Word handouts, both poster layouts, in every size, orientation and language Word takes.

Word opens pages up to 22 in (``generator/content/pages.WORD_MAX``): letter, A4, tabloid and
A3, portrait and landscape, in en, es and en+es; the classic and the showcase layout each:
48 handouts.  They are built once and LibreOffice renders them all in one call, on a system
whose only fonts have no Noto (as an office computer meets the file): each is one page, its
body text is no smaller than the poster's smallest legible size and carries the statement.
The letter ones are compared with their PDFs: type within 5% of the PDF's, the bands from
edge to edge, the logo and the QR code where the PDF has them, the showcase's blocks where the
PDF's stand.  The bilingual ones (every structure the handouts have) pass an independent OOXML
validator.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import product
from pathlib import Path

import docx
import pdfplumber
import pytest

from generator.content.pages import SIZES, WORD_MAX, page
from generator.documents import poster
from generator.documents.build import Project, Request, build
from tests.readers import normalise, pdftotext
from tests.test_docx_readers import ooxml_findings, pages, render

LAYOUTS, ORIENTATIONS, LANGS = ("classic", "showcase"), ("portrait", "landscape"), ("en", "es", "en+es")
WORD_SIZES = tuple(name for name, (w, h) in SIZES.items() if max(w, h) <= WORD_MAX)
COMBINATIONS = list(product(LAYOUTS, WORD_SIZES, ORIENTATIONS, LANGS))
COMPARED = [(layout, "letter", orientation, lang) for layout in LAYOUTS for orientation in ORIENTATIONS
            for lang in ("en", "en+es")]  # built as PDF too
Key = tuple[str, str, str, str]


def test_word_takes_letter_a4_tabloid_and_a3() -> None:
    assert WORD_SIZES == ("letter", "tabloid", "A4", "A3")
    assert len(COMBINATIONS) == 48


@pytest.fixture(scope="module")
def handouts(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[Key, Path]:
    out = tmp_path_factory.mktemp("handouts")
    requests = [Request("poster", size, orientation=orientation, lang=lang, formats=("docx",), layout=layout)
                for layout, size, orientation, lang in COMBINATIONS]
    made = build(requests, project, out)
    assert len(made) == len(COMBINATIONS)
    return dict(zip(COMBINATIONS, made, strict=True))


@pytest.fixture(scope="module")
def posters(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[Key, Path]:
    out = tmp_path_factory.mktemp("handout-pdfs")
    requests = [Request("poster", size, orientation=orientation, lang=lang, formats=("pdf",), layout=layout)
                for layout, size, orientation, lang in COMPARED]
    return dict(zip(COMPARED, build(requests, project, out), strict=True))


@pytest.fixture(scope="module")
def rendered(handouts: dict[Key, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    return render(list(handouts.values()), tmp_path_factory.mktemp("lo-handouts"))


def test_every_handout_is_one_page_in_libreoffice_without_noto(handouts: dict[Key, Path],
                                                                 rendered: dict[Path, Path]) -> None:
    counts = {"-".join(combination): len(pages(rendered[path])) for combination, path in handouts.items()}
    assert {name: n for name, n in counts.items() if n != 1} == {}


def test_every_handout_stays_legible(handouts: dict[Key, Path]) -> None:
    for (layout, size, orientation, lang), path in handouts.items():
        smallest = poster.page_scale(page(size, orientation)) * poster.MIN_BODY_PT_AT_LETTER
        body = docx.Document(str(path)).styles["Normal"].font.size.pt
        assert body >= round(smallest * 2) / 2, (layout, size, orientation, lang, body)


def words(text: str) -> list[str]:
    """The words of a text, hyphens left out: a word broken at a line end (by the layout's hyphen or
    its own) reads as one, and the same word whole reads the same."""
    return normalise(re.sub(r"-\n\s*", "", text).replace("-", "")).split()


def letters(text: str) -> Counter[str]:
    """How often each letter and digit occurs: the same text, whatever the reading order and line breaks."""
    return Counter(c for c in text if c.isalnum())


def test_every_showcase_twin_carries_the_statement(project: Project, handouts: dict[Key, Path],
                                                   rendered: dict[Path, Path]) -> None:
    for (layout, size, orientation, lang), path in handouts.items():
        if layout != "showcase":
            continue
        shown = " ".join(words(pdftotext(rendered[path], "-raw")))  # drawing order: a tile's lines together
        for edition in project.editions(lang.split("+")):
            statement = edition.statement
            for text in (statement.title, statement.vision, statement.mission, *statement.goals,
                         *statement.core_values):
                assert " ".join(words(text)) in shown, (size, orientation, lang, text)


def chars(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as opened:
        return list(opened.pages[0].chars)


def body_size(pdf: Path) -> float:
    sizes = [round(c["size"], 1) for c in chars(pdf) if c["text"].strip()]
    return max(set(sizes), key=sizes.count)


def as_printed(word: float, printed: float) -> bool:
    """Word's body size is the PDF's within 5%, or on Word's half points below 10 pt, within the
    half point under the PDF's."""
    return word <= printed and (word >= 0.95 * printed or printed - word < 0.5 + 0.015 * printed)


def test_letter_twins_set_the_pdfs_text_at_its_size(handouts: dict[Key, Path], posters: dict[Key, Path],
                                                    rendered: dict[Path, Path]) -> None:
    for key, pdf in posters.items():
        word, printed = body_size(rendered[handouts[key]]), body_size(pdf)
        assert as_printed(word, printed), key
        assert letters(pdftotext(rendered[handouts[key]])) == letters(pdftotext(pdf)), key


def test_two_languages_on_a_landscape_page_keep_the_pdfs_type_off_letter(
        project: Project, handouts: dict[Key, Path], rendered: dict[Path, Path],
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Two languages on a landscape page flow through two columns each, as the PDF's: the Word
    twin's columns break where the layout its type is fitted to breaks them, so that type is the
    PDF's within 5% (set in two columns of one each, it was 7-11% smaller): on tabloid and A4, where
    it was furthest behind (letter's is compared in the test above)."""
    keys = [("classic", size, "landscape", "en+es") for size in ("tabloid", "A4")]
    out = tmp_path_factory.mktemp("landscape-pdfs")
    pdfs = build([Request("poster", size, orientation=o, lang=lang, formats=("pdf",), layout=layout)
                  for layout, size, o, lang in keys], project, out)
    sizes = {key[1]: (body_size(rendered[handouts[key]]), body_size(pdf)) for key, pdf in zip(keys, pdfs, strict=True)}
    assert {name: pair for name, pair in sizes.items() if not as_printed(*pair)} == {}


def unfilled(shown: dict[Key, Path]) -> dict[str, int]:
    """The classic twins (LibreOffice's PDFs) whose last line or picture does not end within half an
    inch above the bottom margin, and how far above (below, if negative) it ends."""
    short = {}
    for key, pdf in shown.items():
        if key[0] != "classic":
            continue
        with pdfplumber.open(pdf) as opened:
            first = opened.pages[0]
            foot = max([c["bottom"] for c in first.chars if c["text"].strip()] + [i["bottom"] for i in first.images])
            gap = first.height - page(key[1], key[2]).margin - foot
        if not 0 <= gap <= 36:
            short["-".join(key)] = round(gap)
    return short


def test_classic_twins_fill_the_page_to_within_half_an_inch_of_the_bottom_margin(
        handouts: dict[Key, Path], rendered: dict[Path, Path]) -> None:
    """The classic layout's text runs down to its footer row, which ends where the PDF's does: at
    the foot of the page, here within half an inch of the bottom margin (and never past it)."""
    assert unfilled({key: rendered[path] for key, path in handouts.items()}) == {}


def first_line(pdf: Path, text: str) -> dict:
    """Where ``text`` first stands on the page (``x0``, ``top``...)."""
    return first_lines(pdf, (text,))[text]


def first_lines(pdf: Path, texts: tuple[str, ...]) -> dict[str, dict]:
    """Where each of ``texts`` first stands on the page, read in one pass."""
    pattern = "|".join(re.escape(text) for text in sorted(texts, key=len, reverse=True))
    with pdfplumber.open(pdf) as opened:
        found: dict[str, dict] = {}
        for match in opened.pages[0].search(pattern):
            found.setdefault(match["text"], match)
    return found


def band(pdf: Path, color: tuple[float, float, float]) -> tuple[float, float, float, float]:
    """The box of the widest area filled (a rectangle) or drawn (a picture) in ``color`` at the top."""
    with pdfplumber.open(pdf) as opened:
        page_ = opened.pages[0]
        boxes = [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page_.rects
                 if tuple(round(v, 2) for v in (r.get("non_stroking_color") or ())) == color and r["top"] < 1]
        boxes += [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page_.images if i["top"] < 1]
    return max(boxes, key=lambda b: b[2] - b[0])


PRIMARY = (0.73, 0.05, 0.18)  # the theme's primary colour (#BA0C2F)


def test_letter_twins_run_their_bands_edge_to_edge_with_the_title_where_the_pdf_has_it(
        handouts: dict[Key, Path], posters: dict[Key, Path], rendered: dict[Path, Path]) -> None:
    for key, pdf in posters.items():
        shown = rendered[handouts[key]]
        width = page(key[1], key[2]).width
        x0, top, x1, _ = band(shown, PRIMARY)
        assert (round(x0), round(top), round(x1)) == (0, 0, round(width)), key
        title = "UNM HSC Vision"
        assert abs(first_line(shown, title)["top"] - first_line(pdf, title)["top"]) <= 12, key


SHOWCASE_BLOCKS = ("VISION", "MISSION", "GOALS", "VALUES STATEMENT", "CORE VALUES")  # the section labels


def test_showcase_letter_twins_stand_their_blocks_where_the_pdf_does(
        handouts: dict[Key, Path], posters: dict[Key, Path], rendered: dict[Path, Path]) -> None:
    """The twin is set as the PDF is (its columns, tiles to a row, sizes and spaces), so each block
    starts where the PDF's does: the vision and the mission within 12 pt, and no block lower than
    the PDF's (the footer band is the page's foot).  Further down the twin may stand a little higher:
    its type is on Word's half points under the PDF's, its lines no further apart."""
    for key, pdf in posters.items():
        if key[0] != "showcase":
            continue
        shown, printed_at = first_lines(rendered[handouts[key]], SHOWCASE_BLOCKS), first_lines(pdf, SHOWCASE_BLOCKS)
        for label in SHOWCASE_BLOCKS:
            word, printed = shown[label]["top"], printed_at[label]["top"]
            assert printed - (12 if label in SHOWCASE_BLOCKS[:2] else 60) <= word <= printed + 12, (key, label)


def test_showcase_twins_keep_the_footer_band_at_the_foot_with_the_label_beside_the_code(
        handouts: dict[Key, Path], posters: dict[Key, Path], rendered: dict[Path, Path]) -> None:
    for key, pdf in posters.items():
        if key[0] != "showcase":
            continue
        shown = rendered[handouts[key]]
        label, printed = first_line(shown, "Read it online"), first_line(pdf, "Read it online")
        assert abs(label["top"] - printed["top"]) <= 12 and abs(label["x0"] - printed["x0"]) <= 12, key
        with pdfplumber.open(shown) as opened:
            qr = max(opened.pages[0].images, key=lambda i: i["x0"])  # the code, right of the logo
        assert qr["x1"] < label["x0"] and qr["top"] <= label["top"] <= qr["bottom"], key
        with pdfplumber.open(shown) as opened:  # the footer's, under the vision that names it too
            organization = opened.pages[0].search("University of New Mexico Health Sciences Center")[-1]
        assert organization["top"] > label["top"] - 12 and organization["x0"] < qr["x0"], key


def test_classic_twins_set_the_logo_at_the_right_of_the_masthead(handouts: dict[Key, Path],
                                                                 rendered: dict[Path, Path]) -> None:
    for key in COMPARED:
        if key[0] != "classic":
            continue
        sheet = page(key[1], key[2])
        with pdfplumber.open(rendered[handouts[key]]) as opened:
            logo = next(i for i in opened.pages[0].images if 0 < i["top"] < 100 and i["x1"] - i["x0"] < 100)
        assert abs(logo["x1"] - (sheet.width - sheet.margin)) <= 1 and abs(logo["top"] - sheet.margin) <= 1, key
        subtitle = docx.Document(str(handouts[key])).styles["Subtitle"].element.rPr
        assert subtitle.find(docx.oxml.ns.qn("w:spacing")) is None  # no letter spacing left from Word's own


def test_bilingual_handouts_pass_an_independent_ooxml_validator(handouts: dict[Key, Path]) -> None:
    chosen = [path for (_, size, _, lang), path in handouts.items() if lang == "en+es" and size in ("letter", "A3")]
    assert ooxml_findings(chosen) == {}


def test_showcase_twins_pass_check_white_on_their_bands_included(handouts: dict[Key, Path]) -> None:
    """Every rule of `check`: the white title on the primary band and the values on their accent
    tiles are read against the cells' shading, not the page's white."""
    from generator.check.run import check_paths

    chosen = [path for (layout, size, _, _), path in handouts.items() if layout == "showcase" and size == "letter"]
    report = check_paths(chosen)
    assert [str(f) for f in report.failures] == []
    assert len(report.checked) == 6


def test_a_statement_that_fits_no_page_says_so_and_the_word_file_runs_on(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Where the poster does not fit one page even at the smallest legible size, no faithful one-page
    twin exists: the build says so, and the Word file is set at that size and runs on."""
    from generator.documents import build as building

    def no_fit(*args: object, **kwargs: object) -> None:
        raise poster.DoesNotFit("does not fit")

    monkeypatch.setattr(building.poster, "fit", no_fit)
    (made,) = building.build_poster(Request("poster", "letter", formats=("docx",), layout="showcase"), project,
                                    tmp_path)
    assert "handout-letter-showcase.docx: the statement does not fit on one page" in caplog.text
    assert docx.Document(str(made)).styles["Normal"].font.size.pt == poster.MIN_BODY_PT_AT_LETTER
