"""check: reading a .docx as Word resolves it, for the DOCX rules and for parity.

:class:`DocxReading` holds the python-docx document and answers the questions the
rules ask of its XML: a paragraph's heading level (direct outline level, then the
style chain through ``basedOn``: an outline level or a "heading N" name), a run's
effective color, boldness and size (run, character style chain, paragraph style
chain, document defaults), the numbering format of a list paragraph, and the text
of the body in document order (headers and footers apart).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.styles import BabelFish

from generator.check.bounds import docx_too_large

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
HEADING_NAME = re.compile(r"heading ([1-9])", re.IGNORECASE)
FALSE = ("0", "false", "off")
TEXT_TAGS = {W + "t": None, W + "tab": " ", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-",
             W + "softHyphen": "\u00ad"}


def _val(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return None if found is None else found.get(W + "val")


def paragraph_text(element: Any) -> str:
    """The text of a paragraph (or any element), leaving out nested text boxes and fallback copies."""
    out: list[str] = []

    def visit(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in (W + "txbxContent", MC_FALLBACK, W + "delText", W + "instrText"):
                continue
            if tag == W + "sdt" and child.find(f"{W}sdtPr/{W14}checkbox") is not None:
                continue  # a checkbox to tick, not text
            if tag in TEXT_TAGS:
                out.append((child.text or "") if TEXT_TAGS[tag] is None else str(TEXT_TAGS[tag]))
            elif tag == W + "p" and out:
                out.append("\n")
                visit(child)
            else:
                visit(child)

    visit(element)
    return "".join(out)


class Style:
    """One style of styles.xml, with what the rules read from it."""

    def __init__(self, element: Any) -> None:
        self.id = element.get(W + "styleId") or ""
        self.name = BabelFish.internal2ui(_val(element, W + "name") or self.id)  # "heading 1" -> "Heading 1"
        self.type = element.get(W + "type") or "paragraph"
        self.based_on = _val(element, W + "basedOn")
        self.default = (element.get(W + "default") or "").lower() in ("1", "true")
        self.ppr = element.find(W + "pPr")
        self.rpr = element.find(W + "rPr")


class DocxReading:
    """A .docx opened for checking (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.document = docx.Document(str(path))
        self.body = self.document.element.body
        styles = self.document.styles.element
        self.styles = {s.id: s for s in (Style(e) for e in styles.iter(W + "style"))}
        self.default_para = next((s for s in self.styles.values() if s.type == "paragraph"
                                  and s.default), None)
        self.defaults_rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self._numbering: dict[tuple[str, str], str] | None = None

    # -- parts

    def parts(self) -> Iterator[tuple[str, Any]]:
        """(description, root element) of the body, then every header and footer."""
        yield "the body", self.document.element
        for rel in self.document.part.rels.values():
            kind = rel.reltype.rsplit("/", 1)[-1]
            if kind in ("header", "footer") and not rel.is_external:
                yield f"{kind} {rel.target_part.partname}", rel.target_part.element

    def body_paragraphs(self) -> Iterator[Any]:
        """Every paragraph of the body in document order (in tables too), not in fallback copies."""
        for p in self.body.iter(W + "p"):
            if not any(a.tag == MC_FALLBACK for a in p.iterancestors()):
                yield p

    # -- styles

    def chain(self, style_id: str | None, kind: str = "paragraph") -> list[Style]:
        """A style and the styles it is based on, nearest first (defaults to the default paragraph style)."""
        style = self.styles.get(style_id) if style_id else None
        if style is None and kind == "paragraph":
            style = self.default_para
        found: list[Style] = []
        while style is not None and style not in found and len(found) < 20:
            found.append(style)
            style = self.styles.get(style.based_on) if style.based_on else None
        return found

    def paragraph_styles(self, p: Any) -> list[Style]:
        return self.chain(_val(p, f"{W}pPr/{W}pStyle"))

    def style_name(self, p: Any) -> str:
        chain = self.paragraph_styles(p)
        return chain[0].name if chain else "no style"

    def heading_level(self, p: Any) -> int | None:
        """1-9 for a heading paragraph, None for body text (outline level 9 or none)."""
        direct = _val(p, f"{W}pPr/{W}outlineLvl")
        if direct is not None:
            return _level(direct)
        for style in self.paragraph_styles(p):
            outline = _val(style.ppr, W + "outlineLvl")
            if outline is not None:
                return _level(outline)
            match = HEADING_NAME.fullmatch(style.name)
            if match:
                return int(match.group(1))
        return None

    def is_title(self, p: Any) -> bool:
        return any(s.name.lower() == "title" for s in self.paragraph_styles(p))

    def language(self) -> str | None:
        """The text language: w:lang of the document defaults, or of the default paragraph style."""
        for rpr in (self.defaults_rpr, self.default_para.rpr if self.default_para else None):
            lang = rpr.find(W + "lang") if rpr is not None else None
            if lang is not None and (lang.get(W + "val") or "").strip():
                return lang.get(W + "val")
        return None

    # -- runs

    def _rprs(self, p: Any, run: Any) -> Iterator[tuple[Any, str]]:
        """The run properties that apply to a run, nearest first, each with where it comes from."""
        rpr = run.find(W + "rPr")
        if rpr is not None:
            yield rpr, "set on the text"
        for style in self.chain(_val(rpr, W + "rStyle"), "character") if rpr is not None else []:
            yield style.rpr, f"character style \u201c{style.name}\u201d"
        for style in self.paragraph_styles(p):
            yield style.rpr, f"paragraph style \u201c{style.name}\u201d"
        yield self.defaults_rpr, "document defaults"

    def run_color(self, p: Any, run: Any) -> tuple[str | None, str]:
        """(RRGGBB upper case, or None for automatic, source)."""
        for rpr, source in self._rprs(p, run):
            color = _val(rpr, W + "color")
            if color is not None:
                if color.lower() == "auto" or not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
                    return None, source
                return color.upper(), source
        return None, "default"

    def run_bold(self, p: Any, run: Any) -> bool:
        for rpr, _ in self._rprs(p, run):
            bold = rpr.find(W + "b") if rpr is not None else None
            if bold is not None:
                return (bold.get(W + "val") or "true").lower() not in FALSE
        return False

    def run_size(self, p: Any, run: Any) -> float:
        """The type size in points (Word's default is 10 pt)."""
        for rpr, _ in self._rprs(p, run):
            size = _val(rpr, W + "sz")
            if size is not None and size.isdigit():
                return int(size) / 2
        return 10.0

    # -- numbering

    def number_format(self, p: Any) -> str | None:
        """The numFmt of a list paragraph (``decimal``, ``bullet`` ...), or None when it is not in a list."""
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            for style in self.paragraph_styles(p):
                num_pr = style.ppr.find(W + "numPr") if style.ppr is not None else None
                if num_pr is not None:
                    break
        num_id = _val(num_pr, W + "numId")
        if num_id is None or num_id == "0":
            return None
        return self.numbering().get((num_id, _val(num_pr, W + "ilvl") or "0"))

    def numbering(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) -> numFmt, with level overrides applied."""
        if self._numbering is None:
            self._numbering = {}
            try:
                root = self.document.part.numbering_part.element
            except (KeyError, NotImplementedError):
                return self._numbering
            abstract = {a.get(W + "abstractNumId"): {lvl.get(W + "ilvl"): _val(lvl, W + "numFmt") or "decimal"
                                                     for lvl in a.findall(W + "lvl")}
                        for a in root.findall(W + "abstractNum")}
            for num in root.findall(W + "num"):
                levels = dict(abstract.get(_val(num, W + "abstractNumId"), {}))
                for override in num.findall(W + "lvlOverride"):
                    lvl = override.find(W + "lvl")
                    if lvl is not None and _val(lvl, W + "numFmt"):
                        levels[override.get(W + "ilvl")] = _val(lvl, W + "numFmt")
                for ilvl, fmt in levels.items():
                    self._numbering[(num.get(W + "numId"), ilvl)] = fmt
        return self._numbering


def _level(outline: str) -> int | None:
    return int(outline) + 1 if outline.isdigit() and int(outline) < 9 else None


def open_docx(path: Path) -> DocxReading | str:
    """The file opened for checking, or why it cannot be opened (too large to read, first)."""
    too_large = docx_too_large(path)
    if too_large:
        return too_large
    try:
        return DocxReading(path)
    except (PackageNotFoundError, zipfile.BadZipFile):
        return ("it is not a Word .docx file (not a readable ZIP package); save it from Word as "
                "'Word Document (.docx)' and check again")
    except Exception as error:  # a damaged package raises many types
        return (f"it cannot be opened as a Word document ({type(error).__name__}: {str(error)[:120]}); "
                "open it in Word, save it again and check again")
