"""missionpress serve in a real browser: Debian's chromium driven by selenium, axe-core on every page.

One server for the module, started as a person starts it (`missionpress serve`) on a copy of the
content, in a project folder whose output/ a `missionpress build` made first, and stopped with
Ctrl-C.  The browser uploads a roster with a bad row and sees its row number, uploads the fixed
roster, follows the progress, downloads the ZIP and opens a packet; a saved content file changes
the poster preview, and a broken one shows its FILE:LINE message while the last good preview stays.
A print preview and its download leave output/ byte for byte as the build wrote it; the handbook
page follows its choices, and so do its downloads; a form works without the script; a bad choice
or an unknown URL is a page that passes axe; and after five posters were opened and closed, a save
rebuilds only the one shown.  Set MISSIONPRESS_SCREENSHOTS=DIR to keep the screenshots (docs/web-app.md's
come from here).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pikepdf
import pytest

from tests.readers import pdftotext, require_tool

ROOT = Path(__file__).resolve().parent.parent
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,1000"]
BAD_ROSTER = "name,role,start_date\nAna Díaz,Nurse,2026-02-03\nBo Chen,Pharmacist,2026-13-01\n"
FIXED_ROSTER = BAD_ROSTER.replace("2026-13-01", "2026-01-13")
WAIT = 60.0
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian's libgs-common
DESKTOP, PHONE = (1366, 900), (390, 844)


def _until(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """The condition's first true value; an element replaced meanwhile (the page updates itself, or a
    form post loads the next page while it is read) is retried."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except WebDriverException:  # stale, not there yet, or "does not belong to the document"
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Served:
    url: str
    folder: Path  # the server's own, as it says at start-up
    output: Path  # the project's output/, made by `missionpress build` before the server started
    lines: queue.Queue[str]  # the server's log, line by line
    seen: list[str] = field(default_factory=list)  # the lines read from it so far

    def __add__(self, path: str) -> str:
        return self.url + path

    def log_after(self, mark: str, timeout: float = WAIT) -> str:
        """The next log line that contains ``mark``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            if mark in line:
                return line
        raise AssertionError(f"no log line with {mark!r}")


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def server(content_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`missionpress serve` on a free port in a project folder with a built output/; Ctrl-C must stop it cleanly."""
    if not CMYK_PROFILE.is_file():
        require_tool("missing-libgs-common-icc-profile")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    project = tmp_path_factory.mktemp("project")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-m", "generator", "-q", "build", "poster", "--lang", "en+es", "--content",
                    str(content_copy)], cwd=project, env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content_copy), "--port", str(port),
         "--icc-profile", str(CMYK_PROFILE)], cwd=project, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
        text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    stderr = process.stderr
    assert stderr is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in stderr], daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    served = None
    try:
        first = lines.get(timeout=30)
        assert first.startswith(f"missionpress serve: {url} "), first
        second = lines.get(timeout=30)
        found = re.fullmatch(r"previews and downloads are made in (\S+) \(deleted when the server stops\); the "
                             r"output folder of `missionpress build` is never written\n", second)
        assert found, second
        served = Served(url, Path(found[1]), project / "output", lines)
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        reader.join(timeout=5)
        stderr.close()
    log = "".join([*(served.seen if served else []), *lines.queue])
    assert process.returncode == 0, log
    assert "Traceback" not in log, log
    assert not served.folder.exists()  # the server's folder goes when it stops


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_tool("chromium")
    driver_path = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_script_timeout(60)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def axe_violations(driver: Any) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(  # type: ignore[no-any-return]
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG_TAGS)}}}}})"
        ".then(r => done(r.violations.map(v => `${v.id}: ${v.help}: ${v.nodes.map(n => n.target).join(' | ')}`)))"
        ".catch(e => done([`axe failed: ${e}`]));")


