"""Tags as an assistive technology meets them, and the writer's setup without side effects.

Read with pikepdf (structure tree, parent tree, content streams) and pdfplumber (which characters
are artifacts), on the default build: page furniture is an artifact, table headers have a scope,
the Spanish half of a bilingual poster carries its language, spliced packets keep every piece of
content reachable. `missionpress check` fails files without these, and hollow tags.
"""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from generator.check.pdf_reading import PdfReading
from generator.check.pdf_rules import check_pdf
from generator.paths import BUILTIN_TEMPLATES
from generator.pdf import tags
from generator.pdf import writer as pdf_writer
from tests.readers import require_tool

ROOT = Path(__file__).parent.parent
# WeasyPrint's documented API (docs/api_reference.rst): the names we may use, per module.
PUBLIC_WEASYPRINT = {
    "weasyprint": {"HTML", "CSS", "Attachment", "Document", "DocumentMetadata", "Page", "default_url_fetcher"},
    "weasyprint.document": {"Document", "DocumentMetadata", "Page"},
    "weasyprint.urls": {"URLFetcher", "URLFetcherResponse", "FatalURLFetchingError"},
    "weasyprint.text.fonts": {"FontConfiguration"},
    "weasyprint.css.counters": {"CounterStyle"},
}


BILINGUAL = ("<html lang=en><title>t</title><body><h1>Vision</h1><h1 lang=es>Visión</h1>"
             "<section lang=es><p>El Centro de Ciencias de la Salud <span lang=en>UNM</span> trabajará</p>"
             "<ul><li>uno</li><li>dos</li></ul></section><p>End</p></body></html>")


def _pdf(html: str, finish: bool = True) -> bytes:
    document = pdf_writer.render(html, base=BUILTIN_TEMPLATES, allowed=[BUILTIN_TEMPLATES], template="test")
    raw = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return tags.finish(raw) if finish else raw


