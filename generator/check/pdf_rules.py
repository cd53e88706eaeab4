"""check: the PDF rules, for accessibility (PDF/UA-1) and for the print shop.

:func:`check_pdf` returns ``(rule, message)`` findings for one file; the rule ids
are documented in :mod:`generator.check.run`.  Structure, metadata and fonts are read
with pikepdf, characters and images with pdfplumber (see :mod:`generator.check.pdf_reading`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf

from generator.check import hazards, rules, typography_rules
from generator.check.pdf_reading import HEADING, Node, PdfReading, TooLarge, chars_text, furniture_lines, page_lines
from generator.check.rules import Finding, short
from generator.content.pages import SIZES
from generator.names import parse_name

SLACK_SIZE = 1.0  # pt, page size against the ordered size
SLACK_EDGE = 0.5  # pt, a character's box against the page edge
MIN_DPI = 300
SCOPES = ("Column", "Row", "Both")
# poster-<SIZE>[-landscape][.<lang>].pdf and handbook-<SIZE>[-landscape][.<lang>].pdf (lang: es, en+es)
EXPORT_TAGGED = ("export it again as tagged PDF/UA (missionpress builds do; in Word: File > Save As > PDF > "
                 "Options > 'Document structure tags for accessibility' and 'PDF/A compliant')")


def _tagged(r: PdfReading) -> Iterator[str]:
    problems = []
    tree = r.tree
    if tree is None or not any(isinstance(c, Node) for c in tree.content):
        problems.append("it has no structure tree (no tags), so screen readers get no headings, lists or "
                        "reading order")
    elif next(tree.refs(), None) is None:
        elements = sum(1 for _ in tree.walk()) - 1
        problems.append(f"its structure tree is hollow: {elements} element(s) that reach no text or image on "
                        "any page, so screen readers get nothing to read")
    mark_info = r.pdf.Root.get("/MarkInfo")
    if not (isinstance(mark_info, pikepdf.Dictionary) and mark_info.get("/Marked") is True):
        problems.append("the catalog's /MarkInfo /Marked is not true")
    if not _has_marked_content(r):
        problems.append("no page content is marked (no BDC operator with an MCID)")
    if problems:
        yield f"not a tagged PDF: {'; '.join(problems)}; {EXPORT_TAGGED}"


def _has_marked_content(r: PdfReading) -> bool:
    for page in r.pdf.pages:
        streams: list[Any] = [page]
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if isinstance(xobjects, pikepdf.Dictionary):
            streams += [x for x in dict(xobjects).values()
                        if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Form"]
        for stream in streams:
            for instruction in pikepdf.parse_content_stream(stream, "BDC"):
                operands = instruction.operands
                if len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    return True
    return False


def _pages_list(pages: set[int]) -> str:
    """``page 3`` or ``pages 2, 3, 4, 5, 6, 7 and 12 more`` (from 0-based indexes)."""
    numbers = sorted(p + 1 for p in pages)
    shown = ", ".join(str(n) for n in numbers[:6]) + (f" and {len(numbers) - 6} more" if len(numbers) > 6 else "")
    return ("page " if len(numbers) == 1 else "pages ") + shown


def _untagged_content(r: PdfReading) -> Iterator[str]:
    """Marked content is either reached from the structure tree or an artifact."""
    if r.tree is None:
        return
    reached = r.reached
    loose = {page: {m for m in mcids if (page, m) not in reached} for page, mcids in r.marked_content().items()}
    loose = {page: mcids for page, mcids in loose.items() if mcids}
    if loose:
        count = sum(len(m) for m in loose.values())
        yield (f"{count} piece(s) of content on {_pages_list(set(loose))} are marked for the structure tree "
               "but no element of it reaches them, and they are not artifacts: screen readers skip them or read "
               "them out of order; tag them as content, or mark page furniture (running headers and footers, "
               "page numbers, decoration) as /Artifact")


def _furniture(r: PdfReading) -> Iterator[str]:
    """Running headers, footers and page numbers are artifacts, not content."""
    if r.tree is None or r.page_count() < 2:
        return
    reached = r.reached
    furniture = furniture_lines(r)
    tagged: dict[str, set[int]] = {}
    for page in range(r.page_count()):
        lines = page_lines([c for c in r.chars(page) if id(c) in furniture])
        for line in lines:
            if any(c.get("mcid") is not None and (page, c["mcid"]) in reached for c in line):
                text = re.sub(r"\d+", "#", " ".join(chars_text(line).split()))
                tagged.setdefault(text, set()).add(page)
    for text, pages in sorted(tagged.items(), key=lambda item: min(item[1])):
        yield (f"the running header or footer \u201c{short(text)}\u201d ({_pages_list(pages)}) is tagged as "
               "content, so screen readers read it again on every page; mark page furniture as /Artifact "
               "(missionpress builds do)")


def _table_headers(r: PdfReading) -> Iterator[str]:
    """Every table header cell says whether it heads a column or a row (/Scope)."""
    if r.tree is None:
        return
    missing = [node for node in r.tree.walk()
               if node.role == "TH" and str(node.attributes.get("/Scope", "")).lstrip("/") not in SCOPES]
    if missing:
        pages = {p for p in (node.first_page() for node in missing) if p is not None}
        where = f" on {_pages_list(pages)}" if pages else ""
        yield (f"{len(missing)} table header cell(s){where}, first {_describe(r, missing[0])}, have no /Scope "
               "(Column, Row or Both), so a screen reader cannot tell which cells a header heads; in HTML use "
               "<th> (scope=\"row\" for row headers), in Word repeat the header row and export again")


def _xmp(r: PdfReading, key: str) -> Any:
    try:
        with r.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False, strict=False) as meta:
            return meta.get(key)
    except Exception:  # unreadable XMP counts as absent
        return None


def _pdfua(r: PdfReading) -> Iterator[str]:
    if not str(_xmp(r, "pdfuaid:part") or "").strip():
        yield ("the XMP metadata has no PDF/UA identifier (pdfuaid:part), so validators and readers do not know "
               f"it claims PDF/UA; {EXPORT_TAGGED}, or add pdfuaid:part=1 to the XMP metadata")


def _language(r: PdfReading) -> Iterator[str]:
    lang = r.pdf.Root.get("/Lang")
    text = str(lang).strip() if isinstance(lang, pikepdf.String) else ""
    if not text:
        yield ("no document language (catalog /Lang), so screen readers may read it in the wrong voice; "
               "set the language (HTML: <html lang=\"en\">; Word: Review > Language) and export again")
    elif not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", text):
        yield f"the document language {text!r} is not a language tag such as 'en' or 'es-MX'; set a valid one"


def _title(r: PdfReading) -> Iterator[str]:
    title = _xmp(r, "dc:title")
    if isinstance(title, dict):
        title = next(iter(title.values()), "")
    info = r.pdf.docinfo.get("/Title") if r.pdf.trailer.get("/Info") is not None else None
    if not str(title or "").strip() and not (isinstance(info, pikepdf.String) and str(info).strip()):
        yield ("no document title (XMP dc:title or Info /Title); set one (HTML: <title>; Word: File > Info > "
               "Title) and export again")
    prefs = r.pdf.Root.get("/ViewerPreferences")
    if not (isinstance(prefs, pikepdf.Dictionary) and prefs.get("/DisplayDocTitle") is True):
        yield ("the window shows the file name, not the title (ViewerPreferences /DisplayDocTitle is not true); "
               "export with 'display document title' on, or set /DisplayDocTitle true")


def _fonts(r: PdfReading) -> Iterator[str]:
    missing: dict[str, list[int]] = {}
    seen: set[tuple[int, int]] = set()

    def visit(resources: Any, page: int, depth: int = 0) -> None:
        if not isinstance(resources, pikepdf.Dictionary) or depth > 20:
            return
        for font in dict(resources.get("/Font", {})).values():
            if isinstance(font, pikepdf.Dictionary) and not _embedded(font):
                name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
                missing.setdefault(name, []).append(page)
        for xobject in dict(resources.get("/XObject", {})).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                if xobject.is_indirect:
                    if xobject.objgen in seen:
                        continue
                    seen.add(xobject.objgen)
                visit(xobject.get("/Resources"), page, depth + 1)

    for number, page in enumerate(r.pdf.pages, 1):
        visit(page.obj.get("/Resources"), number)
    for name, pages in sorted(missing.items()):
        where = ", ".join(str(p) for p in sorted(set(pages))[:5])
        yield (f"font {name} is not embedded (page {where}): printers and readers substitute another font; "
               "embed all fonts when exporting (Word: Options > Save > 'Embed fonts in the file'; or use a font "
               "whose license allows embedding)")


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) == 0:
            return False
        return all(_embedded(d) for d in descendants if isinstance(d, pikepdf.Dictionary))
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _describe(r: PdfReading, node: Node) -> str:
    text = short(r.node_text(node))
    page = node.first_page()
    where = f" on page {page + 1}" if page is not None else ""
    return f"{node.role} \u201c{text}\u201d{where}" if text else f"an empty {node.role}{where}"


def _headings(r: PdfReading) -> Iterator[str]:
    if r.tree is None:
        return
    previous = 0
    for node in r.tree.walk():
        match = HEADING.fullmatch(node.role)
        if not match:
            continue
        level = int(match.group(1))
        if previous == 0 and level != 1:
            yield (f"the first heading, {_describe(r, node)}, is not H1: headings start at level 1; make it an "
                   "H1 (HTML <h1>) or add an H1 before it")
        elif level > previous + 1 and previous:
            yield (f"heading level jumps from H{previous} to H{level} at {_describe(r, node)}; make it "
                   f"H{previous + 1} (HTML <h{previous + 1}>) or add the missing level above it")
        previous = level


def _figures(r: PdfReading) -> Iterator[str]:
    if r.tree is None:
        return
    number = 0
    for node in r.tree.walk():
        if node.role != "Figure":
            continue
        number += 1
        if not (node.alt or "").strip() and not (node.actual or "").strip():
            page = node.first_page()
            where = f" on page {page + 1}" if page is not None else ""
            yield (f"figure {number}{where} has no alternative text (/Alt); describe the image (HTML: "
                   "<img alt=\"...\">; Word: right-click > View Alt Text), or mark it decorative so it is an artifact")


def expected_size(path: Path) -> tuple[str, str, float, float] | None:
    """(kind, size name, width, height) for a file named like ``poster-A3-landscape.pdf``, else None."""
    name = parse_name(path.name)
    if name is None or name.fmt != "pdf":
        return None
    width, height = SIZES[name.size]
    if name.landscape:
        width, height = height, width
    return name.document, name.size + ("-landscape" if name.landscape else ""), width, height


def _pages(r: PdfReading) -> Iterator[str]:
    expected = expected_size(r.path)
    if expected is None:
        return
    kind, name, width, height = expected
    count = r.page_count()
    if kind == "poster" and count != 1:
        yield (f"a poster must be exactly one page, this has {count}: the content overflows; shorten it, "
               "use a larger size, or rebuild with missionpress (which fits the type to one page)")


def _page_sizes(r: PdfReading) -> Iterator[str]:
    expected = expected_size(r.path)
    if expected is None:
        return
    kind, name, width, height = expected
    for number, page in enumerate(r.pdf.pages, 1):
        box_name = "TrimBox" if "/TrimBox" in page.obj else "MediaBox"
        x0, y0, x1, y1 = (float(v) for v in page.obj.get("/" + box_name, page.mediabox))
        got_w, got_h = abs(x1 - x0), abs(y1 - y0)
        if int(page.obj.get("/Rotate", 0)) % 180 == 90:
            got_w, got_h = got_h, got_w
        if abs(got_w - width) > SLACK_SIZE or abs(got_h - height) > SLACK_SIZE:
            yield (f"page {number} is {got_w:.1f} x {got_h:.1f} pt ({got_w / 72:.2f} x {got_h / 72:.2f} in, "
                   f"{box_name}), but the file name orders {name}: {width:.1f} x {height:.1f} pt "
                   f"({width / 72:.2f} x {height / 72:.2f} in); export at that size or rename the file")
            return


def _text_inside(r: PdfReading) -> Iterator[str]:
    for number, page in enumerate(r.plumber.pages, 1):
        x0, top, x1, bottom = page.mediabox
        outside = [c for c in r.chars(number - 1) if c["text"].strip() and (
            c["x0"] < x0 - SLACK_EDGE or c["x1"] > x1 + SLACK_EDGE
            or c["top"] < top - SLACK_EDGE or c["bottom"] > bottom + SLACK_EDGE)]
        if outside:
            first = outside[0]
            edge = ("left" if first["x0"] < x0 - SLACK_EDGE else "right" if first["x1"] > x1 + SLACK_EDGE
                    else "top" if first["top"] < top - SLACK_EDGE else "bottom")
            sample = short("".join(c["text"] for c in outside[:40]), 40)
            yield (f"page {number}: {len(outside)} character(s) fall outside the page at the {edge} edge and will "
                   f"be cut off (\u201c{sample}\u201d); shorten the text, reduce the type size or widen the margin")


def _image_dpi(r: PdfReading) -> Iterator[str]:
    if not r.path.name.lower().startswith("poster-"):
        return
    for number, page in enumerate(r.plumber.pages, 1):
        for index, image in enumerate(page.images, 1):
            width_pt, height_pt = float(image["width"]), float(image["height"])
            pixels = image.get("srcsize") or (0, 0)
            if width_pt < 1 or height_pt < 1:
                continue
            dpi = min(pixels[0] / (width_pt / 72), pixels[1] / (height_pt / 72))
            if dpi < MIN_DPI - 0.5:
                need = (round(MIN_DPI * width_pt / 72), round(MIN_DPI * height_pt / 72))
                yield (f"image {index} on page {number} prints at {dpi:.0f} dpi ({pixels[0]} x {pixels[1]} px over "
                       f"{width_pt / 72:.2f} x {height_pt / 72:.2f} in); a print shop needs {MIN_DPI} dpi: use an "
                       f"image of at least {need[0]} x {need[1]} px or print it smaller")


def _form_fields(r: PdfReading) -> Iterator[str]:
    """Form fields a screen reader and a keyboard can use: named, tagged, in structure tab order."""
    tree = r.pdf.Root.get("/StructTreeRoot")
    parents = tree.get("/ParentTree") if isinstance(tree, pikepdf.Dictionary) else None
    numbers = pikepdf.NumberTree(parents) if isinstance(parents, pikepdf.Dictionary) else None
    for number, page in enumerate(r.pdf.pages, 1):
        widgets = [a for a in page.obj.get("/Annots", pikepdf.Array())
                   if isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") == "/Widget"]
        if not widgets:
            continue
        if page.obj.get("/Tabs") != "/S":
            yield (f"page {number} has form fields but does not tab in structure order (/Tabs /S): keyboard "
                   "users jump from field to field out of reading order; Acrobat: Page Properties > Tab Order > "
                   "Use Document Structure")
        unnamed = sum(not _field_name(w) for w in widgets)
        if unnamed:
            yield (f"page {number}: {unnamed} form field(s) have no accessible name (/TU): a screen reader "
                   "announces only their kind; give each a tooltip (Acrobat: field Properties > General > Tooltip; "
                   "HTML: a title attribute on the input)")
        untagged = sum(not _tagged_as_form(w, numbers) for w in widgets)
        if untagged:
            yield (f"page {number}: {untagged} form field(s) are not reached by a /Form structure element: a screen "
                   "reader skips them in reading order; export again with tags (Acrobat: Accessibility > "
                   "Autotag Form Fields)")


def _field_name(widget: pikepdf.Dictionary) -> str:
    node: pikepdf.Object | None = widget
    for _ in range(32):  # a field's tooltip may sit on its parent field
        if not isinstance(node, pikepdf.Dictionary):
            break
        name = node.get("/TU")
        if isinstance(name, pikepdf.String) and str(name).strip():
            return str(name)
        node = node.get("/Parent")
    return ""


def _tagged_as_form(widget: pikepdf.Dictionary, numbers: pikepdf.NumberTree | None) -> bool:
    key = widget.get("/StructParent")
    if numbers is None or not isinstance(key, int):
        return False
    try:
        element = numbers[int(key)]
    except (KeyError, IndexError):
        return False
    return isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Form"


RULES: list[tuple[str, Callable[[PdfReading], Iterator[str]]]] = [
    ("pdf-tagged", _tagged),
    ("pdf-untagged-content", _untagged_content),
    ("pdf-furniture-artifact", _furniture),
    ("pdf-table-header-scope", _table_headers),
    ("pdf-ua-identifier", _pdfua),
    ("pdf-language", _language),
    ("pdf-title", _title),
    ("pdf-fonts-embedded", _fonts),
    ("pdf-heading-levels", _headings),
    ("pdf-figure-alt", _figures),
    ("pdf-page-count", _pages),
    ("pdf-page-size", _page_sizes),
    ("pdf-text-inside-page", _text_inside),
    ("pdf-image-resolution", _image_dpi),
    ("pdf-form-fields", _form_fields),
    ("pdf-javascript", hazards.javascript),
    ("pdf-notdef-glyphs", hazards.notdef_glyphs),
    *typography_rules.RULES,
]


def open_pdf(path: Path) -> PdfReading | str:
    """The file opened for checking, or why it cannot be opened."""
    try:
        return PdfReading(path)
    except TooLarge as error:
        return str(error)
    except pikepdf.PasswordError:
        return "it is password-protected; save a copy without a password and check that"
    except Exception as error:  # pikepdf raises several types for files that are not PDFs
        return (f"it cannot be opened as a PDF ({short(str(error), 120) or type(error).__name__}); "
                "export it again or check that it is really a PDF")


def run_rules(reading: PdfReading) -> list[Finding]:
    """Every finding for an opened PDF, in rule order."""
    return rules.run_rules(RULES, reading, "export it again")


def check_pdf(path: Path) -> list[Finding]:
    """Every finding for one PDF file, in rule order (``unreadable`` alone if it cannot be opened)."""
    reading = open_pdf(path)
    if isinstance(reading, str):
        return [("unreadable", reading)]
    with reading:
        return run_rules(reading)
