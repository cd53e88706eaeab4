"""Every character a document prints has a glyph in the templates' fonts, or the build stops.

The build lays text out with the fonts of the templates' ``fonts/`` folders
alone, so a character none of them has prints as an empty box (an Arabic name
from ``init --name``, a few Chinese words added to the vision) while the build
succeeds.  So the HTML a template renders is read for such characters before
it is laid out, and each is named where a person would change it: the first
line of a content file (statement, theme, Markdown) or a catalog of the
templates that holds it, else the template line that printed it.

The cost is a set difference per document: the text's characters beyond ASCII
against the fonts' character maps (read once per process).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from generator.content.fonts import _cmap, _ignorable, describe, font_files
from generator.errors import where

TEXT = re.compile(r"<(style|script)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)  # what is not printed text
SOURCE_SUFFIXES = (".yaml", ".yml", ".md", ".po")
MAX_NAMED = 3  # characters named, each once (as the roster names them)


@lru_cache(maxsize=8)
def coverage(folders: tuple[Path, ...]) -> frozenset[int]:
    """The characters the fonts of ``folders`` (those that exist) can print."""
    covered: set[int] = set()
    for folder in folders:
        if folder.is_dir():
            for path in font_files(folder):
                try:
                    covered |= _cmap(path)
                except Exception:  # a damaged font is named where the theme's families are read
                    continue
    return frozenset(covered)


def unprintable(html: str, covered: frozenset[int], sources: Callable[[], Iterable[Path]],
                at: Callable[[int], str]) -> list[str]:
    """What in ``html``'s text has no glyph in ``covered``: each character once, at the first line of a file of
    ``sources()`` that holds it, else at ``at(offset)`` (the template line that printed it)."""
    beyond = {char for char in set(html) if ord(char) > 0x7E and ord(char) not in covered and not _ignorable(char)}
    if not beyond:
        return []
    found: dict[str, int] = {}
    wanted = re.compile("[" + "".join(re.escape(char) for char in sorted(beyond)) + "]")
    for start, end in _texts(html):
        for match in wanted.finditer(html, start, end):
            found.setdefault(match.group(0), match.start())
    if not found:
        return []  # only in markup: attributes, styles, comments
    places: dict[str, list[str]] = {}
    files = list(sources())
    for char, offset in list(found.items())[:MAX_NAMED]:
        places.setdefault(_source(char, files) or at(offset), []).append(describe(char))
    more = len(found) - MAX_NAMED
    return [f"{place}: no glyph for {', '.join(chars)}{f' and {more} more' if more > 0 and n == 0 else ''} "
            "(the templates' fonts cannot print it: it would print as an empty box; write the text without it, "
            "e.g. in Latin letters, or add a font that has it to the templates' fonts/ folder)"
            for n, (place, chars) in enumerate(places.items())]


def _texts(html: str) -> Iterable[tuple[int, int]]:
    """The stretches of printed text of ``html`` (start, end): what lies between markup."""
    position = 0
    for markup in TEXT.finditer(html):
        if markup.start() > position:
            yield position, markup.start()
        position = markup.end()
    if position < len(html):
        yield position, len(html)


def _source(char: str, files: Sequence[Path]) -> str | None:
    """``file:line`` of the first line of ``files`` holding ``char``, if one does."""
    for path in files:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        index = text.find(char)
        if index >= 0:
            return where(path, text.count("\n", 0, index) + 1)
    return None


def sources(content: Path, template_folders: Sequence[Path]) -> list[Path]:
    """Where printed text comes from: the content folder's YAML and Markdown files, and the templates'
    catalogs (``locale/*.po``), in that order; files of bounded size only."""
    from generator.content.model import MAX_TEXT_FILE

    found = sorted(p for p in content.rglob("*") if p.suffix in SOURCE_SUFFIXES and not p.name.startswith("."))
    for folder in template_folders:
        locale = folder / "locale"
        if locale.is_dir():
            found += sorted(locale.glob("*.po"))
    return [p for p in found if p.is_file() and p.stat().st_size <= MAX_TEXT_FILE]
