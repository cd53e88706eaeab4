"""Live preview: documents kept built, their pages as PNG images, rebuilt on change.

A :class:`Previews` keeps the last good build of the documents looked at last
(a poster of one size and language, the handbook...).  When a file of the
content or template folders changes, the watcher calls :meth:`Previews.rebuild`
with the documents the connected pages show (:meth:`Broker.shown
<generator.serve.events.Broker.shown>`): each is built again once, saved in the
server's own folder as ``missionpress build`` names it (never in the build's
output folder), and a failed build keeps the last good pages and reports the
error.  Any other document kept is built again only when next asked for.  Page
images come from pypdfium2, made when first asked for and kept with the build
they belong to.
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import MissionpressError
from generator.output import atomic_write
from generator.serve.jobs import BuildLock, Stopped
from generator.serve.library import Document, Sources, build_document, filename

log = logging.getLogger(__name__)

WIDTHS = (160, 240, 480, 800, 1200, 1600)  # the image widths offered, in pixels
KEEP = 8  # documents whose last build is kept in memory: the ones looked at last


@dataclass
class Built:
    """One good build: the PDF, its page count, and page images made so far."""

    generation: int
    pdf: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)  # e.g. made from draft translations
    images: dict[tuple[int, int], bytes] = field(default_factory=dict)


@dataclass
class Outcome:
    """What a rebuild did: the documents rebuilt and the first error, if any."""

    generation: int
    rebuilt: list[str]
    error: list[str]
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def event(self) -> dict[str, object]:
        return {"generation": self.generation, "ok": not self.error, "documents": self.rebuilt,
                "errors": self.error, "warnings": self.warnings, "seconds": round(self.seconds, 2)}


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def page_png(pdf: bytes, number: int, width: int) -> bytes:
    """Page ``number`` (from 1) of ``pdf`` as a PNG ``width`` pixels wide."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[number - 1]
        try:
            bitmap = page.render(scale=width / page.get_width(), may_draw_forms=False)
            image = bitmap.to_pil()
            bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


class Previews:
    """The documents kept built for preview; every method may block (call from a worker thread)."""

    def __init__(self, sources: Sources, folder: Path, lock: BuildLock, temp: Path) -> None:
        self.sources = sources
        self.temp = temp
        self.folder = folder  # the server's own: each rebuilt preview is saved here
        self.lock = lock  # WeasyPrint and PDFium each work one call at a time
        self.generation = 0
        self.built: OrderedDict[Document, Built] = OrderedDict()  # the last looked at, last
        self.errors: dict[Document, list[str]] = {}
        self.builds = 0  # documents built so far (a change rebuilds each shown document once)

    def get(self, doc: Document) -> Built:
        """The document's current build; after a failed rebuild, the last good one.

        Raises the build's error when there has never been a good one.
        """
        with self.lock:
            built = self.built.get(doc)
            if built is None or (built.generation != self.generation and doc not in self.errors):
                self._build(doc)
            if doc not in self.built:
                raise MissionpressError(*self.errors[doc])
            self.built.move_to_end(doc)
            while len(self.built) > KEEP:
                self.built.popitem(last=False)
            return self.built[doc]

    def warnings(self, doc: Document) -> list[str]:
        """The warnings of the document's last good build (e.g. made from draft translations)."""
        built = self.built.get(doc)
        return built.warnings if built else []

    def error(self, doc: Document) -> list[str]:
        """The error of the document's last build ([] when it built)."""
        return self.errors.get(doc, [])

    def image(self, doc: Document, number: int, width: int) -> bytes | None:
        """Page ``number`` as PNG, or None when the document has no such page."""
        built = self.get(doc)
        if not 1 <= number <= built.pages:
            return None
        with self.lock:
            key = (number, width)
            if key not in built.images:
                built.images[key] = page_png(built.pdf, number, width)
            return built.images[key]

    def rebuild(self, shown: Iterable[Document]) -> Outcome:
        """A file changed: build again, once each, the documents ``shown`` in a browser."""
        started = time.monotonic()
        try:
            return self._rebuild(list(dict.fromkeys(shown)), started)
        except Stopped:
            return Outcome(self.generation, [], [], 0.0)

    def _rebuild(self, shown: list[Document], started: float) -> Outcome:
        with self.lock:
            self.generation += 1
            self.errors.clear()
            rebuilt: list[str] = []
            first_error: list[str] = []
            warnings: dict[str, None] = {}
            for doc in shown:
                if self.lock.stopping.is_set():
                    break
                self._build(doc)
                if doc in self.errors:
                    first_error = first_error or self.errors[doc]
                else:
                    rebuilt.append(filename(doc, "pdf"))
                    warnings |= dict.fromkeys(self.built[doc].warnings)
            return Outcome(self.generation, rebuilt, first_error, time.monotonic() - started, list(warnings))

    def _build(self, doc: Document) -> None:
        """Build ``doc`` (lock held): keep it and save it in the server's folder, or keep the error."""
        self.builds += 1
        with tempfile.TemporaryDirectory(prefix="preview-", dir=self.temp) as folder:
            try:
                made = build_document(self.sources, doc, ("pdf",), Path(folder))
            except MissionpressError as error:
                self.errors[doc] = error.problems  # the watcher logs it; the pages show it
                return
            pdf = made.files["pdf"].read_bytes()
        self.errors.pop(doc, None)
        self.built[doc] = Built(self.generation, pdf, page_count(pdf), made.warnings)
        try:
            atomic_write(self.folder / filename(doc, "pdf"), pdf)
        except OSError as exc:
            log.warning("could not write %s: %s", self.folder / filename(doc, "pdf"), exc)
