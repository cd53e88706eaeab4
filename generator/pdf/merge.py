"""Writer step for batches: insert pages written once into each person's PDF.

A packet's shared pages (statement, checklist) are laid out *and written*
once per worker; each person's PDF holds only their own pages.  This module
splices the shared pages into the personal PDF with pikepdf and keeps the
document tagged: the shared structure elements join the personal document's
structure tree in reading order, their marked-content keys (StructParents)
are renumbered into its parent tree, their bookmarks join its outline and
their form fields (the checklist's boxes) its form.

``Combination`` puts finished PDFs one after another the same way, for a print
file of every packet, without laying anything out again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, PageLocation

from generator.pdf import forms
from generator.pdf.saving import saved


def _nums(tree: pikepdf.Object) -> list[tuple[int, pikepdf.Object]]:
    nums = tree.ParentTree.Nums
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _first_page(element: pikepdf.Object, pages: dict[tuple[int, int], int]) -> int | None:
    """The index of the first page an element's content is on (depth first)."""
    stack = [element]
    while stack:
        node = stack.pop(0)
        if isinstance(node, Dictionary):
            if "/Pg" in node:
                return pages.get(node.Pg.objgen)
            kids = node.get("/K")
            stack[:0] = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
    return None


def _append_nums(pdf: pikepdf.Pdf, theirs: pikepdf.Object, offset: int) -> int:
    """Another PDF's parent-tree entries (``theirs``: its ``Nums`` as an indirect array) added to ``pdf``'s,
    their keys moved up by ``offset``; the first key after them.

    Copied in one call: the copies share the pages and structure elements copied from
    that PDF before and after.
    """
    copied = pdf.copy_foreign(theirs)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    following = offset
    for i in range(0, len(copied) - 1, 2):
        key = offset + int(copied[i])
        nums.append(key)
        nums.append(copied[i + 1])
        following = max(following, key + 1)
    return following


def _document(root: pikepdf.Object) -> pikepdf.Object:
    kids = root.StructTreeRoot.K
    return kids[0] if isinstance(kids, Array) else kids


def splice(personal: bytes, shared: bytes, at: int, first: Callable[[pikepdf.Pdf], object] | None = None,
           last: Callable[[pikepdf.Pdf], object] | None = None) -> bytes:
    """``personal`` with the pages of ``shared`` inserted before its page ``at`` (0-based).

    ``first`` is applied to ``personal`` before the pages go in (the writer's tag
    finishing), ``last`` to the whole document after (a packet's page footers), so
    the file is opened and saved once, its small objects packed into object streams.
    ``shared`` is opened and read once per process (a batch splices the same pages
    into every packet).
    """
    with _reading, pikepdf.open(io.BytesIO(personal)) as pdf:
        extra = _shared(shared)
        if first is not None:
            first(pdf)
        offset = 1 + max((key for key, _ in _nums(pdf.Root.StructTreeRoot)), default=-1)
        for i, page in enumerate(extra.pdf.pages):
            pdf.pages.insert(at + i, page)
            _renumber(pdf.pages[at + i].obj, offset)
        _append_nums(pdf, extra.nums, offset)
        document = _document(pdf.Root)
        own_pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        kids = list(document.K)
        position = next((i for i, kid in enumerate(kids) if (_first_page(kid, own_pages) or 0) >= at), len(kids))
        copies = [pdf.copy_foreign(section) for section in extra.sections]
        for section in copies:
            section.P = document
        document.K = Array(kids[:position] + copies + kids[position:])
        _splice_outline(pdf, extra, at)
        if extra.fields is not None:
            forms.add_fields(pdf, list(pdf.copy_foreign(extra.fields)))
        if last is not None:
            last(pdf)
        return saved(pdf, pack=True)  # a third smaller: its structure tree's many small objects


@dataclass(frozen=True)
class _Shared:
    """Pages to splice into many documents, opened once: copies are read from it as each document is saved."""

    pdf: pikepdf.Pdf
    sections: list[pikepdf.Object]  # the structure elements of its document, detached from their root
    nums: pikepdf.Object  # its parent tree's entries, as one indirect array
    outline: list[_Bookmark]
    fields: pikepdf.Object | None  # its form's fields, as one indirect array (None: it has no form)


@dataclass(frozen=True)
class _Bookmark:
    title: str
    page: int  # index of its page in the source
    top: float | None
    children: list[_Bookmark]

    def placed(self, at: int) -> OutlineItem:
        """The bookmark for the source's pages placed from page ``at`` on."""
        item = OutlineItem(self.title, at + self.page, PageLocation.XYZ, left=0, top=self.top)
        item.children.extend(child.placed(at) for child in self.children)
        return item


_reading = threading.Lock()  # an open qpdf document is read by one thread at a time


