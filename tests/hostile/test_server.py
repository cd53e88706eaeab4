"""One client cannot starve the server: long rosters go to jobs, a gone client's build stops, small
requests are answered while a job runs, and the API refuses parameters it does not take."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from starlette.testclient import TestClient

from generator.serve import jobs as jobs_
from generator.serve.app import Config, create_app

BASE = "http://127.0.0.1:8000"


def roster(rows: int) -> bytes:
    return ("name,role\n" + "".join(f"Person Number {n},Nurse\n" for n in range(rows))).encode()


@pytest.fixture(scope="module")
def client(content_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Config(content_copy, out=tmp_path_factory.mktemp("out"), watch=False, workers=1))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


@pytest.mark.parametrize(("method", "url", "name"), [
    ("GET", "/api/documents/poster.pdf?lnag=es", "'lnag'"),
    ("GET", "/api/documents/handbook.docx?size=letter&debug=1", "'debug'"),
    ("GET", "/api/preview/poster/1.png?width=800&zoom=9", "'zoom'"),
    ("GET", "/api/preview/poster?width=800", "'width'"),
    ("GET", "/api/events?since=0", "'since'"),
    ("GET", "/api/onboarding/jobs/nosuchjob?verbose=1", "'verbose'"),
    ("POST", "/api/onboarding?rows=all", "'rows'"),
    ("POST", "/api/onboarding/jobs?priority=high", "'priority'"),
    ("POST", "/api/check?rules=none", "'rules'"),
])
def test_the_api_refuses_query_parameters_it_does_not_take(client: TestClient, method: str, url: str,
                                                           name: str) -> None:
    response = client.request(method, url, files={"roster": ("r.csv", roster(1))} if method == "POST" else None)
    assert response.status_code == 422, response.text
    assert f"unknown query parameter {name}" in response.json()["errors"][0]["message"]


def test_the_pages_and_known_parameters_still_work(client: TestClient) -> None:
    assert client.get("/poster?size=24x36&pdf=print").status_code == 200  # a page's own parameters
    assert client.get("/api/preview/poster?size=letter&lang=en").status_code == 200


def test_a_long_roster_is_sent_to_the_jobs_api_unbuilt(client: TestClient) -> None:
    started = time.monotonic()
    response = client.post("/api/onboarding", files={"roster": ("staff.csv", roster(jobs_.MAX_SYNC_ROWS + 1))})
    assert response.status_code == 413
    message = response.json()["errors"][0]["message"]
    assert message.startswith("the roster has 51 rows, over the 50 that one request builds while it waits: POST "
                              "it to /api/onboarding/jobs")
    assert time.monotonic() - started < 10  # refused by its rows, not built


def _post_and_leave(app: object, body: bytes) -> tuple[int, float]:
    """POST /api/onboarding straight to the ASGI app from a client that closes the connection once the
    upload is sent: (status, seconds)."""
    boundary = b"XX"
    form = (b"--XX\r\nContent-Disposition: form-data; name=\"roster\"; filename=\"r.csv\"\r\n"
            b"Content-Type: text/csv\r\n\r\n" + body + b"\r\n--XX--\r\n")
    scope = {"type": "http", "method": "POST", "path": "/api/onboarding", "raw_path": b"/api/onboarding",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-length", str(len(form)).encode()),
                         (b"content-type", b"multipart/form-data; boundary=" + boundary)]}
    sent = False
    status = 0

    async def receive() -> dict[str, object]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": form, "more_body": False}
        return {"type": "http.disconnect"}  # the client has gone

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]

    started = time.monotonic()
    anyio.run(app, scope, receive, send)  # type: ignore[arg-type]
    return status, time.monotonic() - started


def test_a_build_whose_client_has_gone_stops(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    progress = jobs_.Jobs.progress

    def counting(self: jobs_.Jobs, job: jobs_.Job | None, gone: threading.Event | None = None) -> object:
        follow = progress(self, job, gone)

        def step(done: int, total: int, name: str) -> None:
            built.append(name)
            follow(done, total, name)
        return step

    monkeypatch.setattr(jobs_.Jobs, "progress", counting)
    status, _ = _post_and_leave(client.app, roster(40))
    assert status == 499
    assert len(built) <= 3, f"{len(built)} of 40 packets built for a client that had gone"
    assert not list(client.app.state.serve.jobs.root.iterdir())  # type: ignore[attr-defined]


def test_a_small_request_is_answered_while_a_job_runs(client: TestClient) -> None:
    started = client.post("/api/onboarding/jobs", files={"roster": ("many.csv", roster(12))}, data={"format": "pdf"})
    assert started.status_code == 202
    job = client.app.state.serve.jobs.get(started.json()["id"])  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while job.done < 1 and time.monotonic() < deadline:  # the job has the build lock and is under way
        time.sleep(0.05)
    one = client.post("/api/onboarding", files={"roster": ("one.csv", roster(1))}, data={"format": "pdf"})
    assert one.status_code == 200, one.text
    assert job.state == "building" and job.done < job.total, "the small request waited for the whole job"
    while job.state == "building" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert job.state == "done" and job.made.count == 12


def test_the_build_lock_lets_waiting_builds_go_first() -> None:
    lock = jobs_.BuildLock()
    order: list[str] = []

    def long_build() -> None:
        with lock:
            for step in range(20):
                order.append(f"job {step}")
                time.sleep(0.02)
                lock.yield_turn()

    def small_build() -> None:
        with lock:
            order.append("small")

    job = threading.Thread(target=long_build)
    job.start()
    while not order:
        time.sleep(0.001)
    small = threading.Thread(target=small_build)
    small.start()
    small.join(timeout=5)
    job.join(timeout=10)
    assert "small" in order and order.index("small") < 5, order
