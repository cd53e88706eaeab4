"""The HTTP API: what the pages call, and what scripts may call (see docs/web-app.md).

Documents and page images are built by the library in a fresh temporary
folder per request, deleted once the answer is sent; uploads are read into
such a folder too.  Builds run in worker threads, one at a time.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from generator.errors import MissionpressError
from generator.serve import jobs as jobs_
from generator.serve import library, views
from generator.serve.events import Broker
from generator.serve.library import Document, Sources
from generator.serve.previews import WIDTHS, Previews
from generator.serve.uploads import Upload, UploadError, place, read_form, sniff

MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "zip": "application/zip",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
T = TypeVar("T")


@dataclass
class State:
    """What the routes share: where documents come from and go, and the one build lock."""

    sources: Sources
    folder: Path  # the server's own: previews, downloads and uploads; never the build's output folder
    lock: jobs_.BuildLock
    previews: Previews
    broker: Broker
    jobs: jobs_.Jobs
    workers: int | None = None
    profile: Path | None = None  # the print shop's CMYK output profile, for PDF/X-4 posters
    out: Path = Path("output")  # the build's output folder: only read (the packets made there), never written

    def stop(self) -> None:
        """The server is stopping: end the event streams, and builds at their next step."""
        self.lock.stopping.set()
        self.broker.close()


def state(request: Request) -> State:
    return request.app.state.serve  # type: ignore[no-any-return]


async def blocking(function: Callable[..., T], *args: Any) -> T:
    return await anyio.to_thread.run_sync(function, *args)


def checks(request: Request) -> anyio.CapacityLimiter:
    """The app's limit of files checked at once (the library bounds it too): the rest wait without a thread.
    Made in the app's own event loop, at its first check."""
    state_ = request.app.state
    if getattr(state_, "checks", None) is None:
        state_.checks = anyio.CapacityLimiter(2)
    return state_.checks  # type: ignore[no-any-return]


async def while_connected(request: Request, function: Callable[[threading.Event], T]) -> T:
    """``function(gone)`` in a worker thread; ``gone`` is set once the client has closed the connection,
    so the build stops after the packets in hand instead of working for nobody."""
    gone, done = threading.Event(), anyio.Event()

    async def watch() -> None:
        while not done.is_set():
            if await request.is_disconnected():
                gone.set()
                return
            with anyio.move_on_after(0.5):
                await done.wait()

    failed: Exception | None = None
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(watch)
        try:
            result = await blocking(function, gone)
        except Exception as error:  # raised as itself, not inside the task group's exception group
            failed = error
        finally:
            done.set()
    if failed is not None:
        raise failed
    return result


CHOICES = ("size", "orientation", "lang", "bleed", "marks", "layout", "variant")  # a document's
QUERY = {"documents": CHOICES, "events": ("document", *CHOICES),
         "preview": (*CHOICES, "width", "v")}  # v: the page's cache-buster


def known_query(request: Request, route: str = "") -> None:
    """Refuse a query parameter the route does not take: a typo (``?lnag=es``) would be ignored silently."""
    known = QUERY.get(route, ())
    unknown = sorted(set(request.query_params) - set(known))
    if unknown:
        names = ", ".join(repr(name[:40]) for name in unknown[:5])
        takes = f"it takes {', '.join(known)}" if known else "it takes none"
        raise UploadError(422, f"unknown query parameter {names} ({takes})", unknown[0][:40])


def problems(request: Request, status: int, errors: list[dict[str, object]]) -> Response:
    return views.error(request.headers, status, errors)


def document_from(request: Request, document: str, route: str | None = None) -> Document:
    """The document a query asks for; an API ``route`` refuses a parameter it does not take (a page's own
    parameters are the page's business)."""
    if route is not None:
        known_query(request, route)
    q = request.query_params
    serve = state(request)
    return Document.parse(serve.sources, document, q.get("size", "letter"), q.get("orientation", "portrait"),
                          q.get("lang", "en"), q.get("bleed", ""), q.get("marks", ""), q.get("layout", ""),
                          q.get("variant", ""), serve.profile)


