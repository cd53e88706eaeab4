"""Handbook chapters in Markdown: what renders in both formats, and what is refused with file and line."""

from __future__ import annotations

import base64
import shutil
import zlib
from pathlib import Path

import pikepdf
import pytest
from docx import Document

from generator.cli import main
from generator.documents.build import Project, Request, build
from generator.paths import BUILTIN_CONTENT


def png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (solid turquoise)."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x7a\x86" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def content_with_chapter(tmp_path: Path, body: str) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, content)
    for spanish in content.rglob("*.es.*"):  # this test's chapter has no translation
        spanish.unlink()
    chapter = content / "handbook" / "campus.md"
    chapter.write_text(f"---\ntitle: Our Campus\norder: 95\n---\n\n{body}", encoding="utf-8")
    return content, chapter


def test_images_tables_and_nested_lists_render_in_both_formats(tmp_path: Path) -> None:
    content, chapter = content_with_chapter(
        tmp_path,
        "## Map\n\n![Map of the north campus](map.png)\n\n"
        "1. First\n   - nested *one*\n   - nested **two**\n2. Second\n\n"
        "| Building | Purpose |\n|---|---|\n| Domenici | Education |\n\n> A quoted line.\n",
    )
    (chapter.parent / "map.png").write_bytes(png())
    pdf, docx = build(Request("handbook", formats=("pdf", "docx")), Project(content), tmp_path / "out")
    with pikepdf.open(pdf) as doc:
        figures = []
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(str(node.get("/Alt")))
                kids = node.get("/K")
                stack += list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    cover = ["Logo placeholder", "QR code: https://hsc.unm.edu/"]  # the sample content's logo and QR code
    assert sorted(figures) == sorted([*cover, "Map of the north campus"])
    document = Document(str(docx))
    descr = [d.get("descr") for d in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descr == [*cover, "Map of the north campus"]
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    assert ["Building", "Purpose"] in headers
    # The last two words are tied with a no-break space, in Word as in the PDF.
    assert any(p.style.name == "Quote" and p.text == "A quoted\u00a0line." for p in document.paragraphs)


@pytest.mark.parametrize(("body", "line", "message"), [
    ("Intro.\n\n<div>raw</div>\n", 8, "raw HTML is not supported (write Markdown instead)"),
    ("Intro.\n\n```\ncode\n```\n", 8, "code blocks are not supported"),
    ("# Title again\n", 6, "heading level 1 is not supported (the chapter title comes from the front matter"),
    ("Text\n\n![](map.png)\n", 8, "image map.png has no alt text (write ![what it shows](map.png))"),
    ("![Logo](https://example.com/logo.png)\n", 6, "image https://example.com/logo.png is not a file of the content"),
    ("![Secret](../../../etc/hostname)\n", 6, "image ../../../etc/hostname not found in the content folder"),
])
def test_unsupported_markdown_names_file_line_and_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, message: str
) -> None:
    content, chapter = content_with_chapter(tmp_path, body)
    status = main(["build", "handbook", "--content", str(content), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert f"{chapter}:{line}: {message}" in err


def test_front_matter_mistakes_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, chapter = content_with_chapter(tmp_path, "Text.\n")
    chapter.write_text("---\ntitle: Our Campus\nordr: 95\n---\n\nText.\n", encoding="utf-8")
    status = main(["build", "handbook", "--content", str(content), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert f"{chapter}:3: ordr: unknown field (did you mean 'order'?)" in err
    assert f"{chapter}:2: order: required field is missing" in err


def test_an_image_file_name_with_accents_and_spaces(tmp_path: Path) -> None:
    content, chapter = content_with_chapter(tmp_path, "![Una señal del campus](<señal del campus.png>)\n")
    (chapter.parent / "señal del campus.png").write_bytes(png())
    (pdf,) = build(Request("handbook", formats=("pdf",)), Project(content), tmp_path / "out")
    assert pdf.stat().st_size > 0


def test_data_urls_need_no_file(tmp_path: Path) -> None:
    uri = "data:image/png;base64," + base64.b64encode(png()).decode()
    content, _ = content_with_chapter(tmp_path, f"![A turquoise square]({uri})\n")
    (pdf,) = build(Request("handbook", formats=("pdf",)), Project(content), tmp_path / "out")
    assert pdf.stat().st_size > 0
