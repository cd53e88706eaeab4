"""check: what print shops and archives refuse, and text that prints as empty boxes.

Three rules read what the accessibility rules do not:

- ``pdf-javascript``: JavaScript in a PDF, wherever a reader would run it: the
  document's open action and additional actions, the JavaScript name tree, a
  page's additional actions, a link's or a form field's action (chains of
  ``/Next`` actions followed).  Print shops and PDF/A archives refuse it.
- ``pdf-notdef-glyphs``: a glyph drawn from a font's ``.notdef`` (glyph 0), the
  empty box a renderer draws for a character the font lacks.  Read for
  composite (Type0) fonts, what WeasyPrint writes: their codes are mapped to
  glyphs through the font's CMap and CIDToGIDMap, and the characters named from
  its ToUnicode map.
- ``docx-external-relationships``: a Word file that reaches outside itself (a
  linked template, picture, frame or object, or a part named outside the
  package) rather than a hyperlink.  Word fetches such targets on opening.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from lxml import etree

if TYPE_CHECKING:
    from generator.check.docx_reading import DocxReading
    from generator.check.pdf_reading import PdfReading

MAX_ACTIONS = 10_000  # actions followed in one file (a chain of /Next can loop)
MAX_NAMED = 20  # places named in one message


def _places(places: list[str]) -> str:
    more = f" and {len(places) - MAX_NAMED} more" if len(places) > MAX_NAMED else ""
    return ", ".join(places[:MAX_NAMED]) + more


# --- JavaScript in a PDF ------------------------------------------------------------


def _scripts(action: Any, seen: set[tuple[int, int]]) -> bool:
    """Whether an action (or one chained after it with /Next) runs JavaScript."""
    todo = [action]
    while todo and len(seen) < MAX_ACTIONS:
        item = todo.pop()
        if isinstance(item, pikepdf.Array):
            todo.extend(item)
            continue
        if not isinstance(item, pikepdf.Dictionary):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if item.get("/S") == pikepdf.Name.JavaScript or "/JS" in item:
            return True
        todo.append(item.get("/Next"))
    return False


def _additional(holder: Any, seen: set[tuple[int, int]]) -> bool:
    actions = holder.get("/AA") if isinstance(holder, pikepdf.Dictionary) else None
    return isinstance(actions, pikepdf.Dictionary) and any(_scripts(a, seen) for _, a in actions.items())


def javascript(r: PdfReading) -> Iterator[str]:
    """``pdf-javascript``: every place of the file that would run JavaScript."""
    root, places = r.pdf.Root, []
    seen: set[tuple[int, int]] = set()
    if _scripts(root.get("/OpenAction"), seen):
        places.append("the action run when the file opens (/OpenAction)")
    if _additional(root, seen):
        places.append("the document's actions (/AA)")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        places.append("the document's JavaScript name tree (/Names /JavaScript)")
    for number, page in enumerate(r.pdf.pages, 1):
        if _additional(page.obj, seen):
            places.append(f"page {number}'s actions (/AA)")
        for annotation in page.obj.get("/Annots") or []:
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            kind = "form field" if annotation.get("/Subtype") == pikepdf.Name.Widget else "link"
            if _scripts(annotation.get("/A"), seen) or _additional(annotation, seen):
                places.append(f"a {kind} on page {number}")
    form = root.get("/AcroForm")
    fields = list(form.get("/Fields") or []) if isinstance(form, pikepdf.Dictionary) else []
    while fields and len(seen) < MAX_ACTIONS:  # fields and their kids, which carry actions of their own
        field = fields.pop()
        if isinstance(field, pikepdf.Dictionary) and (not field.is_indirect or field.objgen not in seen):
            if field.is_indirect:
                seen.add(field.objgen)
            if _scripts(field.get("/A"), seen) or _additional(field, seen):
                name = field.get("/T")
                places.append(f"the form field {str(name)[:40]!r}" if isinstance(name, pikepdf.String)
                              else "a form field")
            fields.extend(field.get("/Kids") or [])
    if places:
        yield (f"the file holds JavaScript, in {_places(list(dict.fromkeys(places)))}: print shops and PDF/A "
               "archives refuse it and readers may run it; export the PDF again without scripts or actions")


# --- Glyphs drawn from .notdef -------------------------------------------------------

_CODE = re.compile(rb"<([0-9A-Fa-f]+)>")


def _cmap_pairs(data: bytes, section: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(first code, last code, the rest of the line) of a CMap's ``begin<section>`` blocks."""
    for block in re.findall(rb"begin" + section + rb"(.*?)end" + section, data, re.S):
        for line in block.splitlines():
            codes = _CODE.findall(line)
            if not codes:
                continue
            last = codes[1] if section.endswith(b"range") and len(codes) > 1 else codes[0]
            rest = line[line.rfind(b">") + 1:].strip() if section.startswith(b"cid") else b" ".join(codes[1:])
            yield int(codes[0], 16), int(last, 16), rest


