"""Writer step for batches: insert pages written once into each person's PDF.

A packet's shared pages (statement, checklist) are laid out *and written*
once per worker; each person's PDF holds only their own pages.  This module
splices the shared pages into the personal PDF with pikepdf and keeps the
document tagged: the shared structure elements join the personal document's
structure tree in reading order, their marked-content keys (StructParents)
are renumbered into its parent tree, and their bookmarks join its outline.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, OutlineItem, PageLocation


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


def _copy(pdf: pikepdf.Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """A copy of a foreign object in ``pdf``; direct containers are copied item by item."""
    if isinstance(obj, (Array, Dictionary)) and not obj.is_indirect:
        if isinstance(obj, Array):
            return Array([_copy(pdf, item) for item in obj])
        return Dictionary({key: _copy(pdf, value) for key, value in obj.items()})
    return pdf.copy_foreign(obj) if isinstance(obj, pikepdf.Object) and obj.is_indirect else obj


def _document(root: pikepdf.Object) -> pikepdf.Object:
    kids = root.StructTreeRoot.K
    return kids[0] if isinstance(kids, Array) else kids


def splice(personal: bytes, shared: bytes, at: int) -> bytes:
    """``personal`` with the pages of ``shared`` inserted before its page ``at`` (0-based)."""
    with pikepdf.open(io.BytesIO(personal)) as pdf, pikepdf.open(io.BytesIO(shared)) as extra:
        offset = 1 + max((key for key, _ in _nums(pdf.Root.StructTreeRoot)), default=-1)
        extra_pages = {page.obj.objgen: i for i, page in enumerate(extra.pages)}
        # Detach the shared sections from their own tree before copying, so the copy
        # does not drag the shared document's structure root along.
        sections = list(_document(extra.Root).K)
        for section in sections:
            del section["/P"]
        for i, page in enumerate(extra.pages):
            pdf.pages.insert(at + i, page)
            copied = pdf.pages[at + i].obj
            if "/StructParents" in copied:
                copied.StructParents = offset + int(copied.StructParents)
            for annotation in copied.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = offset + int(annotation.StructParent)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        for key, value in _nums(extra.Root.StructTreeRoot):
            nums.append(offset + key)
            nums.append(_copy(pdf, value))
        document = _document(pdf.Root)
        own_pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        kids = list(document.K)
        position = next((i for i, kid in enumerate(kids) if (_first_page(kid, own_pages) or 0) >= at), len(kids))
        copies = [pdf.copy_foreign(section) for section in sections]
        for section in copies:
            section.P = document
        document.K = Array(kids[:position] + copies + kids[position:])
        _splice_outline(pdf, extra, at, extra_pages)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def _splice_outline(pdf: pikepdf.Pdf, extra: pikepdf.Pdf, at: int, extra_pages: dict[tuple[int, int], int]) -> None:
    def copy(item: OutlineItem) -> OutlineItem:
        destination = item.destination
        page = extra_pages.get(destination[0].objgen, 0) if isinstance(destination, Array) else 0
        top = float(destination[3]) if isinstance(destination, Array) and len(destination) > 3 else None
        new = OutlineItem(item.title, at + page, PageLocation.XYZ, left=0, top=top)
        new.children.extend(copy(child) for child in item.children)
        return new

    with extra.open_outline() as theirs:
        inserted = [copy(item) for item in theirs.root]
    if not inserted:
        return
    with pdf.open_outline() as ours:
        def first_page(item: OutlineItem) -> int:
            destination = item.destination
            if isinstance(destination, Array):
                for i, page in enumerate(pdf.pages):
                    if page.obj.objgen == destination[0].objgen:
                        return i
            return 0

        position = next((i for i, item in enumerate(ours.root) if first_page(item) >= at + len(extra.pages)),
                        len(ours.root))
        ours.root[position:position] = inserted