def _findings(tmp_path: Path, pdf: bytes, name: str = "doc.pdf") -> dict[str, str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    return dict(check_pdf(path))


def _reachable(path: Path) -> tuple[set[tuple[int, int]], dict[int, set[int]]]:
    with PdfReading(path) as reading:
        assert reading.tree is not None
        return set(reading.tree.refs()), reading.marked_content()


# -- the default build, read back


def test_running_headers_and_footers_are_artifacts(default_build: Path) -> None:
    headers = 0
    with pdfplumber.open(default_build / "handbook-letter.pdf") as pdf:
        for page in pdf.pages[1:]:
            margins = [c for c in page.chars if c["top"] < 54 or c["top"] > page.height - 54]  # 0.75 in
            footer = "".join(c["text"] for c in margins if c["top"] > page.height / 2)
            assert footer == f"Page {page.page_number} of {len(pdf.pages)}"
            headers += any(c["top"] < 54 for c in margins)
            for char in margins:
                assert char.get("tag") == "Artifact" and char.get("mcid") is None, (page.page_number, char["text"])
    assert headers > 10  # the chapter title runs on every chapter page
    reached, marked = _reachable(default_build / "handbook-letter.pdf")
    assert all((page, mcid) in reached for page, mcids in marked.items() for mcid in mcids)


def test_table_header_cells_have_a_scope(default_build: Path) -> None:
    with pikepdf.open(default_build / "handbook-letter.pdf") as pdf:
        scopes = [str(o.A.Scope) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/TH"]
    assert scopes and set(scopes) == {"/Column"}


def test_row_headers_get_row_scope(tmp_path: Path) -> None:
    html = ("<html lang=en><title>t</title><body><table><tr><th>Name</th><th>Value</th></tr>"
            "<tr><th scope=row>Integrity</th><td>1</td></tr></table></body></html>")
    with pikepdf.open(io.BytesIO(_pdf(html))) as pdf:
        scopes = sorted(str(o.A.Scope) for o in pdf.objects
                        if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/TH")
    assert scopes == ["/Column", "/Column", "/Row"]


def test_bilingual_poster_marks_the_spanish_half_and_leaves_no_markers(default_build: Path) -> None:
    path = default_build / "poster-letter.en+es.pdf"
    with pikepdf.open(path) as pdf:
        langs, roles, figures = [], [], []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    roles.append(str(node.S))
                    if node.S == "/Figure":
                        figures.append(str(node.get("/Alt", "")))
                    if "/Lang" in node:
                        langs.append((str(node.S), str(node.Lang)))
                kids = node.get("/K")
                stack += list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        content = b"".join(page.Contents.read_bytes() for page in pdf.pages)
    assert ("/Div", "es") in langs and {lang for _, lang in langs} == {"es"}
    # The poster's images are the theme's logo and the QR code: any other Figure would be a leftover marker.
    assert sorted(figures) == ["Logo placeholder", "QR code: https://hsc.unm.edu/"]
    assert str(tags.MARK).encode() not in content
    with pdfplumber.open(path) as pdf:
        spanish = [c for c in pdf.pages[0].chars if c.get("mcid") is not None]
        assert spanish  # content stays tagged
    reached, marked = _reachable(path)
    assert all((page, mcid) in reached for page, mcids in marked.items() for mcid in mcids)


def test_language_markers_do_not_move_a_character() -> None:
    def chars(pdf: bytes) -> list[tuple[str, float, float]]:
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            return [(c["text"], round(c["x0"], 3), round(c["top"], 3)) for p in document.pages for c in p.chars]

    marked = _pdf(BILINGUAL)
    original = tags.language_css
    try:
        tags.language_css = lambda html: None  # type: ignore[assignment]
        plain = _pdf(BILINGUAL)
    finally:
        tags.language_css = original
    assert chars(marked) == chars(plain)
    assert marked != plain


def test_spliced_packets_keep_every_piece_of_content_reachable(default_build: Path) -> None:
    packets = sorted((default_build / "onboarding").glob("*.pdf"))
    assert packets
    for packet in packets:
        reached, marked = _reachable(packet)
        loose = {(page, mcid) for page, mcids in marked.items() for mcid in mcids} - reached
        assert not loose, packet.name
        with pikepdf.open(packet) as pdf:
            nums = pdf.Root.StructTreeRoot.ParentTree.Nums
            parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            for page_index, mcid in reached:
                entries = parents[int(pdf.pages[page_index].StructParents)]
                assert isinstance(entries[mcid], pikepdf.Dictionary), (packet.name, page_index, mcid)
        assert check_pdf(packet) == []


# -- check: the rules fail what they should


def test_check_fails_furniture_outside_the_tree_and_headers_without_scope(tmp_path: Path) -> None:
    html = ("<html lang=en><title>t</title><style>@page { @bottom-center { content: 'Page ' counter(page) } }"
            "p { break-after: page }</style><body><h1>One</h1><p>a</p><p>b</p>"
            "<table><tr><th>Name</th></tr><tr><td>x</td></tr></table></body></html>")
    raw = _findings(tmp_path, _pdf(html, finish=False))
    assert "pdf-untagged-content" in raw and "pdf-table-header-scope" in raw
    assert "pages 1, 2, 3" in raw["pdf-untagged-content"]
    finished = _findings(tmp_path, _pdf(html), "finished.pdf")
    assert not {"pdf-untagged-content", "pdf-table-header-scope", "pdf-furniture-artifact"} & set(finished)


def test_check_fails_page_numbers_tagged_as_content(tmp_path: Path) -> None:
    pages = [("One", "Alpha beta."), ("Two", "Gamma delta epsilon."), ("Three", "Zeta.")]
    html = ("<html lang=en><title>t</title><style>.n { break-after: page }</style><body>"
            + "".join(f"<h1>{h}</h1><p>{t}</p><p class=n>Page {i} of 3</p>" for i, (h, t) in enumerate(pages, 1))
            + "</body></html>")
    findings = _findings(tmp_path, _pdf(html))
    assert findings["pdf-furniture-artifact"].startswith(
        "the running header or footer \u201cPage # of #\u201d (pages 1, 2, 3) is tagged as content")


def _hollow(tmp_path: Path, nested: int) -> Path:
    """A tagged poster whose structure tree is replaced by empty Divs (one referring to itself)."""
    html = "<html lang=en><title>t</title><body><h1>Vision</h1><p>Text</p></body></html>"
    with pikepdf.open(io.BytesIO(_pdf(html))) as pdf:
        root = pdf.Root.StructTreeRoot
        top = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Div, P=root))
        if nested == 0:
            top.K = top  # an element that is its own kid
        else:
            parent = top
            for _ in range(nested):
                child = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Div,
                                                             P=parent))
                parent.K = pikepdf.Array([child])
                parent = child
        root.K = pikepdf.Array([top])
        path = tmp_path / f"hollow-{nested}.pdf"
        pdf.save(path)
    return path


@pytest.mark.parametrize("nested", [0, 5000])
def test_check_fails_hollow_tags(tmp_path: Path, nested: int) -> None:
    path = _hollow(tmp_path, nested)
    started = time.perf_counter()
    findings = dict(check_pdf(path))
    assert time.perf_counter() - started < 60  # bounded, not a speed target
    assert "hollow" in findings["pdf-tagged"]
    assert "could not be checked" not in " ".join(findings.values())


