"""Onboarding packets from an uploaded roster: built in a folder of their own, zipped.

:func:`make_packets` is the whole work (roster -> packets -> ZIP) in one
folder; ``POST /api/onboarding`` runs it and answers with the ZIP, the page
runs it as a :class:`Job` whose progress it polls.  A job's folder lives until
the job expires (:data:`KEEP`) or the server stops; nothing of it is ever
written anywhere else, and an abandoned job only leaves whole files in its own
folder until it is deleted.
"""

from __future__ import annotations

import io
import logging
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.docx.package import ZIP_TIME
from generator.errors import MissionpressError
from generator.names import COMBINED_PACKETS
from generator.output import atomic_write
from generator.serve import library
from generator.serve.library import Sources

log = logging.getLogger(__name__)

KEEP = 3600.0  # seconds a finished job's files can be downloaded
MAX_JOBS = 16
MAX_SYNC_ROWS = 50  # people one POST /api/onboarding builds while its client waits; more go to the jobs API
ZIP_NAME = "onboarding-packets.zip"
COMBINED_NAME = COMBINED_PACKETS
FORMAT_CHOICES = {"pdf": ("pdf",), "docx": ("docx",), "pdf+docx": ("pdf", "docx"), "both": ("pdf", "docx"),
                  "all": ("pdf", "docx")}


def formats(value: str) -> tuple[str, ...]:
    try:
        return FORMAT_CHOICES[(value or "pdf+docx").strip().lower()]
    except KeyError:
        raise MissionpressError(f"format {value}: choose pdf, docx or pdf+docx") from None


@dataclass
class Made:
    zip: Path
    combined: Path | None
    count: int
    warnings: list[str]


def make_packets(sources: Sources, folder: Path, roster: Path, shown: str, lang: str, kinds: tuple[str, ...],
                 progress: library.Progress | None = None, jobs: int | None = None) -> Made:
    """Packets of everyone on ``roster`` (``shown`` is its name in messages), zipped, in ``folder``."""
    out = folder / "out"
    try:
        built = library.build_packets(sources, roster, lang, kinds, out, progress, jobs)
    except MissionpressError as error:
        raise RosterError(library.problems(error, {str(roster): shown})) from None
    combined = built.files.pop(COMBINED_NAME, None)
    archive = folder / ZIP_NAME
    write_zip(archive, list(built.files.values()))
    return Made(archive, combined, len({p.stem for p in built.files.values()}), built.warnings)


def too_many_for_one_request(roster: Path) -> str | None:
    """Why the roster is too long to build while the client waits (with where to send it), or None."""
    from generator.documents.onboarding.sheets import is_blank, read_rows

    people = sum(not is_blank(cells) for _, cells in read_rows(roster)) - 1  # the header row aside
    if people <= MAX_SYNC_ROWS:
        return None
    return (f"the roster has {people:,} rows, over the {MAX_SYNC_ROWS} that one request builds while it waits: "
            "POST it to /api/onboarding/jobs and follow the job's progress (the onboarding page does)")


class Stopped(Exception):
    """The server is stopping: a build ends after the packets in hand."""


class Gone(Stopped):
    """The client that asked for a build has gone: the build ends after the packets in hand."""


class BuildLock:
    """One build at a time (WeasyPrint and PDFium each work one call at a time), none once stopping.

    A long build (a job's packets) lets the builds that wait go first between two of its packets
    (:meth:`yield_turn`): a one-row upload is answered while 10,000 packets are being built.
    """

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._held = False
        self._waiting = 0
        self.stopping = threading.Event()  # set on Ctrl-C: waiting builds do not start

    def __enter__(self) -> None:
        self._take()
        if self.stopping.is_set():
            self.__exit__()
            raise Stopped

    def __exit__(self, *exc: object) -> None:
        with self._turn:
            self._held = False
            self._turn.notify_all()

    def _take(self) -> None:
        with self._turn:
            self._waiting += 1
            self._turn.wait_for(lambda: not self._held)
            self._waiting -= 1
            self._held = True

    def yield_turn(self) -> None:
        """Held by a long build between two steps: every build waiting now goes first."""
        with self._turn:
            if not self._waiting:
                return
            self._held = False
            self._turn.notify_all()
            self._turn.wait_for(lambda: not self._held and not self._waiting)
            self._held = True

    def wait_idle(self, timeout: float) -> None:
        """Once stopping: wait (at most ``timeout`` seconds) for the build under way to end; none starts."""
        with self._turn:
            self._turn.wait_for(lambda: not self._held, timeout)


