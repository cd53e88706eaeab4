"""Every default output opened by the readers a user or print shop has: qpdf, poppler, LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf

from tests.readers import normalise, pdftotext, published_sentences, require_tool


def outputs(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.rglob(f"*.{suffix}") if not p.name.startswith("."))


def test_qpdf_finds_every_pdf_sound(default_build: Path) -> None:
    require_tool("qpdf")
    pdfs = outputs(default_build, "pdf")
    assert len(pdfs) >= 12
    for pdf in pdfs:
        result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert result.returncode == 0, (pdf.name, result.stdout, result.stderr)


def test_pdffonts_lists_every_font_as_embedded(default_build: Path) -> None:
    require_tool("pdffonts")
    for pdf in outputs(default_build, "pdf"):
        lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        fonts = lines.splitlines()[2:]
        assert fonts, pdf.name
        for font in fonts:
            name, embedded = font.split()[0], font.split()[-5]
            assert embedded == "yes", (pdf.name, name)
            assert name.split("+")[-1].startswith(("Noto-Sans", "Noto-Serif")), (pdf.name, name)


def test_pdftotext_finds_the_statement_in_every_english_document(default_build: Path) -> None:
    for pdf in outputs(default_build, "pdf"):
        with pikepdf.open(pdf) as doc:
            if str(doc.Root.Lang) != "en":  # a Spanish poster or packet
                continue
        # Side-by-side columns (a bilingual page, a poster's balanced columns) read in drawing order.
        mode = "-raw" if ".en+es." in pdf.name or pdf.name.startswith("poster-") else "-layout"
        text = normalise(pdftotext(pdf, mode))
        missing = [s for s in published_sentences(title="handbook" not in pdf.name) if s not in text]
        assert not missing, (pdf.name, missing[:2])


def test_libreoffice_converts_every_docx(default_build: Path, tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    docxs = outputs(default_build, "docx")
    assert len(docxs) >= 8
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *map(str, docxs)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for docx in docxs:
        converted = tmp_path / "pdf" / f"{docx.stem}.pdf"
        assert converted.is_file(), docx.name
        text = normalise(pdftotext(converted))
        assert "Vision" in text or "Visión" in text, docx.name
