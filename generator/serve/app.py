"""The web app, assembled: routes, the Host/Origin guard, the watcher and the jobs.

:func:`create_app` is what the tests drive (Starlette's TestClient) and what
``missionpress serve`` hands to uvicorn.  The app is a thin layer: every
document, packet and report comes from the library through
:mod:`generator.serve.library`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from generator.serve import api, collect, pages, views
from generator.serve.events import Broker, watch
from generator.serve.jobs import BuildLock, Jobs
from generator.serve.library import Sources
from generator.serve.previews import Previews
from generator.serve.security import Guard, allowed_hosts
from generator.serve.views import HERE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Config:
    """What ``missionpress serve`` was started with."""

    content: Path
    templates: Path | None = None
    out: Path = Path("output")  # the build's output folder: only read (the Collect page's packets), never written
    host: str = "127.0.0.1"
    port: int = 8000
    watch: bool = True
    workers: int | None = None  # processes per packet build (default: every core, as the CLI)
    profile: Path | None = None  # the print shop's CMYK output profile: offers PDF/X-4 posters


def watched_folders(config: Config) -> list[Path]:
    """The content folder and every template folder of the search path."""
    from generator.render.templates import search_path

    return [config.content.resolve(), *search_path(config.templates)]


def create_app(config: Config) -> Starlette:
    lock = BuildLock()
    sources = Sources(config.content, config.templates)
    broker = Broker()
    # The server's own folder: previews in previews/, each request's and job's files in a folder of its
    # own in requests/; never the build's output folder.  Deleted when the server stops.
    folder = Path(tempfile.mkdtemp(prefix="missionpress-serve-"))
    requests = folder / "requests"
    for part in (requests, folder / "previews"):
        part.mkdir()
    previews = Previews(sources, folder / "previews", lock, requests)
    state = api.State(sources, folder, lock, previews, broker, Jobs(sources, lock, requests, config.workers),
                      config.workers, config.profile, config.out)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        async with anyio.create_task_group() as tasks:
            app.state.tasks = tasks
            if config.watch:
                tasks.start_soon(watch, watched_folders(config), state.previews, broker, stop)
            try:
                yield
            finally:
                stop.set()
                state.stop()
                state.jobs.close()
                shutil.rmtree(folder, ignore_errors=True)
                tasks.cancel_scope.cancel()

    app = Starlette(
        routes=[*pages.ROUTES, *api.ROUTES, *collect.ROUTES,
                Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[Middleware(Guard, hosts=allowed_hosts(config.host, config.port), stopping=lock.stopping)],
        exception_handlers={**api.EXCEPTION_HANDLERS, HTTPException: views.http_error},  # type: ignore[dict-item]
        lifespan=lifespan,
    )
    app.state.serve = state
    return app
