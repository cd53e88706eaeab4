"""Packets filled in and signed as a new hire would, sent back, and read by `collect` into one report."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from openpyxl import load_workbook
from PIL import Image

from generator.check import collect as collect_module
from generator.cli import main
from tests.forms_filling import change_after_signing, fill_docx, fill_pdf, set_packet_id, sign_pdf, signer
from tests.readers import normalise, pdftotext_pages, require_tool

PEOPLE = [("Ana Díaz", "en"), ("Mai Trần", "en+es")]
DATE = "2026-08-17"


@pytest.fixture(scope="module")
def built(roster_build: Callable[..., Path]) -> Path:
    return roster_build(PEOPLE, DATE)


def _packet(built: Path, who: str, suffix: str = ".pdf") -> Path:
    stem = {"Ana Díaz": "ana-diaz", "Mai Trần": "mai-tran"}[who]
    return next((built / "onboarding").glob(f"{stem}*{suffix}"))


@pytest.fixture(scope="module")
def returned(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What came back: complete and signed, typed only (Word, renamed), incomplete, tampered, broken, foreign."""
    folder = tmp_path_factory.mktemp("returned")
    scratch = tmp_path_factory.mktemp("scratch")
    ana, mai = _packet(built, "Ana Díaz"), _packet(built, "Mai Trần")
    fill_pdf(ana, scratch / "ana-filled.pdf", date=DATE, typed="Ana Díaz")
    sign_pdf(scratch / "ana-filled.pdf", folder / "ana-signed.pdf", signer("Ana Díaz"))
    fill_docx(_packet(built, "Mai Trần", ".docx"), folder / "Mai - scanned copy (2).docx", date=DATE,
              typed="Mai Trần")
    fill_pdf(mai, folder / "mai-unfinished.pdf", untick=2, typed="Mai Trần")
    change_after_signing(folder / "ana-signed.pdf", folder / "ana-changed.pdf")
    data = bytearray((folder / "ana-signed.pdf").read_bytes())
    data[data.index(b"<mpk:language>en<") + 14] = ord("E")  # a signed byte changed (in the metadata)
    (folder / "ana-corrupted.pdf").write_bytes(bytes(data))
    set_packet_id(ana, folder / "someone-else.pdf", "not-built-here-12345678")
    with pikepdf.new() as other:  # a PDF missionpress did not make
        other.add_blank_page()
        other.save(folder / "invoice.pdf")
    return folder


def _rows(text: str) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {row["packet"] or "-": row for row in rows} if rows else {}


