"""check: parity of a PDF and a DOCX made from the same document.

Files pair up inside one folder: the same stem (``handbook-letter.pdf`` with
``handbook-letter.docx``), and a poster with its Word handout
(``poster-letter.pdf`` with ``handout-letter.docx``).  For each pair
:func:`check_parity` compares

* the words (``parity-text``): the PDF's text in the structure tree's reading order
  (list labels left out, as Word numbering is not text), or in page order when it
  is untagged, running headers and footers dropped; the DOCX body's paragraphs and
  tables (headers and footers apart).  Whitespace, no-break spaces, line-end
  hyphenation and case are normalised (CSS ``text-transform`` may change case), and
  the dot leaders and page numbers of contents entries are left out.  The only words
  the PDF may have alone are what Word generates: a list number or a contents page
  number printed as text.  The first differing passage is reported with context;
* the headings (``parity-headings``): the PDF's H1-H3 against the DOCX's Heading 1-3,
  text and level; the Title paragraph matches an H1 of the same text (missionpress
  tags ``h1.title`` so) and is passed over when the PDF does not tag it as a heading;
* the numbered lists (``parity-goals``): the items of the PDF's ordered lists (L > LI
  with a number label, or a number as first word) against the DOCX paragraphs numbered
  with a decimal format.

Headings and lists are read from the tags, so an untagged PDF (which fails
``pdf-tagged``) is compared for its words only.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.check.docx_reading import DocxReading, paragraph_text
from generator.check.pdf_reading import HEADING, Node, PdfReading, chars_text, furniture_lines
from generator.check.rules import Finding
from generator.names import twins

CONTEXT = 8
NUMBER_LABEL = re.compile(r"\(?\d+[.)]?")  # a Lbl element's text
TEXT_NUMBER = re.compile(r"\(?\d+[.)]")  # a number set as the first word of an item
# What Word generates and a PDF prints as text: list labels, contents page numbers.
GENERATED = re.compile(r"\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]|\d{1,4}|[ivxlcdm]{1,6}")
CONTENTS_PAGE = re.compile(r"(?:\.{3,}|\u2026{2,})\s*(?:\d+|[ivxlcdm]+)?(?=\s|$)", re.IGNORECASE)
BLANK_LINE = re.compile(r"_{3,}")
TOC_STYLE = re.compile(r"toc \d", re.IGNORECASE)
BULLETS = set("\u2022\u25e6\u25aa\u25cf\u2023\u2043\u00b7-\u2013\u2014\u25a0\u25a1")


def pairs(files: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(pdf, docx) pairs among ``files``, same folder: same stem, or poster-X.pdf with handout-X.docx."""
    by_name = {(f.parent, f.name.lower()): f for f in files}
    found = []
    for (folder, name), pdf in sorted(by_name.items(), key=lambda item: str(item[1])):
        if not name.endswith(".pdf"):
            continue
        for partner in twins(pdf.name):
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
    text = BLANK_LINE.sub(" ", text)  # a line to write on: underscores, or Word's tab with a line leader
    return " ".join(text.split()).casefold()


def words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if not set(w) <= BULLETS]


# -- the PDF side

def pdf_text(r: PdfReading) -> str:
    furniture = furniture_lines(r)
    if r.tree is not None and tagged(r):
        return r.node_text(r.tree, skip=frozenset({"Lbl", "Artifact"}), furniture=furniture)
    chars = [c for page in range(r.page_count()) for c in r.chars(page) if id(c) not in furniture]
    return chars_text(chars)


def pdf_headings(r: PdfReading) -> list[tuple[int, str]]:
    if r.tree is None:
        return []
    found = []
    for node in r.tree.walk():
        match = HEADING.fullmatch(node.role)
        if match and int(match.group(1)) <= 3:
            found.append((int(match.group(1)), normalise(r.node_text(node))))
    return found


def pdf_numbered_items(r: PdfReading) -> list[str]:
    """The items of numbered lists: every LI of an L whose labels are numbers (a Lbl, or the item's first word)."""
    if r.tree is None:
        return []
    items: dict[int, str] = {}
    for node in r.tree.walk():
        if node.role != "L":
            continue
        found: dict[int, str | None] = {}
        for item in (c for c in node.content if isinstance(c, Node) and c.role == "LI"):
            labels = [c for c in item.content if isinstance(c, Node) and c.role == "Lbl"]
            text = normalise(r.node_text(item, skip=frozenset({"L", "Lbl"})))
            label = normalise(" ".join(r.node_text(lbl) for lbl in labels)) if labels else text.split(" ", 1)[0]
            if not labels:  # the number is set as text (LibreOffice): take it off
                text = text[len(label):].strip()
            numbered = NUMBER_LABEL.fullmatch(label) if labels else TEXT_NUMBER.fullmatch(label)
            found[id(item)] = text if numbered else None
        if found and all(text is not None for text in found.values()):
            items.update({key: text or "" for key, text in found.items()})
    return [items[id(node)] for node in r.tree.walk() if id(node) in items]