def screenshot(driver: Any, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("MISSIONPRESS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    driver.save_screenshot(str(path))
    return path


def test_roster_errors_then_packets_then_the_zip(server: Served, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    roster = tmp_path / "new-hires.csv"
    roster.write_text(BAD_ROSTER, encoding="utf-8")
    browser.get(server + "onboarding")
    assert axe_violations(browser) == []
    browser.find_element(By.ID, "roster").send_keys(str(roster))
    browser.find_element(By.ID, "build").click()
    cells = _until(lambda: browser.find_elements(By.CSS_SELECTOR, "#roster-problems td"), "the bad row")
    assert [c.text for c in cells[:2]] == ["3", "start_date"]
    assert "not a real date" in cells[2].text and len(cells) == 3  # one bad row, one line of the table
    assert axe_violations(browser) == []  # the page with its error table
    screenshot(browser, "web-app-onboarding.png", tmp_path)
    browser.set_window_size(*PHONE)  # the table stays within its box on a phone
    assert browser.execute_script("const box = document.getElementById('roster-problems');"
                                  "return box.scrollWidth <= box.clientWidth && box.querySelector('table')"
                                  ".getBoundingClientRect().right <= box.getBoundingClientRect().right")
    browser.execute_script("document.getElementById('roster-problems').scrollIntoView()")
    screenshot(browser, "web-app-onboarding-phone.png", tmp_path)
    browser.set_window_size(*DESKTOP)
    # The progress bar wears the theme's color, not the browser's blue.
    assert browser.execute_script("return getComputedStyle(document.getElementById('progress')).accentColor") == \
        "rgb(157, 10, 40)"

    roster.write_text(FIXED_ROSTER, encoding="utf-8")
    browser.find_element(By.ID, "roster").send_keys(str(roster))
    browser.find_element(By.ID, "build").click()
    results = browser.find_element(By.ID, "results")
    _until(results.is_displayed, "the packets")
    assert "2 packets built" in browser.find_element(By.ID, "results-text").text
    assert browser.find_elements(By.CSS_SELECTOR, "#roster-problems td") == []
    assert axe_violations(browser) == []
    browser.find_element(By.ID, "download-zip").click()
    archive = _until(lambda: next(iter(browser.downloads.glob("*.zip")), None), "the ZIP download")
    _until(lambda: not list(browser.downloads.glob("*.crdownload")), "the download to finish")
    with zipfile.ZipFile(archive) as bundle:
        names = sorted(bundle.namelist())
        assert len(names) == 4 and names[2].startswith("bo-chen-") and names[3].startswith("bo-chen-")
        packet = tmp_path / "packet.pdf"
        packet.write_bytes(bundle.read(next(n for n in names if n.startswith("bo-chen-") and n.endswith(".pdf"))))
    text = pdftotext(packet)
    assert "Welcome, Bo Chen" in text and "Pharmacist" in text


def save(path: Path, text: str) -> None:
    """Save as an editor does: the whole new file at once (a rename), so the watcher sees one change."""
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _preview_png(browser: Any) -> bytes:
    """The pixels of the preview image as the page holds it (not a screenshot: the page may scroll)."""
    from selenium.webdriver.common.by import By

    data = browser.execute_script(
        "const img = arguments[0], canvas = document.createElement('canvas');"
        "canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;"
        "canvas.getContext('2d').drawImage(img, 0, 0); return canvas.toDataURL('image/png');",
        browser.find_element(By.ID, "preview"))
    return str(data).encode()


def test_saved_content_changes_the_poster_preview(server: Served, browser: Any, content_copy: Path,
                                                   tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "poster")
    image = browser.find_element(By.ID, "preview")
    _until(lambda: browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image),
           "the first preview")
    assert axe_violations(browser) == []
    before = hashlib.sha256(_preview_png(browser)).hexdigest()
    statement = content_copy / "statement.yaml"
    good = statement.read_text(encoding="utf-8")

    save(statement, good.replace("vision:", "vison:", 1))  # a typo: the page says where
    problems = browser.find_element(By.ID, "build-problems")
    _until(lambda: "statement.yaml:" in problems.text, "the content error in the page")
    assert "vison: unknown field (did you mean 'vision'?)" in problems.text
    assert browser.execute_script("return arguments[0].naturalWidth", image) > 0  # the last good preview stays
    assert hashlib.sha256(_preview_png(browser)).hexdigest() == before
    screenshot(browser, "web-app-error.png", tmp_path)

    save(statement, good.replace("University of New Mexico Health Sciences Center will work",
                                 "Health Sciences Center will work", 1))
    status = browser.find_element(By.ID, "status")
    _until(lambda: status.text.startswith("Rebuilt"), "the rebuilt preview")
    _until(lambda: browser.execute_script("return arguments[0].complete", image)
           and hashlib.sha256(_preview_png(browser)).hexdigest() != before, "the new image")
    assert problems.text == ""
    assert axe_violations(browser) == []
    screenshot(browser, "web-app-poster.png", tmp_path)

    # Other choices: the preview and the downloads follow in place, from the keyboard too.
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "size")).select_by_value("24x36")
    browser.find_element(By.CSS_SELECTOR, "input[name=pdf][value=print]").send_keys(" ")
    _until(lambda: "bleed=0.125in" in browser.find_element(By.ID, "download-pdf").get_attribute("href"),
           "the print-shop download")
    assert browser.find_elements(By.ID, "download-docx") == []  # no Word handout over 22 in
    _until(lambda: "size=24x36" in image.get_attribute("src") and browser.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", image), "the 24x36 preview")
    assert browser.current_url.endswith("/poster?size=24x36&orientation=portrait&lang=en&layout=classic&pdf=print")

    # Spanish is made from a draft translation: its note shows; back to English, it never shows again.
    notes = browser.find_element(By.ID, "build-warnings")
    Select(browser.find_element(By.ID, "lang")).select_by_value("es")
    _until(lambda: "draft translations" in browser.find_element(By.ID, "build-warnings").text, "the Spanish note")
    browser.execute_script(
        "window.noteLog = []; const box = arguments[0], img = arguments[1];"
        "new MutationObserver(() => window.noteLog.push([img.src.includes('lang=en&') && img.complete,"
        " box.textContent]))"
        ".observe(box, {childList: true, subtree: true, characterData: true});"
        "img.addEventListener('load', () => window.noteLog.push([img.src.includes('lang=en&'), box.textContent]));",
        notes, image)
    Select(browser.find_element(By.ID, "lang")).select_by_value("en")
    _until(lambda: "lang=en&" in image.get_attribute("src") and _loaded(browser, image), "the English preview")
    time.sleep(1.0)  # time for a late answer about the Spanish poster to arrive
    log = browser.execute_script("return window.noteLog")
    assert log and not any(english and "draft" in text for english, text in log), log
    assert "draft" not in notes.text


def test_events_stream_reports_rebuilds(server: Served, browser: Any, content_copy: Path) -> None:
    browser.get("about:blank")  # the page of the test before is closed: its poster is no longer rebuilt
    request = Request(server + "api/events?document=poster&size=letter", headers={"Accept": "text/event-stream"})
    with urlopen(request, timeout=WAIT) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.readline() == b"event: hello\n"
        assert json.loads(stream.readline().removeprefix(b"data: "))["ok"] is True
        stream.readline()
        theme = content_copy / "theme.yaml"
        save(theme, theme.read_text(encoding="utf-8") + "\n")
        assert stream.readline() == b"event: rebuild\n"
        event = json.loads(stream.readline().removeprefix(b"data: "))
        assert event["ok"] is True and event["documents"] == ["poster-letter.pdf"]  # what this stream shows


def test_handbook_and_check_pages(server: Served, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "handbook?size=letter")
    thumbnails = browser.find_elements(By.CSS_SELECTOR, ".thumbnails img")
    assert len(thumbnails) > 5
    assert axe_violations(browser) == []
    screenshot(browser, "web-app-handbook.png", tmp_path)
    thumbnails[2].click()
    assert browser.find_element(By.ID, "large-heading").text == f"Page 3 of {len(thumbnails)}"
    assert axe_violations(browser) == []

    poster = tmp_path / "poster-letter.pdf"
    with urlopen(server + "api/documents/poster.pdf?size=letter", timeout=WAIT) as response:
        poster.write_bytes(response.read())
    browser.get(server + "check")
    assert axe_violations(browser) == []
    browser.find_element(By.ID, "file").send_keys(str(poster))
    browser.find_element(By.CSS_SELECTOR, "#check-form button").click()
    report = browser.find_element(By.ID, "check-report")
    _until(lambda: "Passed every rule." in report.text, "the check report")
    assert axe_violations(browser) == []
    screenshot(browser, "web-app-check.png", tmp_path)


def _loaded(browser: Any, image: Any) -> bool:
    return bool(browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image))


