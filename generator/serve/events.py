"""Watching the content and template folders, and telling browsers about rebuilds.

:func:`watch` waits for saved files (watchfiles, debounced to 100 ms so a save
shows within a second), has the documents the connected pages show rebuilt in a
worker thread, and hands the outcome to the :class:`Broker`, which sends it to
every browser listening on ``/api/events`` as a server-sent event.  A page names
the document it shows in that URL's query; a closed page's stream ends, and its
document is no longer rebuilt.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import anyio

from generator.serve.library import Document
from generator.serve.previews import Previews

log = logging.getLogger(__name__)

KEEPALIVE = 15.0  # seconds between comments that keep proxies from closing the stream
IGNORED_SUFFIXES = (".part", ".swp", ".swx", "~", ".tmp", ".pyc")


class Broker:
    """Fans events out to every open event stream."""

    def __init__(self) -> None:
        self.queues: dict[asyncio.Queue[dict[str, object] | None], Document | None] = {}
        self.last: dict[str, object] | None = None
        self.closed = False

    def publish(self, event: dict[str, object]) -> None:
        self.last = event
        for queue in self.queues:
            queue.put_nowait(event)

    def close(self) -> None:
        """The server is stopping: end every stream so it can stop at once."""
        self.closed = True
        for queue in self.queues:
            queue.put_nowait(None)

    def shown(self) -> list[Document]:
        """The documents the connected pages show, each once, in the order the pages connected."""
        return list(dict.fromkeys(doc for doc in self.queues.values() if doc is not None))

    async def stream(self, shows: Document | None = None) -> AsyncIterator[str]:
        """``text/event-stream`` lines: a ``hello`` with the current state, then each ``rebuild``.

        ``shows`` is the document the listening page shows: it is rebuilt on a change while the page
        listens."""
        queue: asyncio.Queue[dict[str, object] | None] = asyncio.Queue()
        self.queues[queue] = shows
        try:
            yield _format("hello", self.last or {"generation": 0, "ok": True, "errors": []})
            while not self.closed:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEPALIVE)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if event is None:
                    return
                yield _format("rebuild", event)
        finally:
            self.queues.pop(queue, None)


def _format(name: str, data: dict[str, object]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _relevant(changes: Iterable[tuple[object, str]]) -> list[str]:
    return [path for _, path in changes
            if not Path(path).name.startswith((".", "~$", "#")) and not path.endswith(IGNORED_SUFFIXES)
            and "__pycache__" not in Path(path).parts]


async def watch(folders: list[Path], previews: Previews, broker: Broker, stop: asyncio.Event) -> None:
    """Rebuild the open previews after each change under ``folders`` until ``stop`` is set."""
    from watchfiles import awatch

    existing = [str(f) for f in dict.fromkeys(folders) if f.is_dir()]
    log.debug("watching %s", ", ".join(existing))
    async for changes in awatch(*existing, stop_event=stop, debounce=100, step=50, recursive=True):
        changed = _relevant(changes)
        if not changed:
            continue
        names = sorted({Path(p).name for p in changed if Path(p).exists()})  # not an editor's passing temp files
        log.info("changed: %s", ", ".join(names) or "a file was removed")
        outcome = await anyio.to_thread.run_sync(previews.rebuild, broker.shown())
        if outcome.error:
            log.warning("rebuild failed: %s", "; ".join(outcome.error))
        elif outcome.rebuilt:
            log.info("rebuilt %s (%.1f s)", ", ".join(str(previews.folder / name) for name in outcome.rebuilt),
                     outcome.seconds)
        broker.publish(outcome.event())
