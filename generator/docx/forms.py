"""Writer: HTML -> DOCX, things to fill in: checkboxes, content controls, signature lines, whose packet.

- An ``<input>`` of the template becomes a content control where it stands
  (:func:`control`): a ``type="checkbox"`` the tickable box below, a ``date``
  (class) a date picker, any other a plain-text control; ``signature`` (name) a
  line to sign on.  A text control shows the line to write on until filled in;
  its title is the input's ``title`` (the field's accessible name in the PDF)
  and its tag the input's ``name``, which ``collect`` reads back.

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

import html
import re
from collections.abc import Mapping

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
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
DATE_FORMAT = "yyyy-MM-dd"  # what a date picker writes: the same in every language, read back by collect
SIGNATURE = "signature"  # the input of this name is a line to sign on
CUSTOM_PROPERTIES = "/docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_PREFIX = "missionpress."  # custom properties: missionpress.packet, .name, .language


def _checkbox(control_id: int, name: str = "", title: str = "") -> BaseOxmlElement:
    fonts = f'<w:rFonts w:ascii="{BOX_FONT}" w:hAnsi="{BOX_FONT}" w:eastAsia="{BOX_FONT}" w:cs="{BOX_FONT}"/>'
    return parse_xml(
        f'<w:sdt {nsdecls("w")} xmlns:w14="{W14}"><w:sdtPr><w:rPr>{fonts}</w:rPr>{_names(name, title)}'
        f'<w:id w:val="{control_id}"/><w14:checkbox><w14:checked w14:val="0"/>'
        f'<w14:checkedState w14:val="{CHECKED}" w14:font="{BOX_FONT}"/>'
        f'<w14:uncheckedState w14:val="{UNCHECKED}" w14:font="{BOX_FONT}"/></w14:checkbox></w:sdtPr>'
        f'<w:sdtContent><w:r><w:rPr>{fonts}</w:rPr><w:t>{chr(int(UNCHECKED, 16))}</w:t></w:r></w:sdtContent>'
        f"</w:sdt>"
    )


def _names(name: str, title: str) -> str:
    """A control's title (shown by Word on its frame) and tag (its name, for programs)."""
    alias = f'<w:alias w:val="{html.escape(title[:255])}"/>' if title else ""
    return alias + (f'<w:tag w:val="{html.escape(name[:64])}"/>' if name else "")


def _tab() -> BaseOxmlElement:
    tab = element("w:r")
    tab.append(element("w:tab"))
    return tab


def checkbox(paragraph: Paragraph, control_id: int) -> None:
    """Put a tickable checkbox and a tab at the start of ``paragraph``."""
    ppr = paragraph._p.pPr
    index = list(paragraph._p).index(ppr) + 1 if ppr is not None else 0
    paragraph._p.insert(index, _tab())
    paragraph._p.insert(index, _checkbox(control_id))


def control(kind: str, name: str, title: str, control_id: int, lang: str) -> list[BaseOxmlElement]:
    """The runs an ``<input>`` becomes (see the module docstring); ``kind`` is its type, or ``date``."""
    if kind == "checkbox":
        return [_checkbox(control_id, name, title), _tab()]
    if name == SIGNATURE:
        return [_tab()]  # the line to sign on (the style's tab leader)
    picker = (f'<w:date><w:dateFormat w:val="{DATE_FORMAT}"/><w:lid w:val="{html.escape(lang)}"/>'
              '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
              if kind == "date" else "<w:text/>")
    # Until filled in, the control shows its placeholder: the line to write on.
    return [parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr>{_names(name, title)}<w:id w:val="{control_id}"/><w:showingPlcHdr/>'
        f"{picker}</w:sdtPr><w:sdtContent><w:r><w:tab/></w:r></w:sdtContent></w:sdt>")]


def custom_properties(document: Document, values: Mapping[str, str]) -> None:
    """``values`` as the document's custom properties (Word: File > Info > Properties > Advanced > Custom),
    each named ``missionpress.<key>``."""
    properties = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
        f'name="{PROPERTY_PREFIX}{html.escape(key)}">'
        f"<vt:lpwstr>{html.escape(value, quote=False)}</vt:lpwstr></property>"
        for pid, (key, value) in enumerate(values.items(), start=2))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{CUSTOM_NS}" '
           f'xmlns:vt="{VT_NS}">{properties}</Properties>')
    package = document.part.package
    part = Part(PackURI(CUSTOM_PROPERTIES), CUSTOM_TYPE, xml.encode("utf-8"), package)
    package.relate_to(part, CUSTOM_RELATION)


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
