"""Writer: HTML -> DOCX, inline content: HTML phrasing elements -> Word runs.

Two steps.  :class:`Inlines` walks text, ``em``, ``strong``, ``a``, ``br``,
``img``... of one paragraph into a flat list of items, each with the
formatting (:class:`Fmt`) its ancestors give it.  :class:`Runs` collapses the
whitespace of that list as a browser would (keeping U+00A0 no-break spaces)
and writes it as runs with character styles, ``w:hyperlink`` groups,
pictures, fields and bookmarks.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import NoReturn, TypeAlias

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.html import HtmlElement

from generator.docx.images import Image, floating
from generator.docx.ooxml import NUMPAGES, PAGE, Field, bookmark, hyperlink, set_alt_text, set_run_lang

WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace: not U+00A0
FIELD_CLASSES = {"page-number": PAGE, "page-count": NUMPAGES}


@dataclass(frozen=True, eq=False)
class Link:
    """The target of one ``<a>``: an external URL or a bookmark; compared by identity."""

    url: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Fmt:
    """Formatting an inline element gives the text inside it."""

    emphasis: bool = False
    strong: bool = False
    emphasis_style: str = "Emphasis"  # the character style of emphasis here ("Core Value" in values)
    small: bool = False
    vert: str | None = None  # "superscript" or "subscript"
    lang: str | None = None
    link: Link | None = None


@dataclass
class Text:
    text: str
    fmt: Fmt


@dataclass
class Break:
    fmt: Fmt


@dataclass
class Picture:
    image: Image
    fmt: Fmt


@dataclass
class FieldItem:
    field: Field
    fmt: Fmt


@dataclass
class Bookmark:
    name: str
    fmt: Fmt = field(default_factory=Fmt)


@dataclass
class Control:
    """An ``<input>``: a content control to fill in (:func:`generator.docx.forms.control`)."""

    kind: str  # checkbox, date (an input of class "date") or text
    name: str
    title: str
    fmt: Fmt


Item: TypeAlias = Text | Break | Picture | FieldItem | Bookmark | Control
Piece: TypeAlias = str | HtmlElement

# tag -> the formatting it adds; br, img and a are handled apart.
FORMATS: dict[str, Callable[[Fmt], Fmt]] = {
    "span": lambda f: f,
    "em": lambda f: replace(f, emphasis=True),
    "i": lambda f: replace(f, emphasis=True),
    "strong": lambda f: replace(f, strong=True),
    "b": lambda f: replace(f, strong=True),
    "small": lambda f: replace(f, small=True),
    "sup": lambda f: replace(f, vert="superscript"),
    "sub": lambda f: replace(f, vert="subscript"),
}
INLINE_TAGS = frozenset(FORMATS) | {"a", "br", "img", "input"}


def classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def pieces(el: HtmlElement) -> Iterator[Piece]:
    """The text and child elements of ``el`` in document order (tails included)."""
    if el.text:
        yield el.text
    for child in el:
        yield child
        if child.tail:
            yield child.tail


@dataclass
class Inlines:
    """Collects the inline items of a paragraph; the writer supplies the lookups."""

    fail: Callable[[HtmlElement], NoReturn]  # raise the error for an element out of place
    lang: Callable[[HtmlElement], str | None]  # the Word language of an element's lang
    anchor: Callable[[HtmlElement, str], str]  # bookmark name for href="#id"
    target: Callable[[HtmlElement], str | None]  # bookmark name if el's id is a link target
    picture: Callable[[HtmlElement], Image]
    fields: Mapping[str, Field] = field(default_factory=lambda: FIELD_CLASSES)  # class -> field

    def collect(self, parts: Iterable[Piece], fmt: Fmt) -> list[Item]:
        out: list[Item] = []
        for part in parts:
            if isinstance(part, str):
                out.append(Text(part, fmt))
            elif isinstance(part.tag, str):  # comments and processing instructions have none
                self._element(part, fmt, out)
        return out

    def content(self, el: HtmlElement, fmt: Fmt) -> list[Item]:
        """The items inside ``el`` (or its field, if it is a page number or the like)."""
        found = self.field_of(el)
        return [FieldItem(found, fmt)] if found else self.collect(pieces(el), fmt)

    def field_of(self, el: HtmlElement) -> Field | None:
        """The field an element with class ``page-number``, ``page-count``... stands for."""
        return next((self.fields[c] for c in classes(el) if c in self.fields), None)

    def _element(self, el: HtmlElement, fmt: Fmt, out: list[Item]) -> None:
        tag = el.tag
        if tag not in INLINE_TAGS:
            self.fail(el)
        name = self.target(el)
        if name:
            out.append(Bookmark(name, fmt))
        lang = self.lang(el)
        if lang:
            fmt = replace(fmt, lang=lang)
        if tag == "br":
            out.append(Break(fmt))
        elif tag == "input":
            kind = "checkbox" if el.get("type") == "checkbox" else "date" if "date" in classes(el) else "text"
            out.append(Control(kind, el.get("name") or "", el.get("title") or "", fmt))
        elif tag == "img":
            out.append(Picture(self.picture(el), fmt))
        else:
            out.extend(self.content(el, self._link(el, fmt) if tag == "a" else FORMATS[tag](fmt)))

    def _link(self, el: HtmlElement, fmt: Fmt) -> Fmt:
        href = (el.get("href") or "").strip()
        if not href:
            return fmt
        if href.startswith("#"):
            return replace(fmt, link=Link(anchor=self.anchor(el, href[1:])))
        return replace(fmt, link=Link(url=href))


def collapse(items: list[Item]) -> list[Item]:
    """Whitespace as a browser shows it: runs of it become one space, none at line ends."""
    out: list[Item] = []
    line_start, after_space = True, False
    for item in items:
        if isinstance(item, Text):
            text = WHITESPACE.sub(" ", item.text)
            if line_start or after_space:
                text = text.lstrip(" ")
            if not text:
                continue
            item = Text(text, item.fmt)
            line_start, after_space = False, text.endswith(" ")
        elif isinstance(item, Break):
            _strip_trailing_space(out)
            line_start, after_space = True, False
        elif not isinstance(item, Bookmark):
            line_start = after_space = False
        out.append(item)
    _strip_trailing_space(out)
    return out


def _strip_trailing_space(out: list[Item]) -> None:
    last = next((i for i in reversed(range(len(out))) if not isinstance(out[i], Bookmark)), None)
    item = out[last] if last is not None else None
    if not isinstance(item, Text):
        return
    text = item.text.rstrip(" ")
    if text:
        out[last] = Text(text, item.fmt)  # type: ignore[index]
    else:
        del out[last]  # type: ignore[arg-type]


def visible(items: list[Item]) -> bool:
    """Whether collapsed items show anything (bookmarks alone do not)."""
    return any(not isinstance(i, Bookmark) for i in items)


def merge_texts(items: list[Item]) -> list[Item]:
    """Adjacent texts of equal formatting become one, so one run."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, Text) and isinstance(prev, Text) and prev.fmt == item.fmt:
            out[-1] = Text(prev.text + item.text, item.fmt)
        else:
            out.append(item)
    return out