# -- the writer: public WeasyPrint API only, no side effects on import


def test_only_public_weasyprint_api_is_used() -> None:
    problems = []
    for source in (ROOT / "generator").rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{source.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("weasyprint"):
                allowed = PUBLIC_WEASYPRINT.get(node.module or "")
                bad = [a.name for a in node.names if allowed is None or a.name not in allowed]
                if bad:
                    problems.append(f"{where}: from {node.module} import {', '.join(bad)}")
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
                problems += [f"{where}: import {name}" for name in names
                             if name.startswith("weasyprint") and name not in PUBLIC_WEASYPRINT]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "weasyprint" and node.attr not in PUBLIC_WEASYPRINT["weasyprint"]:
                problems.append(f"{where}: weasyprint.{node.attr}")
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")) \
                    and source.parent.name == "pdf":
                problems.append(f"{where}: private attribute {node.attr}")
    assert not problems, problems


def test_importing_every_module_leaves_the_environment_alone() -> None:
    script = """
import gc, importlib, json, os, pkgutil, sys
before = dict(os.environ)
import generator
names = [m.name for m in pkgutil.walk_packages(generator.__path__, "generator.") if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
changed = sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k))
from weasyprint.text.fonts import FontConfiguration
configs = sum(isinstance(o, FontConfiguration) for o in gc.get_objects())
print(json.dumps({"modules": len(names), "changed": changed, "font_configs": configs}))
"""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(Path.home())}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["modules"] > 40
    assert found["changed"] == [] and found["font_configs"] == 0


def test_fonts_are_set_up_on_first_use_and_environment_restored(tmp_path: Path) -> None:
    script = """
import io, json, os
from generator.pdf import writer
from generator.paths import BUILTIN_TEMPLATES
before = dict(os.environ)
html = "<html lang=en><title>t</title><body><p style='font-family: DejaVu Serif, serif'>Hello</p></body></html>"
pdf = writer.write(writer.render(html, base=BUILTIN_TEMPLATES, allowed=[BUILTIN_TEMPLATES], template="t"))
import pikepdf
document = pikepdf.open(io.BytesIO(pdf))
fonts = [str(f.BaseFont) for f in document.pages[0].Resources.Font.values()]
print(json.dumps({"fonts": fonts, "same_env": dict(os.environ) == before}))
"""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(Path.home())}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["same_env"] is True
    assert found["fonts"] and all("Noto" in name for name in found["fonts"])  # DejaVu is installed, not used


def test_bilingual_tags_are_in_place() -> None:
    with pikepdf.open(io.BytesIO(_pdf(BILINGUAL))) as pdf:
        found = []
        stack = [(pdf.Root.StructTreeRoot, 0)]
        while stack:
            node, depth = stack.pop()
            kids = node.get("/K")
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            for kid in reversed(items):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append((kid, depth + 1))
            if "/S" in node:
                found.append((depth, str(node.S), str(node.get("/Lang", ""))))
    # Spanish heading and section marked; the English name inside the Spanish section marked back;
    # no nested heading left by a marker, no marker element left.
    assert [(d, s, lang) for d, s, lang in found if lang] == [(2, "/H1", "es"), (2, "/Sect", "es"),
                                                              (4, "/Span", "en")]
    assert found[-2] == (2, "/P", "")  # English again after the Spanish section
    assert [s for _, s, _ in found].count("/H1") == 2
    assert "/Figure" not in [s for _, s, _ in found]


def test_poppler_reads_the_header_scopes(default_build: Path) -> None:
    pdfinfo = require_tool("pdfinfo")
    handbook = str(default_build / "handbook-letter.pdf")
    structure = subprocess.run([pdfinfo, "-struct", handbook], capture_output=True, text=True, check=True).stdout
    assert structure.count("TH <") == structure.count("/Scope /Column") == 4
    assert structure.startswith("Document\n")


def test_a_table_in_another_language_tags_its_cells() -> None:
    html = ("<html lang=en><title>t</title><body><table lang=es><tr lang=en><th>Name</th></tr>"
            "<tr><td>Uno</td><td lang=en>Two</td></tr></table><p>End</p></body></html>")
    with pikepdf.open(io.BytesIO(_pdf(html))) as pdf:
        cells = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") in ("/TH", "/TD")]
        langs = sorted((str(cell.S), str(cell.get("/Lang", ""))) for cell in cells)
        roles = [str(kid.S) for cell in cells for kid in cell.K]
    assert langs == [("/TD", ""), ("/TD", "es"), ("/TH", "")]  # "Two" and "Name" are English like the document
    assert roles == ["/Span", "/Span", "/Span"]  # no wrapper left by a marker
