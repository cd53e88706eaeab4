"""Render: the URL sandbox both writers read through.

Templates, stylesheets and content name images, fonts and stylesheets by URL.
:class:`SandboxFetcher` serves ``data:`` URLs and files inside the allowed
folders (compared after resolving symlinks), and refuses any other ``file://``
URL and every network URL.  A file it serves must be a regular file (a pipe or
a device would wait or flood) within its kind's limit (:func:`limit`).  The PDF writer hands it to WeasyPrint as its URL
fetcher; the Word writer reads images through :meth:`SandboxFetcher.read`.
A refusal names the template file and line that asked for the URL (``locate``,
from :mod:`generator.render.origin`), or the stylesheet file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# WeasyPrint is loaded through generator.pdf.libraries, which finds its C libraries without a compiler.
from generator.pdf import libraries  # noqa: F401  # isort: skip
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # isort: skip

from generator.content.references import find_reference
from generator.errors import MissionpressError, where
from generator.inputs import MAX_FONT, MAX_IMAGE, MAX_STYLESHEET, read_bytes

Locate = Callable[[str], "str | None"]  # a URL -> the "file:line" that names it in the document
NAMING_URLS = (".css", ".svg")  # files that name other URLs (url(), @import, href)
CSS = {"Content-Type": "text/css"}
FONTS = (".ttf", ".otf", ".ttc", ".woff", ".woff2")


class ForbiddenURL(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop rendering at a URL outside the sandbox; ``where`` names it."""

    def __init__(self, url: str, where: str | None = None, problem: str | None = None) -> None:
        super().__init__(url)
        self.url, self.where, self.problem = url, where, problem


class SandboxFetcher(URLFetcher):
    """Serves ``data:`` URLs and files inside the allowed folders; refuses everything else."""

    def __init__(self, allowed: Sequence[Path], locate: Locate | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.allowed = [Path(p).resolve() for p in allowed]
        self.locate = locate
        self.served: list[tuple[str, str]] = []  # (URL, text) of the files served that name URLs
        self.refused: list[ForbiddenURL] = []  # WeasyPrint swallows some (an SVG's <image> as it draws)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed):
                suffix = path.suffix.lower()
                try:  # a regular file within its limit: never a pipe or a device, which would wait or flood
                    body = read_bytes(path, str(path), limit(suffix))
                except MissionpressError as error:
                    self.refused.append(ForbiddenURL(url, self.where(url), error.problems[0]))
                    raise self.refused[-1] from None
                if suffix in NAMING_URLS:  # a refusal of a URL one of these names is placed in it
                    self.served.append((url, body.decode("utf-8", "replace")))
                # A <link rel="stylesheet"> or @import is served as CSS (WeasyPrint ignores text/plain).
                return URLFetcherResponse(url, body=body, headers=CSS if suffix == ".css" else None)
        self.refused.append(ForbiddenURL(url, self.where(url)))
        raise self.refused[-1]

    def where(self, url: str) -> str | None:
        """``file:line`` of where the document, or a stylesheet or SVG image it loaded, names ``url``."""
        found = self.locate(url) if self.locate is not None else None
        for source, text in self.served if found is None else ():
            offset = find_reference(text, url, source)
            if offset is not None:
                return where(unquote(urlsplit(source).path), text.count("\n", 0, offset) + 1)
        return found

    def check(self) -> None:
        """Raise the first refusal, had WeasyPrint swallowed it: nothing prints with a hole in it."""
        if self.refused:
            raise forbidden(self.refused[0])

    def read(self, url: str) -> bytes:
        """The bytes behind an allowed URL (the Word writer's images)."""
        try:
            response = self.fetch(url)
        except ForbiddenURL as refused:
            raise forbidden(refused) from None
        try:
            return bytes(response.read())
        finally:
            response.close()


def limit(suffix: str) -> int:
    """The most bytes the sandbox reads of a file with this suffix (``.ttf``, ``.css``, ``.png``...):
    what it serves is read whole, so each kind of file has a limit that fits real ones."""
    return MAX_FONT if suffix in FONTS else MAX_STYLESHEET if suffix == ".css" else MAX_IMAGE


def forbidden(refused: ForbiddenURL) -> MissionpressError:
    """The error for a refused URL: where it is named, what it is and what to do instead."""
    url = refused.url
    if refused.problem:  # a file of the project that cannot be served
        return MissionpressError(f"{refused.where}: {refused.problem}" if refused.where else refused.problem)
    place = f"{refused.where}: " if refused.where else ""
    kind = "outside the project's templates, content and fonts" if url.startswith("file:") else "on the network"
    return MissionpressError(
        f"{place}refused to load {url}: it is {kind}; the renderer reads only the project's "
        "own folders and data: URLs (copy the file into your templates or content folder)"
    )