class Runs:
    """Writes collapsed items into paragraphs: runs, hyperlinks, pictures, fields, bookmarks."""

    def __init__(self, *, small: float, doc_lang: str) -> None:
        self.small = small
        self.doc_lang = doc_lang
        self.drawing_ids = itertools.count(1)
        self.bookmark_ids = itertools.count(0)
        self.control: Callable[[Control], list[BaseOxmlElement]] | None = None  # the writer's, for <input>

    def write(self, paragraph: Paragraph, items: list[Item]) -> None:
        link: Link | None = None
        target: BaseOxmlElement = paragraph._p
        langs = {item.fmt.lang for item in items if isinstance(item, Text)}
        if len(langs) == 1 and (lang := langs.pop()) and lang != self.doc_lang:
            # The paragraph mark too: Enter at its end, or text typed into it, stays in its language.
            ppr = paragraph._p.get_or_add_pPr()
            mark = ppr.find(qn("w:rPr"))
            if mark is None:
                mark = OxmlElement("w:rPr")
                ppr.insert_element_before(mark, "w:sectPr", "w:pPrChange")
            set_run_lang(mark, lang)
        for item in merge_texts(items):
            if item.fmt.link is not link:
                link = item.fmt.link
                target = paragraph._p if link is None else self._hyperlink(paragraph, link)
            self._item(paragraph, target, item)

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        """A bookmark at the start of ``paragraph`` (after its properties)."""
        start, end = bookmark(next(self.bookmark_ids), name)
        ppr = paragraph._p.pPr
        index = 1 if ppr is not None else 0
        paragraph._p.insert(index, end)
        paragraph._p.insert(index, start)

    def _item(self, paragraph: Paragraph, target: BaseOxmlElement, item: Item) -> None:
        if isinstance(item, Bookmark):
            target.extend(bookmark(next(self.bookmark_ids), item.name))
            return
        if isinstance(item, Control):
            if self.control is not None:
                target.extend(self.control(item))
            return
        run = self._run(paragraph, item.fmt)
        if isinstance(item, FieldItem):
            target.extend(item.field.runs(run._r.rPr))
            return
        target.append(run._r)
        if isinstance(item, Text):
            run.text = item.text
        elif isinstance(item, Break):
            run.add_break()
        else:
            self._picture(run, item.image)

    def _run(self, paragraph: Paragraph, fmt: Fmt) -> Run:
        run = Run(OxmlElement("w:r"), paragraph)
        style = ("Hyperlink" if fmt.link else "Strong" if fmt.strong
                 else fmt.emphasis_style if fmt.emphasis else None)
        if style:
            run.style = style
        if fmt.strong and style != "Strong":
            run.bold = True
        if fmt.emphasis and style != fmt.emphasis_style:
            run.italic = True
        if fmt.small:
            run.font.size = Pt(self.small)
        if fmt.vert:
            setattr(run.font, fmt.vert, True)
        if fmt.lang and fmt.lang != self.doc_lang:
            set_run_lang(run._r.get_or_add_rPr(), fmt.lang)
        return run

    def _hyperlink(self, paragraph: Paragraph, link: Link) -> BaseOxmlElement:
        if link.url is not None:
            r_id = paragraph.part.relate_to(link.url, RT.HYPERLINK, is_external=True)
            element = hyperlink(r_id=r_id)
        else:
            element = hyperlink(anchor=link.anchor)
        paragraph._p.append(element)
        return element

    def _picture(self, run: Run, image: Image) -> None:
        # What run.add_picture does, but for the drawing's id: python-docx searches the whole
        # document for a free one, set_alt_text numbers it from drawing_ids instead.
        r_id, picture = run.part.get_or_add_image(io.BytesIO(image.blob))
        cx, cy = picture.scaled_dimensions(Emu(image.width), Emu(image.height))
        inline = CT_Inline.new_pic_inline(0, r_id, picture.filename, cx, cy)
        for side in ("distT", "distB", "distL", "distR"):  # absent, LibreOffice pads 1/8 in
            inline.set(side, "0")
        drawing_id = next(self.drawing_ids)
        set_alt_text(inline.docPr, drawing_id, image.alt)
        run._r.add_drawing(floating(inline, image, drawing_id) if image.float else inline)

