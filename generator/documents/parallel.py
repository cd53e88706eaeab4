"""Orchestration across cores: independent documents built at once, reported in order.

A build of several documents (the default build: posters, a handbook, packets)
hands the posters and handbooks to a pool of worker processes, one per core,
the costliest first.  Onboarding packets are built in the parent meanwhile
(their batch has a pool of its own and a live progress display), not after the
pool's documents, so that no core idles at the end.  Each document's messages
are kept, in a worker or in the parent, and printed document by document in
the order asked, so a parallel build reads exactly like one made a document at
a time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from generator.errors import MissionpressError

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from generator.documents.project import Project
    from generator.documents.request import Request

COST = {"handbook": 0, "poster": 1}  # the order to start them in: the longest first
Message = tuple[str, int, str]  # logger name, level, text
Outcome = tuple[list[Message], list[Path], list[str] | None, str | None]  # messages, files, error problems, field


class Runner:
    """Starts the requests that can run apart; ``result(i)`` gives request ``i``'s files, its messages replayed."""

    def __init__(self, requests: list[Request], project: Project, out: Path, jobs: int | None = None) -> None:
        self.requests, self.project, self.out = requests, project, out
        self.jobs = jobs or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[int, Future[Outcome]] = {}

    def __enter__(self) -> Runner:
        apart = [i for i, r in enumerate(self.requests) if r.document in COST]
        if self.jobs > 1 and len(apart) > 1:
            import multiprocessing  # only for a build of several documents
            from concurrent.futures import ProcessPoolExecutor

            # Workers start with the pipeline imported (WeasyPrint included): forks of this process where
            # that is safe, else from a server process that imports it once.
            context: multiprocessing.context.BaseContext
            if can_fork():
                context = multiprocessing.get_context("fork")
            else:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["generator.documents.build",
                                                "generator.documents.onboarding.batch"])
            self.pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(apart)), mp_context=context,
                                            initializer=_start_worker)
            level = logging.getLogger("generator").getEffectiveLevel()
            for i in sorted(apart, key=lambda i: COST[self.requests[i].document]):
                self.futures[i] = self.pool.submit(_build, self.requests[i], self.project, self.out, level)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.pool is not None:
            # On an error, documents not started are dropped and those under way finish their files; on
            # Ctrl-C or SIGTERM, those under way stop too (their files not completed), within moments.
            if isinstance(error, KeyboardInterrupt):
                for future in self.futures.values():
                    future.cancel()
                for process in list(getattr(self.pool, "_processes", {}).values()):
                    with contextlib.suppress(OSError, ValueError):
                        process.terminate()  # SIGTERM: see _stop_worker
            self.pool.shutdown(wait=True, cancel_futures=error is not None)

    def __contains__(self, index: int) -> bool:
        return index in self.futures

    def result(self, index: int) -> list[Path]:
        return replay(self.futures[index].result())


def can_fork() -> bool:
    """Whether workers may be forks of this process: Linux, and no other thread that a fork could cut off
    mid-work (holding a lock the fork would inherit, locked, for good)."""
    import multiprocessing
    import threading

    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.name, record.levelno, record.getMessage()))


_busy = False  # a worker is building a document


def _start_worker() -> None:
    # Ctrl-C goes to the whole process group: the parent decides, and ends its workers with SIGTERM.
    from generator.output import stop_on

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop_on(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _stop_worker)


def _stop_worker(signum: int, frame: object) -> None:
    """SIGTERM in a worker: its document stops as the command would (files under way not completed, their
    temporary files removed); an idle worker exits (its exit handlers run: the fonts' folders go)."""
    from generator import output

    if not _busy:
        raise SystemExit(0)
    output.interrupt(signum, frame)  # the same stop as the command's


def kept(make: Callable[[], list[Path]], level: int | None = None) -> Outcome:
    """``make()``'s files and the messages it logged, kept rather than printed (replayed by ``replay``)."""
    logger = logging.getLogger("generator")
    keep = _Keep()
    saved = logger.level, logger.propagate, logger.handlers
    logger.handlers = [keep]  # only kept: the handlers it had (the terminal's) print them on replay
    if level is not None:
        logger.setLevel(level)
    logger.propagate = False
    try:
        return keep.messages, make(), None, None
    except MissionpressError as error:  # sent as its parts: an exception's own pickling drops them
        return keep.messages, [], error.problems, error.field
    finally:
        logger.level, logger.propagate, logger.handlers = saved


def replay(outcome: Outcome) -> list[Path]:
    """Print a kept document's messages; its files, or its error raised now."""
    messages, files, problems, field = outcome
    for name, level, text in messages:
        logging.getLogger(name).log(level, "%s", text)
    if problems is not None:
        raise MissionpressError(*problems, field=field)
    return files


_projects: dict[tuple[Path, Path | None], Project] = {}  # a worker's, by folders: one build's documents share it


def _build(request: Request, project: Project, out: Path, level: int) -> Outcome:
    """Build one document in a worker, with the project of the worker's earlier documents (its content
    read, templates compiled, pictures decoded and stylesheets parsed once per worker, not per document)."""
    from generator.documents.build import build_one

    global _busy
    project = _projects.setdefault((project.content, project.templates), project)
    _busy = True
    try:
        return kept(lambda: build_one(request, project, out), level)
    finally:
        _busy = False
