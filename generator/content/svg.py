"""Stage 1: the work an SVG logo asks of the renderer, bounded before anything is drawn.

The renderer draws an SVG element by element, and a ``<use>`` draws its target
again (with the ``<use>`` elements inside it): six levels of ten ``<use>`` in a
2 KB file are a million elements to lay out.  So the logo is read once with
expat (no entities, no DTD) and refused at its own file and line when it is not
well-formed XML, nests deeper than ``MAX_DEPTH``, draws more than
``MAX_ELEMENTS`` elements once every ``<use>`` is expanded (a ``<use>`` that
reaches itself is refused too), or carries more than ``MAX_PATH_DATA``
characters of path data; a picture embedded as a data: URL must decode, within 40 megapixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from generator.errors import where

MAX_ELEMENTS = 20_000  # drawn, after <use> expansion: a detailed logo has a few hundred
MAX_DEPTH = 40  # elements inside each other, <use> targets included: drawing tools nest a dozen
MAX_PATH_DATA = 500_000  # characters of path data (d=, points=): a traced emblem has some 50,000
MAX_PICTURES = 20  # pictures embedded in the logo as data: URLs, each decoded once to check it (40 megapixels)
HREF = ("href", "xlink:href", "http://www.w3.org/1999/xlink href")
PATH_DATA = ("d", "points")


@dataclass(eq=False)
class _Element:
    line: int
    use: str | None  # the id a <use> draws
    children: list[_Element] = field(default_factory=list)


class _TooMuch(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


def svg_problems(data: bytes, path: Path) -> list[str]:
    """What makes the SVG ``data`` (the file ``path``) too much to draw, at its line; empty if nothing."""
    pictures: list[tuple[int, str]] = []
    try:
        root, ids = _read(data, pictures)
        expansion = _Expansion(ids)
        for element in root.children:
            expansion.count(element, 0)
    except _TooMuch as too_much:
        return [f"{where(path, too_much.line)}: {too_much.problem}"]
    return [f"{where(path, line)}: the logo's embedded picture {problem}" for line, href in pictures
            if (problem := _picture_problem(href))]


def _picture_problem(href: str) -> str | None:
    """What is wrong with a picture embedded in the logo as a data: URL (the renderer would leave it out
    without a word, or decode a bomb); None if nothing."""
    from generator.content.markdown import _data_url, _image_type

    data = _data_url(href)
    if data is None:
        return "is not a valid data: URL (embed it again from the drawing program)"
    _, problem = _image_type(data)
    return problem


def _read(data: bytes, pictures: list[tuple[int, str]]) -> tuple[_Element, dict[str, _Element]]:
    """The elements of the SVG, its ids, and (into ``pictures``) the line and data: URL of each picture."""
    parser = expat.ParserCreate(namespace_separator=" ")
    root = _Element(0, None)
    stack = [root]
    ids: dict[str, _Element] = {}
    path_data = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal path_data
        line = parser.CurrentLineNumber
        if len(stack) > MAX_DEPTH:
            raise _TooMuch(line, f"the logo nests elements more than {MAX_DEPTH} deep (simplify the drawing: "
                           "ungroup it in the drawing program and export it again)")
        local = name.rsplit(" ", 1)[-1]
        href = next((attributes[key] for key in HREF if key in attributes), None)
        if local == "image" and href and href.startswith("data:"):
            if len(pictures) == MAX_PICTURES:
                raise _TooMuch(line, f"the logo embeds more than {MAX_PICTURES} pictures (a logo needs few; "
                               "simplify it, or export it as PNG)")
            pictures.append((line, href))
        element = _Element(line, href[1:] if local == "use" and href and href.startswith("#") else None)
        stack[-1].children.append(element)
        stack.append(element)
        if "id" in attributes:
            ids.setdefault(attributes["id"], element)
        path_data += sum(len(attributes[key]) for key in PATH_DATA if key in attributes)
        if path_data > MAX_PATH_DATA:
            raise _TooMuch(line, f"the logo has over {MAX_PATH_DATA:,} characters of path data (simplify the "
                           "paths in the drawing program, or export the logo as PNG)")

    def refuse_dtd(*_: object) -> None:
        raise _TooMuch(parser.CurrentLineNumber, "the logo declares a DTD or entities, which an SVG logo does not "
                       "need (export it again as plain SVG)")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: stack.pop()
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise _TooMuch(error.lineno, f"the logo is not readable SVG ({expat.ErrorString(error.code)}, column "
                       f"{error.offset + 1}; open it in a drawing program and export it again)") from None
    return root, ids


class _Expansion:
    """Counts the elements drawn, every ``<use>`` replaced by what it draws, stopping at the limit."""

    def __init__(self, ids: dict[str, _Element]) -> None:
        self.ids = ids
        self.sizes: dict[int, int] = {}  # id(element) -> elements it draws (measured once)
        self.drawn = 0
        self.open: set[int] = set()  # the <use> targets being expanded (a cycle otherwise)

    def count(self, element: _Element, depth: int) -> int:
        """The elements ``element`` draws (itself included); adds them to the total, refusing over the limit."""
        if id(element) in self.sizes:
            size = self.sizes[id(element)]
            self._add(size, element.line)
            return size
        if depth > MAX_DEPTH:
            raise _TooMuch(element.line, f"the logo's <use> elements nest more than {MAX_DEPTH} deep (draw the "
                           "shapes once, or export the logo again with <use> expanded)")
        self._add(1, element.line)
        size = 1 + sum(self.count(child, depth + 1) for child in element.children)
        target = self.ids.get(element.use) if element.use else None
        if target is not None:
            if id(target) in self.open:
                raise _TooMuch(element.line, f"the logo's <use> of #{element.use} draws itself, without end "
                               "(point it at another element)")
            self.open.add(id(target))
            size += self.count(target, depth + 1)
            self.open.discard(id(target))
        self.sizes[id(element)] = size
        return size

    def _add(self, size: int, line: int) -> None:
        self.drawn += size
        if self.drawn > MAX_ELEMENTS:
            raise _TooMuch(line, f"the logo draws over {MAX_ELEMENTS:,} elements, counting each <use> as the "
                           "elements it repeats (simplify the drawing, or export the logo as PNG)")
