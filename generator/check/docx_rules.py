"""check: the Word (.docx) rules, for accessibility, with the contrast math.

:func:`check_docx` returns ``(rule, message)`` findings for one file (rule ids are
documented in :mod:`generator.check.run`).  The file is opened with python-docx and its
parts are read with lxml: :class:`DocxReading` resolves what Word resolves (style
inheritance through ``basedOn``, document defaults, numbering formats) and is shared
with the parity stage.  The contrast math lives in :mod:`generator.content.contrast`.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from generator.check import hazards
from generator.check.docx_reading import DocxReading, W, open_docx, paragraph_text
from generator.check.rules import Finding, run_rules, short
from generator.content.contrast import LARGE_TEXT, contrast_ratio
from generator.content.contrast import needed as needed_ratio
from generator.docx.faces import Face, used_faces
from generator.docx.fonts import obfuscate
from generator.docx.package import STYLES_WITH_EFFECTS
from generator.docx.rows import ROW_STYLE_ID

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

WHITE = "FFFFFF"
SAMPLE = 40


def darker_color(color: str, needed: float, background: str = WHITE) -> str:
    """The same hue darkened just enough to reach ``needed`` against ``background`` (a fix to suggest)."""
    value = color.strip().lstrip("#")
    rgb = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    for step in range(100, -1, -1):
        candidate = "".join(f"{round(c * step / 100):02X}" for c in rgb)
        if contrast_ratio(candidate, background) >= needed:
            return candidate
    return "000000"


def _title(d: DocxReading) -> Iterator[str]:
    if not (d.document.core_properties.title or "").strip():
        yield ("no document title (File > Info > Properties > Title is empty), so readers show the file name; "
               "set a title (python-docx: core_properties.title)")


def _language(d: DocxReading) -> Iterator[str]:
    if d.language():
        return
    core = (d.document.core_properties.language or "").strip()
    also = ("" if core else "; the document's Language property (core properties) is empty too")
    yield ("no text language (w:lang) in the document defaults or the Normal style, so screen readers and "
           f"spelling may use the wrong language{also}; set it (Review > Language > Set Proofing Language, "
           "for all text) and save")


def _headings(d: DocxReading) -> Iterator[str]:
    previous = 0
    for p in d.body_paragraphs():
        level = d.heading_level(p)
        text = paragraph_text(p).strip()
        if level is None or not text:
            continue
        style = d.style_name(p)
        if previous == 0 and level != 1:
            quote = short(text, SAMPLE)
            yield (f"the first heading, \u201c{quote}\u201d, is level {level} ({style}): headings start at "
                   "Heading 1 (the Title style is not a heading); make it Heading 1, or add a Heading 1 before it")
        elif previous and level > previous + 1:
            quote = short(text, SAMPLE)
            yield (f"heading level jumps from {previous} to {level} at \u201c{quote}\u201d ({style}); make it "
                   f"Heading {previous + 1}, or add the missing level above it")
        previous = level


def _images(d: DocxReading) -> Iterator[str]:
    for part, element in d.parts():
        for doc_pr in element.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
            if (doc_pr.get("descr") or "").strip() or _decorative(doc_pr):
                continue
            name = doc_pr.get("name") or "(unnamed)"
            yield (f"image \u201c{name}\u201d (id {doc_pr.get('id')}, in {part}) has no alt text; right-click it > "
                   "View Alt Text and describe it, or tick 'Mark as decorative'")


def _decorative(doc_pr: object) -> bool:
    for element in doc_pr.iter():  # type: ignore[attr-defined]
        if isinstance(element.tag, str) and element.tag.endswith("}decorative"):
            return element.get("val", "").lower() in ("1", "true")
    return False


def _tables(d: DocxReading) -> Iterator[str]:
    for number, table in enumerate(d.body.iter(W + "tbl"), 1):
        row = table.find(W + "tr")
        style = table.find(f"{W}tblPr/{W}tblStyle")
        if row is None or (style is not None and style.get(W + "val") == ROW_STYLE_ID):
            continue  # a layout row (blocks side by side) holds no data to head
        header = row.find(f"{W}trPr/{W}tblHeader")
        if header is None or header.get(W + "val", "true").lower() in ("0", "false", "off"):
            cells = [short(paragraph_text(c), 20) for c in row.findall(W + "tc")]
            yield (f"table {number} (first row \u201c{' | '.join(cells)}\u201d) has no header row; select its first "
                   "row > Table Properties > Row > 'Repeat as header row at the top of each page'")


def _background(p: Any) -> str:
    """The colour behind a paragraph: the shading of the table cell it stands in, else white."""
    cell = next(p.iterancestors(W + "tc"), None)
    shading = cell.find(f"{W}tcPr/{W}shd") if cell is not None else None
    fill = (shading.get(W + "fill") or "auto") if shading is not None else "auto"
    return WHITE if fill.lower() == "auto" else fill.upper()


def _contrast(d: DocxReading) -> Iterator[str]:
    found: dict[tuple[str, float, str, str], list[str]] = {}
    for _, element in d.parts():
        for p in element.iter(W + "p"):
            background = _background(p)
            for run in p.iter(W + "r"):
                text = "".join(t.text or "" for t in run.iter(W + "t"))
                if not text.strip():
                    continue
                color, source = d.run_color(p, run)
                if color is None:
                    continue
                bold, size = d.run_bold(p, run), d.run_size(p, run)
                needed = needed_ratio(size, bold)
                if contrast_ratio(color, background) < needed:
                    found.setdefault((color, needed, source, background), []).append(text)
    for (color, needed, source, background), texts in found.items():
        ratio = contrast_ratio(color, background)
        kind = "large text" if needed == LARGE_TEXT else "normal-size text"
        better = darker_color(color, needed)
        sample = short(texts[0], SAMPLE)
        behind = "white" if background == WHITE else f"its cell's shading #{background}"
        yield (f"text colored #{color} ({source}) reaches {ratio:.2f}:1 against {behind}, but WCAG AA needs "
               f"{needed:g}:1 for {kind}; {len(texts)} run(s), e.g. \u201c{sample}\u201d; use a darker "
               f"color such as #{better} ({contrast_ratio(better, WHITE):.2f}:1)")


# Fonts any office computer has: text in them needs no embedded copy.
OFFICE_FONTS = frozenset({"Arial", "Calibri", "Calibri Light", "Cambria", "Cambria Math", "Courier New", "Georgia",
                          "Segoe UI", "Segoe UI Symbol", "Symbol", "Tahoma", "Times New Roman", "Verdana",
                          "Wingdings", "MS Gothic", "MS Mincho", ""})
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true")


def _opens(data: bytes) -> bool:
    """Whether the first 32 bytes (those the key obfuscates) read as a font's table directory:
    the version, the table count and its search fields, the first table's place and the first
    two table tags.  A wrong key byte spoils one of them."""
    if len(data) < 44 or not data.startswith(FONT_MAGIC):
        return False
    tables, search, selector, shift = struct.unpack(">4H", data[4:12])
    power = 1 << max(0, tables.bit_length() - 1)
    if not tables or (search, selector, shift) != (power * 16, power.bit_length() - 1, tables * 16 - power * 16):
        return False
    offset, length = struct.unpack(">2I", data[20:28])
    first, second = data[12:16], data[28:32]
    tag_bytes = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 /")
    return (offset + length <= len(data) and set(first + second) <= tag_bytes
            and (tables < 2 or first < second))  # the directory is sorted by tag


def _fonts(d: DocxReading) -> Iterator[str]:
    """Every family the text shows travels with the file, and every embedded copy opens."""
    embedded: set[Face] = set()
    table = d.document.part.part_related_by(RT.FONT_TABLE)
    for font in etree.fromstring(table.blob).iter(W + "font"):
        name = font.get(W + "name") or ""
        for element in font:
            slot = element.tag[len(W):]
            if not slot.startswith("embed"):
                continue
            r_id, key = element.get(R + "id"), element.get(W + "fontKey") or ""
            try:
                data = obfuscate(table.related_parts[r_id].blob, key)
            except (KeyError, ValueError):
                yield f"the embedded font {name} ({slot}) is missing from the file or has no valid key; embed it again"
                continue
            if not _opens(data):
                yield (f"the embedded font {name} ({slot}) does not open with its key {key}; "
                       "embed it again (File > Options > Save > Embed fonts)")
                continue
            style = slot[len("embed"):]
            embedded.add(Face(name, "Bold" in style, "Italic" in style))
    shown = {face for face in used_faces(d.document) if face.family not in OFFICE_FONTS}
    families = {face.family for face in embedded}
    missing = sorted({face.family for face in shown if face.family not in families})
    if missing:
        yield (f"the text uses {', '.join(missing)}, which the file does not carry: where that is not "
               "installed, Word and LibreOffice substitute other fonts and the pages change; embed the fonts "
               "(File > Options > Save > Embed fonts in the file) and save")


def _shape(el: etree._Element) -> tuple[object, ...]:
    """An element's tag, attributes, text and children, whatever namespace prefixes it was written with."""
    return (el.tag, sorted(el.attrib.items()), (el.text or "").strip(),
            [_shape(child) for child in el if isinstance(child.tag, str)])


