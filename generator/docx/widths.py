"""Writer: HTML -> DOCX, how wide written text is set: the bundled faces' advance widths.

A table's columns must be wide enough for the longest word of each cell, or
Word and LibreOffice break the word wherever the cell ends, with no hyphen
("Responsabilida" / "d").  So the runs of a written cell are read back as a
reader resolves them (the run's own size, bold and italic over its character
style over its paragraph style, :class:`generator.docx.styles.Look`), and
each word is shaped by HarfBuzz with the bundled font of its face, the font
the Word file embeds (:mod:`generator.docx.fonts`).  Kerning is left out, as
Word sets the text: it kerns only where a style asks (``w:kern``), and none
does.  Each character is given a twip more (:data:`ROUNDING`) for the reader's
rounding.  Styles are found by their Word ids, read from the styles part once
(again if a style was added since): python-docx's lookup by id is slow.

A word ends at a space, a tab or a line break, and after a hyphen or a soft
hyphen, where both readers may break a line; a no-break space or hyphen joins.
A face the bundle lacks is measured with the nearest face of its family (the
regular for a bold that is drawn by emboldening it); a family the bundle lacks
at :data:`FALLBACK_EM` per character, more than the bundled faces' average.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph

from generator.docx.faces import Face, props
from generator.docx.fonts import bundled
from generator.docx.styles import Look
from generator.paths import FONTS

FALLBACK_EM = 0.6  # ems per character of a family that is not bundled
# Points per character a reader may add: LibreOffice lays text out in whole twips, rounding each advance.
ROUNDING = 0.05
NO_KERNING = {"kern": False}
# Where a line may break: spaces but the no-break ones (removed), after a hyphen or a soft hyphen (kept).
BREAKS = re.compile(r"[^\S\u00a0\u2007\u202f]+|\u200b|(?<=[\-\u00ad\u2010])")
Piece = tuple[str, Face, float, Look]  # text, face, size in points, the look that sets caps and tracking


@lru_cache(maxsize=16)
def _font(path: Path) -> tuple[hb.Font, int]:
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem


def _file(face: Face, folders: tuple[Path, ...]) -> Path | None:
    """The bundled file that draws ``face``: its own, else the nearest face of its family."""
    family = sorted((f for f in bundled(folders).values() if f.face.family == face.family),
                    key=lambda f: (f.face.bold != face.bold) * 2 + (f.face.italic != face.italic))
    return family[0].path if family else None


def advance(text: str, face: Face, size: float, folders: Sequence[Path] = (FONTS,)) -> float:
    """The width in points of ``text`` set in ``face`` at ``size`` points."""
    path = _file(face, tuple(folders))
    if path is None:
        return FALLBACK_EM * size * len(text)
    font, upem = _font(path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, NO_KERNING)
    return sum(p.x_advance for p in buffer.glyph_positions) * size / upem


class Widths:
    """Measures written paragraphs in the faces and sizes of the document's styles."""

    def __init__(self, document: Document, styles: Mapping[str, Look], folders: Sequence[Path] = (FONTS,)) -> None:
        self.document, self.styles, self.folders = document, styles, tuple(folders)
        self.normal = styles.get("Normal", Look())
        self._ids: dict[str, Look] = {}  # style id -> look, read again when styles are added
        self._read = -1  # how many styles the document had when they were read

    def _look(self, style_id: str | None, default: Look) -> Look:
        """The look of the style with ``style_id`` (Word's id, "Heading1"), ``default`` for no style."""
        if style_id is None:
            return default
        if style_id not in self._ids:
            found = self.document.styles.element.findall(qn("w:style"))
            if len(found) != self._read:
                self._read = len(found)
                for style in found:
                    name = style.find(qn("w:name"))
                    ui = BabelFish.internal2ui(name.get(qn("w:val"))) if name is not None else ""
                    if ui in self.styles:
                        self._ids[style.get(qn("w:styleId"))] = self.styles[ui]
        return self._ids.get(style_id, default)

    def extent(self, paragraphs: Iterable[Paragraph], *, bold: bool = False) -> tuple[float, float]:
        """The widths in points of the widest word and the widest line of ``paragraphs``; ``bold``
        is what the table style makes of text that says nothing itself (a header row)."""
        word = line = 0.0
        for paragraph in paragraphs:
            for pieces in self._lines(paragraph, bold):
                line = max(line, sum(self._width(p) for p in pieces))
                word = max(word, max((sum(map(self._width, w)) for w in _words(pieces)), default=0.0))
        return word, line

    def _width(self, piece: Piece) -> float:
        text, face, size, look = piece
        text = text.upper() if look.caps else text
        return advance(text, face, size, self.folders) + (look.tracking + ROUNDING) * len(text)

    def _lines(self, paragraph: Paragraph, bold: bool) -> Iterator[list[Piece]]:
        """The paragraph's text as lines (split at line breaks) of pieces in one face each."""
        ppr = paragraph._p.pPr
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style = self._look(pstyle.get(qn("w:val")) if pstyle is not None else None, self.normal)
        line: list[Piece] = []
        for r in paragraph._p.iter(qn("w:r")):
            face, size, look = self._run(r, style, bold)
            for child in r:
                if child.tag == qn("w:t"):
                    line.append((child.text or "", face, size, look))
                elif child.tag == qn("w:tab"):
                    line.append((" ", face, size, look))
                elif child.tag == qn("w:noBreakHyphen"):
                    line.append(("\u2011", face, size, look))
                elif child.tag == qn("w:softHyphen"):
                    line.append(("\u00ad", face, size, look))
                elif child.tag in (qn("w:br"), qn("w:cr")):
                    yield line
                    line = []
        yield line

    def _run(self, r: BaseOxmlElement, style: Look, bold: bool) -> tuple[Face, float, Look]:
        """The face, size and character look of a run: its own properties over its character style
        over its paragraph's style over Normal."""
        rpr = r.find(qn("w:rPr"))
        family, own_bold, own_italic = props(rpr)
        sz = rpr.find(qn("w:sz")) if rpr is not None else None
        own = Look(font=family, size=int(sz.get(qn("w:val"))) / 2 if sz is not None else None,
                   bold=own_bold, italic=own_italic)
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        char = self._look(rstyle.get(qn("w:val")) if rstyle is not None else None, Look())
        layers = (own, char, style, self.normal)
        family = next((look.font for look in layers if look.font), "")
        size = next((look.size for look in layers if look.size), 0.0)
        strong = next((look.bold for look in layers if look.bold is not None), bold)
        italic = next((look.italic for look in layers if look.italic is not None), False)
        shown = Look(caps=char.caps or style.caps, tracking=char.tracking or style.tracking)
        return Face(family, strong, italic), size, shown

def _words(line: list[Piece]) -> Iterator[list[Piece]]:
    """The unbreakable words of a line, each as its pieces (a word may change face midway)."""
    word: list[Piece] = []
    for text, face, size, look in line:
        parts = BREAKS.split(text)
        for n, part in enumerate(parts):
            if n:  # a break opportunity before this part
                if word:
                    yield word
                word = []
            if part:  # a soft hyphen shows only where the line breaks: at the end of a word
                word.append((part.replace("\u00ad", "-"), face, size, look))
    if word:
        yield word
