"""check: parity of a PDF and a DOCX made from the same document.

Files pair up inside one folder: the same stem (``handbook-letter.pdf`` with
``handbook-letter.docx``), and a poster with its Word handout
(``poster-letter.pdf`` with ``handout-letter.docx``).  For each pair
:func:`check_parity` compares

* the words (``parity-text``): the PDF's text in the structure tree's reading order
  (list labels left out, as Word numbering is not text), or in page order when it
  is untagged, running headers and footers dropped; the DOCX body's paragraphs and
  tables (headers and footers apart).  The page numbers of contents entries are left
  out on both sides (Word computes its own when it updates the contents field).  Whitespace, no-break spaces, line-end
  hyphenation and case are normalised (CSS ``text-transform`` may change case);
  the first differing passage is reported with context from each side;
* the headings (``parity-headings``): the PDF's H1-H3 against the DOCX's Heading 1-3
  (the Title paragraph counts as level 1: it is the PDF's ``h1.title``), text and level;
* the numbered lists (``parity-goals``): the items of the PDF's ordered lists (L > LI
  with a number label) against the DOCX paragraphs numbered with a decimal format.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .check_docx_read import DocxReading, paragraph_text
from .check_pdf_tree import HEADING, Node, PdfReading, chars_text, furniture_lines

Finding = tuple[str, str]
CONTEXT = 8
NUMBER_LABEL = re.compile(r"\(?\d+[.)]?")
CONTENTS_PAGE = re.compile(r"(?:\.{3,}|\u2026{2,})\s*(?:\d+|[ivxlcdm]+)?(?=\s|$)", re.IGNORECASE)
TOC_STYLE = re.compile(r"toc \d", re.IGNORECASE)
BULLETS = set("\u2022\u25e6\u25aa\u25cf\u2023\u2043\u00b7-\u2013\u2014\u25a0\u25a1")


def pairs(files: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(pdf, docx) pairs among ``files``, same folder: same stem, or poster-X.pdf with handout-X.docx."""
    by_name = {(f.parent, f.name.lower()): f for f in files}
    found = []
    for (folder, name), pdf in sorted(by_name.items(), key=lambda item: str(item[1])):
        if not name.endswith(".pdf"):
            continue
        stem = pdf.name[:-4]
        partners = [stem + ".docx"]
        if stem.lower().startswith("poster-"):
            partners.append("handout-" + stem[len("poster-"):] + ".docx")
        for partner in partners:
            docx_file = by_name.get((folder, partner.lower()))
            if docx_file is not None:
                found.append((pdf, docx_file))
                break
    return found


