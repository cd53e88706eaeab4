"""Render: the URL sandbox of :mod:`generator.render.urls` as WeasyPrint's URL fetcher.

The PDF writer hands :class:`SandboxFetcher` to WeasyPrint; it serves what
:class:`~generator.render.urls.Sandbox` allows and stops the layout at the
first URL it refuses (:class:`ForbiddenURL` is one WeasyPrint does not
swallow).  Only the PDF writer imports this module: it loads WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# WeasyPrint is loaded through generator.pdf.libraries, which finds its C libraries without a compiler.
from generator.pdf import libraries  # noqa: F401  # isort: skip
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # isort: skip

from generator.render.urls import Locate, Refused, Sandbox, forbidden, limit

__all__ = ["ForbiddenURL", "Locate", "SandboxFetcher", "forbidden", "limit"]


class ForbiddenURL(Refused, FatalURLFetchingError):
    """Raised inside WeasyPrint to stop rendering at a URL outside the sandbox; ``where`` names it."""


class SandboxFetcher(Sandbox, URLFetcher):
    """Serves ``data:`` URLs and files inside the allowed folders to WeasyPrint; refuses everything else."""

    refusal = ForbiddenURL

    def __init__(self, allowed: Sequence[Path], locate: Locate | None = None) -> None:
        URLFetcher.__init__(self, allowed_protocols=("file", "data"))
        Sandbox.__init__(self, allowed, locate)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if urlsplit(url).scheme.lower() == "data":
            return URLFetcher.fetch(self, url, headers)
        body, served = self.serve_file(url)
        return URLFetcherResponse(url, body=body, headers=served)