class _Download(FileResponse):
    """A file sent from a request's own folder, which is deleted once sent, or once the browser left."""

    def __init__(self, path: Path, name: str, fmt: str, folder: Path | None) -> None:
        headers = {"Cache-Control": "no-store"}
        if fmt == "html":  # the document's HTML may hold a designer's script: never run it as our page
            headers["Content-Security-Policy"] = "sandbox"
        super().__init__(path, media_type=MEDIA[fmt], filename=name, headers=headers)
        self.folder = folder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)


def _download(path: Path, name: str, fmt: str, folder: Path | None = None) -> FileResponse:
    return _Download(path, name, fmt, folder)


async def documents(request: Request) -> Response:
    """GET /api/documents/{poster|handbook}.{pdf|docx|html}"""
    stem, _, fmt = request.path_params["name"].partition(".")
    if fmt not in library.FORMATS:
        return problems(request, 404, [views.message(f"no such format {fmt!r} (use pdf, docx or html)")])
    doc = document_from(request, stem, "documents")
    serve = state(request)
    folder = state(request).jobs.folder()
    try:
        def make() -> Path:
            with serve.lock:
                return library.build_document(serve.sources, doc, (fmt,), folder).files[fmt]

        path = await blocking(make)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _download(path, library.filename(doc, fmt), fmt, folder)


async def preview(request: Request) -> Response:
    """GET /api/preview/{poster|handbook}/{page}.png"""
    number_text, _, ext = request.path_params["page"].partition(".")
    if ext != "png" or not number_text.isdigit():
        return problems(request, 404, [views.message("ask for a page image as NUMBER.png, e.g. 1.png")])
    doc = document_from(request, request.path_params["document"], "preview")
    width_text = request.query_params.get("width", "800")
    width = int(width_text) if width_text.isdigit() else 0
    if width not in WIDTHS:
        return problems(request, 422, [views.message(f"width {width_text}: choose one of {WIDTHS}", "width")])
    previews = state(request).previews
    image = await blocking(previews.image, doc, int(number_text), width)
    if image is None:
        return problems(request, 404, [views.message(f"page {number_text}: the document has no such page")])
    headers = {"Cache-Control": "no-store", "X-Generation": str(previews.generation)}
    if previews.error(doc):
        headers["X-Stale"] = "the last change did not build; this is the last good page"
    return Response(image, media_type="image/png", headers=headers)


async def preview_info(request: Request) -> Response:
    """GET /api/preview/{poster|handbook}: its page count, and the error of its last build."""
    doc = document_from(request, request.path_params["document"], "documents")
    previews = state(request).previews
    built = await blocking(previews.get, doc)
    return JSONResponse({"pages": built.pages, "generation": previews.generation,
                         "errors": [views.message(p) for p in previews.error(doc)], "warnings": built.warnings},
                        headers={"Cache-Control": "no-store"})


