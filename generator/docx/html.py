"""Writer: HTML -> DOCX, what the writer reads of the HTML.

The vocabulary (which tags and classes map onto which Word styles, which
elements are supported and where), parsing, the ``<head>`` (title, language,
author...) and the error message for an element the writer does not know.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from generator.docx.inline import INLINE_TAGS, classes
from generator.docx.package import Metadata, word_lang
from generator.errors import MissionpressError
from generator.render.origin import Origin

# class -> paragraph style; an element's own class wins, else the nearest ancestor's.
CLASS_STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "lead": "Lead",
    "small": "Small",
    "caption": "Caption",
    "quote": "Quote",
    "toc-heading": "TOC Heading",
}
# class -> paragraph style, on a <p> only (the poster's <div class="edition"> is a container).
PARAGRAPH_CLASS_STYLES = {
    "title-translation": "Title Translation",
    "edition": "Edition",
    "signature-line": "Signature Line",
}
HEADING_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
HEADING_CLASSES = {"Title", "Subtitle", "TOC Heading"}  # the only class styles a heading takes
LABEL = "Label"  # <h2 class="small">...: a small heading, a label over what follows
CONTAINERS = ("body", "section", "div", "article", "main", "header", "footer", "nav", "aside", "figure")
HEAD_TAGS = frozenset({"title", "meta", "style", "link"})  # read or ignored: CSS is for the PDF
TABLE_PARTS = frozenset({"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"})
PARENTS = {"li": "<ol> or <ul>", "tr": "<table>", "td": "<tr>", "th": "<tr>", "thead": "<table>",
           "tbody": "<table>", "tfoot": "<table>", "caption": "<table>", "colgroup": "<table>",
           "col": "<colgroup>"}
LISTS = ("ol", "ul")
BLOCK_TAGS = (*CONTAINERS, *HEADING_STYLES, "p", "blockquote", "figcaption", "hr", *LISTS, "li", "table")
# Every element the writer reads (for error messages and the README).
SUPPORTED = tuple(sorted({"html", "head", "body", *HEAD_TAGS, *BLOCK_TAGS, *TABLE_PARTS, *INLINE_TAGS}))

# Classes with a meaning of their own in Word (see templates/handbook.html).
NEW_PAGE, PAGE_BREAK = "new-page", "page-break"
COVER = "cover"  # a section alone on the first page, without header or footer
RUNNING = "running"  # <header>/<footer> that become the page header/footer
TOC = "toc"  # <nav> whose lists become a Word table of contents
COLUMNS = "columns"  # a container whose child blocks stand side by side (Word section columns)
BALANCED = re.compile(r"balanced-(\d)")  # a block whose text flows through N balanced columns (a Word section)
ROW = "row"  # a container whose child blocks sit side by side in one row (a borderless Word table)
KEEP_TOGETHER = "keep-together"  # a container kept on one page
INLINE_LIST = "inline"  # <ul class="inline">: the items as one row (the poster's core values)
TASKS = "tasks"  # <ul class="tasks">: items to tick off (checkboxes in Word)
FEATURED = {"goals"}  # <ol class="goals">: bold numbers in the accent color
# container class -> the style set of its contents
VARIANTS = {"statement": "Statement", "vision": "Vision", "cover": "Cover", "mission": "Mission", "goals": "Goals",
            "values": "Values", "paired": "Paired"}
VALUES = "values"  # emphasis inside is a featured value ("Core Value" character style)
SHOWCASE = "showcase"  # <body class="poster showcase">: the showcase poster (generator/docx/showcase.py)
MASTHEAD = "masthead"  # its title band
BRAND = "brand"  # <footer class="brand">: its footer band (logo, organization, QR code)
TILES = "core-values"  # <ul class="core-values">: its core values as tiles
SCALE = re.compile(r"--scale\s*:\s*([0-9]*\.?[0-9]+)")


def parse(html: str, template: str) -> HtmlElement:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise MissionpressError(f"{template}: the rendered HTML cannot be read ({exc})") from None


def read_head(root: HtmlElement, origin: Origin) -> Metadata:
    """Title, language, author, description and keywords; lang and title are required."""
    lang = (root.get("lang") or "").strip()
    if not lang:
        raise MissionpressError(f'{origin.element(root)}: <html> has no lang attribute (write <html lang="en">)')
    head = root.find("head")
    head_children = [el for el in head if isinstance(el.tag, str)] if head is not None else []
    for el in head_children:
        if el.tag not in HEAD_TAGS:
            raise MissionpressError(unsupported(el, origin.element(el)))
    title = " ".join((head.findtext("title") or "").split()) if head is not None else ""
    if not title:
        raise MissionpressError(f"{origin.element(root)}: <title> is missing or empty (give the document a title)")
    metas = (el for el in head_children if el.tag == "meta")
    meta = {(el.get("name") or "").lower(): el.get("content") or "" for el in metas}
    return Metadata(title=title, lang=word_lang(lang), author=meta.get("author", ""),
                    description=meta.get("description", ""), keywords=meta.get("keywords", ""))


def unsupported(el: HtmlElement, place: str) -> str:
    """The message for an element the writer does not know, at ``place`` (``file:line``)."""
    return (f"{place}: <{el.tag}> is not supported by the Word writer "
            f"(supported: {', '.join(SUPPORTED)}; remove it or render it only for the PDF)")


def own_style(el: HtmlElement) -> str | None:
    """The paragraph style of the element's own first known class."""
    return next((CLASS_STYLES[c] for c in classes(el) if c in CLASS_STYLES), None)


def paragraph_style(el: HtmlElement) -> str | None:
    """The paragraph style of a ``<p>``'s class."""
    names = classes(el)
    return next((PARAGRAPH_CLASS_STYLES[c] for c in names if c in PARAGRAPH_CLASS_STYLES), None) or own_style(el)


def heading_style(el: HtmlElement) -> str:
    """The paragraph style of ``<h1>``...``<h4>``: its heading level unless a class says otherwise."""
    own = own_style(el)
    if own in HEADING_CLASSES:
        return own
    if "small" in classes(el) and el.tag != "h1":
        return LABEL
    return HEADING_STYLES[el.tag]


def document_kind(root: HtmlElement) -> str:
    """The document's kind, its body's first class: ``poster``, ``handbook``, ``packet``; the showcase
    poster's is ``showcase``, followed by ``bilingual`` and ``landscape`` where its body has them."""
    body = root.find("body")
    names = classes(body) if body is not None else []
    if SHOWCASE in names:
        return " ".join([SHOWCASE, *(name for name in ("bilingual", "landscape") if name in names)])
    return names[0] if names else ""


def type_scale(root: HtmlElement) -> float:
    """The poster's fitted type scale: the ``--scale`` of the root element's style, else the last one
    the stylesheet sets, else 1."""
    head = root.find("head")
    css = " ".join(style.text or "" for style in head.iter("style")) if head is not None else ""
    found = SCALE.findall(root.get("style") or "") or SCALE.findall(css)
    return float(found[-1]) if found else 1.0


def first_chapter_title(root: HtmlElement) -> str:
    """The text of the first heading that becomes a Heading 1 (a running header's cached result)."""
    body = root.find("body")
    for h1 in body.iter("h1") if body is not None else ():
        if heading_style(h1) == "Heading 1":
            return " ".join(h1.text_content().split())
    return ""
