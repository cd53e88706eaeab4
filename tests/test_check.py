"""The output checker: a clean build passes, and each broken file fails with its rule named."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.shared import Inches, Pt, RGBColor
from PIL import Image

from generator.check.parity import pairs
from generator.check.run import RULE_IDS, WARNINGS, Report, check_paths
from generator.content.contrast import contrast_ratio
from generator.errors import MissionpressError
from generator.pdf import writer as pdf_writer

weasyprint = pdf_writer.weasyprint


@pytest.fixture(scope="module")
def built(default_build: Path) -> Path:
    return default_build


@pytest.fixture(scope="module")
def report(built: Path) -> Report:
    return check_paths([built])


def rules(report: Report, name: str | None = None) -> set[str]:
    return {f.rule for f in report.failures if name is None or f.path.name == name}


def messages(report: Report, rule: str) -> str:
    return "\n".join(f.message for f in report.failures if f.rule == rule)


def png(width: int = 20, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


def pdf(folder: Path, name: str, body: str, tagged: bool = True, lang: str | None = "en") -> Path:
    """An HTML snippet rendered by WeasyPrint, tagged PDF/UA-1 unless told otherwise."""
    html = f"<html{f' lang={lang}' if lang else ''}><title>Test</title><style>@page {{ size: letter }}</style>{body}"
    path = folder / name
    weasyprint.HTML(string=html).write_pdf(path, **({"pdf_variant": "pdf/ua-1"} if tagged else {}))
    return path


# -- the default build

def test_the_default_build_passes_every_rule(report: Report) -> None:
    assert len(report.checked) > 10
    assert {p.suffix for p in report.checked} == {".pdf", ".docx"}
    assert len(pairs(report.checked)) >= 8  # parity ran: handbook, handout, every onboarding packet
    assert report.ok(), [str(f) for f in report.failures]


# -- broken PDFs

def test_plain_weasyprint_output_is_untagged(tmp_path: Path) -> None:
    found = check_paths([pdf(tmp_path, "plain.pdf", "<h1>Hello</h1>", tagged=False)])
    assert {"pdf-tagged", "pdf-ua-identifier"} <= rules(found)
    assert "structure tree" in messages(found, "pdf-tagged")


def test_a_pdf_without_language_fails(tmp_path: Path) -> None:
    found = check_paths([pdf(tmp_path, "nolang.pdf", "<h1>Hello</h1>", lang=None)])
    assert rules(found) == {"pdf-language"}


def test_a_font_that_is_not_embedded_is_named(tmp_path: Path, built: Path) -> None:
    target = tmp_path / "poster-letter.pdf"
    with pikepdf.open(built / "poster-letter.pdf") as doc:
        font = next(iter(doc.pages[0].Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]
        name = str(font.BaseFont).lstrip("/")
        doc.save(target)
    found = check_paths([target])
    assert rules(found) - WARNINGS == {"pdf-fonts-embedded"}
    assert name in messages(found, "pdf-fonts-embedded")


def test_a_figure_without_alt_fails(tmp_path: Path) -> None:
    data = base64.b64encode(png()).decode()
    path = pdf(tmp_path, "figure.pdf", f'<h1>Hello</h1><img src="data:image/png;base64,{data}">')
    with pikepdf.open(path) as doc:  # WeasyPrint tags the image as a Figure, with no /Alt
        figures = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]
        assert figures and all("/Alt" not in f for f in figures)
    found = check_paths([path])
    assert rules(found) == {"pdf-figure-alt"}
    assert "page 1" in messages(found, "pdf-figure-alt")


def test_a_heading_jump_is_named(tmp_path: Path) -> None:
    found = check_paths([pdf(tmp_path, "jump.pdf", "<h1>Top</h1><h3>Deep heading</h3><p>Text.</p>")])
    assert rules(found) == {"pdf-heading-levels"}
    assert "H1 to H3" in messages(found, "pdf-heading-levels")
    assert "Deep heading" in messages(found, "pdf-heading-levels")


def test_a_poster_of_two_pages_or_the_wrong_size_fails(tmp_path: Path) -> None:
    two = pdf(tmp_path, "poster-letter.pdf", '<h1>Hello</h1><p>One<br>Two<br>Three</p>'
              '<p style="break-before: page">More</p>')
    wrong = pdf(tmp_path, "poster-A3-landscape.pdf", "<h1>Hello</h1>")
    found = check_paths([two, wrong])
    assert rules(found, two.name) == {"pdf-page-count"}
    assert rules(found, wrong.name) == {"pdf-page-size"}
    assert "A3-landscape" in messages(found, "pdf-page-size")


def test_text_off_the_page_and_a_low_resolution_poster_image_fail(tmp_path: Path) -> None:
    data = base64.b64encode(png()).decode()
    path = pdf(tmp_path, "poster-letter.pdf", f'<h1>Hello</h1><img alt="A red square" style="width: 2in" '
               f'src="data:image/png;base64,{data}"><p style="position: absolute; left: -1in">Cut off</p>')
    found = check_paths([path])
    assert rules(found) == {"pdf-text-inside-page", "pdf-image-resolution"}
    assert "left edge" in messages(found, "pdf-text-inside-page")
    assert "10 dpi" in messages(found, "pdf-image-resolution")


# -- broken DOCX

def good_docx() -> docx.document.Document:
    document = docx.Document()
    document.core_properties.title = "A good document"
    document.styles["Heading 2"].font.color.rgb = RGBColor.from_string("1F4E79")  # the template's fails AA
    document.add_heading("Top", 1)
    document.add_heading("Second", 2)
    document.add_picture(io.BytesIO(png()), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "A red square")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Term", "Meaning"
    table.rows[0]._tr.get_or_add_trPr().append(docx.oxml.parse_xml(
        '<w:tblHeader xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'))
    large = document.add_paragraph().add_run("Large bold gray")
    large.bold, large.font.size, large.font.color.rgb = True, Pt(14), RGBColor.from_string("949494")
    return document


def docx_findings(tmp_path: Path, document: docx.document.Document, name: str = "x.docx") -> Report:
    document.save(str(tmp_path / name))
    return check_paths([tmp_path / name])


def test_a_good_docx_passes(tmp_path: Path) -> None:
    found = docx_findings(tmp_path, good_docx())
    assert found.ok(), [str(f) for f in found.failures]


def test_a_docx_without_title_fails(tmp_path: Path) -> None:
    document = good_docx()
    document.core_properties.title = ""
    assert rules(docx_findings(tmp_path, document)) == {"docx-title"}


def test_a_docx_without_language_fails_and_mentions_the_property(tmp_path: Path) -> None:
    document = good_docx()
    for lang in document.styles.element.findall(".//" + docx.oxml.ns.qn("w:lang")):
        lang.getparent().remove(lang)
    found = docx_findings(tmp_path, document)
    # The defaults now differ from those of python-docx's stylesWithEffects.xml too.
    assert rules(found) == {"docx-language", "docx-styles-with-effects"}
    assert "Language property" in messages(found, "docx-language")


def test_an_image_without_alt_is_named(tmp_path: Path) -> None:
    document = good_docx()
    document.inline_shapes[0]._inline.docPr.set("descr", "")
    found = docx_findings(tmp_path, document)
    assert rules(found) == {"docx-image-alt"}
    assert "Picture 1" in messages(found, "docx-image-alt")


def test_a_decorative_image_needs_no_alt(tmp_path: Path) -> None:
    document = good_docx()
    doc_pr = document.inline_shapes[0]._inline.docPr
    doc_pr.set("descr", "")
    doc_pr.append(docx.oxml.parse_xml(
        '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative val="1" '
        'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"/></a:ext></a:extLst>'))
    assert docx_findings(tmp_path, document).ok()


def test_a_skipped_heading_level_is_named(tmp_path: Path) -> None:
    document = good_docx()
    document.add_heading("Too deep", 4)
    found = docx_findings(tmp_path, document)
    assert "docx-heading-levels" in rules(found)
    assert "from 2 to 4" in messages(found, "docx-heading-levels")
    assert "Too deep" in messages(found, "docx-heading-levels")


def test_title_then_heading_two_fails(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "T"
    document.add_heading("The title", 0)
    document.add_heading("A section", 2)
    assert "A section" in messages(docx_findings(tmp_path, document), "docx-heading-levels")


def test_a_table_without_header_row_fails(tmp_path: Path) -> None:
    document = good_docx()
    document.add_table(rows=2, cols=2).cell(0, 0).text = "Plain"
    found = docx_findings(tmp_path, document)
    assert rules(found) == {"docx-table-header"}
    assert "table 2" in messages(found, "docx-table-header")


def test_low_contrast_text_names_color_and_ratio(tmp_path: Path) -> None:
    document = good_docx()
    document.add_paragraph().add_run("Silver words").font.color.rgb = RGBColor.from_string("A7A8AA")
    found = docx_findings(tmp_path, document)
    assert rules(found) == {"docx-contrast"}
    text = messages(found, "docx-contrast")
    assert "#A7A8AA" in text and "2.38:1" in text and "4.5:1" in text and "Silver words" in text


def test_contrast_ratio() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("A7A8AA", "fff") == pytest.approx(2.38, abs=0.01)
    assert contrast_ratio("#63666A", "#FFFFFF") == contrast_ratio("#FFFFFF", "#63666A") > 4.5


# -- parity

def _pair(tmp_path: Path, built: Path) -> tuple[Path, docx.document.Document]:
    shutil.copy(built / "poster-letter.pdf", tmp_path)
    return tmp_path / "handout-letter.docx", docx.Document(str(built / "handout-letter.docx"))


def _replace(document: docx.document.Document, old: str, new: str, heading: bool = False) -> None:
    run = next(r for p in document.paragraphs for r in p.runs
               if old in r.text and (not heading or p.style.name.startswith("Heading")))
    run.text = run.text.replace(old, new)


def parity(report: Report) -> set[str]:
    return {rule for rule in rules(report) if rule.startswith("parity-")}


def test_parity_names_a_changed_word(tmp_path: Path, built: Path) -> None:
    path, document = _pair(tmp_path, built)
    _replace(document, "premier", "superb")
    document.save(str(path))
    found = check_paths([tmp_path])
    assert parity(found) == {"parity-text", "parity-goals"}
    text = messages(found, "parity-text")
    assert "[premier]" in text and "[superb]" in text and "poster-letter.pdf" in text
    assert "superb" in messages(found, "parity-goals")


def test_parity_names_a_changed_heading(tmp_path: Path, built: Path) -> None:
    path, document = _pair(tmp_path, built)
    _replace(document, "Mission", "Purpose", heading=True)
    document.save(str(path))
    found = check_paths([tmp_path])
    assert parity(found) == {"parity-text", "parity-headings"}
    assert "H2 \u201cmission\u201d" in messages(found, "parity-headings")
    assert "Heading 2 \u201cpurpose\u201d" in messages(found, "parity-headings")


# -- the report and the paths

def test_json_round_trips_with_rule_ids(tmp_path: Path) -> None:
    found = check_paths([pdf(tmp_path, "nolang.pdf", "<h1>Hello</h1>", lang=None)])
    data = json.loads(found.to_json())
    assert data["ok"] is False
    assert data["checked"] == [str(tmp_path / "nolang.pdf")]
    assert [f["rule"] for f in data["failures"]] == ["pdf-language"]
    assert data["rules"] == {"pdf-language": 1}
    assert set(data["rules"]) <= set(RULE_IDS)
    assert found.to_json() == check_paths([tmp_path / "nolang.pdf"]).to_json()


def test_a_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(MissionpressError, match="no such file or folder"):
        check_paths([tmp_path / "nowhere"])


def test_unreadable_files_are_failures_and_dot_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(os.urandom(2000))
    (tmp_path / "y.docx").write_bytes(os.urandom(2000))
    (tmp_path / ".hidden.pdf").write_bytes(b"not a pdf")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "z.pdf").write_bytes(b"not a pdf")
    found = check_paths([tmp_path])
    assert [p.name for p in found.checked] == ["x.pdf", "y.docx"]
    assert [(f.path.name, f.rule) for f in found.failures] == [("x.pdf", "unreadable"), ("y.docx", "unreadable")]
