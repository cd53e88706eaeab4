"""Word writer: work shared by every document a process writes, done once.

A batch writes one Word file per person from one theme.  Profiled, two things
dominated each file and were the same every time: opening python-docx's
template and restyling it from the theme (its styles and list definitions,
a third of a packet), and finding a style's id by its name (python-docx scans every style,
twice, on each ``paragraph.style = name``).  So the restyled document is kept
per theme, language and text width and each new document is a deep copy of
it, and the documents made from the same styles share the style ids looked up.
The styles themselves (python-docx's template has some 9,000 elements of them,
a third of a packet's time to copy and to serialize) are not copied: no writer
changes them once ``prepare`` has made them, so every document of a key shares
its one ``styles.xml`` element, serialized once (:func:`shared_blob`); a
document whose styles were changed all the same stops the build rather than
pass the change on.  None of this changes a byte of the output
(``tests/test_docx_reuse.py`` compares with writing from scratch).
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import docx
from docx.document import Document
from lxml import _elementpath

from generator.content.theme import Theme

ENABLED = True  # off: every document is styled from scratch (for comparison)
PATHS_KEPT = 5000  # compiled ElementPath expressions kept per process
_DOCUMENTS: dict[tuple[str, str, float, str], Document] = {}  # (theme, language, text width, options) -> styled
_IDS: dict[tuple[str, str, float, str], dict[tuple[str, Any], str | None]] = {}  # the same key -> style ids
_STYLES: dict[int, SharedStyles] = {}  # id of a styles element documents share -> it, and its bytes
KEEP = 8  # themes remembered per process
T = TypeVar("T")


def themed_document(theme: Theme, lang: str, text_width: float, prepare: Callable[..., None],
                    **options: Any) -> Document:
    """A new document from python-docx's template, restyled by ``prepare`` from ``theme`` (and ``options``)."""
    _keep_compiled_paths()
    if not ENABLED:
        document = docx.Document()
        prepare(document, theme, lang, text_width, **options)
        return document
    key = (theme.model_dump_json(), lang, text_width, repr(sorted(options.items())))
    if key not in _DOCUMENTS:
        styled = docx.Document()
        prepare(styled, theme, lang, text_width, **options)
        if len(_DOCUMENTS) >= KEEP:
            _IDS.pop(next(iter(_DOCUMENTS)), None)
            _STYLES.pop(id(_DOCUMENTS.pop(next(iter(_DOCUMENTS))).styles.element), None)
        _DOCUMENTS[key] = styled
        _IDS[key] = {}
        styles = styled.styles.element
        _STYLES[id(styles)] = SharedStyles(styles, len(styles))
    # A copy of the whole package (parts, relationships, XML) is a third of what opening
    # python-docx's template takes, and it is styled already; the styles are shared, not copied.
    styles = _DOCUMENTS[key].styles.element
    document = copy.deepcopy(_DOCUMENTS[key], {id(styles): styles})
    _remember_style_ids(document, _IDS[key])
    return document


def _remember_style_ids(document: Document, known: dict[tuple[str, Any], str | None]) -> None:
    """Look each style name up once for all documents of the same styles (``known``, shared by them).

    Every document made from one key starts from the same styles.xml, and the
    writers add styles to each the same way, so a name has one id in all of them.
    """
    part = document.part
    look_up = part.get_style_id

    def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
        if not isinstance(style_or_name, str):
            return look_up(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in known:
            known[key] = look_up(style_or_name, style_type)
        return known[key]

    part.get_style_id = get_style_id  # type: ignore[method-assign]  # this document only


@dataclass
class SharedStyles:
    """A ``styles.xml`` element the documents of one key share, how many styles it had, its bytes."""

    element: Any
    count: int
    blob: bytes | None = None
    values: dict[str, Any] = field(default_factory=dict)  # what was read from it, by name


def shared_value(element: Any, name: str, read: Callable[[Any], T]) -> T:
    """``read(element)``, made once for a styles element documents share (and kept as ``name``)."""
    shared = _STYLES.get(id(element))
    if shared is None or shared.element is not element:
        return read(element)
    if name not in shared.values:
        shared.values[name] = read(element)
    return cast(T, shared.values[name])


def shared_blob(part: Any) -> bytes | None:
    """The serialized XML of a part whose element documents share (their styles), made once; else None."""
    element = getattr(part, "_element", None)
    shared = _STYLES.get(id(element)) if element is not None else None
    if shared is None or shared.element is not element:
        return None
    if len(element) != shared.count:  # a writer added a style to the styles every document shares
        raise RuntimeError(f"{part.partname}: changed while written, but other documents share it "
                           "(make the change in the themed styles, or give this document its own copy)")
    if shared.blob is None:
        shared.blob = part.blob
    return shared.blob


@contextmanager
def freed_at_once() -> Iterator[None]:
    """Write a document with the garbage collector paused, then free what the writing left at once.

    A python-docx document is a web of reference cycles (parts and their package, XML
    elements and their proxies), so nothing of it is freed until the collector runs.
    Running by itself, it ran hundreds of times while one document was written, each
    time finding nothing to free yet (a fifth of a packet), and the cycles it reached
    only later piled up in the older generations (one process of 200 Word packets peaked at
    268 MB, 80 MB so).  Paused, then run once over the objects made since (the youngest
    generation), it frees the whole document as soon as the document is done.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
            gc.collect(0)


class _CompiledPaths(dict):  # type: ignore[type-arg]
    """lxml's cache of compiled ElementPath expressions (``find("{ns}tag")``), kept whole.

    lxml empties its cache whenever it holds more than 100 paths.  python-docx finds
    children by a few hundred different tag names (every property it sets looks for the
    elements that must follow it), so the cache was emptied every few paragraphs and each
    path parsed again: a third of a Word file's time.  This cache forgets only when huge.
    """

    def clear(self) -> None:
        if len(self) > PATHS_KEPT:
            super().clear()


def _keep_compiled_paths() -> None:
    """Put :class:`_CompiledPaths` in place of lxml's cache, when a Word file is first written (not on import)."""
    paths = getattr(_elementpath, "_cache", None)
    if isinstance(paths, dict) and not isinstance(paths, _CompiledPaths):  # lxml 6: a module-level dict
        _elementpath._cache = _CompiledPaths(paths)