class RosterError(Exception):
    """The roster's problems, one dict per problem (row, field, message)."""

    def __init__(self, errors: list[dict[str, object]]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def write_zip(archive: Path, files: list[Path]) -> None:
    """A reproducible ZIP (fixed dates, sorted names) of ``files``, written whole or not at all."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as bundle:
        for path in sorted(files, key=lambda p: p.name):
            info = zipfile.ZipInfo(path.name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            bundle.writestr(info, path.read_bytes())
    atomic_write(archive, data.getvalue())


@dataclass
class Job:
    """One build of packets for the onboarding page."""

    id: str
    folder: Path
    state: str = "checking"  # checking, building, done, failed
    done: int = 0
    total: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)
    made: Made | None = None
    created: float = field(default_factory=time.monotonic)

    def status(self) -> dict[str, object]:
        body: dict[str, object] = {"id": self.id, "state": self.state, "done": self.done, "total": self.total,
                                   "errors": self.errors}
        if self.made:
            body["packets"] = self.made.count
            body["warnings"] = self.made.warnings
            body["zip"] = f"/api/onboarding/jobs/{self.id}/{ZIP_NAME}"
            if self.made.combined:
                body["combined"] = f"/api/onboarding/jobs/{self.id}/{COMBINED_NAME}"
        return body


class Jobs:
    """The onboarding jobs of this server, each with its own folder."""

    def __init__(self, sources: Sources, lock: BuildLock, root: Path, workers: int | None = None) -> None:
        self.sources = sources
        self.root = root  # in the server's folder: every request's and job's folder is inside
        self.stopping = lock.stopping
        self.workers = workers
        self.lock = lock
        self.jobs: dict[str, Job] = {}

    def create(self) -> Job | None:
        """A new job with its folder, or None when too many are still running."""
        self.expire()
        finished = [j for j in self.jobs.values() if j.state in ("done", "failed")]
        if len(self.jobs) >= MAX_JOBS:
            if not finished:
                return None
            self.remove(min(finished, key=lambda j: j.created).id)
        job = Job(secrets.token_urlsafe(16), self.folder())
        self.jobs[job.id] = job
        return job

    def folder(self) -> Path:
        """A private temporary folder for one request or job."""
        return Path(tempfile.mkdtemp(dir=self.root))

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def progress(self, job: Job | None, gone: threading.Event | None = None) -> library.Progress:
        """Follows a build's progress, and stops it when the server stops or its client has ``gone`` (whole
        files only); a job lets the builds that wait go first between two packets."""
        def progress(done: int, total: int, name: str) -> None:
            if job is not None:
                job.state, job.done, job.total = "building", done, total
            if self.stopping.is_set():
                raise Stopped
            if gone is not None and gone.is_set():
                raise Gone
            if job is not None:
                self.lock.yield_turn()

        return progress

    def run(self, job: Job, roster: Path, shown: str, lang: str, kinds: tuple[str, ...]) -> None:
        """Build the job's packets (blocks: run in a worker thread)."""
        try:
            with self.lock:
                job.state = "building"
                job.made = make_packets(self.sources, job.folder, roster, shown, lang, kinds, self.progress(job),
                                        self.workers)
            job.done = job.total = job.made.count
            job.state = "done"
        except RosterError as problems:
            job.errors, job.state = problems.errors, "failed"
        except Stopped:
            job.state = "failed"
            job.errors = [{"row": None, "field": None, "message": "the server was stopped during the build"}]
        except Exception:
            error_id = secrets.token_hex(4)
            log.exception("error %s while building the packets of job %s", error_id, job.id)
            text = f"The server could not finish this (error id {error_id}; the details are in its log)."
            job.errors, job.state = [{"row": None, "field": None, "message": text}], "failed"

    def expire(self) -> None:
        now = time.monotonic()
        for job in [j for j in self.jobs.values() if j.state in ("done", "failed") and now - j.created > KEEP]:
            self.remove(job.id)

    def remove(self, job_id: str) -> None:
        job = self.jobs.pop(job_id, None)
        if job is not None:
            shutil.rmtree(job.folder, ignore_errors=True)

    def close(self) -> None:
        """The server stops: every job's folder goes, and the folder of them all (after the build under
        way, which may still write there)."""
        self.lock.wait_idle(30.0)
        for job_id in list(self.jobs):
            self.remove(job_id)
        shutil.rmtree(self.root, ignore_errors=True)