@functools.lru_cache(maxsize=4)
def _shared(data: bytes) -> _Shared:
    pdf = pikepdf.open(io.BytesIO(data))  # kept open for the life of the process (a few at most)
    # Detached from their own tree, so that copying them does not drag the shared document's root along.
    sections = list(_document(pdf.Root).K)
    for section in sections:
        del section["/P"]
    nums = pdf.make_indirect(pdf.Root.StructTreeRoot.ParentTree.Nums)
    form = pdf.Root.get("/AcroForm")
    fields = pdf.make_indirect(form.Fields) if isinstance(form, Dictionary) and "/Fields" in form else None
    return _Shared(pdf, sections, nums, _bookmarks(pdf), fields)


def _bookmarks(source: pikepdf.Pdf) -> list[_Bookmark]:
    """The bookmarks of ``source``, with the index of the page each points at."""
    pages = {page.obj.objgen: i for i, page in enumerate(source.pages)}

    def read(item: OutlineItem) -> _Bookmark:
        destination = item.destination
        page = pages.get(destination[0].objgen, 0) if isinstance(destination, Array) else 0
        top = float(destination[3]) if isinstance(destination, Array) and len(destination) > 3 else None
        return _Bookmark(item.title, page, top, [read(child) for child in item.children])

    with source.open_outline() as theirs:
        return [read(item) for item in theirs.root]


def _splice_outline(pdf: pikepdf.Pdf, extra: _Shared, at: int) -> None:
    inserted = [bookmark.placed(at) for bookmark in extra.outline]
    if not inserted:
        return
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    with pdf.open_outline() as ours:
        def first_page(item: OutlineItem) -> int:
            destination = item.destination
            return pages.get(destination[0].objgen, 0) if isinstance(destination, Array) else 0

        position = next((i for i, item in enumerate(ours.root) if first_page(item) >= at + len(extra.pdf.pages)),
                        len(ours.root))
        ours.root[position:position] = inserted


# --- One print file of many documents --------------------------------------------


class Combination:
    """Finished, tagged PDFs put one after another into one, each as it comes.

    Nothing is laid out again: the pages are copied as they are, with a blank page
    after a document of an odd number of pages (so that each starts on an odd page,
    for duplex printing).  Each document's structure becomes a ``Part`` (with its
    own language) of one ``Document``; its marked-content keys are renumbered into
    one parent tree, its bookmarks and named destinations join the combined file's
    (names prefixed with the document's number, so that two documents'
    ``acknowledgment`` stay apart), and its form fields the combined form, under a
    field of its own (``packet-3.signature``: names stay unique).  Use it as a context manager: copied objects are
    read from their source when the result is saved, so all stay open until then.
    """

    def __init__(self) -> None:
        self._sources = contextlib.ExitStack()
        self._pdf: pikepdf.Pdf | None = None
        self._top = Dictionary()
        self._names: list[tuple[str, Array]] = []
        self._next_key = 0
        self.count = 0

    def __enter__(self) -> Combination:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """The documents added closed (the result, once made, does not need them)."""
        self._sources.close()

    def add(self, data: bytes) -> None:
        """The document ``data`` after those added so far."""
        other = self._sources.enter_context(pikepdf.open(io.BytesIO(data)))
        self.count += 1
        if self._pdf is None:
            self._start(other)
            return
        pdf, at, offset = self._pdf, len(self._pdf.pages), self._next_key
        document = _document(other.Root)
        del document["/P"]  # so that copying it does not drag its structure root along
        for page in other.pages:
            pdf.pages.append(page)
            _renumber(pdf.pages[-1].obj, offset)
        theirs = other.make_indirect(other.Root.StructTreeRoot.ParentTree.Nums)
        self._next_key = max(self._next_key, _append_nums(pdf, theirs, offset))
        _add_part(self._top, pdf.copy_foreign(document), other.Root.get("/Lang"))
        _append_outline(pdf, other)
        form = other.Root.get("/AcroForm")
        if isinstance(form, Dictionary) and len(form.get("/Fields", Array())):
            fields = pdf.copy_foreign(other.make_indirect(form.Fields))
            forms.add_fields(pdf, [forms.group(pdf, list(fields), f"packet-{self.count}")])
        self._names += _destinations(pdf, other, at, self.count)
        _pad_to_even(pdf)

    def _start(self, pdf: pikepdf.Pdf) -> None:
        """The first document is the one the others are added to."""
        self._pdf = pdf
        tree = pdf.Root.StructTreeRoot
        self._top = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
        self._names = _destinations(pdf, pdf, 0, 1)
        self._next_key = 1 + max((key for key, _ in _nums(tree)), default=-1)
        _add_part(self._top, _document(pdf.Root), pdf.Root.get("/Lang"))
        form = pdf.Root.get("/AcroForm")
        if isinstance(form, Dictionary) and len(form.get("/Fields", Array())):
            form.Fields = Array([forms.group(pdf, list(form.Fields), "packet-1")])
        _pad_to_even(pdf)

    def result(self, title: str) -> bytes:
        """The combined PDF, titled ``title``."""
        pdf = self._pdf
        if pdf is None:
            raise ValueError("nothing to combine")
        pdf.Root.StructTreeRoot.K = self._top
        if self._names:
            flat = [item for pair in sorted(self._names) for item in pair]
            pdf.Root.Names = Dictionary(Dests=Dictionary(Names=Array(flat)))
        _retitle(pdf, title)
        _share_fonts(pdf)
        # The structure trees' many small objects packed into object streams.
        return saved(pdf, pack=True)


