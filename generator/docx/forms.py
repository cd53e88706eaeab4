"""Writer: HTML -> DOCX, things to fill in: checkboxes and signature lines.

- ``<ul class="tasks">`` items start with a tickable checkbox content control
  (``w14:checkbox``, Word 2010 and later; LibreOffice 7.4 and later): a click
  ticks it.  A reader that does not know content controls shows the box
  character.  The box is set in a bundled font, embedded with the file.  The
  paragraphs are in the "Checklist" style, whose hanging indent lines the
  text up after the box, as the PDF's drawn box.
- A paragraph in the "Signature Line" style turns a run of underscores into
  a tab whose leader is a line up to a fixed stop, so the line stays put when
  someone types their name before it.
"""

from __future__ import annotations

import re

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from generator.docx.ooxml import element

UNCHECKED, CHECKED = "2610", "2612"  # BALLOT BOX, BALLOT BOX WITH X
# The boxes' font: bundled (a subset holding the ballot boxes), so it is embedded with the file and
# Word and LibreOffice show the same box on any computer (Word's own default is MS Gothic).
BOX_FONT = "Noto Sans Symbols2"
BLANK = re.compile(r"_{3,}")  # underscores meant as a line to write on
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def checkbox(paragraph: Paragraph, control_id: int) -> None:
    """Put a tickable checkbox and a tab at the start of ``paragraph``."""
    fonts = f'<w:rFonts w:ascii="{BOX_FONT}" w:hAnsi="{BOX_FONT}" w:eastAsia="{BOX_FONT}" w:cs="{BOX_FONT}"/>'
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")} xmlns:w14="{W14}"><w:sdtPr><w:rPr>{fonts}</w:rPr>'
        f'<w:id w:val="{control_id}"/><w14:checkbox><w14:checked w14:val="0"/>'
        f'<w14:checkedState w14:val="{CHECKED}" w14:font="{BOX_FONT}"/>'
        f'<w14:uncheckedState w14:val="{UNCHECKED}" w14:font="{BOX_FONT}"/></w14:checkbox></w:sdtPr>'
        f'<w:sdtContent><w:r><w:rPr>{fonts}</w:rPr><w:t>{chr(int(UNCHECKED, 16))}</w:t></w:r></w:sdtContent>'
        f"</w:sdt>"
    )
    tab = element("w:r")
    tab.append(element("w:tab"))
    ppr = paragraph._p.pPr
    index = list(paragraph._p).index(ppr) + 1 if ppr is not None else 0
    paragraph._p.insert(index, tab)
    paragraph._p.insert(index, sdt)


def signature_blanks(paragraph: Paragraph) -> None:
    """Runs of underscores become one tab to the style's underlined stop."""
    for t in list(paragraph._p.iter(qn("w:t"))):
        text = t.text or ""
        if not BLANK.search(text):
            continue
        run: BaseOxmlElement = t.getparent()
        parts = BLANK.split(text)
        t.text = parts[0].rstrip(" ") + " " if parts[0].strip() else parts[0]
        t.set(qn("xml:space"), "preserve")
        anchor = t
        for rest in parts[1:]:
            tab = element("w:tab")
            anchor.addnext(tab)
            anchor = tab
            if rest:
                more = element("w:t")
                more.set(qn("xml:space"), "preserve")
                more.text = rest
                anchor.addnext(more)
                anchor = more
        if not t.text:
            run.remove(t)
