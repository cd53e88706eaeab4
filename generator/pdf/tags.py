"""Writer step after WeasyPrint: finish the structure tree (tags) with pikepdf.

WeasyPrint 70 writes a PDF/UA structure tree from the HTML, with three gaps
this step closes on the written file, through the PDF alone (no WeasyPrint
internals, so a WeasyPrint release that changes them cannot break it):

- **Page furniture.** Running headers and footers (CSS margin boxes) are
  marked content with an MCID that no element of the structure tree reaches
  (WeasyPrint #1836).  Every such piece of content becomes an
  ``/Artifact <</Type /Pagination>>`` and leaves the parent tree, so screen
  readers do not read "Page 3 of 19" on every page.  Backgrounds, rules and
  the poster's band are artifacts already.
- **Table headers.** Each ``TH`` gets ``/Scope``: ``/Row`` when a data cell of
  its own row names it among its ``/Headers``, else ``/Column``.
- **Changes of language.** PDF/UA asks that a part in another language (the
  Spanish half of a bilingual poster) carry ``/Lang`` where it starts.  The
  renderer adds :func:`language_css` to such documents: an invisible marker
  image before and after each element with a ``lang`` attribute, drawn as
  transparent rectangles that spell the language.  Here the markers are read
  from the content streams, each piece of content between a start and its end
  gets that language, each structure element whose content is all in one
  language other than its parent's gets ``/Lang``, and the markers are
  removed (from the tree and from the page).

The output stays byte-for-byte reproducible (the file ID derives from the content).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pikepdf
from pikepdf import Array, Dictionary, Name

from generator.pdf.saving import saved

MARK = 7_717_171  # x of the first rectangle of a language marker: a number no drawing uses
START, END = 0, 1
# Table parts cannot hold a marker (it would become a cell): their cells carry their language.
TABLE_PARTS = "table, thead, tbody, tfoot, tr, colgroup, col"
CELLS = "th, td, caption"


def _marker(lang: str, kind: int) -> str:
    rects = [(MARK, kind)] + [(ord(char), kind) for char in lang]
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" viewBox="0 0 1 1">'
           + "".join(f'<rect x="{x}" y="{y}" width="1" height="1" fill-opacity="0"/>' for x, y in rects)
           + "</svg>")
    return "data:image/svg+xml," + quote(svg)


_LANG = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*?\slang\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")


def language_css(html: str) -> str | None:
    """Marker rules for an HTML document with parts in more than one language, else None."""
    langs: dict[str, None] = {}
    document = None
    for match in _LANG.finditer(html):
        lang = next(g for g in match.groups()[1:] if g is not None).strip()
        if match.group(1).lower() == "html":
            document = lang.lower()
        elif re.fullmatch(r"[A-Za-z0-9-]{1,35}", lang):
            langs[lang] = None
    if not langs or {lang.lower() for lang in langs} <= {document}:
        return None
    rules = []
    for lang in sorted(langs):
        targets = (f'body [lang="{lang}"]:not({TABLE_PARTS})',
                   f'body :is({TABLE_PARTS})[lang] :is({CELLS}):not([lang]):lang("{lang}")')
        for pseudo, kind in (("before", START), ("after", END)):
            rules.append(f'{", ".join(t + "::" + pseudo for t in targets)} {{ content: url("{_marker(lang, kind)}") '
                         "!important; position: absolute !important; }")
    return "\n".join(rules)


@dataclass
class _Page:
    """What one page's content stream marks: MCID -> tag, and the language markers among them."""

    index: int
    content: bytes
    tags: dict[int, str] = field(default_factory=dict)
    markers: dict[int, tuple[int, str]] = field(default_factory=dict)  # MCID -> (START|END, lang)


# Marked content as WeasyPrint writes it (text goes in hex strings, so no string holds these bytes).
_BDC = re.compile(rb"/([A-Za-z]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_MARKER = re.compile(rb"/Figure\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC\b.*?\bEMC\n?", re.S)
_RECT = re.compile(rb"(-?[\d.]+)\s+(-?[\d.]+)\s+-?[\d.]+\s+-?[\d.]+\s+re\b")


def _read_page(index: int, page: pikepdf.Page) -> _Page:
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, Array) else [contents] if contents is not None else []
    found = _Page(index, b"\n".join(s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream)))
    for match in _BDC.finditer(found.content):
        tag, mcid = match.group(1).decode(), int(match.group(2))
        found.tags[mcid] = tag
        if tag == "Figure":
            end = found.content.find(b"EMC", match.end())
            rects = [(float(x), float(y)) for x, y in _RECT.findall(found.content, match.end(), end)]
            if rects and rects[0][0] == MARK:
                found.markers[mcid] = (int(rects[0][1]), "".join(chr(int(x)) for x, _ in rects[1:]))
    return found


