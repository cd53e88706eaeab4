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

from generator.content import i18n
from generator.content.pages import SIZES
from generator.errors import MissionpressError
from generator.serve import library, views
from generator.serve.api import blocking, document_from, state
from generator.serve.library import Document

NAMES = {"en": "English", "es": "Spanish"}  # a language without a name here is shown by its code
OWN_NAMES = {"es": "Español"}
SIZE_LABELS = {"letter": "Letter (8.5 × 11 in)", "tabloid": "Tabloid (11 × 17 in)", "18x24": "18 × 24 in",
               "24x36": "24 × 36 in", "A4": "A4 (210 × 297 mm)", "A3": "A3 (297 × 420 mm)",
               "A2": "A2 (420 × 594 mm)", "A1": "A1 (594 × 841 mm)", "A0": "A0 (841 × 1189 mm)"}
LAYOUT_LABELS = {"classic": "Classic: a reading page", "showcase": "Showcase: made for the wall"}
PDF_KINDS = ("screen", "print", "x-4")  # the poster page's "PDF for" choices


def languages(sources: library.Sources, current: str = "en") -> dict[str, str]:
    """The language choices of the content: each language, English beside each other, and ``current``."""
    codes = i18n.available(sources.content)

    def name(code: str) -> str:
        return NAMES.get(code, code)

    choices = {c: name(c) + (f" ({OWN_NAMES[c]})" if c in OWN_NAMES else "") for c in codes}
    for code in codes[1:]:
        choices[f"{codes[0]}+{code}"] = f"{name(codes[0])} and {name(code)} side by side"
    if current not in choices:
        choices[current] = " and ".join(name(c) for c in current.split("+")) + " side by side"
    return choices


def _bleed(size: str) -> str:
    """The bleed print shops ask for: 3 mm for ISO sizes, 1/8 inch for US sizes."""
    return "3mm" if size in library.ISO_SIZES else "0.125in"


def _query(doc: Document, **extra: str) -> str:
    """The document's choices as a query string: every link and image of a page carries them."""
    from urllib.parse import urlencode

    values = {"size": doc.size, "orientation": doc.orientation, "lang": doc.lang}
    if doc.layout != "classic":
        values["layout"] = doc.layout
    if doc.bleed:
        values |= {"bleed": doc.bleed, "marks": doc.marks}
    if doc.variant != "ua-1":
        values["variant"] = doc.variant
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
    return {"active": active, "content": serve.sources.content, "folder": serve.previews.folder}


def _status(errors: list[dict[str, object]]) -> int:
    """A page asked for with a choice it cannot make says so: 422, and the page with the defaults."""
    return 422 if errors else 200


async def home(request: Request) -> Response:
    return RedirectResponse("/poster", status_code=303)


async def poster(request: Request) -> Response:
    serve = state(request)
    doc, errors = _parsed(request, "poster")
    kind = request.query_params.get("pdf", "screen")
    if kind not in PDF_KINDS or (kind == "x-4" and serve.profile is None):
        text = f"pdf {kind}: choose {'screen, print or x-4' if serve.profile else 'screen or print'}"
        if kind == "x-4":
            text = ("pdf x-4: PDF/X-4 needs the print shop's CMYK color profile; start the server with "
                    "--icc-profile FILE.icc, or choose print")
        errors.append(views.message(text, "pdf"))
        kind = "screen"
    screen = Document(doc.document, doc.size, doc.orientation, doc.lang, layout=doc.layout)
    if kind != "screen" and not errors:
        doc = Document(doc.document, doc.size, doc.orientation, doc.lang, _bleed(doc.size), "crop", doc.layout,
                       "x-4" if kind == "x-4" else "ua-1", serve.profile if kind == "x-4" else None)
    return views.page(
        "poster.html", _status(errors), **_common(request, "poster"), doc=doc, kind=kind, errors=errors,
        sizes=SIZE_LABELS, languages=languages(serve.sources, doc.lang),
        layouts={name: LAYOUT_LABELS.get(name, name) for name in library.layouts(serve.sources)},
        profile=serve.profile.name if serve.profile else None, query=_query(doc), screen_query=_query(screen),
        word_fits=doc.word_fits(), word_sizes=[SIZE_LABELS[s] for s in library.word_sizes()],
        bleed=_bleed(doc.size), warnings=serve.previews.warnings(doc),
        build_errors=[views.message(p) for p in serve.previews.error(doc)],
    )


async def handbook(request: Request) -> Response:
    serve = state(request)
    doc, errors = _parsed(request, "handbook")
    pages = 0
    build_errors = []
    if not errors:
        try:
            pages = (await blocking(serve.previews.get, doc)).pages
        except MissionpressError as error:  # the content or a template: no good build yet
            build_errors = library.problems(error)
    build_errors = build_errors or [views.message(p) for p in serve.previews.error(doc)]
    number_text = request.query_params.get("page", "")
    large = int(number_text) if number_text.isdigit() and 1 <= int(number_text) <= pages else None
    if number_text and large is None and pages:
        errors.append(views.message(f"page {number_text}: the handbook has pages 1 to {pages}", "page"))
    width, height = SIZES[doc.size]
    return views.page(
        "handbook.html", _status(errors), **_common(request, "handbook"), doc=doc, errors=errors,
        build_errors=build_errors, pages=pages, large=large, ratio=height / width,
        sizes={s: SIZE_LABELS[s] for s in library.HANDBOOK_SIZES}, languages=languages(serve.sources, doc.lang),
        query=_query(doc), warnings=serve.previews.warnings(doc),
    )


async def onboarding(request: Request) -> Response:
    return views.page("onboarding.html", **_common(request, "onboarding"),
                      languages=languages(state(request).sources))


async def check(request: Request) -> Response:
    return views.page("check.html", **_common(request, "check"))


ROUTES = [
    Route("/", home),
    Route("/poster", poster),
    Route("/handbook", handbook),
    Route("/onboarding", onboarding),
    Route("/check", check),
]
