"""Render: which template file and line wrote each part of a rendered HTML.

A message about the HTML (an element the Word writer refuses, a URL the sandbox
refuses) must point at the line a person edits, not at the generated HTML.  The
renderer keeps the context of its last renders (:class:`Renderer.origin
<generator.render.templates.Renderer.origin>`); only when a message needs a place
is the template rendered once more, with :class:`Marks` on: every stretch of a
template's own text then starts with an invisible mark naming its file and line
(macros, includes and included CSS files carry their own).  The marks are
stripped and the rest must equal the HTML that was built, else the place is the
HTML's own line.  So a build never carries a mark and costs nothing more; the
mark in effect at an offset names the template line that wrote the text there
(text a value prints belongs to the line of its ``{{ ... }}``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from generator.content.references import find_reference
from generator.errors import where

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MARK = re.compile("\x00(\\d+):(\\d+)\x00")
def shown_path(filename: str) -> str:
    """A template's path as content paths are shown: relative to the working folder when inside it."""
    path = Path(filename)
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else filename
    except ValueError:
        return filename


class Marks(Extension):
    """Starts every line of a template's own text with a mark ``\\0FILE:LINE\\0`` (files by number)."""

    def __init__(self, environment: object) -> None:
        super().__init__(environment)  # type: ignore[arg-type]
        self.files: list[str] = []

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        name = shown_path(stream.filename or stream.name or "template")
        if name not in self.files:
            self.files.append(name)
        number = self.files.index(name)
        for token in stream:
            if token.type == "data":  # the lexer has already applied trim_blocks, lstrip_blocks and "-"
                lines = token.value.split("\n")
                marked = (f"\x00{number}:{token.lineno + n}\x00{line}" for n, line in enumerate(lines))
                token = Token(token.lineno, "data", "\n".join(marked))
            yield token


@dataclass
class Places:
    """The marks of a rendered HTML: offsets in the stripped text and the file and line of each."""

    offsets: list[int] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def strip(cls, marked: str, files: list[str]) -> tuple[str, Places]:
        """The text without its marks, and where each mark stood."""
        found, parts, start, size = cls(), [], 0, 0
        for match in MARK.finditer(marked):
            parts.append(marked[start:match.start()])
            size += match.start() - start
            found.offsets.append(size)
            found.places.append((files[int(match.group(1))], int(match.group(2))))
            start = match.end()
        parts.append(marked[start:])
        return "".join(parts), found

    def at(self, offset: int) -> tuple[str, int] | None:
        index = bisect_right(self.offsets, offset) - 1
        return self.places[index] if index >= 0 else None


class Origin:
    """Where the parts of one rendered HTML came from.

    ``places()`` gives the marks of a second, marked render (None if it does not
    match the HTML).  Without it the HTML is taken as its own source, named ``name``
    (HTML written by hand, as in the Word writer's tests).
    """

    def __init__(self, html: str, name: str, places: Callable[[], Places | None] | None = None) -> None:
        self.html, self.name, self._places = html, name, places
        self._found: Places | None = None
        self._looked = False
        self._newlines: list[int] | None = None

    def _marks(self) -> Places | None:
        if not self._looked and self._places is not None:
            self._found, self._looked = self._places(), True
        return self._found

    def line_of(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.html)]
        return bisect_right(self._newlines, offset - 1) + 1

    def at(self, offset: int) -> str:
        """``file:line`` of the template text at ``offset`` of the HTML."""
        if self._places is None:
            return where(self.name, self.line_of(offset))
        found = self._marks()
        place = found.at(offset) if found is not None else None
        if place is None:
            return f"{self.name} (line {self.line_of(offset)} of the HTML made from it)"
        return where(*place)

    def element(self, el: HtmlElement) -> str:
        """``file:line`` of the template text that wrote the element's start tag."""
        line = el.sourceline or 1
        start = _line_start(self.html, line)
        if isinstance(el.tag, str):
            # lxml numbers an element by the line where its start tag ends: find that tag's "<".
            tag = re.compile(rf"<{re.escape(el.tag)}\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
            ending_here = [m.start() for m in tag.finditer(self.html)
                           if self.line_of(m.end() - 1) == line]
            same = [e for e in el.getroottree().iter(el.tag) if e.sourceline == el.sourceline]
            rank = same.index(el) if el in same else 0
            if rank < len(ending_here):
                start = ending_here[rank]
        return self.at(start)

    def reference(self, url: str, base: str) -> str | None:
        """``file:line`` of where the HTML names ``url`` (relative to ``base``), if it does."""
        offset = find_reference(self.html, url, base)
        return self.at(offset) if offset is not None else None


def _line_start(text: str, line: int) -> int:
    """The offset of the first character of line ``line`` (1-based) that is not blank."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            break
        offset = found + 1
    while offset < len(text) and text[offset] in " \t":
        offset += 1
    return offset