def _kids(element: Dictionary) -> list[pikepdf.Object]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, Array) else [] if kids is None else [kids]


@dataclass
class _Tree:
    """The structure tree in reading order, as far as the root reaches (each element once)."""

    order: list[tuple[str, Dictionary, tuple[int, int] | None]] = field(default_factory=list)
    parents: dict[tuple[int, int], Dictionary] = field(default_factory=dict)


def _walk(root: Dictionary, page_index: dict[tuple[int, int], int]) -> _Tree:
    """Events ``open``/``leaf``/``close`` in document order, without recursion, each element once."""
    tree = _Tree()
    seen: set[tuple[int, int]] = set()

    def page_of(node: Dictionary, inherited: int | None) -> int | None:
        page = node.get("/Pg")
        return page_index.get(page.objgen, inherited) if isinstance(page, Dictionary) else inherited

    stack: list[tuple[Dictionary, Iterator[pikepdf.Object], int | None]] = [(root, iter(_kids(root)), None)]
    while stack:
        element, kids, page = stack[-1]
        kid = next(kids, None)
        if kid is None:
            stack.pop()
            if element is not root:
                tree.order.append(("close", element, None))
            continue
        if isinstance(kid, int) and not isinstance(kid, bool):
            if page is not None:
                tree.order.append(("leaf", element, (page, int(kid))))
        elif isinstance(kid, Dictionary) and "/S" in kid:
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
                tree.parents[kid.objgen] = element
            tree.order.append(("open", kid, None))
            stack.append((kid, iter(_kids(kid)), page_of(kid, page)))
        elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR" and isinstance(kid.get("/MCID"), int):
            mcr_page = page_of(kid, page)
            if mcr_page is not None and "/Stm" not in kid:
                tree.order.append(("leaf", element, (mcr_page, int(kid.MCID))))
    return tree


def _languages(tree: _Tree, markers: dict[tuple[int, int], tuple[int, str]], document: str) -> None:
    """Give ``/Lang`` to each element whose content lies in one language part, where it changes.

    Each piece of content knows the language parts around it (outermost first); an element's
    language is the innermost part around all its content.  ``/Lang`` is written where that
    differs from the language the element inherits, so it reads as the HTML does.
    """
    parts: list[str] = []  # language of each part, by number
    open_parts: list[int] = []
    common: dict[tuple[int, int], tuple[int, ...]] = {}
    path: list[Dictionary] = []
    for event, element, ref in tree.order:
        if event == "open":
            path.append(element)
        elif event == "close":
            path.pop()
        elif ref is not None and ref in markers:
            kind, lang = markers[ref]
            if kind == START:
                open_parts.append(len(parts))
                parts.append(lang)
            else:
                ending = [n for n in open_parts if parts[n] == lang]
                if ending:
                    open_parts.remove(ending[-1])
        else:
            around = tuple(open_parts)
            for ancestor in path:
                known = common.get(ancestor.objgen)
                common[ancestor.objgen] = around if known is None else _shared_start(known, around)
    inherited: list[str] = [document]
    for event, element, _ in tree.order:
        if event == "close":
            inherited.pop()
            continue
        if event != "open":
            continue
        around_all = common.get(element.objgen, ())
        lang = parts[around_all[-1]] if around_all else inherited[-1]
        if lang.lower() != inherited[-1].lower() and "/Lang" not in element:
            element.Lang = pikepdf.String(lang)
        own = element.get("/Lang")
        inherited.append(str(own) if isinstance(own, pikepdf.String) else inherited[-1])


