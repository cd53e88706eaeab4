"""Word writer: blocks that many documents share, written once and copied.

The onboarding packets of a batch differ in their first and last pages; the
pages between (the statement, the checklist) are the same for everyone, and
so are most paragraphs of a letter.  A :class:`SharedBlocks` remembers what
writing a block of the body (a section, or a paragraph in one) made: the body
elements (paragraphs and tables), the list instances it numbered, the
pictures and links it related, the bookmark, picture and checkbox ids it
took, the font faces it shows, and what it left pending for the next block.
The next document with the same block (the same HTML) in the same state
copies those elements (an lxml deepcopy) instead of walking the HTML again:
list instances are made again in the same order and the copies' list numbers
point at them, relationships are added again (and their ids rewritten), and
bookmark, picture and checkbox ids are shifted to follow on from the
document's own.  The document is byte for byte what walking the whole HTML
makes (``tests/test_docx_reuse.py`` compares them).

A block is remembered only when copying it is known to be the same as
walking it: blocks that change anything outside their own body elements
(the cover, running headers and footers, the contents, columns, anything
that ends a section), and the blocks inside them, are always walked.
"""

from __future__ import annotations

import copy
import io
import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.parts.image import ImagePart
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml.html import HtmlElement

from generator.docx.blocks import Scope
from generator.docx.faces import Face, Resolver
from generator.docx.html import COLUMNS, COVER, RUNNING, TOC
from generator.docx.inline import classes
from generator.docx.numbering import Kind as NumberKind

if TYPE_CHECKING:
    from generator.docx.writer import Writer

ENABLED = True  # off: every block is walked (for comparison)
KEEP = 64  # blocks remembered; the one unused longest is forgotten first
WALKED_ALWAYS = frozenset({COVER, RUNNING, TOC, COLUMNS})  # classes whose blocks change more than their own
WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
R_ID, R_EMBED, R_LINK = qn("r:id"), qn("r:embed"), qn("r:link")
W_VAL, W_ID = qn("w:val"), qn("w:id")


@dataclass(frozen=True)
class Relation:
    """A relationship a block's walk asked for: a picture (its bytes) or an external link."""

    reltype: str
    url: str | None = None
    image: bytes | None = None


@dataclass
class Written:
    """What walking one block made, to be copied into the next document that has it."""

    elements: list[Any]  # the new body children, detached copies
    made: list[int]  # which of them are paragraphs the writer keeps in ``made`` (indexes)
    lists: list[tuple[tuple[NumberKind, int, int], int]]  # new_list arguments -> the numId it gave, in order
    relations: list[tuple[Relation, str]]  # each relationship asked for -> the rId it got, in order
    ids: tuple[int, int, int]  # the first drawing, bookmark and checkbox ids the block took
    used: tuple[int, int, int]  # how many of each it took
    pending_break: bool  # left for the next block
    pending_bookmarks: tuple[str, ...]
    faces: set[Face]  # the font faces its paragraphs show


@dataclass
class SharedBlocks:
    """Blocks written once and copied into the documents that share them (one per batch language).

    A block is remembered the second time it is met: a block met once (a person's own
    letter) is walked, and the blocks inside it are remembered on their own (most of
    a letter's paragraphs are the same for everyone).
    """

    keep: int = KEEP
    written: dict[Hashable, Written] = field(default_factory=dict)
    seen: dict[int, None] = field(default_factory=dict)  # hashes of the keys met once
    hits: int = 0  # blocks copied, not walked (for tests and benchmarks)
    recording: bool = False

    def place(self, writer: Writer, el: HtmlElement, scope: Scope, walk: Callable[[], None]) -> None:
        """Write the block ``el``: copied if it was written before in the same state, else walked."""
        key = _key(writer, el, scope) if ENABLED else None
        if key is None:
            walk()
            return
        found = self.written.pop(key, None)
        if found is not None:
            self.written[key] = found  # the most recently used is forgotten last
            _copy(writer, found)
            self.hits += 1
            return
        if self.recording or not self._met_before(key):  # inside a block being recorded: that one is copied
            walk()
            return
        self.recording = True
        try:
            made = _record(writer, walk)
        finally:
            self.recording = False
        if made is not None:
            if len(self.written) >= self.keep:
                self.written.pop(next(iter(self.written)))
            self.written[key] = made

    def _met_before(self, key: Hashable) -> bool:
        number = hash(key)
        if number in self.seen:
            return True
        if len(self.seen) >= 4 * self.keep:
            self.seen.pop(next(iter(self.seen)))
        self.seen[number] = None
        return False


