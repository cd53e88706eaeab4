"""Markdown content (handbook chapters, letters) -> the HTML subset both writers read.

Files are CommonMark with GFM tables and YAML front matter.  Everything the
writers cannot carry (raw HTML, code, headings deeper than ``####``, images
without alt text, from outside the content folder or that do not decode,
quotes and lists nested deeper than ``MAX_NESTING``) is refused with the
file, the line and what to write instead.

Links: ``http(s):`` and ``mailto:`` stay links; ``#section`` and a link to
another chapter (``glossary.md``, ``glossary.md#terms``) become links inside
the document; anything else (another scheme, a file, a path leaving the
content folder) is refused.  Images are embedded as ``data:`` URLs, so no
build path reaches the output and the PDF does not change when the content
folder moves.  Placeholders such as
``{{ greeting_name }}`` are filled in from data after rendering, escaped and in
one pass, so a value is never interpreted as Markdown, HTML or a template.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import BaseModel

from generator.content.model import control_problem, parse_yaml, read_text, validate
from generator.content.references import LINK_SCHEMES
from generator.errors import MissionpressError, where
from generator.inputs import MAX_IMAGE, MAX_PIXELS, read_bytes

M = TypeVar("M", bound=BaseModel)

MAX_NESTING = 8  # block quotes and lists inside each other; inline markup inside each other
MAX_MARKDOWN = 200 * 1024  # a chapter of 200 KB is some 80 pages; parsing cost grows faster than size
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
# markdown-it drops what is nested deeper than maxNesting without a word: set it far above our own limit
# so that anything too deep reaches the check and is refused.
_md = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": 4 * MAX_NESTING}).enable("table")
_NESTS = {"bullet_list_open": 1, "ordered_list_open": 1, "blockquote_open": 1,
          "bullet_list_close": -1, "ordered_list_close": -1, "blockquote_close": -1}

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


def _check(tokens: list[Token], path: Path, first_line: int, base: Path,
           chapters: Mapping[Path, str]) -> list[str]:
    problems: list[str] = []
    line = first_line
    depth = 0
    for token in tokens:
        if token.map:
            line = token.map[0] + first_line
        depth += _NESTS.get(token.type, 0)
        if depth > MAX_NESTING or token.level > 2 * MAX_NESTING + 4:
            return [*problems, f"{where(path, line)}: quotes or lists nested more than {MAX_NESTING} levels deep "
                    "(the printed page cannot show that many; flatten them)"]
        if token.type in UNSUPPORTED:
            problems.append(f"{where(path, line)}: {UNSUPPORTED[token.type]}")
        elif token.type == "heading_open" and token.tag in ("h1", "h5", "h6"):
            fix = ("the chapter title comes from the front matter: use ## for sections"
                   if token.tag == "h1" else "use ##, ### or #### at most")
            problems.append(f"{where(path, line)}: heading level {token.tag[1]} is not supported ({fix})")
        elif token.type == "image":
            problems += _check_image(token, path, line, base)
        elif token.type == "link_open":
            problems += _check_link(token, path, line, base, chapters)
        if token.children:
            if max((child.level for child in token.children), default=0) > MAX_NESTING:
                problems.append(f"{where(path, line)}: links and emphasis nested more than {MAX_NESTING} levels "
                                "deep (simplify the markup)")
                continue
            problems += _check(token.children, path, line, base, chapters)
    return problems


_REFERENCE = re.compile(r"&(?:#(\d{1,10})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]{1,31}));")


def _reference_problems(body: str, path: Path, first_line: int) -> list[str]:
    """Character references (``&#x202e;``, ``&#27;``, ``&#0;``) that would put a control or direction
    character into the text: the file itself was checked before it was parsed, its references not."""
    problems = []
    for match in _REFERENCE.finditer(body):
        decimal, hexadecimal, name = match.groups()
        if name:
            char = html.unescape(match.group(0))
            problem = control_problem(char) if char != match.group(0) else None
        else:
            code = int(decimal) if decimal else int(hexadecimal, 16)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                problem = f"gives U+{code:04X}, which is no character that can be printed (delete the reference)"
            else:
                problem = control_problem(chr(code))
        if problem:
            line = first_line + body.count("\n", 0, match.start())
            problems.append(f"{where(path, line)}: {match.group(0)}: the character reference "
                            f"{problem.replace('contains ', 'gives ', 1)}")
    return problems


def _check_link(token: Token, path: Path, line: int, base: Path, chapters: Mapping[Path, str]) -> list[str]:
    """Keep web and mail links, turn links to chapters into anchors, refuse the rest."""
    href = str(token.attrs.get("href", ""))
    here = f"{where(path, line)}: link {href}"
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme in LINK_SCHEMES:
        return []
    if scheme or href.startswith("//"):
        return [f"{here}: only http:, https: and mailto: links can be printed (write the web address, "
                "e.g. https://example.org/page)"]
    if not parts.path:  # #section of this file: checked once the headings have ids
        return []
    target = (path.parent / unquote(parts.path)).resolve()
    if not target.is_relative_to(base.resolve()):
        return [f"{here}: leads outside the content folder (link to a chapter of the handbook or a web address)"]
    chapter = chapters.get(target)
    if chapter is None:
        what = "a chapter of this document" if target.suffix == ".md" else "a web address"
        return [f"{here}: not a chapter of this document; a printed page cannot open files "
                f"(link to {what} instead)"]
    fragment = slugify(unquote(parts.fragment))
    token.attrSet("href", f"#{chapter}-{fragment}" if fragment else f"#{chapter}")
    token.meta["chapter"] = True
    return []


def _check_image(token: Token, path: Path, line: int, base: Path) -> list[str]:
    src = str(token.attrs.get("src", ""))
    here = f"{where(path, line)}: image {src if len(src) < 80 else src[:60] + '...'}"
    if not token.content.strip():
        return [f"{where(path, line)}: image {src} has no alt text (write ![what it shows]({src}))"]
    if src.startswith("data:"):
        data = _data_url(src)
        if data is None:
            return [f"{here}: is not a valid data: URL (link an image file of the content folder instead)"]
    elif re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("//"):
        return [f"{here} is not a file of the content folder "
                "(copy it beside the Markdown file and link it by its relative path)"]
    else:
        target = (path.parent / unquote(src)).resolve()  # markdown-it percent-encodes ñ and spaces
        if not target.is_relative_to(base.resolve()) or not target.is_file():
            return [f"{where(path, line)}: image {src} not found in the content folder"]
        try:
            data = read_bytes(target, f"{here}", MAX_IMAGE)
        except MissionpressError as exc:
            return exc.problems
    mime, problem = _image_type(data)
    if problem:
        return [f"{here}: {problem}"]
    # Embedded: no build path in the output, and the PDF's image names do not depend on where content lives.
    token.attrs["src"] = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return []


def _data_url(url: str) -> bytes | None:
    header, comma, payload = url[5:].partition(",")
    if not comma:
        return None
    try:
        if header.endswith(";base64"):
            return base64.b64decode(unquote(payload), validate=True)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


def _image_type(data: bytes) -> tuple[str, str | None]:
    """The MIME type of image ``data``, or what is wrong with it (it must decode, within MAX_PIXELS)."""
    if data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>") or b"<svg" in data[:1024]:
        from xml.etree import ElementTree

        try:
            ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            return "", f"is not a readable SVG image ({exc})"
        return "image/svg+xml", None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            kind = image.format or ""
            if width * height > MAX_PIXELS:
                return "", (f"is {width} x {height} pixels, over the limit of {MAX_PIXELS // 1_000_000} megapixels "
                            "(scale it down; 300 dpi at the printed size is enough)")
            image.load()
    except Image.DecompressionBombError:
        return "", f"is over the limit of {MAX_PIXELS // 1_000_000} megapixels (scale it down)"
    except Exception:  # Pillow raises many types for a damaged file
        return "", "cannot be decoded as an image: damaged, or not PNG, JPEG, GIF or WebP (open it and save it again)"
    if kind not in IMAGE_TYPES:
        return "", f"is a {kind or 'unknown'} image; use PNG, JPEG, GIF or WebP"
    return IMAGE_TYPES[kind], None


def render(body: str, path: Path, first_line: int, base: Path, id_prefix: str = "",
           chapters: Mapping[Path, str] | None = None) -> str:
    """Markdown ``body`` (starting at file line ``first_line``) as HTML.

    Headings get ids ``{id_prefix}-{slug}`` for the contents and bookmarks.
    ``chapters`` maps the Markdown files of the same document (resolved paths)
    to their chapter ids, for links between chapters.
    """
    problems = _reference_problems(body, path, first_line)
    if problems:
        raise MissionpressError(*problems)
    tokens = _md.parse(body)
    problems = _check(tokens, path, first_line, base, chapters or {})
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
    problems = _local_links(tokens, path, first_line, id_prefix, seen)
    if problems:
        raise MissionpressError(*problems)
    return _md.renderer.render(tokens, _md.options, {})


def _local_links(tokens: list[Token], path: Path, first_line: int, id_prefix: str, ids: set[str]) -> list[str]:
    """``#section`` links point at this file's headings (their ids carry the chapter's prefix)."""
    problems = []
    line = first_line
    for token in tokens:
        line = token.map[0] + first_line if token.map else line
        for child in token.children or ():
            local = child.type == "link_open" and not child.meta.get("chapter")
            href = str(child.attrs.get("href", "")) if local else ""
            if href.startswith("#"):
                ident = f"{id_prefix}-{slugify(unquote(href[1:]))}"
                if ident not in ids:
                    known = ", ".join("#" + i.removeprefix(id_prefix + "-") for i in sorted(ids))
                    problems.append(f"{where(path, line)}: link {href}: no section of that name in this file "
                                    f"({'sections: ' + known if known else 'it has no ## sections'})")
                child.attrSet("href", f"#{ident}")
    return problems


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def load(path: Path, model: type[M], base: Path, id_prefix: str = "",
         chapters: Mapping[Path, str] | None = None) -> Document:
    """A Markdown file with front matter validated as ``model``; ``chapters`` as for :func:`render`."""
    text = read_text(path, MAX_MARKDOWN)
    front, body, body_line = split_front_matter(text, path)
    data, lines = parse_yaml(front, path, first_line=2)
    meta = validate(data, lines, path, model)
    return Document(path, meta, render(body, path, body_line, base, id_prefix, chapters))


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