# -- the DOCX side

def docx_words(d: DocxReading) -> tuple[list[str], set[int]]:
    """The body's words, and the word positions where Word adds text of its own.

    Those positions are the starts of list paragraphs (Word draws their numbers and bullets) and
    the ends of contents entries (Word fills in their page numbers, which are left out here).
    """
    tokens: list[str] = []
    generated: set[int] = set()
    after_contents = False
    for p in d.body_paragraphs():
        text = paragraph_text(p)
        contents = bool(TOC_STYLE.fullmatch(d.style_name(p)))
        if contents:
            text = re.sub(r"\s+(?:\d+|[ivxlcdm]+)\s*$", "", text, flags=re.IGNORECASE)
        if after_contents or d.number_format(p) is not None:
            generated.add(len(tokens))
        tokens += words(text)
        after_contents = contents
    if after_contents:
        generated.add(len(tokens))
    return tokens, generated


def docx_headings(d: DocxReading) -> list[tuple[int, str, bool]]:
    """(level, text, optional): a Title paragraph is an optional level 1 (the PDF may tag it H1 or not)."""
    found = []
    for p in d.body_paragraphs():
        title = d.is_title(p)
        level = 1 if title else d.heading_level(p)
        text = normalise(paragraph_text(p))
        if level is not None and level <= 3 and text:
            found.append((level, text, title))
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


def tagged(r: PdfReading) -> bool:
    return r.tree is not None and any(isinstance(c, Node) for c in r.tree.content)


def _text(pdf: PdfReading, d: DocxReading, other: str) -> list[str]:
    left = words(pdf_text(pdf))
    right, generated = docx_words(d)
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "delete" and j1 in generated
                              and all(GENERATED.fullmatch(t) for t in left[i1:i2])):
            continue  # a list number or a contents page number the PDF prints as text
        return [f"the text differs from {other} at word {i1 + 1}: the PDF reads "
                f"\u201c{_passage(left, i1, i2)}\u201d where the DOCX reads "
                f"\u201c{_passage(right, j1, j2)}\u201d; rebuild both from the same content, or edit one to match"
                + ("" if tagged(pdf) else " (the PDF is untagged, so its reading order is a guess: tag it)")]
    return []


def _headings(pdf: PdfReading, d: DocxReading, other: str) -> list[str]:
    left, right = pdf_headings(pdf), docx_headings(d)
    i = j = 0
    while i < len(left) or j < len(right):
        a = left[i] if i < len(left) else None
        b = right[j] if j < len(right) else None
        if b is not None and b[2] and a != b[:2]:
            j += 1  # a Title the PDF does not tag as a heading
            continue
        if a is not None and b is not None and a == b[:2]:
            i, j = i + 1, j + 1
            continue
        pdf_says = f"H{a[0]} \u201c{a[1]}\u201d" if a else "no more headings"
        docx_says = f"Heading {b[0]} \u201c{b[1]}\u201d" if b else "no more headings"
        return [f"heading {i + 1} differs from {other}: the PDF has {pdf_says}, the DOCX has {docx_says}; "
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


RULES: list[tuple[str, Callable[[PdfReading, DocxReading, str], list[str]]]] = [
    ("parity-text", _text), ("parity-headings", _headings), ("parity-goals", _goals)]


def check_parity(pdf: PdfReading, d: DocxReading) -> list[Finding]:
    """Parity findings for one pair (attributed to the DOCX by the caller; messages name the PDF)."""
    other = pdf.path.name
    findings: list[Finding] = []
    for rule, check in RULES:
        if rule != "parity-text" and not tagged(pdf):
            continue  # headings and lists are read from tags (pdf-tagged already fails)
        try:
            findings += [(rule, message) for message in check(pdf, d, other)]
        except Exception as error:  # a damaged file must not stop the other checks
            findings.append((rule, f"could not be compared with {other} ({type(error).__name__}: {error})"))
    return findings