def _download(browser: Any, name: str) -> Path:
    path = browser.downloads / name
    _until(lambda: path.is_file() and not list(browser.downloads.glob("*.crdownload")), f"the download {name}")
    return path  # type: ignore[no-any-return]


def test_a_print_preview_leaves_the_builds_output_alone(server: Served, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    built = files_of(server.output)
    assert list(built) == ["poster-letter.en+es.pdf"]
    browser.set_window_size(*DESKTOP)
    browser.get(server + "poster?size=letter&lang=en%2Bes")
    browser.find_element(By.CSS_SELECTOR, "input[name=pdf][value=print]").click()
    image = browser.find_element(By.ID, "preview")
    _until(lambda: "bleed=0.125in" in image.get_attribute("src") and _loaded(browser, image), "the print preview")
    link = _until(lambda: browser.find_element(By.ID, "download-pdf"), "the download link")
    _until(lambda: "for the print shop" in browser.find_element(By.ID, "download-pdf").text, "the print link")
    # At 1366 x 900 the downloads are in view without scrolling.
    assert browser.execute_script("return arguments[0].getBoundingClientRect().bottom", link) < \
        browser.execute_script("return window.innerHeight")
    assert axe_violations(browser) == []
    screenshot(browser, "web-app-poster-print.png", tmp_path)
    browser.find_element(By.ID, "download-pdf").click()
    shop = _download(browser, "poster-letter.en+es.print.pdf")
    with pikepdf.open(shop) as pdf:
        assert "/TrimBox" in pdf.pages[0].obj and "/BleedBox" in pdf.pages[0].obj
    assert files_of(server.output) == built  # byte for byte as the build wrote it
    assert (server.folder / "previews" / "poster-letter.en+es.print.pdf").is_file()


def test_the_handbook_follows_its_choices_and_so_do_its_downloads(server: Served, browser: Any,
                                                                   tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.set_window_size(*DESKTOP)
    browser.get(server + "handbook?size=letter&lang=en")
    Select(browser.find_element(By.ID, "size")).select_by_value("A4")
    Select(browser.find_element(By.ID, "lang")).select_by_value("es")
    # The links carry the choices at once, before the new pages are shown.
    for fmt in ("pdf", "docx"):
        href = browser.find_element(By.ID, f"download-{fmt}").get_attribute("href")
        assert "size=A4" in href and "lang=es" in href, href
    _until(lambda: all("size=A4" in i.get_attribute("src") and "lang=es" in i.get_attribute("src")
                       for i in browser.find_elements(By.CSS_SELECTOR, ".thumbnails img")), "the A4 Spanish pages")
    assert browser.current_url.endswith("/handbook?size=A4&lang=es&orientation=portrait")
    assert axe_violations(browser) == []
    browser.find_element(By.ID, "download-pdf").click()
    handbook = _download(browser, "handbook-A4.es.pdf")
    with pikepdf.open(handbook) as pdf:
        assert str(pdf.Root.Lang) == "es"
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]
    # On a phone the thumbnails sit side by side, not in one long column.
    browser.set_window_size(*PHONE)
    tops = browser.execute_script("return [...document.querySelectorAll('.thumbnails li')].slice(0, 4)"
                                  ".map(li => li.getBoundingClientRect().top)")
    assert tops[0] == tops[1] and tops[2] > tops[1], tops
    assert browser.execute_script("const page = document.documentElement; return page.scrollWidth <= page.clientWidth")
    browser.execute_script("document.querySelector('.thumbnails').scrollIntoView()")
    screenshot(browser, "web-app-handbook-phone.png", tmp_path)
    browser.set_window_size(*DESKTOP)


def test_forms_work_without_javascript(server: Served, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    poster = tmp_path / "poster-letter.pdf"
    with urlopen(server + "api/documents/poster.pdf?size=letter", timeout=WAIT) as response:
        poster.write_bytes(response.read())
    roster = tmp_path / "people.csv"
    roster.write_text(FIXED_ROSTER, encoding="utf-8")
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(server + "check")
        browser.find_element(By.ID, "file").send_keys(str(poster))
        browser.find_element(By.CSS_SELECTOR, "#check-form button").click()  # a plain form post
        _until(lambda: "Passed every rule." in browser.find_element(By.ID, "check-report").text, "the report page")
        assert browser.find_element(By.CSS_SELECTOR, "#check-report h2").text == "poster-letter.pdf"
        assert browser.current_url == server + "api/check"  # the form was posted: the script did not run
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})  # for axe alone
        assert axe_violations(browser) == []  # the report as a page
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        browser.get(server + "onboarding")
        for earlier in browser.downloads.glob("*.zip"):  # the packets of another test
            earlier.unlink()
        browser.find_element(By.ID, "roster").send_keys(str(roster))
        Select(browser.find_element(By.ID, "format")).select_by_value("pdf")
        browser.find_element(By.ID, "build").click()
        archive = _download(browser, "onboarding-packets.zip")
        with zipfile.ZipFile(archive) as bundle:
            assert sorted(n.split("-")[0] for n in bundle.namelist()) == ["ana", "bo"]
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


