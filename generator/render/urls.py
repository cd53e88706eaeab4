"""Render: which URLs a document may read, and what they hold, for either writer.

Templates, stylesheets and content name images, fonts and stylesheets by URL.
:class:`Sandbox` serves ``data:`` URLs and files inside the allowed folders
(compared after resolving symlinks), and refuses any other ``file://`` URL and
every network URL.  A file it serves must be a regular file (a pipe or a device
would wait or flood) within its kind's limit (:func:`limit`).  A refusal names
the template file and line that asked for the URL (``locate``, from
:mod:`generator.render.origin`), or the stylesheet file and line.

The Word writer reads images through :meth:`Sandbox.read`; the PDF writer hands
WeasyPrint the same rules as its URL fetcher (:mod:`generator.render.sandbox`).
Nothing here loads WeasyPrint, so a command that writes only Word never does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from generator.content.references import find_reference
from generator.errors import MissionpressError, where
from generator.inputs import MAX_FONT, MAX_IMAGE, MAX_STYLESHEET, read_bytes

Locate = Callable[[str], "str | None"]  # a URL -> the "file:line" that names it in the document
NAMING_URLS = (".css", ".svg")  # files that name other URLs (url(), @import, href)
CSS = {"Content-Type": "text/css"}
FONTS = (".ttf", ".otf", ".ttc", ".woff", ".woff2")


class Refused(BaseException):
    """A URL outside the sandbox, or a file of it that cannot be served; ``where`` names who asked for it.

    Like WeasyPrint's fatal fetching error, not an ``Exception``: no renderer's ``except Exception``
    around a fetch swallows it (the build stops at the first URL it refuses).
    """

    def __init__(self, url: str, where: str | None = None, problem: str | None = None) -> None:
        super().__init__(url)
        self.url, self.where, self.problem = url, where, problem


class Sandbox:
    """Serves ``data:`` URLs and files inside the allowed folders; refuses everything else."""

    refusal: type[Refused] = Refused  # what a refusal raises (the PDF writer's stops WeasyPrint)

    def __init__(self, allowed: Sequence[Path], locate: Locate | None = None) -> None:
        self.allowed = [Path(p).resolve() for p in allowed]
        self.locate = locate
        self.served: list[tuple[str, str]] = []  # (URL, text) of the files served that name URLs
        self.refused: list[Refused] = []  # a renderer may swallow some (an SVG's <image> as it draws)

    def serve_file(self, url: str) -> tuple[bytes, dict[str, str] | None]:
        """The bytes of a ``file:`` URL inside the allowed folders, and its headers (CSS is served as CSS)."""
        if urlsplit(url).scheme.lower() == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed):
                suffix = path.suffix.lower()
                try:  # a regular file within its limit: never a pipe or a device, which would wait or flood
                    body = read_bytes(path, str(path), limit(suffix))
                except MissionpressError as error:
                    raise self._refuse(url, error.problems[0]) from None
                if suffix in NAMING_URLS:  # a refusal of a URL one of these names is placed in it
                    self.served.append((url, body.decode("utf-8", "replace")))
                # A <link rel="stylesheet"> or @import is served as CSS (WeasyPrint ignores text/plain).
                return body, CSS if suffix == ".css" else None
        raise self._refuse(url)

    def _refuse(self, url: str, problem: str | None = None) -> Refused:
        self.refused.append(self.refusal(url, self.where(url), problem))
        return self.refused[-1]

    def where(self, url: str) -> str | None:
        """``file:line`` of where the document, or a stylesheet or SVG image it loaded, names ``url``."""
        found = self.locate(url) if self.locate is not None else None
        for source, text in self.served if found is None else ():
            offset = find_reference(text, url, source)
            if offset is not None:
                return where(unquote(urlsplit(source).path), text.count("\n", 0, offset) + 1)
        return found

    def check(self) -> None:
        """Raise the first refusal, had the renderer swallowed it: nothing prints with a hole in it."""
        if self.refused:
            raise forbidden(self.refused[0])

    def read(self, url: str) -> bytes:
        """The bytes behind an allowed URL (the Word writer's images)."""
        try:
            if urlsplit(url).scheme.lower() == "data":  # decoded as WeasyPrint decodes it
                with DataHandler().data_open(Request(url)) as response:
                    return bytes(response.read())
            return self.serve_file(url)[0]
        except Refused as refused:
            raise forbidden(refused) from None


def limit(suffix: str) -> int:
    """The most bytes the sandbox reads of a file with this suffix (``.ttf``, ``.css``, ``.png``...):
    what it serves is read whole, so each kind of file has a limit that fits real ones."""
    return MAX_FONT if suffix in FONTS else MAX_STYLESHEET if suffix == ".css" else MAX_IMAGE


def forbidden(refused: Refused) -> MissionpressError:
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
