"""Word writer: work shared by every document a process writes, done once.

A batch writes one Word file per person from one theme.  Profiled, two things
dominated each file and were the same every time: restyling python-docx's
template from the theme (``apply_theme``, a third of a packet), and finding a
style's id by its name (python-docx scans every style, twice, on each
``paragraph.style = name``).  So the restyled ``styles.xml`` is kept per
theme, language and text width and copied into each new document, and each
document remembers the style ids it has looked up.  Neither changes a byte of
the output (``tests/test_docx_reuse.py`` compares with writing from scratch).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import docx
from docx.document import Document

from generator.content.theme import Theme

ENABLED = True  # off: every document is styled from scratch (for comparison)
_STYLES: dict[tuple[str, str, float, str], Any] = {}  # (theme, language, text width, options) -> styles.xml
KEEP = 8  # themes remembered per process


def themed_document(theme: Theme, lang: str, text_width: float, apply_theme: Callable[..., None],
                    **options: Any) -> Document:
    """A new document whose styles are python-docx's, restyled by ``apply_theme`` from ``theme`` (and ``options``)."""
    document = docx.Document()
    if not ENABLED:
        apply_theme(document, theme, lang, text_width, **options)
        return document
    key = (theme.model_dump_json(), lang, text_width, repr(sorted(options.items())))
    if key not in _STYLES:
        apply_theme(document, theme, lang, text_width, **options)
        if len(_STYLES) >= KEEP:
            _STYLES.pop(next(iter(_STYLES)))
        _STYLES[key] = copy.deepcopy(_styles_part(document).element)
    else:
        _styles_part(document)._element = copy.deepcopy(_STYLES[key])
    _remember_style_ids(document)
    return document


def _styles_part(document: Document) -> Any:
    return document.part._styles_part


def _remember_style_ids(document: Document) -> None:
    """Look each style name up once per document (the styles do not change while it is written)."""
    part = document.part
    look_up = part.get_style_id
    known: dict[tuple[str, Any], str | None] = {}

    def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
        if not isinstance(style_or_name, str):
            return look_up(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in known:
            known[key] = look_up(style_or_name, style_type)
        return known[key]

    part.get_style_id = get_style_id  # type: ignore[method-assign]  # this document only