def test_collect_reports_each_returned_file_as_a_reader_of_the_report_needs(
    built: Path, returned: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    status = main(["collect", str(returned), "--packets", str(built / "onboarding"), "--out", str(report)])
    printed = capsys.readouterr().out
    assert status == 1  # not every packet is complete
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(collect_module.COLUMNS)
    by_file = dict(zip(sorted(p.name for p in returned.iterdir()), rows, strict=True))
    ana_total = by_file["ana-signed.pdf"]["tasks_total"]
    assert int(ana_total) == 20
    assert by_file["ana-signed.pdf"] == {
        "packet": _packet(built, "Ana Díaz").stem, "name": "Ana Díaz", "language": "en", "tasks_done": "20",
        "tasks_total": "20", "date": DATE, "signature": "digital", "signer": "Ana Díaz", "integrity": "valid",
        "status": "complete"}
    # Word, renamed: tied back by its properties; the typed name is its signature.
    word = by_file["Mai - scanned copy (2).docx"]
    assert (word["packet"], word["name"], word["language"]) == (_packet(built, "Mai Trần").stem, "Mai Trần", "en+es")
    assert (word["tasks_done"], word["tasks_total"], word["date"]) == ("20", "20", DATE)
    assert (word["signature"], word["signer"], word["integrity"], word["status"]) == ("typed", "", "", "complete")
    unfinished = by_file["mai-unfinished.pdf"]
    assert (unfinished["tasks_done"], unfinished["tasks_total"], unfinished["date"]) == ("18", "20", "")
    assert (unfinished["signature"], unfinished["integrity"], unfinished["status"]) == ("typed", "", "incomplete")
    changed = by_file["ana-changed.pdf"]
    assert (changed["signature"], changed["integrity"], changed["status"]) == (
        "digital", "modified after signing", "incomplete")
    assert changed["date"] == "2020-01-01"  # what the file says now
    corrupted = by_file["ana-corrupted.pdf"]
    assert (corrupted["integrity"], corrupted["status"]) == ("invalid", "incomplete")
    for foreign in ("someone-else.pdf", "invoice.pdf"):
        assert by_file[foreign]["status"] == "not a packet"
    assert f"{returned / 'invoice.pdf'}: not a packet: no packet id in its metadata" in printed
    assert "someone-else.pdf: not a packet: packet id not-built-here-12345678 is not one of the packets built" \
        in printed
    assert f"{returned / 'mai-unfinished.pdf'}: incomplete: 2 of 20 tasks not ticked; no date" in printed
    assert ("5 packets: 2 complete, 1 incomplete, 1 modified after signing, 1 with an invalid signature, "
            "2 not packets") in printed


def test_the_same_report_as_an_excel_workbook_and_on_standard_output(
    built: Path, returned: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["collect", str(returned), "--packets", str(built / "onboarding")]) == 1
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == 7 and "5 packets: 2 complete" in captured.err
    book = tmp_path / "report.xlsx"
    assert main(["-q", "collect", str(returned), "--packets", str(built / "onboarding"), "--out", str(book)]) == 1
    sheet = load_workbook(book).active
    cells = [[("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == list(collect_module.COLUMNS)
    assert cells[1:] == [list(row.values()) for row in rows]


def test_complete_packets_only_exit_0_and_without_a_packets_folder_every_id_counts(
    built: Path, returned: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no output/onboarding here
    status = main(["collect", str(returned / "ana-signed.pdf"), str(returned / "Mai - scanned copy (2).docx")])
    captured = capsys.readouterr()
    assert status == 0 and "2 packets: 2 complete" in captured.err
    assert main(["collect", str(returned), "--packets", str(tmp_path)]) == 2
    assert "no packets were built there" in capsys.readouterr().err


def test_a_filled_packet_shows_its_ticks_and_date_when_printed(built: Path, returned: Path, tmp_path: Path) -> None:
    signed = returned / "ana-signed.pdf"
    pages = pdftotext_pages(signed)
    acknowledgment = next(i for i, text in enumerate(pages) if "Acknowledgment" in text)
    assert f"Date: {DATE}" in normalise(pages[acknowledgment])
    assert "Type your full name: Ana Díaz" in normalise(pages[acknowledgment])
    checklist = next(i for i, text in enumerate(pages) if "Day 1" in text)
    page_number = str(checklist + 1)
    # Poppler and Ghostscript, which draws only the appearances a file has (it makes none of its own).
    renderers = {"poppler": [require_tool("pdftoppm"), "-r", "144", "-png", "-gray", "-f", page_number,
                             "-l", page_number, "-singlefile"],
                 "ghostscript": [require_tool("gs"), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray",
                                 "-r144", f"-dFirstPage={page_number}", f"-dLastPage={page_number}"]}

    def ink(pdf: Path, renderer: str) -> list[float]:
        """How dark each task's box is, as the renderer prints the page."""
        image_path = tmp_path / f"{pdf.stem}-{renderer}.png"
        command = renderers[renderer]
        paths = [str(pdf), str(image_path.with_suffix(""))] if renderer == "poppler" else \
            [f"-sOutputFile={image_path}", str(pdf)]
        subprocess.run([*command, *paths], check=True, capture_output=True, timeout=120)
        image = Image.open(image_path).convert("L")
        with pikepdf.open(pdf) as opened:
            page = opened.pages[checklist]
            height = float(page.MediaBox[3])
            boxes = [[float(v) for v in a.Rect] for a in page.Annots if a.get("/Subtype") == "/Widget"]
        darkness = []
        for rect in boxes:  # the inside of the box (2 pixels a point), its border left out
            left, right = sorted((rect[0], rect[2]))
            bottom, top = sorted((rect[1], rect[3]))
            inside = image.crop((round(2 * left) + 4, round(2 * (height - top)) + 4,
                                 round(2 * right) - 4, round(2 * (height - bottom)) - 4))
            histogram = inside.histogram()  # how many pixels of each gray, 0 (black) to 255
            darkness.append(sum((255 - gray) * n for gray, n in enumerate(histogram)) / max(sum(histogram), 1))
        return darkness

    for renderer in renderers:
        ticked, blank = ink(signed, renderer), ink(_packet(built, "Ana Díaz"), renderer)
        assert len(ticked) == 20 and all(t > 25 for t in ticked), (renderer, ticked)
        assert all(b < 5 for b in blank) and min(ticked) > 5 * max(blank), (renderer, blank)


def test_the_packet_is_tagged_fields_and_all_and_passes_check(built: Path, returned: Path) -> None:
    packet = _packet(built, "Mai Trần")
    with pikepdf.open(packet) as pdf:
        form = pdf.Root.AcroForm
        names = [str(f.T) for f in form.Fields]
        assert len(names) == len(set(names)) == 23  # 20 tasks, the typed name, the signature, the date
        signature = next(f for f in form.Fields if f.T == "signature")
        assert signature.FT == "/Sig" and "/V" not in signature
        task = next(f for f in form.Fields if f.T == "task-1-1")
        assert len(task.Kids) == 2  # the box in English and in Spanish: one field
        forms_reached = set()
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            widgets = [a for a in page.get("/Annots", []) if a.get("/Subtype") == "/Widget"]
            if widgets:
                assert page.Tabs == "/S"
            for widget in widgets:
                field = widget if "/T" in widget else widget.Parent
                assert str(field.TU).strip()  # its accessible name
                element = parents[int(widget.StructParent)]
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert element.S == "/Form" and [k.Obj.objgen for k in kids if "/Obj" in k] == [widget.objgen]
                forms_reached.add(widget.objgen)
                if field.FT == "/Btn":  # an appearance for every state
                    assert set(widget.AP.N.keys()) == {"/on", "/Off"}
                else:
                    assert isinstance(widget.AP.N, pikepdf.Stream)
        assert len(forms_reached) == 45  # 20 tasks, the typed name and the date, in two languages; one signature
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert f"<mpk:packet>{packet.stem}</mpk:packet>" in xmp and "<mpk:language>en+es</mpk:language>" in xmp
    assert main(["-q", "check", str(built / "onboarding"), str(built / "onboarding-all.pdf")]) == 0
    # A text field's font is embedded whole: the fields' font is the small bundled one, not the text's.
    assert _packet(built, "Ana Díaz").stat().st_size < 120_000


def test_check_names_form_fields_without_a_name_a_tag_or_structure_tab_order(built: Path, tmp_path: Path) -> None:
    from generator.check.pdf_rules import check_pdf

    broken = tmp_path / "broken.pdf"
    with pikepdf.open(_packet(built, "Ana Díaz")) as pdf:
        page = next(p for p in pdf.pages if any(a.get("/FT") == "/Sig" for a in p.get("/Annots", [])))
        del page.obj["/Tabs"]
        widgets = [a for a in page.Annots if a.get("/Subtype") == "/Widget"]
        del widgets[0]["/TU"]
        del widgets[1]["/StructParent"]
        pdf.save(broken)
    found = [message for rule, message in check_pdf(broken) if rule == "pdf-form-fields"]
    assert len(found) == 3
    assert "page 5 has form fields but does not tab in structure order (/Tabs /S)" in found[0]
    assert "page 5: 1 form field(s) have no accessible name (/TU)" in found[1]
    assert "page 5: 1 form field(s) are not reached by a /Form structure element" in found[2]
    assert not [rule for rule, _ in check_pdf(_packet(built, "Ana Díaz")) if rule == "pdf-form-fields"]


def test_the_combined_print_file_keeps_every_packets_fields_under_names_of_their_own(built: Path) -> None:
    with pikepdf.open(built / "onboarding-all.pdf") as pdf:
        parents = list(pdf.Root.AcroForm.Fields)
        assert [str(p.T) for p in parents] == ["packet-1", "packet-2"]
        full = [f"{p.T}.{kid.T}" for p in parents for kid in p.Kids]
        assert len(full) == len(set(full)) == 46
        widgets = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Widget"]
        assert len(widgets) == 23 + 45
        assert b"mpk:packet" not in pdf.Root.Metadata.read_bytes()  # everyone's file: no one's packet


def test_the_word_packet_has_a_date_picker_a_text_control_and_tick_boxes(built: Path) -> None:
    with zipfile.ZipFile(_packet(built, "Ana Díaz", ".docx")) as package:
        body = package.read("word/document.xml").decode()
        custom = package.read("docProps/custom.xml").decode()
    assert body.count("<w14:checkbox>") == 20
    assert body.count('<w:tag w:val="task-') == 20
    assert '<w:tag w:val="date"/>' in body and '<w:dateFormat w:val="yyyy-MM-dd"/>' in body
    assert '<w:tag w:val="typed-name"/>' in body and "<w:text/>" in body
    assert 'name="missionpress.packet"' in custom and "Ana Díaz" in custom


def test_a_print_shop_file_has_no_fields_but_shows_what_they_showed(
    built: Path, returned: Path, tmp_path: Path
) -> None:
    from generator.pdf import printing
    from tests.test_print import CMYK_PROFILE

    if not CMYK_PROFILE.exists():
        require_tool("missing-libgs-common-icc-profile")
    flat = tmp_path / "flat.pdf"
    options = printing.PrintOptions(variant="x-4", profile=CMYK_PROFILE)
    flat.write_bytes(printing.finish(_packet(built, "Ana Díaz").read_bytes(), options))
    with pikepdf.open(flat) as pdf:
        assert "/AcroForm" not in pdf.Root
        assert not [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Widget"]
        roles = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            roles.append(str(element.get("/S", "")))
            kids = element.get("/K")
            stack += [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                      if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        assert "/Form" not in roles
    assert main(["-q", "check", str(flat)]) == 0
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(printing.finish((returned / "ana-signed.pdf").read_bytes(), options))
    assert DATE in pdftotext_pages(filled)[-1]  # what the date field showed, now drawn on the page


def test_returned_files_are_read_within_limits(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b" " * (collect_module.MAX_UNPACKED + 1))
    row = collect_module.read_packet(bomb)
    assert row.status == "not a packet" and "over the 1000 parts and 100 MB" in row.reason
    monkeypatch.setattr(collect_module, "MAX_PAGES", 3)
    row = collect_module.read_packet(_packet(built, "Ana Díaz"))
    assert row.status == "not a packet" and "over the 3 pages" in row.reason
    monkeypatch.setattr(collect_module, "MAX_FILE", 1000)
    row = collect_module.read_packet(_packet(built, "Ana Díaz"))
    assert row.status == "not a packet" and "a returned packet may have" in row.reason


def test_the_web_app_makes_the_same_report_from_files_or_a_zip(
    built: Path, returned: Path, content_copy: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from starlette.testclient import TestClient

    from generator.serve.app import Config, create_app

    monkeypatch.chdir(tmp_path)  # no output/onboarding: every packet id counts, as in the web app below
    assert main(["collect", str(returned)]) == 1
    expected = capsys.readouterr().out
    app = create_app(Config(content_copy, out=built / "elsewhere", watch=False, workers=1))
    files = sorted(returned.iterdir())
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        page = client.get("/collect").text
        assert '<label for="files">' in page and 'action="/api/collect"' in page
        sent = client.post("/api/collect", files=[("files", (f.name, f.read_bytes())) for f in files])
        assert sent.status_code == 200 and sent.headers["content-type"].startswith("text/csv")
        assert sent.text == expected
        assert sent.headers["x-collect-summary"].startswith("6 packets: 2 complete, 2 incomplete")  # no packets folder
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            for f in files:
                zipped.write(f, f"returned/{f.name}")
            zipped.writestr("returned/notes.txt", "not read")
        zipped_answer = client.post("/api/collect", files={"files": ("returned.zip", archive.getvalue())})
        assert zipped_answer.status_code == 200 and zipped_answer.text == expected
        wrong = client.post("/api/collect", files={"files": ("x.zip", b"PK\x03\x04 not a zip")})
        assert wrong.status_code == 415 and "not a readable ZIP" in wrong.text
        assert not list(app.state.serve.jobs.root.iterdir())  # each request's folder removed
