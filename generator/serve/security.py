"""Safe by default: who may call the server, and what a failure shows.

* The Host header must name the address served (or ``localhost``): a page on
  another site that rebinds its DNS name to 127.0.0.1 gets 400, not our data.
* A POST from a page of another origin gets 403 (a web page cannot make the
  browser upload to us).  Our own pages' forms are served with or without
  their script: the browser names their origin (``Referrer-Policy:
  same-origin`` keeps it in the ``Origin`` header), and an ``Origin: null``
  is accepted only with the browser's own ``Sec-Fetch-Site: same-origin``,
  which no page can forge.  Scripts that send no Origin are served.
* Pages run only their own scripts and styles, never inside another site's frame.
* An exception never reaches a page: the log gets the traceback under a short
  id, the person gets the id.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import secrets
import socket
import threading
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator.errors import MissionpressError
from generator.serve import library, views

log = logging.getLogger(__name__)

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Every answer: our own scripts and styles only, never inside another site's frame, no type guessing.
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                 b"base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # other sites get no referrer; our forms keep their Origin
]


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host header values a server on ``host:port`` answers."""
    names = {"localhost", "127.0.0.1", "[::1]"}
    if host in ("0.0.0.0", "::", ""):  # every address of this machine
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn()}
        try:
            names |= set(socket.gethostbyname_ex(hostname)[2])
        except OSError:
            pass
    else:
        names.add(f"[{host}]" if ":" in host else host)
    return {f"{name.lower()}:{port}" for name in names} | ({n.lower() for n in names} if port == 80 else set())


class Guard:
    """ASGI middleware: Host and Origin checks, and error ids instead of tracebacks."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str], stopping: threading.Event) -> None:
        self.app = app
        self.stopping = stopping
        self.hosts = set(hosts)
        self.origins = {f"http://{h}" for h in self.hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, text = refusal
            await views.error(headers, status, [views.message(text)])(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except asyncio.CancelledError:
            if not self.stopping.is_set():
                raise
            # Ctrl-C while a build ran: the server stops; this is not a failure to report.
            log.info("stopped answering %s %s: the server is stopping", scope["method"], scope["path"])
            if not started:
                stopping = views.message("the server was stopped during the build")
                await views.error(headers, 503, [stopping])(scope, receive, send)
        except MissionpressError as problem:  # a user's mistake that no route answered
            if not started:
                await views.error(headers, 422, library.problems(problem))(scope, receive, send)
        except Exception:
            error_id = secrets.token_hex(4)
            log.exception("error %s while answering %s %s", error_id, scope["method"], scope["path"])
            if not started:
                text = f"The server could not finish this (error id {error_id}; the details are in its log)."
                await views.error(headers, 500, [views.message(text)], error_id)(scope, receive, send)

    def _refusal(self, scope: Scope, headers: Headers) -> tuple[int, str] | None:
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return 400, (f"this server answers only to {sorted(self.hosts)[0]} and its other local names, "
                         f"not to {host or 'a request without a Host header'}")
        if scope["method"] in UNSAFE_METHODS:
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            own = site == "same-origin" and origin in (None, "null")  # a form of our page, no referrer sent
            if origin is not None and _origin(origin) not in self.origins and not own:
                return 403, "uploads are accepted only from this server's own pages"
            if origin is None and site in ("cross-site", "same-site"):
                return 403, "uploads are accepted only from this server's own pages"
        return None


def _origin(value: str) -> str:
    parts = urlsplit(value.lower())
    return f"{parts.scheme}://{parts.netloc}"
