"""missionpress serve, through its HTTP API (one app for the module, driven by Starlette's TestClient).

What a script or the pages meet: the files and their names, roster errors as the CLI words them,
page images, and the safety rules (Host, Origin, upload size and kind, private temporary folders,
error ids instead of tracebacks).
"""

from __future__ import annotations

import html
import io
import json
import logging
import struct
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import anyio
import pdfplumber
import pikepdf
import pytest
from starlette.testclient import TestClient

from generator.documents.onboarding.roster import load_roster
from generator.errors import MissionpressError
from generator.serve import library
from generator.serve.app import Config, create_app
from generator.serve.uploads import MAX_UPLOAD

BASE = "http://127.0.0.1:8000"
BAD_ROSTER = "name,start_date,language\nAna Díaz,2026-02-30,en\n,2026-01-05,en\nBo Chen,2026-01-05,fr\n"
GOOD_ROSTER = "name,preferred_name,start_date,language\nAna Díaz,Ana,2026-02-03,\nJosé Ñúñez,,2026-01-05,es\n"


def _temp_folders(client: TestClient) -> set[str]:
    """The request and job folders inside the server's temporary folder."""
    return {p.name for p in client.app.state.serve.jobs.root.iterdir()}  # type: ignore[attr-defined]


CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian's libgs-common


@pytest.fixture(scope="module")
def client(content_copy: Path) -> Iterator[TestClient]:
    app = create_app(Config(content_copy, watch=False, workers=1, profile=CMYK_PROFILE))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client
    assert not app.state.serve.folder.exists()  # the server's own folder goes when it stops


