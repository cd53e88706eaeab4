"""check: reading a PDF's tags and text, once, for the PDF rules and for parity.

:class:`PdfReading` opens a file with pikepdf (structure, metadata, fonts) and,
only when asked, with pdfplumber (characters and their positions).  It turns the
structure tree into :class:`Node` objects (roles resolved through the RoleMap)
and gives the text of any element from the characters of its marked content, in
the tree's order: the reading order an assistive technology follows.

Text is put together from character positions: a character that starts a new
line starts a new text line (``\\n``), a gap wider than a quarter of the type
size is a space.  Running headers and footers ("furniture") are found with
:func:`furniture_lines` and left out of the text parity compares.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf

from generator.check.bounds import pdf_file_too_large, pdf_too_large

HEADING = re.compile(r"H([1-6])")
PAGE_NUMBER = re.compile(r"(page\s*)?#+(\s*(of|/)\s*#+)?", re.IGNORECASE)


@dataclass(eq=False, repr=False)  # compared and shown by identity: a tree may be thousands deep
class Node:
    """One structure element: its standard role, Alt and ActualText, and its content in order.

    ``content`` holds child nodes and marked-content references ``(page index, MCID)``.
    ``page`` is the 0-based page the element (or its first content) stands on, if known.
    """

    role: str
    alt: str | None = None
    actual: str | None = None
    page: int | None = None
    content: list[Node | tuple[int, int]] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)

    def walk(self) -> Iterator[Node]:
        """This node and every descendant, in document order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.content if isinstance(c, Node)]))

    def refs(self, skip: frozenset[str] = frozenset()) -> Iterator[tuple[int, int]]:
        """Every (page, MCID) under this node in order, leaving out subtrees whose role is in ``skip``."""
        stack: list[Iterator[Node | tuple[int, int]]] = [iter(self.content)]
        while stack:
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
            elif isinstance(item, Node):
                if item.role not in skip:
                    stack.append(iter(item.content))
            else:
                yield item

    def first_page(self) -> int | None:
        """The page this element stands on, else the page of its first content (depth first)."""
        stack: list[Node | tuple[int, int]] = [self]
        while stack:
            item = stack.pop()
            if not isinstance(item, Node):
                return item[0]
            if item.page is not None:
                return item.page
            stack.extend(reversed(item.content))
        return None


class TooLarge(Exception):
    """The file is larger than the checker reads (the message says by how much and what to do)."""


def _text(value: Any) -> str | None:
    if isinstance(value, pikepdf.String):
        return str(value)
    return None


def _attributes(element: pikepdf.Dictionary) -> dict[str, Any]:
    """The element's attributes (/A, a dictionary or an array of them) as one name -> value dict."""
    found: dict[str, Any] = {}
    value = element.get("/A")
    for attributes in list(value) if isinstance(value, pikepdf.Array) else [value]:
        if isinstance(attributes, pikepdf.Dictionary):
            found.update({str(key): item for key, item in attributes.items()})
    for key in ("/ID", "/Lang"):
        if isinstance(element.get(key), pikepdf.String):
            found[key] = str(element.get(key))
    return found


