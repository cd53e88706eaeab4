"""Pages for people: poster and handout, handbook, onboarding, check.

Server-rendered from the Jinja files of ``serve/templates``; every control is
a plain form field, so a page works from the keyboard and without its small
script (``static/serve.js``), which only updates the preview in place and
shows progress.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from generator.content.pages import SIZES
from generator.errors import MissionpressError
from generator.serve import library, views
from generator.serve.api import blocking, document_from, state
from generator.serve.library import Document

LANGUAGES = {"en": "English", "es": "Spanish (Español)", "en+es": "English and Spanish side by side"}
SIZE_LABELS = {"letter": "Letter (8.5 × 11 in)", "tabloid": "Tabloid (11 × 17 in)", "18x24": "18 × 24 in",
               "24x36": "24 × 36 in", "A4": "A4 (210 × 297 mm)", "A3": "A3 (297 × 420 mm)",
               "A2": "A2 (420 × 594 mm)", "A1": "A1 (594 × 841 mm)", "A0": "A0 (841 × 1189 mm)"}


def _bleed(size: str) -> str:
    """The bleed print shops ask for: 3 mm for ISO sizes, 1/8 inch for US sizes."""
    return "3mm" if size in library.ISO_SIZES else "0.125in"


def _query(doc: Document, **extra: str) -> str:
    from urllib.parse import urlencode

    values = {"size": doc.size, "orientation": doc.orientation, "lang": doc.lang}
    if doc.bleed:
        values |= {"bleed": doc.bleed, "marks": doc.marks}
    return urlencode(values | extra)


def _parsed(request: Request, document: str) -> tuple[Document, list[dict[str, object]]]:
    """The document the page's query asks for, or the default with the query's errors."""
    try:
        doc = document_from(request, document)
    except MissionpressError as error:
        return Document(document), library.problems(error)
    return doc, []


def _common(request: Request, active: str) -> dict[str, Any]:
    serve = state(request)
    return {"active": active, "content": serve.sources.content, "out": serve.out}


async def home(request: Request) -> Response:
    return RedirectResponse("/poster", status_code=303)


async def poster(request: Request) -> Response:
    doc, errors = _parsed(request, "poster")
    shop = request.query_params.get("pdf") == "print"
    if shop and not errors:
        doc = Document(doc.document, doc.size, doc.orientation, doc.lang, _bleed(doc.size), "crop")
    screen = Document(doc.document, doc.size, doc.orientation, doc.lang)
    return views.page(
        "poster.html", **_common(request, "poster"), doc=doc, shop=shop, errors=errors,
        sizes=SIZE_LABELS, languages=LANGUAGES, query=_query(doc), screen_query=_query(screen),
        word_fits=doc.word_fits(), bleed=_bleed(doc.size), warnings=state(request).previews.warnings(doc),
        build_errors=[views.message(p) for p in state(request).previews.error(doc)],
    )


async def handbook(request: Request) -> Response:
    doc, errors = _parsed(request, "handbook")
    if doc.size not in library.HANDBOOK_SIZES:
        errors.append(views.message(f"the handbook is made in {' or '.join(library.HANDBOOK_SIZES)}", "size"))
        doc = Document("handbook", "letter", doc.orientation, doc.lang)
    pages = 0
    if not errors:
        try:
            pages = (await blocking(state(request).previews.get, doc)).pages
        except MissionpressError as error:
            errors = library.problems(error)
    number_text = request.query_params.get("page", "")
    large = int(number_text) if number_text.isdigit() and 1 <= int(number_text) <= pages else None
    width, height = SIZES[doc.size]
    return views.page(
        "handbook.html", **_common(request, "handbook"), doc=doc, errors=errors, pages=pages, large=large,
        ratio=height / width,
        sizes={s: SIZE_LABELS[s] for s in library.HANDBOOK_SIZES}, languages=LANGUAGES, query=_query(doc),
        warnings=state(request).previews.warnings(doc),
        build_errors=[views.message(p) for p in state(request).previews.error(doc)],
    )


async def onboarding(request: Request) -> Response:
    return views.page("onboarding.html", **_common(request, "onboarding"), languages=LANGUAGES)


async def check(request: Request) -> Response:
    return views.page("check.html", **_common(request, "check"))


ROUTES = [
    Route("/", home),
    Route("/poster", poster),
    Route("/handbook", handbook),
    Route("/onboarding", onboarding),
    Route("/check", check),
]
