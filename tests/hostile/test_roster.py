"""Hostile rosters: spreadsheets that are damaged, huge, locked or full of invisible text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.harness import GOAL, content, edit, refused, run
from tests.readers import normalise, pdftotext_pages


def csv_file(text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "roster.csv"
        path.write_bytes(text.encode(encoding))
        return path
    return make


def workbook(*rows: list[object]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def repacked(data: bytes, member: str, replace: Callable[[bytes], bytes]) -> bytes:
    """The workbook ``data`` with one member's XML rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, replace(body) if info.filename == member else body,
                            compresslevel=1)
    return out.getvalue()


def xlsx(make_bytes: Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "roster.xlsx"
        path.write_bytes(make_bytes())
        return path
    return make


SHEET = "xl/worksheets/sheet1.xml"


def huge_cell() -> bytes:
    cell = b'<c r="B2" t="inlineStr"><is><t>' + b"x" * (100 * 1024 * 1024) + b"</t></is></c>"
    return repacked(workbook(["name", "role"], ["Ana", "Nurse"]), SHEET,
                    lambda xml: xml.replace(b"</row></sheetData>", cell + b"</row></sheetData>"))


def corrupt_sheet() -> bytes:
    return repacked(workbook(["name"], ["Ana"]), SHEET, lambda xml: xml[: len(xml) // 2])


def encrypted() -> bytes:
    # An encrypted workbook is an OLE compound file holding an EncryptionInfo stream.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(1024)


HEADER = "name,role\n"
# name: (the roster, where the error points, what it says)
CASES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "100 MB cell": (xlsx(huge_cell), "roster.xlsx", "unpacks to 100 MB"),
    "corrupt sheet XML": (xlsx(corrupt_sheet), "roster.xlsx", "not a readable .xlsx workbook"),
    "formula without a cached value": (xlsx(lambda: workbook(["name", "role"], ['=CONCAT("An","a")', "Nurse"])),
                                       "roster.xlsx:2", "save the file in Excel or LibreOffice first"),
    "password-protected workbook": (xlsx(encrypted), "roster.xlsx", "the workbook is password-protected"),
    "invisible name": (csv_file(HEADER + "\u200b\u00ad\u2060,Nurse\n"), "roster.csv:2",
                       "name: has no visible characters, only U+200B, U+00AD, U+2060"),
    "direction override": (csv_file(HEADER + "Ana \u202eDíaz,Nurse\n"), "roster.csv:2",
                           "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "10,000-character name": (csv_file(HEADER + "A" * 10_000 + ",Nurse\n"), "roster.csv:2",
                              "name: 10,000 characters, over the limit of 150"),
    "3,000 combining marks": (csv_file(HEADER + "Ana" + "\u0301" * 3000 + ",Nurse\n"), "roster.csv:2",
                              "name: 3,002 characters"),  # NFC joins a + U+0301
    "stacked accents": (csv_file(HEADER + "Ana" + "\u0301" * 30 + ",Nurse\n"), "roster.csv:2",
                        "29 accents stacked on one letter"),
    "too many rows": (csv_file(HEADER + "Ana,Nurse\n" * 10_050), "roster.csv", "more than 10,000 rows"),
    "terminal escape": (csv_file(HEADER + "\x1b]0;owned\x07Ana,Nurse\n"), "roster.csv:2", "U+001B"),
    "NUL bytes": (csv_file("\x00" * 100 + HEADER), "roster.csv:1", "holds NUL bytes"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    make, where, message = CASES[case]
    roster = make(tmp_path)
    outcome = run(capsys, tmp_path, "build", "onboarding", "--roster", str(roster), "--format", "html")
    refused(outcome, where, message)
    assert not list((tmp_path / "out").rglob("*.html"))


def test_utf16_without_byte_order_mark_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = csv_file(HEADER + "José Ñúñez,Nurse\n", "utf-16-le")(tmp_path)
    outcome = run(capsys, tmp_path, "build", "onboarding", "--roster", str(roster), "--format", "html")
    assert outcome.status == 0, outcome.err
    (html,) = (tmp_path / "out" / "onboarding").glob("*.html")
    assert 'Welcome, <span class="nobreak">José Ñúñez' in html.read_text(encoding="utf-8")  # the name kept whole


def test_a_long_name_and_a_long_web_address_print_whole_and_pass_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Sr."
    roster = csv_file(HEADER + f"{name},Professor of Internal Medicine\n")(tmp_path)
    # The statement pages of the packet carry a goal with a 300-character web address: it wraps.
    url = "https://hsc.unm.edu/" + "a" * 280
    folder = content(tmp_path)
    edit(folder / "statement.yaml", GOAL, f"{GOAL} ({url})")
    outcome = run(capsys, tmp_path, "build", "onboarding", "--roster", str(roster), "--format", "pdf",
                  "--combined", "--check", "--content", str(folder))
    assert outcome.status == 0, outcome.err + outcome.out
    assert "built 2 files" in outcome.err or "checked 2 files: 2 passed" in outcome.out
    assert "checked 2 files: 2 passed, 0 failed" in outcome.out
    (pdf,) = (tmp_path / "out" / "onboarding").glob("*.pdf")
    pages = [normalise(page) for page in pdftotext_pages(pdf)]
    cover = pages[0].replace("- ", "").replace(" ", "")  # the long word wraps on the cover
    assert "Welcome,HubertBlaineWolfeschlegelsteinhausenbergerdorffSr." in cover
    assert f"Name: {name}" in pages[-1]
    assert url in "".join("".join(pages).split())