class PdfReading:
    """A PDF opened for checking.  Raises pikepdf errors if it cannot be opened at all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        too_large = pdf_file_too_large(path)
        if too_large:
            raise TooLarge(too_large)
        self.pdf = pikepdf.open(path)
        too_large = pdf_too_large(self.pdf)
        if too_large:
            self.pdf.close()
            raise TooLarge(too_large)
        self._plumber: Any = None
        self._chars: list[list[dict[str, Any]]] | None = None
        self._tree: Node | None = None
        self._tree_read = False
        self._mcid_chars: dict[tuple[int, int], list[dict[str, Any]]] | None = None
        self._page_index = {page.obj.objgen: i for i, page in enumerate(self.pdf.pages)}

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
        self.pdf.close()

    def __enter__(self) -> PdfReading:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pdfplumber: pages, characters, images

    @property
    def plumber(self) -> Any:
        if self._plumber is None:
            self._plumber = pdfplumber.open(self.path)
        return self._plumber

    def chars(self, page: int) -> list[dict[str, Any]]:
        """The characters of a page (pdfplumber dictionaries, in content-stream order)."""
        if self._chars is None:
            self._chars = [list(p.chars) for p in self.plumber.pages]
        return self._chars[page]

    def page_count(self) -> int:
        return len(self.pdf.pages)

    # -- the structure tree

    @functools.cached_property
    def reached(self) -> frozenset[tuple[int, int]]:
        """(page, MCID) of every piece of marked content the structure tree reaches."""
        return frozenset(self.tree.refs()) if self.tree is not None else frozenset()

    @property
    def tree(self) -> Node | None:
        """The structure tree as nodes under a root node of role ``StructTreeRoot``, or None."""
        if not self._tree_read:
            self._tree_read = True
            root = self.pdf.Root.get("/StructTreeRoot")
            if isinstance(root, pikepdf.Dictionary):
                role_map = root.get("/RoleMap")
                self._roles = dict(role_map.items()) if isinstance(role_map, pikepdf.Dictionary) else {}
                self._seen: set[tuple[int, int]] = set()
                node = Node("StructTreeRoot")
                self._kids(root.get("/K"), node, None)
                self._tree = node
        return self._tree

    def _role(self, name: Any) -> str:
        role = str(name).lstrip("/")
        for _ in range(10):  # follow RoleMap chains (custom -> standard), never looping forever
            mapped = self._roles.get("/" + role)
            if not isinstance(mapped, pikepdf.Name) or str(mapped).lstrip("/") == role:
                break
            role = str(mapped).lstrip("/")
        return role

    def _page_of(self, obj: Any, inherited: int | None) -> int | None:
        page = obj.get("/Pg") if isinstance(obj, pikepdf.Dictionary) else None
        if isinstance(page, pikepdf.Dictionary):
            return self._page_index.get(page.objgen, inherited)
        return inherited

    def _kids(self, kids: Any, parent: Node, page: int | None) -> None:
        """Read elements and content refs below ``parent``, each element once, without recursion.

        Each indirect element is read once, so a cycle (an element among its own kids)
        or a tree of shared subtrees costs no more than the objects in the file.
        """
        stack: list[tuple[Any, Node, int | None]] = [(kids, parent, page)]
        while stack:
            kids, parent, page = stack.pop()
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            later: list[tuple[Any, Node, int | None]] = []
            for kid in items:
                if isinstance(kid, int) and not isinstance(kid, bool):
                    if page is not None:
                        parent.content.append((page, int(kid)))
                elif isinstance(kid, pikepdf.Dictionary):
                    if "/S" in kid:
                        if kid.is_indirect:
                            if kid.objgen in self._seen:
                                continue  # a cycle or an element listed twice
                            self._seen.add(kid.objgen)
                        node_page = self._page_of(kid, page)
                        node = Node(self._role(kid.S), _text(kid.get("/Alt")), _text(kid.get("/ActualText")),
                                    node_page if "/Pg" in kid else None, attributes=_attributes(kid))
                        parent.content.append(node)
                        later.append((kid.get("/K"), node, node_page))
                    elif kid.get("/Type") == "/MCR" and isinstance(kid.get("/MCID"), int):
                        mcr_page = self._page_of(kid, page)
                        if mcr_page is not None and "/Stm" not in kid:
                            parent.content.append((mcr_page, int(kid.MCID)))
            stack.extend(reversed(later))

    def marked_content(self) -> dict[int, set[int]]:
        """Page index -> the MCIDs its content stream marks (BDC with an MCID)."""
        found: dict[int, set[int]] = {}
        for index, page in enumerate(self.pdf.pages):
            for instruction in pikepdf.parse_content_stream(page, "BDC"):
                operands = instruction.operands
                if len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary):
                    mcid = operands[1].get("/MCID")
                    if isinstance(mcid, int) and str(operands[0]) != "/Artifact":
                        found.setdefault(index, set()).add(int(mcid))
        return found

    # -- text

    def mcid_chars(self) -> dict[tuple[int, int], list[dict[str, Any]]]:
        """(page, MCID) -> its characters, for every page."""
        found: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for page in range(self.page_count()):
            for char in self.chars(page):
                mcid = char.get("mcid")
                if mcid is not None:
                    found.setdefault((page, mcid), []).append(char)
        return found

    def node_text(self, node: Node, skip: frozenset[str] = frozenset(), furniture: set[int] | None = None) -> str:
        """An element's text: its ActualText, else the text of its marked content (lines end with ``\\n``)."""
        if node.actual is not None:
            return node.actual
        by_mcid = self._by_mcid()
        chars: list[dict[str, Any]] = []
        for ref in node.refs(skip):
            chars += [c for c in by_mcid.get(ref, []) if furniture is None or id(c) not in furniture]
        return chars_text(chars)

    def _by_mcid(self) -> dict[tuple[int, int], list[dict[str, Any]]]:
        if self._mcid_chars is None:
            self._mcid_chars = self.mcid_chars()
        return self._mcid_chars


def chars_text(chars: list[dict[str, Any]]) -> str:
    """Text from characters in reading order: new lines where the position jumps, spaces at wide gaps."""
    out: list[str] = []
    prev: dict[str, Any] | None = None
    for char in chars:
        if prev is not None:
            size = max(float(prev.get("size") or 0), 1.0)
            new_page = char.get("page_number") != prev.get("page_number")
            new_line = abs(char["top"] - prev["top"]) > 0.5 * size or char["x0"] < prev["x0"] - size
            if new_page or new_line:
                out.append("\n")
            elif char["x0"] - prev["x1"] > 0.25 * size and not (char["text"] + prev["text"]).isspace():
                out.append(" ")
        out.append(char["text"])
        prev = char
    return "".join(out)


def page_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A page's characters grouped into lines (top to bottom), each line left to right."""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(lines[-1][0]["top"] - char["top"]) <= 0.5 * max(float(char.get("size") or 0), 1.0):
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def furniture_lines(reading: PdfReading) -> set[int]:
    """The ids of the characters of running headers and footers.

    In a document of several pages, a page's first or last line is furniture when it reads like a
    page number ("Page 3 of 19", "7") or when, digits aside, the same line stands first or last, at
    the same height, on most pages (so a title that also runs as the header stays text on its own page).
    """
    count = reading.page_count()
    edges: list[list[tuple[str, list[dict[str, Any]]]]] = []
    for page in range(count):
        lines = [line for line in page_lines(reading.chars(page)) if "".join(c["text"] for c in line).strip()]
        picked = lines[:1] + lines[-1:] if len(lines) > 1 else lines
        edges.append([(re.sub(r"\d+", "#", " ".join(chars_text(line).split())).casefold()
                       + f"@{round(line[0]['top'] / 2)}", line) for line in picked])
    seen: dict[str, int] = {}
    for page_edges in edges:
        for key in {key for key, _ in page_edges}:
            seen[key] = seen.get(key, 0) + 1
    furniture: set[int] = set()
    for page_edges in edges:
        for key, line in page_edges:
            if count >= 2 and (PAGE_NUMBER.fullmatch(key.rsplit("@", 1)[0]) or (count >= 3 and seen[key] > count / 2)):
                furniture.update(id(c) for c in line)
    return furniture