def _shared_start(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


BLOCKS = frozenset({"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/L", "/LI", "/Table", "/Div", "/Sect",
                    "/Part", "/Art", "/BlockQuote", "/TOC", "/TOCI", "/Index"})


def _remove(tree: _Tree, element: Dictionary, leaf: int) -> Dictionary:
    """Take MCID ``leaf`` out of ``element``, and elements left empty out of their parents; the one left."""
    element.K = Array([kid for kid in _kids(element) if not (isinstance(kid, int) and int(kid) == leaf)])
    while len(_kids(element)) == 0 and element.objgen in tree.parents:
        parent = tree.parents.pop(element.objgen)
        parent.K = Array([kid for kid in _kids(parent)
                          if not (isinstance(kid, Dictionary) and kid.objgen == element.objgen)])
        element = parent
    return element


def _unwrap(tree: _Tree, element: Dictionary) -> None:
    """Undo the box a start marker made: a same-role first child wrapping the element's inline content.

    A marker placed before inline content makes WeasyPrint wrap that content in an
    anonymous block of the element's own tag (an H1 inside the H1); its kids move up.
    """
    kids = _kids(element)
    first = kids[0] if kids else None
    # In a table cell WeasyPrint tags that anonymous block NonStruct.
    roles = (element.get("/S"), "/NonStruct") if element.get("/S") in ("/TH", "/TD") else (element.get("/S"),)
    if not (isinstance(first, Dictionary) and first.get("/S") in roles and "/Lang" not in first):
        return
    inner = _kids(first)
    if not inner or not all(isinstance(kid, Dictionary) and "/S" in kid and kid.S not in BLOCKS for kid in inner):
        return
    for kid in inner:
        kid.P = element
        tree.parents[kid.objgen] = element
    element.K = Array(inner + kids[1:])


def _scopes(tree: _Tree) -> None:
    """``/Scope`` for every table header cell: Row if a cell of its row names it, else Column."""
    for event, element, _ in tree.order:
        if event != "open" or element.get("/S") != "/TR":
            continue
        cells = [kid for kid in _kids(element) if isinstance(kid, Dictionary) and kid.get("/S") in ("/TH", "/TD")]
        named: set[str] = set()
        for cell in cells:
            attributes = _table_attributes(cell)
            headers = attributes.get("/Headers") if attributes is not None else None
            if cell.S == "/TD" and isinstance(headers, Array):
                named.update(str(h) for h in headers)
        for cell in cells:
            if cell.S != "/TH":
                continue
            attributes = _table_attributes(cell, create=True)
            if attributes is not None and "/Scope" not in attributes:
                row = isinstance(cell.get("/ID"), pikepdf.String) and str(cell.ID) in named
                attributes.Scope = Name.Row if row else Name.Column


def _table_attributes(cell: Dictionary, create: bool = False) -> Dictionary | None:
    attributes = cell.get("/A")
    candidates = list(attributes) if isinstance(attributes, Array) else [attributes]
    for candidate in candidates:
        if isinstance(candidate, Dictionary) and candidate.get("/O") == "/Table":
            return candidate
    if not create:
        return None
    table = Dictionary(O=Name.Table)
    if attributes is None:
        cell.A = table
    elif isinstance(attributes, Array):
        attributes.append(table)
    else:
        cell.A = Array([attributes, table])
    return table


def _rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, read: _Page, artifacts: set[int], markers: set[int]) -> None:
    """Mark furniture as pagination artifacts and language markers as plain artifacts."""
    content = read.content
    if markers:  # a marker draws only transparent rectangles, balanced in q/Q: drop it whole
        content = _MARKER.sub(lambda m: b"" if int(m.group(1)) in markers else m.group(0), content)

    def replace(match: re.Match[bytes]) -> bytes:
        return b"/Artifact <</Type /Pagination>> BDC" if int(match.group(2)) in artifacts else match.group(0)

    page.Contents = pdf.make_stream(_BDC.sub(replace, content))


def finish(pdf_bytes: bytes) -> bytes:
    """The PDF with page furniture as artifacts, table header scopes and changes of language tagged."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if not finish_open(pdf):
            return pdf_bytes
        return saved(pdf)


def finish_open(pdf: pikepdf.Pdf) -> bool:
    """:func:`finish` on an open PDF, which the caller saves (False: untagged, left as it is).

    A caller that changes the PDF further (the batch's splice) so opens and saves it once.
    """
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, Dictionary):
        return False
    page_index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    pages = [_read_page(i, page) for i, page in enumerate(pdf.pages)]
    markers = {(p.index, mcid): marker for p in pages for mcid, marker in p.markers.items()}
    tree = _walk(root, page_index)
    if markers:
        lang = pdf.Root.get("/Lang")
        _languages(tree, markers, str(lang) if isinstance(lang, pikepdf.String) else "")
    reached = {ref for event, _, ref in tree.order if event == "leaf"}
    for event, element, ref in tree.order:
        if event == "leaf" and ref in markers:
            left = _remove(tree, element, ref[1])
            if markers[ref][0] == START:
                _unwrap(tree, left)
    _scopes(tree)
    nums = _parent_tree(root)
    for page in pages:
        furniture = {mcid for mcid in page.tags if (page.index, mcid) not in reached}
        marked = set(page.markers)
        if not furniture and not marked:
            continue
        _rewrite(pdf, pdf.pages[page.index], page, furniture, marked)
        key = pdf.pages[page.index].obj.get("/StructParents")
        entries = nums.get(int(key)) if isinstance(key, int) else None
        if isinstance(entries, Array):
            for mcid in furniture | marked:
                if mcid < len(entries):
                    entries[mcid] = None
    return True


def _parent_tree(root: Dictionary) -> dict[int, pikepdf.Object]:
    tree = root.get("/ParentTree")
    nums = tree.get("/Nums") if isinstance(tree, Dictionary) else None
    if not isinstance(nums, Array):
        return {}
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2) if isinstance(nums[i], int)}
