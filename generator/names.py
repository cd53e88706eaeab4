"""Output file names: the one place that knows how a document's files are named.

A build names its files here (:func:`output_name`); ``check`` reads the same
names back (:func:`parse_name`) to know the page size a file should have and
which PDF and DOCX are twins made from the same document.  A poster made for a
print shop (bleed, printer's marks or PDF/X-4) carries ``.print`` before its
extension, so it never takes the place of the accessible PDF of the same poster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.content.pages import canonical

COMBINED_PACKETS = "onboarding-all.pdf"
PACKET_FOLDER = "onboarding"

# A poster's Word twin is a handout: a letter or tabloid page to edit and print, not a wall poster.
_WORD_KIND = {"poster": "handout"}
_KIND_OF = {word: kind for kind, word in _WORD_KIND.items()}

_NAME = re.compile(r"(?P<kind>poster|handout|handbook)-(?P<size>[A-Za-z0-9]+?)(?P<landscape>-landscape)?"
                   r"(?:-(?P<layout>[a-z][a-z0-9-]*))?"
                   r"(?:\.(?P<lang>[a-z]{2,3}(?:\+[a-z]{2,3})*))?(?P<print>\.print)?\.(?P<fmt>pdf|docx|html)",
                   re.IGNORECASE)
PRINT = "print"  # the marker of a print-shop file: poster-24x36.es.print.pdf


@dataclass(frozen=True)
class Name:
    """What a file name says of the document in it."""

    document: str  # poster, handbook
    size: str  # canonical size name, e.g. "A3"
    landscape: bool
    lang: str
    fmt: str
    layout: str = "classic"  # a poster's layout
    for_print: bool = False  # made for a print shop: bleed, marks or PDF/X-4


def output_name(document: str, size: str, orientation: str, lang: str, fmt: str, layout: str = "classic",
                for_print: bool = False) -> str:
    """``poster-24x36.pdf``, ``handout-letter.docx``, ``handbook-A4-landscape.es.html``; a poster layout
    other than classic is named after the orientation: ``poster-24x36-showcase.pdf``; a poster's PDF or
    HTML for a print shop ends in ``.print.pdf``: ``poster-letter.en+es.print.pdf`` (the Word handout
    has no print version)."""
    kind = _WORD_KIND.get(document, document) if fmt == "docx" else document
    parts = [kind, size] + (["landscape"] if orientation == "landscape" else [])
    parts += [layout] if layout != "classic" else []
    suffix = "" if lang == "en" else f".{lang}"
    if for_print and fmt != "docx":
        suffix += f".{PRINT}"
    return "-".join(parts) + f"{suffix}.{fmt}"


def parse_name(filename: str) -> Name | None:
    """The document a file name describes, or None for a name missionpress does not make."""
    match = _NAME.fullmatch(filename)
    size = canonical(match.group("size")) if match else None
    if match is None or size is None:
        return None
    kind = match.group("kind").lower()
    return Name(_KIND_OF.get(kind, kind), size, bool(match.group("landscape")),
                (match.group("lang") or "en").lower(), match.group("fmt").lower(), match.group("layout") or "classic",
                bool(match.group("print")))


def twins(pdf_name: str) -> list[str]:
    """The names a PDF's Word twin may have: the same stem, or a poster's handout (of the print file too)."""
    stem = pdf_name[: -len(".pdf")]
    name = parse_name(pdf_name)
    candidates = [stem + ".docx"]
    if name is not None and name.document in _WORD_KIND:
        orientation = "landscape" if name.landscape else "portrait"
        candidates.append(output_name(name.document, name.size, orientation, name.lang, "docx", name.layout))
    return candidates
