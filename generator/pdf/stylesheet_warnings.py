"""Writer: WeasyPrint's word on a stylesheet it could not follow, shown at the file a person edits.

WeasyPrint ignores a declaration it does not know (``colr: red``, ``color: rde``),
a selector or an at-rule it cannot use, and says so only in its log, with a line
and column counted in the stylesheet it was parsing.  :func:`stylesheet_warnings`
collects those reports while WeasyPrint parses and logs each as one warning
naming the stylesheet: a linked or imported ``.css`` file at its own line, the
document's ``<style>`` at the template line that wrote it (a ``css/*.css`` file a
template includes, through :class:`generator.render.origin.Origin`), else the
template.  WeasyPrint's other messages (layout, fonts) are not the designer's to fix
and stay in its own log.  The built-in templates cause no such warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import where
from generator.render.origin import Origin

log = logging.getLogger("generator.pdf")
AT = re.compile(r",? at (\d+):(\d+)\b")
CSS_CODE = f"{Path('weasyprint', 'css')}"
QUOTED = re.compile(r"`([^`]+)`|'([^']+)'")
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_shown: set[str] = set()  # the warnings shown in this build


class _Collect(logging.Handler):
    """WeasyPrint's reports about stylesheets: (its message, line, column)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[tuple[str, int, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        position = AT.search(message)
        if CSS_CODE not in record.pathname or not (position or message.startswith("Invalid or unsupported")):
            return
        line, column = (int(position[1]), int(position[2])) if position else (0, 0)
        self.found.append((AT.sub("", message, count=1).rstrip("."), line, column))


@contextmanager
def stylesheet_warnings(html: str, origin: Origin, served: Sequence[tuple[str, str]] = ()) -> Iterator[None]:
    """Log, after the block, each stylesheet problem WeasyPrint reported in it, at its file and line.

    The stylesheets are the document's ``<style>`` and the files the sandbox
    ``served`` (URL, text) while the block ran, such as a linked ``.css``.
    """
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    saved = logger.level
    if not logger.isEnabledFor(logging.WARNING):
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)
    for message, line, column in handler.found:
        place = _place(html, origin, served, line, column, message)
        if message.startswith("Ignored `"):  # Ignored `colr: red`, unknown property
            said = "ignores " + message.removeprefix("Ignored ").replace(", ", ": ", 1)
            fix = "check the spelling of the property and its value"
        else:
            said = f"ignores this: {message[:1].lower()}{message[1:]}"
            fix = "check the spelling; the rule has no effect in the PDF"
        said = f"warning: {place}: the PDF renderer {said} ({fix})"
        if said not in _shown:  # a poster laid out at several sizes parses its stylesheet each time
            _shown.add(said)
            log.warning("%s", said)


def forget() -> None:
    """Show each warning again (a new build starts)."""
    _shown.clear()


def _place(html: str, origin: Origin, served: Sequence[tuple[str, str]], line: int, column: int,
           message: str) -> str:
    """``file:line`` of a stylesheet problem: the stylesheet where what the message quotes stands at its
    line and column (or anywhere, for a problem without a line, such as a selector); else the template.

    A linked file is named itself; the ``<style>`` at the template line that wrote it.
    """
    quoted = QUOTED.search(message)
    snippet = (quoted[1] or quoted[2]).strip() if quoted else ""
    style = STYLE.search(html)
    sheets: list[tuple[str, Callable[[int], str]]] = []
    if style is not None:
        sheets.append((style[1], lambda offset: origin.at(style.start(1) + offset)))
    for url, text in served:
        if url.startswith("file:") and urlsplit(url).path.endswith(".css"):
            sheets.append((text, partial(_in_file, unquote(urlsplit(url).path), text)))
    for text, place in sheets:
        if line:
            offset = _offset(text, line, column)
            if offset is not None and (not snippet or text.startswith(snippet, offset)):
                return place(offset)
        elif snippet and snippet in text:
            return place(text.index(snippet))
    return origin.name


def _in_file(path: str, text: str, offset: int) -> str:
    return where(path, text.count("\n", 0, offset) + 1)


def _offset(text: str, line: int, column: int) -> int | None:
    """The offset of (1-based) ``line`` and ``column`` in ``text``, if it has that line."""
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    return offset + max(column - 1, 0)