def normalise(text: str) -> str:
    """Text as a reader compares it: hyphenation joined, one kind of space, leader dots gone, case folded."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010\u00ad][ \t]*\n\s*", "", text)
    text = re.sub(r"-[ \t]*\n\s*", "-", text)
    text = text.replace("\u00ad", "").replace("\u2010", "-").replace("\u2011", "-")
    text = CONTENTS_PAGE.sub(" ", text)  # dot leaders and page numbers of a contents entry
    return " ".join(text.split()).casefold()


def words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if not set(w) <= BULLETS]


# -- the PDF side

def pdf_text(r: PdfReading) -> str:
    furniture = furniture_lines(r)
    tree = r.tree
    if tree is not None and any(isinstance(c, Node) for c in tree.content):
        return r.node_text(tree, skip=frozenset({"Lbl", "Artifact"}), furniture=furniture)
    chars = [c for page in range(r.page_count()) for c in r.chars(page) if id(c) not in furniture]
    return chars_text(chars)


def pdf_headings(r: PdfReading) -> list[tuple[int, str]]:
    if r.tree is None:
        return []
    found = []
    for node in r.tree.walk():
        match = HEADING.fullmatch(node.role)
        if match and int(match.group(1)) <= 3:
            found.append((int(match.group(1)), " ".join(normalise(r.node_text(node)).split())))
    return found


def pdf_numbered_items(r: PdfReading) -> list[str]:
    if r.tree is None:
        return []
    numbered: set[int] = set()
    for node in r.tree.walk():
        if node.role != "L":
            continue
        items = [c for c in node.content if isinstance(c, Node) and c.role == "LI"]
        labels = [c for item in items for c in item.content if isinstance(c, Node) and c.role == "Lbl"]
        if labels and all(NUMBER_LABEL.fullmatch(normalise(r.node_text(lbl))) for lbl in labels):
            numbered.update(id(item) for item in items)
    skip = frozenset({"L", "Lbl"})
    return [normalise(r.node_text(node, skip=skip)) for node in r.tree.walk() if id(node) in numbered]


# -- the DOCX side

def docx_text(d: DocxReading) -> str:
    """The body's text; a contents entry's page number (Word fills it in) is left out."""
    lines = []
    for p in d.body_paragraphs():
        text = paragraph_text(p)
        if TOC_STYLE.fullmatch(d.style_name(p)):
            text = re.sub(r"\s+(?:\d+|[ivxlcdm]+)\s*$", "", text, flags=re.IGNORECASE)
        lines.append(text)
    return "\n".join(lines)


def docx_headings(d: DocxReading) -> list[tuple[int, str]]:
    found = []
    for p in d.body_paragraphs():
        level = 1 if d.is_title(p) else d.heading_level(p)
        text = normalise(paragraph_text(p))
        if level is not None and level <= 3 and text:
            found.append((level, text))
    return found


def docx_numbered_items(d: DocxReading) -> list[str]:
    return [normalise(paragraph_text(p)) for p in d.body_paragraphs()
            if (d.number_format(p) or "").startswith("decimal")]


# -- comparing

def _passage(tokens: list[str], start: int, end: int) -> str:
    before = tokens[max(0, start - CONTEXT):start]
    changed = tokens[start:end]
    after = tokens[end:end + CONTEXT]
    middle = "[" + " ".join(changed) + "]" if changed else "[]"
    return " ".join(["\u2026" if start > CONTEXT else ""] + before + [middle] + after).strip()


def _text(pdf: PdfReading, d: DocxReading, other: str) -> list[str]:
    left, right = words(pdf_text(pdf)), words(docx_text(d))
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return [f"the text differs from {other} at word {i1 + 1}: the PDF reads \u201c{_passage(left, i1, i2)}\u201d"
                    f" where the DOCX reads \u201c{_passage(right, j1, j2)}\u201d; rebuild both from the same "
                    "content, or edit one to match"]
    return []


def _headings(pdf: PdfReading, d: DocxReading, other: str) -> list[str]:
    left, right = pdf_headings(pdf), docx_headings(d)
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else None
        b = right[index] if index < len(right) else None
        if a == b:
            continue
        pdf_says = f"H{a[0]} \u201c{a[1]}\u201d" if a else "no heading"
        docx_says = f"Heading {b[0]} \u201c{b[1]}\u201d" if b else "no heading"
        return [f"heading {index + 1} differs from {other}: the PDF has {pdf_says}, the DOCX has {docx_says}; "
                "give both the same headings at the same levels"]
    return []


def _goals(pdf: PdfReading, d: DocxReading, other: str) -> list[str]:
    left, right = pdf_numbered_items(pdf), docx_numbered_items(d)
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else None
        b = right[index] if index < len(right) else None
        if a != b:
            return [f"numbered item {index + 1} differs from {other}: the PDF has "
                    f"{_quote(a)}, the DOCX has {_quote(b)}; number the same items in both (Word: a numbered "
                    "list, 1. 2. 3.)"]
    return []


def _quote(text: str | None) -> str:
    if text is None:
        return "no item"
    return "\u201c" + (text if len(text) <= 80 else text[:79] + "\u2026") + "\u201d"


def check_parity(pdf: PdfReading, d: DocxReading) -> list[Finding]:
    """Parity findings for one pair (attributed to the DOCX by the caller; messages name the PDF)."""
    other = pdf.path.name
    findings: list[Finding] = []
    for rule, check in (("parity-text", _text), ("parity-headings", _headings), ("parity-goals", _goals)):
        try:
            findings += [(rule, message) for message in check(pdf, d, other)]
        except Exception as error:  # a damaged file must not stop the other checks
            findings.append((rule, f"could not be compared with {other} ({type(error).__name__}: {error})"))
    return findings
