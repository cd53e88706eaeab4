"""The bundled fonts print English, Spanish, Navajo and Vietnamese with no missing glyph."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from generator.content.fonts import describe, font_files, missing_glyphs
from generator.paths import BUILTIN_TEMPLATES, FONTS
from generator.pdf import writer as pdf_writer
from generator.render.templates import Renderer

SAMPLES = {
    "English": "Integrity, accountability \u2014 \u201cexcellence\u201d and the Center\u2019s duty.",
    "Spanish": "¿Visión y misión? ¡Sí! Educación, compañía, pingüino: á é í ó ú ñ ü Á É Í Ó Ú Ñ Ü",
    # Navajo: ogonek vowels with and without acute (precomposed where Unicode has them,
    # combining acute otherwise), barred l and the modifier-letter apostrophe (glottal stop).
    "Navajo": "ą ę į ǫ ą́ ę́ į́ ǫ́ Ą Ę Į Ǫ ł Ł ʼ Diné Bikéyah, Tsé Bitʼaʼí, Naabeehó",
    "Vietnamese": "Nguyễn Thị Minh Khai, Trần Hưng Đạo, sức khỏe cộng đồng, ước mơ, Đà Nẵng",
}


BOXES = "NotoSansSymbols2-Regular.ttf"  # the ballot boxes of Word's checklists, nothing else


@pytest.mark.parametrize("language", list(SAMPLES))
@pytest.mark.parametrize("font", [p.name for p in font_files() if p.name != BOXES])
def test_every_bundled_font_maps_every_character(language: str, font: str) -> None:
    text = unicodedata.normalize("NFC", SAMPLES[language])
    assert [describe(c) for c in missing_glyphs(text, font)] == []


def test_the_symbol_font_maps_the_checklist_boxes() -> None:
    assert missing_glyphs("\u2610\u2612", BOXES) == []


def test_a_character_outside_the_fonts_is_found() -> None:
    assert [describe(c) for c in missing_glyphs("Zhōng 中")] == ["U+4E2D CJK UNIFIED IDEOGRAPH-4E2D"]


def test_fonts_ship_with_their_licence() -> None:
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_samples_print_in_the_bundled_fonts_only(tmp_path: Path) -> None:
    renderer = Renderer([BUILTIN_TEMPLATES])
    fonts_css = renderer.env.get_template("css/fonts.css").render(asset=renderer.asset)
    paragraphs = "".join(
        f'<p lang="{lang}">{text}</p><p lang="{lang}"><b>{text}</b></p><p><i>{text}</i></p>'
        for lang, text in zip(("en", "es", "nv", "vi"), SAMPLES.values(), strict=True)
    )
    html = (f"<html lang='en'><head><title>Glyphs</title><style>{fonts_css} body {{ font-family: 'Noto Sans' }}"
            f" h1 {{ font-family: 'Noto Serif'; font-weight: bold }}</style></head>"
            f"<body><h1>{SAMPLES['Vietnamese']} {SAMPLES['Navajo']}</h1>{paragraphs}</body></html>")
    document = pdf_writer.render(html, base=BUILTIN_TEMPLATES, allowed=[BUILTIN_TEMPLATES], template="glyphs")
    pdf = tmp_path / "glyphs.pdf"
    pdf.write_bytes(pdf_writer.write(document))
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars]
        text = "".join(page.extract_text() for page in doc.pages)
    assert {c["fontname"].split("+")[1] for c in chars} <= {
        "Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic", "Noto-Serif-Bold"}
    # Extractors may set a combining accent apart by a space (it is positioned as its own
    # glyph), so compare without whitespace.
    extracted = "".join(unicodedata.normalize("NFC", text).split())
    for sample in SAMPLES.values():
        for word in unicodedata.normalize("NFC", sample).split():
            assert word in extracted, word
