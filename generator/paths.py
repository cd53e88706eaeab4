"""Where the built-in templates, content and fonts live.

In a source checkout they are the top-level ``templates/`` and ``content/``
folders; in an installed wheel they are copied into ``generator/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _builtin(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


BUILTIN_TEMPLATES = _builtin("templates")
BUILTIN_CONTENT = _builtin("content")
FONTS = BUILTIN_TEMPLATES / "fonts"


def default_content() -> Path:
    """``./content`` when it holds a statement, else the built-in sample (the UNM HSC statement)."""
    local = Path("content")
    return local if (local / "statement.yaml").is_file() else BUILTIN_CONTENT