@pytest.mark.parametrize(("path", "status", "words"), [
    ("poster?lang=xx", 422, "lang xx"), ("poster?lang=de", 422, "no statement in de"),
    ("handbook?size=A3", 422, "the handbook is made in letter or A4"), ("posters", 404, "no page or file at /posters"),
])
def test_a_bad_choice_or_url_is_a_page_that_passes_axe(server: Served, browser: Any, path: str, status: int,
                                                        words: str) -> None:
    from selenium.webdriver.common.by import By

    with pytest.raises(HTTPError) as answer:
        urlopen(Request(server + path, headers={"Accept": "text/html"}), timeout=WAIT)
    answer.value.close()
    assert answer.value.code == status
    browser.get(server + path)
    assert words in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert browser.title.endswith(" · missionpress")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert axe_violations(browser) == []


def test_a_save_after_five_posters_rebuilds_only_the_one_shown(server: Served, browser: Any,
                                                               content_copy: Path) -> None:
    from selenium.webdriver.common.by import By

    main = browser.current_window_handle
    for size in ("tabloid", "A4", "A3", "18x24", "24x36"):  # five posters, each in a tab then closed
        browser.switch_to.new_window("tab")
        browser.get(server + f"poster?size={size}")
        shown = browser.find_element(By.ID, "preview")
        _until(lambda shown=shown: _loaded(browser, shown), f"the {size} preview")
        browser.close()
        browser.switch_to.window(main)
    browser.get(server + "poster?size=letter")
    image = browser.find_element(By.ID, "preview")
    _until(lambda: _loaded(browser, image), "the letter preview")
    time.sleep(0.5)  # the closed tabs' event streams end
    browser.execute_script("window.shownAt = 0; arguments[0].addEventListener('load', () => "
                           "{ if (/[?&]v=/.test(arguments[0].src)) window.shownAt = Date.now(); });", image)
    statement = content_copy / "statement.yaml"
    text = statement.read_text(encoding="utf-8")
    saved = time.time()
    save(statement, text.replace("will work with community partners", "works with community partners", 1))
    shown = _until(lambda: browser.execute_script("return window.shownAt"), "the new preview")
    rebuilt = server.log_after("rebuilt ")
    assert rebuilt.split(" (")[0].endswith("/poster-letter.pdf") and "," not in rebuilt, rebuilt  # one, once
    # Saved to shown: under 1 s on a free machine (benchmarks/preview.py measures it); the margin here is
    # for a test machine busy with other work, where one letter poster alone can take 2 s to build.
    assert shown / 1000 - saved < 3.0
    save(statement, text)
    server.log_after("rebuilt ")
