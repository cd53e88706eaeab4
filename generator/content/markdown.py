"""Markdown content (handbook chapters, letters) -> the HTML subset both writers read.

Files are CommonMark with GFM tables and YAML front matter.  Everything the
writers cannot carry (raw HTML, code, headings deeper than ``####``, images
without alt text or from outside the content folder) is refused with the
file, the line and what to write instead.  Placeholders such as
``{{ greeting_name }}`` are filled in from data after rendering, escaped and in
one pass, so a value is never interpreted as Markdown, HTML or a template.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import BaseModel

from generator.content.model import parse_yaml, read_text, validate
from generator.errors import MissionpressError, where

M = TypeVar("M", bound=BaseModel)

_md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")

UNSUPPORTED = {
    "html_block": "raw HTML is not supported (write Markdown instead)",
    "html_inline": "raw HTML is not supported (write Markdown instead)",
    "code_block": "indented code blocks are not supported (remove the indentation of 4 spaces)",
    "fence": "code blocks are not supported (write the text as a paragraph)",
    "code_inline": "`code` spans are not supported (remove the backticks)",
    "hr": "horizontal rules (---) are not supported (start a new ## section instead)",
}
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class Document:
    """A Markdown file: its validated front matter and its body as HTML."""

    path: Path
    meta: Any
    html: str


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """(front matter, body, file line where the body starts)."""
    if not text.startswith("---\n"):
        raise MissionpressError(f"{where(path, 1)}: front matter missing (start the file with a "
                                "'---' line, then 'title: ...', then another '---' line)")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise MissionpressError(f"{where(path, 1)}: front matter is not closed (add a '---' line after it)")
    front = text[4 : end + 1]
    body_line = front.count("\n") + 3
    return front, text[end + 5 :], body_line


def _check(tokens: list[Token], path: Path, first_line: int, base: Path) -> list[str]:
    problems = []
    line = first_line
    for token in tokens:
        if token.map:
            line = token.map[0] + first_line
        if token.type in UNSUPPORTED:
            problems.append(f"{where(path, line)}: {UNSUPPORTED[token.type]}")
        elif token.type == "heading_open" and token.tag in ("h1", "h5", "h6"):
            fix = ("the chapter title comes from the front matter: use ## for sections"
                   if token.tag == "h1" else "use ##, ### or #### at most")
            problems.append(f"{where(path, line)}: heading level {token.tag[1]} is not supported ({fix})")
        elif token.type == "image":
            problems += _check_image(token, path, line, base)
        if token.children:
            problems += _check(token.children, path, line, base)
    return problems


def _check_image(token: Token, path: Path, line: int, base: Path) -> list[str]:
    src = str(token.attrs.get("src", ""))
    if not token.content.strip():
        return [f"{where(path, line)}: image {src} has no alt text (write ![what it shows]({src}))"]
    if src.startswith("data:"):
        return []
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        return [f"{where(path, line)}: image {src} is not a file of the content folder "
                "(copy it beside the Markdown file and link it by its relative path)"]
    target = (path.parent / unquote(src)).resolve()  # markdown-it percent-encodes ñ and spaces
    if not target.is_relative_to(base.resolve()) or not target.is_file():
        return [f"{where(path, line)}: image {src} not found in the content folder"]
    token.attrs["src"] = target.as_uri()
    return []


def render(body: str, path: Path, first_line: int, base: Path, id_prefix: str = "") -> str:
    """Markdown ``body`` (starting at file line ``first_line``) as HTML.

    Headings get ids ``{id_prefix}-{slug}`` for the contents and bookmarks.
    """
    tokens = _md.parse(body)
    problems = _check(tokens, path, first_line, base)
    if problems:
        raise MissionpressError(*problems)
    seen: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            slug = slugify(tokens[i + 1].content) or "section"
            ident, n = f"{id_prefix}-{slug}", 2
            while ident in seen:
                ident, n = f"{id_prefix}-{slug}-{n}", n + 1
            seen.add(ident)
            token.attrSet("id", ident)
    return _md.renderer.render(tokens, _md.options, {})


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def load(path: Path, model: type[M], base: Path, id_prefix: str = "") -> Document:
    """A Markdown file with front matter validated as ``model``."""
    text = read_text(path)
    front, body, body_line = split_front_matter(text, path)
    data, lines = parse_yaml(front, path, first_line=2)
    meta = validate(data, lines, path, model)
    return Document(path, meta, render(body, path, body_line, base, id_prefix))


def fill(rendered: str, values: Mapping[str, str], path: Path) -> str:
    """Replace ``{{ name }}`` placeholders in rendered HTML with escaped values, in one pass."""
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(rendered)} - set(values))
    if unknown:
        raise MissionpressError(
            f"{path}: unknown placeholder{'s' if len(unknown) > 1 else ''} "
            + ", ".join("{{ " + u + " }}" for u in unknown)
            + f" (known: {', '.join(sorted(values))})"
        )
    return PLACEHOLDER.sub(lambda m: html.escape(values[m.group(1)], quote=True), rendered)