@pytest.fixture(scope="module")
def poster_pdf(client: TestClient) -> bytes:
    response = client.get("/api/documents/poster.pdf?size=letter")
    assert response.status_code == 200
    return response.content


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# --- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/poster", "/onboarding", "/check"])
def test_pages_are_english_html_with_labelled_controls(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert '<html lang="en">' in html and "<title>" in html and '<main id="main"' in html
    for control in ("select", "input"):
        for index in range(html.count(f"<{control} id=")):
            name = html.split(f"<{control} id=\"")[index + 1].split('"')[0]
            assert f'<label for="{name}">' in html


def test_pages_run_only_their_own_scripts_and_no_frame(client: TestClient) -> None:
    headers = client.get("/poster").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_home_leads_to_the_poster(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/poster"


def test_poster_page_offers_no_word_handout_beyond_22_inches(client: TestClient) -> None:
    assert 'id="download-docx"' in client.get("/poster?size=tabloid").text
    page = client.get("/poster?size=24x36&pdf=print").text
    assert 'id="download-docx"' not in page and "Word cannot open pages over 22 inches" in page
    # The sizes that do work, as the library knows them: letter, tabloid, A4 and A3.
    assert "For the handout choose Letter (8.5 × 11 in), Tabloid (11 × 17 in), A4 (210 × 297 mm) or A3" in page
    assert "/api/documents/poster.pdf?size=24x36&amp;orientation=portrait&amp;lang=en&amp;bleed=0.125in" in page


def test_poster_page_offers_the_layouts_and_pdf_x4(client: TestClient) -> None:
    page = client.get("/poster?size=A3&layout=showcase&pdf=x-4").text
    assert '<option value="showcase" selected>' in page
    assert 'value="x-4" checked> A print shop, as PDF/X-4 with the color profile default_cmyk.icc' in page
    assert ("/api/documents/poster.pdf?size=A3&amp;orientation=portrait&amp;lang=en&amp;layout=showcase&amp;"
            "bleed=3mm&amp;marks=crop&amp;variant=x-4") in page
    assert "/api/documents/poster.docx?size=A3&amp;orientation=portrait&amp;lang=en&amp;layout=showcase\"" in page


def test_showcase_and_pdf_x4_downloads(client: TestClient) -> None:
    showcase = client.get("/api/documents/poster.pdf?size=letter&layout=showcase")
    assert 'filename="poster-letter-showcase.pdf"' in showcase.headers["content-disposition"]
    with pikepdf.open(io.BytesIO(showcase.content)) as pdf:
        assert "/OutputIntents" not in pdf.Root
    x4 = client.get("/api/documents/poster.pdf?size=letter&bleed=0.125in&marks=crop&variant=x-4")
    assert x4.status_code == 200, x4.text
    assert 'filename="poster-letter.print.pdf"' in x4.headers["content-disposition"]
    with pikepdf.open(io.BytesIO(x4.content)) as pdf, pdf.open_metadata() as xmp:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and xmp.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        trim = [float(v) for v in pdf.pages[0].TrimBox]
        assert trim[2] - trim[0] == pytest.approx(612, abs=0.01)


# --- documents and page images ------------------------------------------------------------


def test_poster_pdf_is_the_libraries_poster(poster_pdf: bytes, client: TestClient) -> None:
    response = client.get("/api/documents/poster.pdf?size=letter")
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="poster-letter.pdf"' in response.headers["content-disposition"]
    with pikepdf.open(io.BytesIO(poster_pdf)) as pdf:
        assert len(pdf.pages) == 1
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
    assert "Vision" in _pdf_text(poster_pdf)


def test_word_handout_and_html(client: TestClient) -> None:
    docx = client.get("/api/documents/poster.docx?size=letter&lang=es")
    assert docx.status_code == 200 and 'filename="handout-letter.es.docx"' in docx.headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").count(b"<w:p") > 5
    html = client.get("/api/documents/handbook.html?size=A4")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    # A template's script never runs as our page: the answer carries a sandbox policy too.
    assert "sandbox" in html.headers["content-security-policy"].split(", ")
    assert "<nav" in html.text


def test_document_errors_are_the_libraries_messages(client: TestClient) -> None:
    too_big = client.get("/api/documents/poster.docx?size=24x36")
    assert too_big.status_code == 422
    assert "Word cannot open pages over 22 in" in too_big.json()["errors"][0]["message"]
    unknown = client.get("/api/documents/poster.pdf?size=B5").json()["errors"][0]["message"]
    assert "unknown page size" in unknown and "letter" in unknown
    assert client.get("/api/documents/poster.exe").status_code == 404


def test_page_image(client: TestClient) -> None:
    response = client.get("/api/preview/poster/1.png?size=letter&width=480")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    width, height = _png_size(response.content)
    assert width == 480 and abs(height - 480 * 11 / 8.5) < 1
    assert client.get("/api/preview/poster/2.png?size=letter&width=480").status_code == 404
    assert client.get("/api/preview/poster/1.png?width=7").status_code == 422
    assert client.get("/api/preview/poster").json()["pages"] == 1


def _doc(client: TestClient, document: str = "poster", **choices: str) -> library.Document:
    return library.Document.parse(client.app.state.serve.sources, document, **choices)  # type: ignore[attr-defined]


def test_live_preview_keeps_the_last_good_page_on_a_content_error(client: TestClient, content_copy: Path) -> None:
    previews = client.app.state.serve.previews  # type: ignore[attr-defined]
    url = "/api/preview/poster/1.png?size=letter&width=240"
    shown = [_doc(client)]
    before = client.get(url).content
    statement = content_copy / "statement.yaml"
    good = statement.read_text(encoding="utf-8")
    try:
        statement.write_text(good.replace("vision:", "vison:", 1), encoding="utf-8")
        outcome = previews.rebuild(shown)
        assert not outcome.event()["ok"]
        assert any("statement.yaml:" in e and "vision" in e for e in outcome.error)
        stale = client.get(url)
        assert stale.status_code == 200 and stale.content == before and "X-Stale" in stale.headers
        statement.write_text(good.replace("will work with community partners", "will work with partners"),
                             encoding="utf-8")
        outcome = previews.rebuild(shown)
        assert outcome.event()["ok"] and "poster-letter.pdf" in outcome.rebuilt
        fresh = client.get(url)
        assert fresh.status_code == 200 and "X-Stale" not in fresh.headers and fresh.content != before
        # Saved in the server's own folder, as build names it.
        assert "will work with partners" in _pdf_text((previews.folder / "poster-letter.pdf").read_bytes())
        assert previews.folder.is_relative_to(client.app.state.serve.folder)  # type: ignore[attr-defined]
    finally:
        statement.write_text(good, encoding="utf-8")
        previews.rebuild(shown)


def test_the_documents_shown_are_those_of_connected_pages(client: TestClient) -> None:
    from generator.serve.events import Broker

    broker, letter, a4 = Broker(), _doc(client), _doc(client, size="A4")

    async def pages() -> None:
        first, second, third, script = (broker.stream(letter), broker.stream(letter), broker.stream(a4),
                                        broker.stream())
        for stream in (first, second, third, script):
            assert (await stream.__anext__()).startswith("event: hello")
        assert broker.shown() == [letter, a4]  # each once; a script's stream shows none
        await third.aclose()  # a page closed
        assert broker.shown() == [letter]
        await first.aclose()
        assert broker.shown() == [letter]
        await second.aclose()
        assert broker.shown() == []
        await script.aclose()

    anyio.run(pages)


def test_a_change_rebuilds_each_shown_document_once(client: TestClient) -> None:
    """Pages looked at and closed are not rebuilt; two pages showing one document make one build."""
    previews = client.app.state.serve.previews  # type: ignore[attr-defined]
    for size in ("tabloid", "A4", "A3", "18x24", "letter"):  # looked at, then their pages closed
        assert client.get(f"/api/preview/poster/1.png?size={size}&width=160").status_code == 200
    letter, shop = _doc(client), _doc(client, bleed="0.125in", marks="crop")
    before = previews.builds
    outcome = previews.rebuild([letter, shop, letter])
    assert previews.builds - before == 2
    assert outcome.rebuilt == ["poster-letter.pdf", "poster-letter.print.pdf"]
    # A page that asks later for one not rebuilt gets it built then.
    assert client.get("/api/preview/poster/1.png?size=A4&width=160").status_code == 200
    assert previews.builds - before == 3


# --- onboarding ---------------------------------------------------------------------------


def test_every_bad_row_as_the_cli_reports_it(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/api/onboarding", files={"roster": ("new-hires.csv", BAD_ROSTER.encode())})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "start_date"), (3, "name"), (4, "language")]
    # The same words as the CLI's FILE:LINE messages (the CLI offers the same languages).
    path = tmp_path / "new-hires.csv"
    path.write_text(BAD_ROSTER, encoding="utf-8")
    with pytest.raises(MissionpressError) as raised:
        load_roster(path, languages=["en", "es", "en+es", "es+en"])
    assert [f"new-hires.csv:{e['row']}: {e['field']}: {e['message']}" for e in errors] == \
        [p.replace(str(path), "new-hires.csv") for p in raised.value.problems]


def test_an_unknown_column_is_listed_with_every_bad_row(client: TestClient) -> None:
    roster = BAD_ROSTER.replace("language\n", "language,favourite_colour\n", 1)
    response = client.post("/api/onboarding", files={"roster": ("new-hires.csv", roster.encode())})
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == \
        [(1, "favourite_colour"), (2, "start_date"), (3, "name"), (4, "language")]


def test_xlsx_rows_are_sheet_rows(client: TestClient) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Name", "Start Date"], ["Ana Díaz", "2026-02-03"], [None, None], ["Bo", "someday"]):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    response = client.post("/api/onboarding", files={"roster": ("people.xlsx", data.getvalue())})
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(4, "start_date")]


def test_packets_zip_one_file_per_person_and_format(client: TestClient) -> None:
    before = _temp_folders(client)
    response = client.post("/api/onboarding", files={"roster": ("people.csv", GOOD_ROSTER.encode())},
                           data={"format": "pdf+docx", "lang": "en"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(bundle.namelist())
    assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf", "docx", "pdf"]
    assert names[0].startswith("ana-diaz-") and names[2].startswith("jose-nunez-")
    ana, jose = bundle.read(names[1]), bundle.read(names[3])
    assert "Welcome, Ana" in _pdf_text(ana)
    with pikepdf.open(io.BytesIO(jose)) as pdf:  # the row's language column, as in the CLI
        assert str(pdf.Root.Lang) == "es"
    assert _temp_folders(client) <= before  # the request's folder is gone once the ZIP was sent


def test_packets_as_a_job_with_progress(client: TestClient) -> None:
    started = client.post("/api/onboarding/jobs", files={"roster": ("people.csv", GOOD_ROSTER.encode())},
                          data={"format": "pdf"})
    assert started.status_code == 202
    url = started.headers["location"]
    for _ in range(600):
        status = client.get(url).json()
        if status["state"] in ("done", "failed"):
            break
        anyio.run(anyio.sleep, 0.1)
    assert status["state"] == "done" and status["done"] == status["total"] == 2
    # José's packet is in Spanish, made from the draft translation: the page says so, as the CLI does.
    assert any("draft translations pending review" in w and "'es'" in w for w in status["warnings"])
    bundle = zipfile.ZipFile(io.BytesIO(client.get(status["zip"]).content))
    assert len(bundle.namelist()) == 2
    with pikepdf.open(io.BytesIO(client.get(status["combined"]).content)) as combined:
        assert len(combined.pages) % 2 == 0  # each packet starts on an odd page
    assert client.get("/api/onboarding/jobs/not-a-job").status_code == 404


def test_two_uploads_at_once_get_their_own_packets(client: TestClient) -> None:
    results: dict[str, list[str]] = {}

    def upload(name: str) -> None:
        roster = f"name\n{name}\n".encode()
        response = client.post("/api/onboarding", files={"roster": ("r.csv", roster)}, data={"format": "pdf"})
        results[name] = zipfile.ZipFile(io.BytesIO(response.content)).namelist()

    threads = [threading.Thread(target=upload, args=(n,)) for n in ("Carmen Ortiz", "Dmitri Volkov")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [n.split("-")[0] for n in results["Carmen Ortiz"]] == ["carmen"]
    assert [n.split("-")[0] for n in results["Dmitri Volkov"]] == ["dmitri"]


# --- check --------------------------------------------------------------------------------


def test_check_report_names_the_upload_not_a_temporary_path(client: TestClient, poster_pdf: bytes) -> None:
    good = client.post("/api/check", files={"file": ("poster-letter.pdf", poster_pdf)}).json()
    assert good["ok"] and good["checked"] == ["poster-letter.pdf"]
    # A poster named for another size fails the size rule: the name reached the checker.
    wrong = client.post("/api/check", files={"file": ("poster-A4.pdf", poster_pdf)}).json()
    assert "pdf-page-size" in [f["rule"] for f in wrong["failures"]]
    broken = client.post("/api/check", files={"file": ("../../etc/broken.pdf", b"%PDF-1.7\ngarbage")}).json()
    assert [f["rule"] for f in broken["failures"]] == ["unreadable"]
    assert broken["file"] == "broken.pdf" and "missionpress-" not in json.dumps(broken)


# --- safety -------------------------------------------------------------------------------


def test_host_must_be_the_served_address(client: TestClient) -> None:
    assert client.get("/poster", headers={"host": "localhost:8000"}).status_code == 200
    for host in ("attacker.example:8000", "127.0.0.1:9999", ""):
        assert client.get("/api/documents/poster.html", headers={"host": host}).status_code == 400


def test_post_from_another_site_is_refused(client: TestClient) -> None:
    files = {"file": ("a.pdf", b"%PDF-1.7\n")}
    assert client.post("/api/check", files=files, headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/check", files=files, headers={"origin": "null"}).status_code == 403
    assert client.post("/api/check", files=files, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post("/api/check", files=files, headers={"origin": "null", "sec-fetch-site": "cross-site"}
                       ).status_code == 403
    assert client.post("/api/check", files=files, headers={"origin": "null", "sec-fetch-site": "same-site"}
                       ).status_code == 403
    assert client.post("/api/check", files=files, headers={"origin": BASE}).status_code == 200


def test_a_form_of_our_page_without_its_script_is_served(client: TestClient, poster_pdf: bytes) -> None:
    """A plain form post: the browser says same-origin, the origin may be null; the answer is a page."""
    form = {"origin": "null", "sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate", "accept": "text/html"}
    page = client.post("/api/check", files={"file": ("poster-letter.pdf", poster_pdf)}, headers=form)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h2>poster-letter.pdf</h2>" in page.text and "Passed every rule." in page.text
    assert client.get("/check").headers["referrer-policy"] == "same-origin"  # our forms keep their Origin


@pytest.mark.parametrize(("field", "name", "data", "path"), [
    ("roster", "people.txt", b"name\nAna\n", "/api/onboarding"),
    ("roster", "people.csv", b"%PDF-1.7\n\x00\x01", "/api/onboarding"),
    ("roster", "people.xlsx", b"name\nAna\n", "/api/onboarding"),
    ("file", "report.docx", b"PK\x03\x04 not really", "/api/check"),
    ("file", "report.pdf", b"MZ\x90\x00", "/api/check"),
])
def test_only_csv_xlsx_pdf_docx_by_name_and_content(client: TestClient, field: str, name: str, data: bytes,
                                                    path: str) -> None:
    response = client.post(path, files={field: (name, data)})
    assert response.status_code == 415, response.text
    assert name in response.json()["errors"][0]["message"]


def _raw_post(app: object, headers: list[tuple[bytes, bytes]], chunks: Iterator[bytes]) -> tuple[int, int]:
    """POST /api/check straight to the ASGI app: (status, body chunks the app read)."""
    scope = {"type": "http", "method": "POST", "path": "/api/check", "raw_path": b"/api/check",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1:8000"),
                         (b"content-type", b"multipart/form-data; boundary=XX"), *headers]}
    read = 0
    status = 0

    async def receive() -> dict[str, object]:
        nonlocal read
        chunk = next(chunks, None)
        read += 1
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]

    anyio.run(app, scope, receive, send)  # type: ignore[arg-type]
    return status, read


def test_too_large_is_refused_before_it_is_read(client: TestClient) -> None:
    def endless() -> Iterator[bytes]:
        yield b'--XX\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-'
        while True:
            yield b"\0" * 1024 * 1024

    declared = [(b"content-length", str(MAX_UPLOAD * 2).encode())]
    assert _raw_post(client.app, declared, endless()) == (413, 0)
    status, read = _raw_post(client.app, [], endless())  # no length given: stopped once past the limit
    assert status == 413 and read <= MAX_UPLOAD // (1024 * 1024) + 2


def test_upload_names_never_become_paths(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/api/onboarding", files={"roster": ("../../../tmp/x/evil.csv", BAD_ROSTER.encode())})
    assert response.status_code == 422
    assert not Path("/tmp/x/evil.csv").exists()
    assert all("missionpress-" not in str(e) for e in response.json()["errors"])


def test_a_failure_shows_an_id_not_a_traceback(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture, poster_pdf: bytes) -> None:
    def broken(path: Path) -> dict[str, object]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(library, "check_file", broken)
    with caplog.at_level(logging.ERROR, logger="generator.serve"):
        response = client.post("/api/check", files={"file": ("a.pdf", poster_pdf)})
        page = client.post("/api/check", files={"file": ("a.pdf", poster_pdf)},
                           headers={"accept": "text/html", "sec-fetch-mode": "navigate"})
    assert response.status_code == 500 and page.status_code == 500
    error_id = response.json()["error_id"]
    assert len(error_id) == 8 and "secret" not in response.text and "Traceback" not in response.text
    assert "<html" in page.text and "secret" not in page.text and "error id" in page.text
    record = next(r for r in caplog.records if error_id in r.getMessage() and r.exc_info)
    # The server's log (the command's formatter): the traceback in lines of its own, not one escaped line.
    from generator.cli import _SafeFormatter

    lines = _SafeFormatter("%(message)s").format(record).splitlines()
    assert error_id in lines[0] and lines[1] == "Traceback (most recent call last):", lines
    assert lines[-1] == "RuntimeError: secret internals" and not any("\\x0a" in line for line in lines)


# --- bad choices: 4xx and the message, never 500 ----------------------------------------------

BAD_CHOICES = [
    ("/poster?lang=xx", "lang xx"), ("/poster?lang=de", "no statement in de"), ("/poster?size=B5", "unknown page size"),
    ("/poster?orientation=sideways", "orientation"), ("/poster?pdf=glossy", "pdf glossy: choose screen, print or x-4"),
    ("/poster?layout=gallery", "layout gallery: no such poster layout (choose one of classic, showcase)"),
    ("/handbook?lang=de", "no statement in de"), ("/handbook?size=A3", "the handbook is made in letter or A4"),
    ("/handbook?size=letter&page=999", "page 999: the handbook has pages 1 to"),
    ("/api/documents/poster.pdf?lang=xx", "lang xx"), ("/api/documents/poster.pdf?lang=de", "no statement in de"),
    ("/api/documents/poster.pdf?bleed=9in", "bleed 9in: at most"),
    ("/api/documents/poster.pdf?marks=dots", "marks dots"),
    ("/api/documents/poster.pdf?variant=x-5", "variant x-5"), ("/api/documents/handbook.pdf?bleed=3mm", "posters"),
    ("/api/preview/poster/1.png?lang=de", "no statement in de"), ("/api/preview/poster?layout=../x", "layout"),
    ("/api/preview/leaflet", "leaflet: no such document"), ("/api/events?document=poster&lang=de", "no statement"),
    ("/api/preview/poster/1.png?width=wide", "width wide"),
]


@pytest.mark.parametrize(("url", "words"), BAD_CHOICES)
def test_a_bad_choice_is_answered_with_its_message(client: TestClient, url: str, words: str) -> None:
    if url.startswith("/api/"):  # a script's answer: JSON
        answer = client.get(url, headers={"accept": "application/json"})
        assert 400 <= answer.status_code < 500, answer.text
        assert any(words in e["message"] for e in answer.json()["errors"]), answer.text
    page = client.get(url, headers={"accept": "text/html", "sec-fetch-mode": "navigate"})
    assert 400 <= page.status_code < 500 and '<html lang="en">' in page.text and "<h1>" in page.text
    assert html.escape(words, quote=False) in page.text, page.text


def test_both_orders_of_two_languages_are_choices(client: TestClient) -> None:
    page = client.get("/poster?lang=es%2Ben")
    assert page.status_code == 200 and 'value="es+en" selected>Spanish and English side by side' in page.text


def test_an_unknown_url_is_a_page_like_the_others(client: TestClient) -> None:
    page = client.get("/posters", headers={"accept": "text/html", "sec-fetch-mode": "navigate"})
    assert page.status_code == 404
    assert '<html lang="en">' in page.text and "<title>Not found · missionpress</title>" in page.text
    assert "<h1>Not found</h1>" in page.text and "/posters" in page.text
    assert client.get("/api/nothing").json()["errors"][0]["message"].startswith("there is no page or file at")
    assert client.get("/api/check").status_code == 405


def test_serve_checks_its_profile_before_it_starts(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    assert main(["serve", "--icc-profile", __file__]) == 2
    assert capsys.readouterr().err.startswith(f"error: --icc-profile {__file__}: not an ICC color profile")