def _append_outline(pdf: pikepdf.Pdf, other: pikepdf.Pdf) -> None:
    """The bookmarks of ``other`` (whose pages ``pdf`` holds already) after those of ``pdf``.

    The items are copied as they are, in one call: their destinations point at the
    pages' copies; only the top level is linked into ``pdf``'s outline.
    """
    theirs = other.Root.get("/Outlines")
    if not isinstance(theirs, Dictionary) or "/First" not in theirs:
        return
    copied = pdf.copy_foreign(other.make_indirect(Dictionary(First=theirs.First, Last=theirs.Last)))
    if "/Outlines" not in pdf.Root or "/First" not in pdf.Root.Outlines:
        pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=0))
    ours = pdf.Root.Outlines
    item = copied.First
    while True:
        item.Parent = ours
        if item.objgen == copied.Last.objgen:
            break
        item = item.Next
    if "/Last" in ours:
        ours.Last.Next, copied.First.Prev = copied.First, ours.Last
    else:
        ours.First = copied.First
    ours.Last = copied.Last
    ours.Count = int(ours.get("/Count", 0)) + abs(int(theirs.get("/Count", 0)))


def _share_fonts(pdf: pikepdf.Pdf) -> None:
    """Point every copy of the same embedded font program at one (documents made alike embed the same)."""
    first: dict[bytes, pikepdf.Object] = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for font in fonts.values():
            for descriptor in _descriptors(font):
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    program = descriptor.get(key)
                    if isinstance(program, pikepdf.Stream):
                        digest = hashlib.sha256(program.read_raw_bytes() + repr(program.stream_dict).encode()).digest()
                        descriptor[key] = first.setdefault(digest, program)


def _descriptors(font: pikepdf.Object) -> list[pikepdf.Object]:
    fonts = [font, *font.get("/DescendantFonts", Array())]
    return [f.FontDescriptor for f in fonts if isinstance(f, Dictionary) and "/FontDescriptor" in f]


def _renumber(page: pikepdf.Object, offset: int) -> None:
    if "/StructParents" in page:
        page.StructParents = offset + int(page.StructParents)
    for annotation in page.get("/Annots", []):
        if "/StructParent" in annotation:
            annotation.StructParent = offset + int(annotation.StructParent)


def _add_part(top: pikepdf.Object, document: pikepdf.Object, lang: pikepdf.Object | None) -> None:
    """A document's root structure element, as one part of the combined document."""
    document.S = Name.Part
    document.P = top
    if lang is not None and "/Lang" not in document:
        document.Lang = lang
    top.K.append(document)


def _pad_to_even(pdf: pikepdf.Pdf) -> None:
    """A blank page (the size of the last) after an odd number of pages, so the next starts on an odd page."""
    if len(pdf.pages) % 2:
        last = pdf.pages[-1].obj
        blank = pdf.add_blank_page(page_size=(float(last.MediaBox[2]), float(last.MediaBox[3]))).obj
        for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
            if box in last:
                blank[box] = Array(list(last[box]))


def _destinations(pdf: pikepdf.Pdf, source: pikepdf.Pdf, at: int, number: int) -> list[tuple[str, Array]]:
    """The named destinations of ``source`` as placed from page ``at`` of ``pdf``, named ``number-name``."""
    names = source.Root.get("/Names", Dictionary()).get("/Dests", Dictionary()).get("/Names", Array())
    pages = {page.obj.objgen: i for i, page in enumerate(source.pages)}
    found = []
    for i in range(0, len(names) - 1, 2):
        destination = names[i + 1]
        if isinstance(destination, Array) and len(destination) and destination[0].objgen in pages:
            page = pdf.pages[at + pages[destination[0].objgen]].obj
            found.append((f"{number}-{names[i]}", Array([page, *list(destination)[1:]])))
    return found


def _retitle(pdf: pikepdf.Pdf, title: str) -> None:
    """The combined file's own title, in the document information and the XMP metadata."""
    pdf.docinfo.Title = title
    if "/Metadata" in pdf.Root:
        xmp = bytes(pdf.Root.Metadata.read_bytes())
        escaped = html.escape(title, quote=False).encode("utf-8")
        xmp = re.sub(rb"(<dc:title><rdf:Alt><rdf:li[^>]*>).*?(</rdf:li>)",
                     lambda m: m.group(1) + escaped + m.group(2), xmp, count=1, flags=re.S)
        xmp = forms.unmark_xmp(xmp)  # everyone's packets: not the first person's
        pdf.Root.Metadata.write(xmp)
