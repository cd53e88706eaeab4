"""Render: the URL sandbox both writers read through.

Templates, stylesheets and content name images, fonts and stylesheets by URL.
:class:`SandboxFetcher` serves ``data:`` URLs and files inside the allowed
folders (compared after resolving symlinks), and refuses any other ``file://``
URL and every network URL.  The PDF writer hands it to WeasyPrint as its URL
fetcher; the Word writer reads images through :meth:`SandboxFetcher.read`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from generator.errors import MissionpressError


class ForbiddenURL(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop rendering at a URL outside the sandbox."""


class SandboxFetcher(URLFetcher):
    """Serves ``data:`` URLs and files inside the allowed folders; refuses everything else."""

    def __init__(self, allowed: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.allowed = [Path(p).resolve() for p in allowed]

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        raise ForbiddenURL(url)

    def read(self, url: str) -> bytes:
        """The bytes behind an allowed URL (the Word writer's images)."""
        try:
            response = self.fetch(url)
        except ForbiddenURL:
            raise forbidden(url) from None
        try:
            return bytes(response.read())
        finally:
            response.close()


def forbidden(url: str) -> MissionpressError:
    """The error for a refused URL: what it is and what to do instead."""
    where = "outside the project's templates, content and fonts" if url.startswith("file:") else "on the network"
    return MissionpressError(
        f"refused to load {url}: it is {where}; the renderer reads only the project's "
        "own folders and data: URLs (copy the file into your templates or content folder)"
    )