def _key(writer: Writer, el: HtmlElement, scope: Scope) -> Hashable | None:
    """Everything the walk of ``el`` depends on, or None if it must be walked."""
    if (writer.pending_column or writer.contents_end or writer.chapters or writer.chapter_header is not None
            or scope.item is not None or scope.out.container is not writer.document):
        return None
    for ancestor in el.iterancestors():  # inside the cover, a running header, the contents...
        if WALKED_ALWAYS.intersection(classes(ancestor)) or ancestor.tag in ("header", "footer"):
            return None
    links: list[tuple[str, ...]] = []
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if WALKED_ALWAYS.intersection(classes(node)) or node.tag in ("header", "footer"):
            return None
        id_ = node.get("id")
        if id_:
            links.append(("target", id_, writer.bookmarks.get(id_) or ""))
        href = (node.get("href") or "").strip() if node.tag == "a" else ""
        if href.startswith("#"):
            links.append(("anchor", href, str(href[1:] in writer.ids), writer.bookmarks.get(href[1:]) or ""))
        if "chapter-title" in classes(node):
            links.append(("chapter-title", repr(writer.inlines.fields["chapter-title"])))
    return (
        etree.tostring(el, with_tail=False),
        writer.setting_key,  # theme, page, template, language: the same for every block of the document
        tuple(links),
        writer.pending_break,
        tuple(writer.pending_bookmarks),
        frozenset(writer.numbering._unused),
        (scope.style, scope.fmt, scope.depth, scope.variants),
    )


def _peek(owner: Any, name: str) -> int:
    """The next value of the counter ``owner.name``, left unconsumed."""
    value = next(getattr(owner, name))
    setattr(owner, name, itertools.count(value))
    return value


def _counters(writer: Writer) -> tuple[int, int, int]:
    return (_peek(writer.runs, "drawing_ids"), _peek(writer.runs, "bookmark_ids"), _peek(writer, "control_ids"))


def _advance(writer: Writer, used: tuple[int, int, int]) -> None:
    now = _counters(writer)
    writer.runs.drawing_ids = itertools.count(now[0] + used[0])
    writer.runs.bookmark_ids = itertools.count(now[1] + used[1])
    writer.control_ids = itertools.count(now[2] + used[2])


