"""Onboarding packets as HR meets them: one per person, names as written, batch that resumes."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from docx import Document

from generator.cli import main
from tests.readers import footers, normalise, pdftotext, pdftotext_pages, published_sentences

HOSTILE = [
    "<b>Bold</b> & <i>Co</i>",
    "{{ 7*7 }} {% raw %}",
    "../../etc/passwd",
    "Ałtsʼíísí Yázhí Begay",
    "Nguyễn Thị Minh Khai",
    "María-José de la Cruz O’Neill y Fernández de Córdoba Santisteban-Villalobos Montoya",
    "*not emphasis* and [not](a link)",
]

HEADER = "name,preferred_name,role,department,start_date,supervisor\n"


def write_roster(folder: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    path = folder / "roster.csv"
    path.write_bytes((HEADER + "\n".join(rows) + "\n").encode(encoding))
    return path


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def build(capsys: pytest.CaptureFixture[str], out: Path, roster: Path, *extra: str) -> tuple[int, str]:
    status = main(["build", "onboarding", "--roster", str(roster), "--out", str(out), "--jobs", "1", *extra])
    return status, capsys.readouterr().err


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return normalise("\n".join(parts))


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    roster = write_roster(out, [f"{csv_cell(n)},,Nurse,Emergency,2026-08-17,Dana" for n in HOSTILE])
    assert main(["-q", "build", "onboarding", "--roster", str(roster), "--out", str(out), "--jobs", "2"]) == 0
    return out / "onboarding"


def packets(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.glob(f"*.{suffix}"))


def test_every_packet_carries_its_own_name_and_no_one_elses(hostile_batch: Path) -> None:
    pdfs, docxs = packets(hostile_batch, "pdf"), packets(hostile_batch, "docx")
    assert len(pdfs) == len(docxs) == len(HOSTILE)
    for pdf, docx in zip(pdfs, docxs, strict=True):
        assert pdf.stem == docx.stem
        for text in (normalise(pdftotext(pdf)), docx_text(docx)):
            mine = [n for n in HOSTILE if n in text]
            assert len(mine) == 1, (pdf.name, mine)


def test_hostile_names_print_literally_in_both_formats(hostile_batch: Path) -> None:
    pdf_text = " ".join(normalise(pdftotext(p)) for p in packets(hostile_batch, "pdf"))
    docx_texts = " ".join(docx_text(p) for p in packets(hostile_batch, "docx"))
    for name in HOSTILE:
        assert f"Welcome, {name}" in pdf_text and f"Welcome, {name}" in docx_texts, name
        assert f"I, {name}, acknowledge" in pdf_text and f"I, {name}, acknowledge" in docx_texts, name
    assert "49" not in pdf_text  # {{ 7*7 }} was never evaluated


def test_file_names_stay_inside_the_folder_and_are_distinct(hostile_batch: Path) -> None:
    names = [p.name for p in packets(hostile_batch, "pdf")]
    assert len(set(names)) == len(HOSTILE)
    assert all(re.fullmatch(r"[a-z0-9-]+\.pdf", n) for n in names)
    assert {p.parent for p in hostile_batch.parent.rglob("*.pdf")} == {hostile_batch}


def test_each_packet_has_its_parts_and_the_statement(hostile_batch: Path) -> None:
    pdf = packets(hostile_batch, "pdf")[0]
    pages = [normalise(p) for p in pdftotext_pages(pdf)]
    assert pages[0].startswith("University of New Mexico Health Sciences Center Welcome,")
    assert pages[1].startswith("Welcome Letter")
    assert "Your First Week" in " ".join(pages) and pages[-1].startswith("Acknowledgment")
    assert "Signature:" in pages[-1] and "Date:" in pages[-1]
    text = " ".join(pages)
    assert not [s for s in published_sentences() if s not in text]
    with pikepdf.open(pdf) as doc:
        assert doc.Root.Lang == "en" and "/StructTreeRoot" in doc.Root
        assert str(doc.docinfo.Title).startswith("Onboarding packet: ")


def test_every_page_after_the_cover_is_numbered_in_its_footer(hostile_batch: Path) -> None:
    for pdf in packets(hostile_batch, "pdf"):
        shown = footers(pdf)
        count = len(shown)
        assert shown[0] == "", pdf.name  # none on the cover
        assert shown[1:] == [f"University of New Mexico Health Sciences Center \u00b7 Page {n} of {count}"
                             for n in range(2, count + 1)], pdf.name
        assert b"/ObjStm" in pdf.read_bytes(), "the small objects are packed into object streams"


def test_windows_1252_and_bom_rosters_decode_right(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for encoding in ("cp1252", "utf-8-sig"):
        out = tmp_path / encoding
        out.mkdir()
        roster = write_roster(out, ["José Ñúñez,,Nurse,Emergency,8/17/2026,Dana"], encoding)
        status, err = build(capsys, out, roster, "--format", "pdf")
        assert status == 0, err
        (pdf,) = packets(out / "onboarding", "pdf")
        text = normalise(pdftotext(pdf))
        assert "Welcome, José Ñúñez" in text and "August 17, 2026" in text


def test_bad_rosters_report_every_line_and_build_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = write_roster(tmp_path, ["Ana Díaz,,Nurse,ER,2026-02-30,Dana", ",,Nurse,ER,2026-08-17,Dana",
                                     "Zhōng 中,,Nurse,ER,2026-08-17,Dana"])
    status, err = build(capsys, tmp_path / "out", roster)
    assert status == 2
    assert f"{roster}:2: start_date:" in err
    assert f"{roster}:3: name:" in err
    assert f"{roster}:4: name: no glyph for U+4E2D" in err
    assert not (tmp_path / "out" / "onboarding").exists() or not any((tmp_path / "out" / "onboarding").iterdir())


def test_skip_invalid_builds_the_valid_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = write_roster(tmp_path, ["Ana Díaz,,Nurse,ER,2026-02-30,Dana", "Luis Ortiz,,Nurse,ER,2026-08-17,Dana"])
    status, err = build(capsys, tmp_path / "out", roster, "--skip-invalid", "--format", "pdf")
    assert status == 0
    assert f"skipped {roster}:2: start_date" in err and "1 packet built" in err
    assert [p.name.split("-")[0] for p in packets(tmp_path / "out" / "onboarding", "pdf")] == ["luis"]


def test_second_run_rebuilds_nothing_and_a_change_rebuilds_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["Ana Díaz,,Nurse,ER,2026-08-17,Dana", "Luis Ortiz,,Nurse,ER,2026-08-17,Dana"]
    roster = write_roster(tmp_path, rows)
    assert build(capsys, tmp_path, roster, "--format", "pdf")[0] == 0
    times = {p.name: p.stat().st_mtime_ns for p in packets(tmp_path / "onboarding", "pdf")}
    status, err = build(capsys, tmp_path, roster, "--format", "pdf")
    assert status == 0 and "0 packets built, 2 unchanged" in err
    assert times == {p.name: p.stat().st_mtime_ns for p in packets(tmp_path / "onboarding", "pdf")}
    write_roster(tmp_path, [rows[0].replace("Nurse", "Charge Nurse"), rows[1]])
    status, err = build(capsys, tmp_path, roster, "--format", "pdf")
    assert "1 packet built, 1 unchanged" in err


def test_an_interrupted_batch_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["Ana Díaz", "Luis Ortiz", "Mai Trần", "Kee Begay"]
    roster = write_roster(tmp_path, [f"{n},,Nurse,ER,2026-08-17,Dana" for n in names])
    from generator import cli

    real = cli.Progress.__call__

    def interrupt_after_two(self: cli.Progress, done: int, total: int, name: str) -> None:
        real(self, done, total, name)
        if done == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli.Progress, "__call__", interrupt_after_two)
    status, err = build(capsys, tmp_path, roster, "--format", "pdf")
    assert status == 130 and "interrupted" in err
    folder = tmp_path / "onboarding"
    assert len(packets(folder, "pdf")) == 2 and not list(folder.glob(".*.part"))
    monkeypatch.undo()
    status, err = build(capsys, tmp_path, roster, "--format", "pdf")
    assert status == 0 and "2 packets built, 2 unchanged" in err
    assert len(packets(folder, "pdf")) == 4


def test_only_builds_one_person(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = write_roster(tmp_path, ["Ana Díaz,Ani,Nurse,ER,2026-08-17,Dana", "Luis Ortiz,,Nurse,ER,2026-08-17,Dana"])
    status, err = build(capsys, tmp_path, roster, "--only", "ani", "--format", "docx")
    assert status == 0
    (docx,) = packets(tmp_path / "onboarding", "docx")
    assert "Welcome, Ani" in docx_text(docx)
    status, err = build(capsys, tmp_path, roster, "--only", "Nobody")
    assert status == 2 and "--only Nobody: no one of that name" in err


def test_combined_print_file_starts_each_packet_on_an_odd_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ["Ana Díaz", "Luis Ortiz", "Mai Trần"]
    roster = write_roster(tmp_path, [f"{n},,Nurse,ER,2026-08-17,Dana" for n in names])
    status, err = build(capsys, tmp_path, roster, "--combined", "--format", "pdf")
    assert status == 0, err
    pages = [normalise(p) for p in pdftotext_pages(tmp_path / "onboarding-all.pdf")]
    starts = [i + 1 for i, p in enumerate(pages) if "Welcome, " in p and p.startswith("University")]
    assert len(starts) == 3 and all(n % 2 == 1 for n in starts)
    with pikepdf.open(tmp_path / "onboarding-all.pdf") as doc:
        assert str(doc.docinfo.Title) == "Onboarding packets (3)"
    assert len(pages) % 2 == 0
    for start, name in zip(starts, names, strict=True):
        assert f"Welcome, {name}" in pages[start - 1]



def test_a_killed_batch_leaves_whole_files_and_the_next_run_finishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal
    import subprocess
    import sys
    import time

    names = [f"Person Number {i}" for i in range(16)]
    roster = write_roster(tmp_path, [f"{n},,Nurse,ER,2026-08-17,Dana" for n in names])
    folder = tmp_path / "onboarding"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "onboarding", "--roster", str(roster), "--out", str(tmp_path),
         "--format", "pdf", "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(packets(folder, "pdf")) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)  # kill (the default signal of `kill`)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    done = packets(folder, "pdf")
    assert 0 < len(done) < len(names)
    for pdf in done:
        with pikepdf.open(pdf) as doc:  # whole files only
            assert len(doc.pages) == 5
    assert not list(folder.glob(".*.part"))
    status, err = build(capsys, tmp_path, roster, "--format", "pdf")
    assert status == 0
    assert f"{len(names) - len(done)} packets built, {len(done)} unchanged" in err
    assert len(packets(folder, "pdf")) == len(names)


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", "onboarding", "--roster", "x.csv", "--jobs", "0"])
    assert exit_.value.code == 2 and "--jobs: expected a whole number of 1 or more" in capsys.readouterr().err


def test_a_new_row_in_a_roster_inside_content_rebuilds_only_that_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from generator.paths import BUILTIN_CONTENT

    content = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, content)
    roster = write_roster(content, ["Ana Díaz,,Nurse,ER,2026-08-17,Dana", "Luis Ortiz,,Nurse,ER,2026-08-17,Dana"])
    args = ["--content", str(content), "--format", "pdf"]
    assert build(capsys, tmp_path, roster, *args)[0] == 0
    with roster.open("a", encoding="utf-8") as handle:
        handle.write("Mai Trần,,Nurse,ER,2026-08-17,Dana\n")
    status, err = build(capsys, tmp_path, roster, *args)
    assert status == 0 and "1 packet built, 2 unchanged" in err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # a new build date is written into every file
    status, err = build(capsys, tmp_path, roster, *args)
    assert "3 packets built, 0 unchanged" in err


def test_forked_workers_a_worker_server_and_one_process_make_the_same_bytes(tmp_path: Path) -> None:
    """Workers forked after the shared pages are made, the fallback (a thread is running, so no fork)
    and the calling process alone write byte-identical packets."""
    import hashlib
    import threading

    from generator.documents import parallel
    from generator.documents.onboarding import batch
    from generator.documents.onboarding.roster import load_roster
    from generator.documents.project import Project

    people = load_roster(write_roster(tmp_path, [f"Person {i},,Nurse,ER,2026-08-17,Dana" for i in range(4)])).recipients

    def made(name: str, jobs: int) -> dict[str, str]:
        out = tmp_path / name
        summary = batch.build_packets(people, batch.Settings(Project(), out, formats=("pdf",)), jobs=jobs)
        assert len(summary.built) == len(people)
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in summary.written}

    assert parallel.can_fork()
    forked = made("forked", 2)
    running = threading.Event()
    other = threading.Thread(target=running.wait, daemon=True)
    other.start()
    try:
        assert not parallel.can_fork()
        served = made("served", 2)
    finally:
        running.set()
        other.join()
    assert forked == served == made("alone", 1)


def test_the_cover_prints_the_qr_code_with_its_label_and_address_beside_it(hostile_batch: Path) -> None:
    import pdfplumber

    from generator.render.artwork import qr_matrix
    from tests.test_artwork import URL, drawn_matrix

    pdf = packets(hostile_batch, "pdf")[0]
    assert drawn_matrix(pdf, tuple(round(int("1F", 16) / 255, 3) for _ in range(3))) == qr_matrix(URL)
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[0].extract_words()
    label = [w for w in words if w["text"] in ("Read", "it", "online")][-3:]
    address = next(w for w in words if w["text"] == URL)
    assert [w["text"] for w in label] == ["Read", "it", "online"]
    assert len({round(w["top"]) for w in label}) == 1, "the label is on one line"
    assert address["top"] > label[0]["top"] and round(address["x0"]) == round(label[0]["x0"])
    code_right = 0.9 * 72 + 0.8 * 72  # the page's left margin and the code's width (css/packet.css)
    assert label[0]["x0"] > code_right, "the label stands beside the code, not under it"