def _styles_with_effects(d: DocxReading) -> Iterator[str]:
    """Word 2010's copy of the styles, if present, agrees with styles.xml and numbering.xml."""
    rel = next((r for r in d.document.part.rels.values() if r.reltype == STYLES_WITH_EFFECTS), None)
    if rel is None:
        return
    copy = etree.fromstring(rel.target_part.blob)
    try:
        numbering = d.document.part.numbering_part.element
        num_ids = {n.get(W + "numId") for n in numbering.iter(W + "num")}
    except NotImplementedError:
        num_ids = set()
    dangling = sorted({n.get(W + "val") for n in copy.iter(W + "numId")} - num_ids - {"0", None}, key=str)
    if dangling:
        yield (f"stylesWithEffects.xml refers to numbering {', '.join(map(str, dangling))}, which numbering.xml "
               "does not have: Word may report unreadable content; open the file in Word and save it again")
    mine = d.document.styles.element.find(W + "docDefaults")
    theirs = copy.find(W + "docDefaults")
    if theirs is not None and mine is not None and _shape(theirs) != _shape(mine):
        yield ("the document defaults of stylesWithEffects.xml differ from styles.xml: Word 2010 shows "
               "other fonts or spacing than later versions; open the file in Word and save it again")


RULES: list[tuple[str, Callable[[DocxReading], Iterator[str]]]] = [
    ("docx-title", _title),
    ("docx-language", _language),
    ("docx-heading-levels", _headings),
    ("docx-image-alt", _images),
    ("docx-table-header", _tables),
    ("docx-contrast", _contrast),
    ("docx-fonts-embedded", _fonts),
    ("docx-styles-with-effects", _styles_with_effects),
    ("docx-external-relationships", hazards.external_relationships),
]


def check_docx(path: Path, reading: DocxReading | str | None = None) -> list[Finding]:
    """Every finding for one .docx file (opened here unless given), in rule order."""
    if reading is None:
        reading = open_docx(path)
    if isinstance(reading, str):  # a part named outside the file stops python-docx: say so by its rule
        return [("docx-external-relationships", m) for m in hazards.unopened(path)] or [("unreadable", reading)]
    return run_rules(RULES, reading, "open it in Word and save it again")
