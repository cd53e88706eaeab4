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
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import where
from generator.render.origin import Origin

log = logging.getLogger("generator.pdf")
AT = re.compile(r",? at (\d+):(\d+)\b")
CSS_CODE = f"{Path('weasyprint', 'css')}"
QUOTED = re.compile(r"'([^']+)'")
_shown: set[str] = set()  # the warnings shown in this build


class _Collect(logging.Handler):
    """WeasyPrint's reports about stylesheets: (its message, the stylesheet's URL or text, line, column)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[tuple[str, str | None, str | None, int, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        position = AT.search(message)
        if CSS_CODE not in record.pathname or not (position or message.startswith("Invalid or unsupported")):
            return
        url, text = _parsing()
        line, column = (int(position[1]), int(position[2])) if position else (0, 0)
        self.found.append((AT.sub("", message, count=1).rstrip("."), url, text, line, column))


def _parsing() -> tuple[str | None, str | None]:
    """The URL or the text of the stylesheet WeasyPrint is parsing now (its innermost ``CSS(...)``)."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__init__" and type(frame.f_locals.get("self")).__name__ == "CSS" \
                and code.co_filename.endswith(str(Path("weasyprint", "__init__.py"))):
            url, string = frame.f_locals.get("url"), frame.f_locals.get("string")
            return (url if isinstance(url, str) else None), (string if isinstance(string, str) else None)
        frame = frame.f_back  # type: ignore[assignment]
    return None, None


@contextmanager
def stylesheet_warnings(html: str, origin: Origin) -> Iterator[None]:
    """Log, after the block, each stylesheet problem WeasyPrint reported in it, at its file and line."""
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
    for message, url, text, line, column in handler.found:
        place = _place(html, origin, url, text, line, column, message)
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


def _place(html: str, origin: Origin, url: str | None, text: str | None, line: int, column: int,
           message: str) -> str:
    """``file:line`` of a stylesheet problem: in a linked file, in the template that wrote the <style>;
    a problem without a line (a selector) is looked for in the stylesheet by what it quotes."""
    if url is not None and url.startswith("file:"):
        return where(unquote(urlsplit(url).path), line or None)
    start = html.find(text) if text else -1
    if start < 0:
        return origin.name
    quoted = QUOTED.search(message)
    if not line and quoted and text and quoted[1].strip() in text:
        return origin.at(start + text.index(quoted[1].strip()))
    if not line:
        return origin.name
    offset = start
    for _ in range(line - 1):
        offset = html.find("\n", offset) + 1
    return origin.at(offset + max(column - 1, 0))