def _record(writer: Writer, walk: Callable[[], None]) -> Written | None:
    """Walk a block, noting what it made; None if it touched more than its own body elements."""
    body = writer.document.element.body
    before = list(body)
    section = body.sectPr
    section_xml = etree.tostring(section) if section is not None else b""
    made_before = len(writer.made)
    ids = _counters(writer)
    styles = len(writer.document.styles.element)
    lists: list[tuple[tuple[NumberKind, int, int], int]] = []
    relations: list[tuple[Relation, str]] = []
    part = writer.document.part
    numbering = writer.numbering
    new_list, relate_to = numbering.new_list, part.relate_to
    refused: list[str] = []

    def noting_new_list(kind: NumberKind, ilvl: int, start: int = 1) -> int:
        num_id = new_list(kind, ilvl, start)
        lists.append(((kind, ilvl, start), num_id))
        return num_id

    def noting_relate_to(target: Any, reltype: str, is_external: bool = False) -> str:
        r_id = relate_to(target, reltype, is_external)
        if is_external:
            relations.append((Relation(reltype, url=target), r_id))
        elif isinstance(target, ImagePart) and reltype == RT.IMAGE:
            relations.append((Relation(reltype, image=target.blob), r_id))
        else:
            refused.append(reltype)
        return r_id

    numbering.new_list = noting_new_list  # type: ignore[method-assign]  # this walk only
    part.relate_to = noting_relate_to  # type: ignore[method-assign]
    try:
        walk()
    finally:
        del numbering.new_list, part.relate_to
    after = list(body)
    kept = len(before) - (section is not None)  # the children before the block's, the section last
    new = after[kept:len(after) - (section is not None)]
    unchanged = after[:kept] == before[:kept] and (
        section is None or (after[-1] is section and etree.tostring(section) == section_xml))
    if (refused or not unchanged or len(writer.document.styles.element) != styles
            or writer.contents_end or writer.chapters or writer.pending_column):
        return None
    positions = {id(el): n for n, el in enumerate(new)}
    made = [positions.get(id(p._p), -1) for p in writer.made[made_before:]]
    if -1 in made:
        return None
    now = _counters(writer)
    return Written(
        elements=[copy.deepcopy(el) for el in new], made=made, lists=lists, relations=relations, ids=ids,
        used=(now[0] - ids[0], now[1] - ids[1], now[2] - ids[2]), pending_break=writer.pending_break,
        pending_bookmarks=tuple(writer.pending_bookmarks), faces=Resolver(writer.document).faces(new))


def _copy(writer: Writer, written: Written) -> None:
    """Put copies of a block written before into ``writer``'s document, as walking it would."""
    document, numbering, part = writer.document, writer.numbering, writer.document.part
    numbers = {str(old): str(numbering.new_list(*args)) for args, old in written.lists}
    rids: dict[str, str] = {}
    for relation, old in written.relations:
        if relation.image is not None:
            rids[old] = part.get_or_add_image(io.BytesIO(relation.image))[0]
        else:
            rids[old] = part.relate_to(relation.url or "", relation.reltype, is_external=True)
    ids = _counters(writer)
    shift = tuple(now - then for now, then in zip(ids, written.ids, strict=True))
    _advance(writer, written.used)
    numbers = {old: new for old, new in numbers.items() if old != new}
    rids = {old: new for old, new in rids.items() if old != new}
    body = document.element.body
    section = body.sectPr
    copies = [copy.deepcopy(el) for el in written.elements]
    for el in copies:
        if any(shift) or numbers or rids:
            _renumber(el, shift, numbers, rids)
        if section is not None:
            section.addprevious(el)
        else:
            body.append(el)
    writer.made.extend(Paragraph(copies[n], document._body) for n in written.made)
    writer.copied.elements.extend(copies)  # their faces are the same as where they were recorded
    writer.copied.faces.update(written.faces)
    writer.pending_break = written.pending_break
    writer.pending_bookmarks = list(written.pending_bookmarks)


def _renumber(el: Any, shift: tuple[int, ...], numbers: dict[str, str], rids: dict[str, str]) -> None:
    """Point a copied element's list numbers, relationships and ids at this document's."""
    drawings, bookmarks, controls = shift
    for node in el.iter(qn("w:numId"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:sdtPr"), WP_DOC_PR,
                        qn("w:hyperlink"), A_BLIP):
        tag = node.tag
        if tag == qn("w:numId"):
            value = node.get(W_VAL)
            if value in numbers:
                node.set(W_VAL, numbers[value])
        elif tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            if bookmarks:
                node.set(W_ID, str(int(node.get(W_ID)) + bookmarks))
        elif tag == qn("w:sdtPr"):
            control = node.find(qn("w:id"))
            if control is not None and controls:
                control.set(W_VAL, str(int(control.get(W_VAL)) + controls))
        elif tag == WP_DOC_PR:
            if drawings:
                number = int(node.get("id")) + drawings
                node.set("id", str(number))
                node.set("name", f"Picture {number}")
        else:
            for name in (R_ID, R_EMBED, R_LINK):
                value = node.get(name)
                if value in rids:
                    node.set(name, rids[value])
