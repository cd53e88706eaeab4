"""Returned packets are untrusted: `collect` reads each within limits and never runs what it carries."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest

from generator.check import collect
from tests.hostile.harness import run

PROPERTIES = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Properties [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="missionpress.packet">'
              "<vt:lpwstr>a-packet</vt:lpwstr></property>"
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="missionpress.name">'
              '<vt:lpwstr>=HYPERLINK("http://evil.example","x")&secret;</vt:lpwstr></property></Properties>')


def _word_with_properties(path: Path, properties: str) -> None:
    """A Word file whose custom document properties are ``properties``."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            if info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/custom-properties" '
                                    b'Target="docProps/custom.xml"/></Relationships>')
            target.writestr(info, data)
        target.writestr("docProps/custom.xml", properties)


def test_oversized_files_are_not_read_but_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    monkeypatch.setattr(collect, "MAX_UNPACKED", 1024 * 1024)
    with zipfile.ZipFile(returned / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b" " * (1024 * 1024 + 1))  # a few KB packed
    with pikepdf.new() as pdf:
        for _ in range(collect.MAX_PAGES + 1):
            pdf.add_blank_page()
        pdf.save(returned / "pages.pdf")
    (returned / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    outcome = run(capsys, tmp_path, "collect", str(returned))
    assert outcome.status == 1
    assert "bomb.docx: not a packet: 1 parts, 1 MB unpacked: over the 1000 parts and 1 MB" in outcome.err
    assert f"pages.pdf: not a packet: {collect.MAX_PAGES + 1} pages" in outcome.err
    assert "garbage.pdf: not a packet: it cannot be opened as a PDF" in outcome.err
    assert "0 packets: 0 complete, 3 not packets" in outcome.err


def test_document_properties_are_data_entities_unresolved_formulas_as_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    _word_with_properties(returned / "packet.docx", PROPERTIES)
    outcome = run(capsys, tmp_path, "collect", str(returned))
    rows = list(csv.DictReader(io.StringIO(outcome.out)))
    assert rows[0]["packet"] == "a-packet"
    assert rows[0]["name"].startswith("'=HYPERLINK(")  # text, not a formula
    assert "root:" not in outcome.out  # the entity is not resolved: no file is read in