class _Composite:
    """A Type0 font: which of its 2-byte codes draw glyph 0, and the characters they stand for."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.name = str(font.get("/BaseFont", "a font")).lstrip("/").split("+")[-1]
        descendant = font.DescendantFonts[0]
        encoding = font.get("/Encoding")
        cids: dict[int, int] | None = None  # code -> CID; None: Identity
        if isinstance(encoding, pikepdf.Stream):
            cids = {}
            data = encoding.read_bytes()
            for first, _, rest in _cmap_pairs(data, b"cidchar"):
                cids[first] = int(rest or 0)
            for first, last, rest in _cmap_pairs(data, b"cidrange"):
                for offset, code in enumerate(range(first, min(last, first + 65536) + 1)):
                    cids[code] = int(rest or 0) + offset
        gid_map = descendant.get("/CIDToGIDMap")
        gids = gid_map.read_bytes() if isinstance(gid_map, pikepdf.Stream) else None

        def gid(cid: int) -> int:
            return cid if gids is None else int.from_bytes(gids[2 * cid:2 * cid + 2], "big")

        if cids is None:
            self.notdef = {0} | ({cid for cid in range(len(gids) // 2) if gid(cid) == 0} if gids else set())
        else:
            self.notdef = {code for code, cid in cids.items() if gid(cid) == 0}
        self.unicode: dict[int, str] = {}
        to_unicode = font.get("/ToUnicode")
        if isinstance(to_unicode, pikepdf.Stream):
            for first, _, rest in _cmap_pairs(to_unicode.read_bytes(), b"bfchar"):
                if first in self.notdef and rest:
                    self.unicode[first] = bytes.fromhex(rest.decode()).decode("utf-16-be", "replace")

    def drawn(self, data: bytes) -> list[int]:
        codes = (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2))
        return [code for code in codes if code in self.notdef]


def _strings(operands: Any) -> Iterator[bytes]:
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            yield bytes(operand)
        elif isinstance(operand, pikepdf.Array):
            yield from _strings(operand)


def notdef_glyphs(r: PdfReading) -> Iterator[str]:
    """``pdf-notdef-glyphs``: every page that draws a composite font's glyph 0 (an empty box)."""
    fonts: dict[tuple[int, int], _Composite | None] = {}
    for number, page in enumerate(r.pdf.pages, 1):
        resources = page.obj.get("/Resources")
        by_name = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(by_name, pikepdf.Dictionary):
            continue
        current: _Composite | None = None
        boxes: dict[str, dict[str, None]] = {}
        for instruction in pikepdf.parse_content_stream(page, "Tf Tj TJ ' \""):
            operands, operator = instruction.operands, instruction.operator  # type: ignore[union-attr]
            if str(operator) == "Tf":
                font = by_name.get(str(operands[0])) if operands else None
                current = _composite(font, fonts)
                continue
            if current is None:
                continue
            for data in _strings(operands):
                for code in current.drawn(data):
                    char = current.unicode.get(code, "")
                    boxes.setdefault(current.name, {})[_describe(char) if char else f"code {code:04X}"] = None
        for name, chars in boxes.items():
            yield (f"page {number} draws {len(chars)} character{'s' if len(chars) > 1 else ''} as empty boxes, "
                   f"glyphs {name} does not have ({_places(list(chars))}); choose a font that has them, or write "
                   "the text without them")


def _composite(font: Any, fonts: dict[tuple[int, int], _Composite | None]) -> _Composite | None:
    if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != pikepdf.Name.Type0:
        return None
    key = font.objgen if font.is_indirect else (id(font), -1)
    if key not in fonts:
        try:
            fonts[key] = _Composite(font)
        except (KeyError, AttributeError, IndexError, ValueError, TypeError):
            fonts[key] = None  # a font too damaged to read: the fonts rule speaks of it
    return fonts[key]


def _describe(char: str) -> str:
    return " ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in char)


# --- A Word file that reaches outside itself ----------------------------------------

RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def outside_targets(path: Path) -> list[str]:
    """What the Word file at ``path`` names outside itself: external targets other than hyperlinks, and
    parts named outside the package or missing from it (which python-docx cannot open)."""
    problems = []
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            for name in sorted(n for n in names if n.endswith(".rels")):
                source = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> word
                for rel in etree.fromstring(package.read(name)).iter(RELATIONSHIPS):
                    target, kind = rel.get("Target") or "", (rel.get("Type") or "").rsplit("/", 1)[-1]
                    if rel.get("TargetMode") == "External":
                        if rel.get("Type") != HYPERLINK:
                            problems.append(f"{name} links a {kind} to {target[:80]}")
                        continue
                    part = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                              else posixpath.join(source, target))
                    if part.startswith("..") or part not in names:
                        problems.append(f"{name} names the part {target[:80]}, which is not in the file")
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError, ValueError):
        return []  # the reader says the file is damaged
    return problems


def external_relationships(d: DocxReading) -> Iterator[str]:
    """``docx-external-relationships``: the file reaches nothing outside itself but web addresses."""
    yield from _outside_message(outside_targets(d.path))


def _outside_message(problems: list[str]) -> Iterator[str]:
    if problems:
        yield (f"the file reaches outside itself: {_places(problems)}; Word fetches these when it opens the file "
               "and archives refuse them: embed the picture or template, or remove the link, and save again")


def unopened(path: Path) -> list[str]:
    """The ``docx-external-relationships`` messages of a file python-docx could not open, if that is why."""
    return list(_outside_message(outside_targets(path)))
