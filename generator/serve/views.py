"""The pages' HTML (Jinja files of ``serve/templates``) and error answers.

An error is answered as a page when a browser navigated to the URL and as
JSON otherwise, always with the same ``errors`` list.  A failure of the server
itself shows only a short id; the details go to the server's log under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from generator import __version__

HERE = Path(__file__).resolve().parent
TITLES = {400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          413: "File too large", 415: "Wrong kind of file", 422: "Please fix the input",
          500: "Something went wrong"}

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.globals["version"] = __version__  # in the script's and stylesheet's URLs: a new version is fetched anew


def page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page of ``serve/templates``, never cached (it shows the current state)."""
    html = _env.get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def wants_html(headers: Mapping[str, str]) -> bool:
    """A browser navigating (not a script or the pages' own fetch calls)."""
    return headers.get("sec-fetch-mode") == "navigate" or (
        "text/html" in headers.get("accept", "") and "application/json" not in headers.get("accept", ""))


def error(headers: Mapping[str, str], status: int, errors: list[dict[str, object]],
          error_id: str | None = None) -> Response:
    """The ``errors`` as a page for a browser, else ``{"errors": [...]}`` (plus ``error_id``)."""
    if wants_html(headers):
        return page("error.html", status, title=TITLES.get(status, "Error"), errors=errors, error_id=error_id,
                    active="")
    body: dict[str, object] = {"errors": errors}
    if error_id:
        body["error_id"] = error_id
    return JSONResponse(body, status_code=status)


def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such URL, a method a URL does not take), as our other error pages."""
    assert isinstance(exc, HTTPException)
    text = {404: f"there is no page or file at {request.url.path} (the pages are /poster, /handbook, "
                 "/onboarding and /check)",
            405: f"{request.url.path} does not take a {request.method} request"}.get(exc.status_code, exc.detail)
    return error(request.headers, exc.status_code, [message(text)])


def message(text: str, field: str | None = None) -> dict[str, object]:
    """One error without a row: ``{"row": null, "field": ..., "message": ...}``."""
    return {"row": None, "field": field, "message": text}