async def events(request: Request) -> Response:
    """GET /api/events[?document=poster&size=...]: a server-sent event after each rebuild caused by a change.

    The document named is the one the listening page shows: a change rebuilds it while the page listens."""
    known_query(request, "events")
    document = request.query_params.get("document")
    shows = document_from(request, document) if document else None
    return StreamingResponse(state(request).broker.stream(shows), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _roster_form(request: Request, folder: Path) -> tuple[Upload, str, tuple[str, ...], str]:
    form = await read_form(request, folder)
    upload = form.files.get("roster")
    if upload is None:
        raise UploadError(422, "send the roster as the form's 'roster' file (.csv or .xlsx)", "roster")
    suffix = sniff(upload, (".csv", ".xlsx"))
    place(upload, folder, "roster", suffix)
    return upload, form.fields.get("lang", "en"), jobs_.formats(form.fields.get("format", "")), suffix


async def onboarding(request: Request) -> Response:
    """POST /api/onboarding: the packets of an uploaded roster, as a ZIP."""
    known_query(request)
    serve = state(request)
    folder = state(request).jobs.folder()
    try:
        upload, lang, kinds, _ = await _roster_form(request, folder)
        too_many = await blocking(jobs_.too_many_for_one_request, upload.path)
        if too_many:
            raise UploadError(413, too_many, "roster")

        def make(gone: threading.Event) -> jobs_.Made:
            with serve.lock:
                if gone.is_set():  # the client left while the build waited its turn
                    raise jobs_.Gone
                return jobs_.make_packets(serve.sources, folder, upload.path, upload.name, lang, kinds,
                                          serve.jobs.progress(None, gone), serve.workers)

        made = await while_connected(request, make)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _download(made.zip, jobs_.ZIP_NAME, "zip", folder)


async def start_job(request: Request) -> Response:
    """POST /api/onboarding/jobs: start building; poll the job's URL for progress."""
    known_query(request)
    serve = state(request)
    job = serve.jobs.create()
    if job is None:
        return problems(request, 503, [views.message("too many packet builds are running; try again shortly")])
    try:
        upload, lang, kinds, _ = await _roster_form(request, job.folder)
    except BaseException:
        serve.jobs.remove(job.id)
        raise

    async def run() -> None:
        await blocking(serve.jobs.run, job, upload.path, upload.name, lang, kinds)

    request.app.state.tasks.start_soon(run)
    return JSONResponse(job.status(), status_code=202, headers={"Location": f"/api/onboarding/jobs/{job.id}"})


async def job_status(request: Request) -> Response:
    known_query(request)
    job = state(request).jobs.get(request.path_params["id"])
    if job is None:
        return problems(request, 404, [views.message("no such build (finished builds are kept for an hour)")])
    return JSONResponse(job.status(), headers={"Cache-Control": "no-store"})


async def job_file(request: Request) -> Response:
    known_query(request)
    job = state(request).jobs.get(request.path_params["id"])
    name = request.path_params["name"]
    made = job.made if job else None
    path = {jobs_.ZIP_NAME: made.zip if made else None,
            jobs_.COMBINED_NAME: made.combined if made else None}.get(name)
    if path is None:
        return problems(request, 404, [views.message("no such file (finished builds are kept for an hour)")])
    return _download(path, name, "zip" if name.endswith(".zip") else "pdf")


async def check(request: Request) -> Response:
    """POST /api/check: the check report of an uploaded PDF or DOCX, as JSON."""
    known_query(request)
    folder = state(request).jobs.folder()
    try:
        form = await read_form(request, folder)
        upload = form.files.get("file")
        if upload is None:
            raise UploadError(422, "send the document as the form's 'file' (.pdf or .docx)", "file")
        suffix = sniff(upload, (".pdf", ".docx"))
        # The checker reads a name like poster-letter.pdf for its size rules: keep only safe letters of it.
        place(upload, folder, library.safe_stem(upload.name), suffix)
        report = await anyio.to_thread.run_sync(library.check_file, upload.path, limiter=checks(request))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = str(upload.path)
    report["checked"] = [upload.name for _ in report["checked"]]
    for failure in report["failures"]:
        failure["path"] = upload.name
        failure["message"] = failure["message"].replace(text, upload.name)
    report["file"] = upload.name
    if views.wants_html(request.headers):  # the page's form, sent without its script
        return views.page("check.html", active="check", report=report)
    return JSONResponse(report)


def upload_errors(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UploadError)
    return problems(request, exc.status, [views.message(exc.message, exc.field)])


def user_errors(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MissionpressError)
    return problems(request, 422, library.problems(exc))


def roster_errors(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, jobs_.RosterError)
    return problems(request, 422, exc.errors)


def stopped(request: Request, exc: Exception) -> Response:
    if isinstance(exc, jobs_.Gone):  # nobody reads this answer; a log or a proxy may
        return problems(request, 499, [views.message("the build stopped: the client closed the connection")])
    return problems(request, 503, [views.message("the server was stopped during the build")])


EXCEPTION_HANDLERS = {UploadError: upload_errors, MissionpressError: user_errors, jobs_.RosterError: roster_errors,
                      jobs_.Stopped: stopped}

ROUTES = [
    Route("/api/documents/{name}", documents),
    Route("/api/preview/{document}", preview_info),
    Route("/api/preview/{document}/{page}", preview),
    Route("/api/events", events),
    Route("/api/onboarding", onboarding, methods=["POST"]),
    Route("/api/onboarding/jobs", start_job, methods=["POST"]),
    Route("/api/onboarding/jobs/{id}", job_status),
    Route("/api/onboarding/jobs/{id}/{name}", job_file),
    Route("/api/check", check, methods=["POST"]),
]
