"""The web app's one door into the library: the same calls the CLI makes.

Every build runs in a folder the caller owns (a fresh temporary folder per
request) and returns what it made; nothing here knows about HTTP.  Keeping
these few calls in one module means the web app follows the library's
public API by changing this file alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generator as mp
from generator.content import i18n
from generator.content.pages import SIZES, WORD_MAX
from generator.documents.layouts import CLASSIC
from generator.errors import MissionpressError

log = logging.getLogger(__name__)

DOCUMENTS = ("poster", "handbook")
FORMATS = ("pdf", "docx", "html")
ORIENTATIONS = ("portrait", "landscape")
HANDBOOK_SIZES = ("letter", "A4")
ISO_SIZES = tuple(name for name in SIZES if name.startswith("A"))
# A problem line as the library writes it: ``FILE:LINE: field: message``, a field being a name such as
# ``start_date`` or ``goals[1]`` (a template's ``FILE:LINE: <video> is not ...`` stays whole).
_PROBLEM = re.compile(r"^(?P<path>.*?):(?P<line>\d+): (?P<field>[\w.\[\]-]{1,60}): (?P<message>.*)$", re.S)


@dataclass(frozen=True)
class Sources:
    """Where the documents come from: the content folder and the user's template folder."""

    content: Path
    templates: Path | None = None


@dataclass(frozen=True)
class Document:
    """One document to build, as the pages and the API describe it (a key of the previews)."""

    document: str = "poster"
    size: str = "letter"
    orientation: str = "portrait"
    lang: str = "en"
    bleed: str = ""  # a length such as 0.125in; posters only
    marks: str = ""  # crop, cross or crop,cross; posters only
    layout: str = "classic"  # posters only: classic, showcase, or a layout of the templates folder
    variant: str = "ua-1"  # posters only: ua-1, x-4 (needs the server's profile) or a-2b
    profile: Path | None = None  # the print shop's CMYK output profile, for x-4

    @classmethod
    def parse(cls, sources: Sources, document: str, size: str = "letter", orientation: str = "portrait",
              lang: str = "en", bleed: str = "", marks: str = "", layout: str = "", variant: str = "",
              profile: Path | None = None) -> Document:
        """Validated and normalised by the library's own request, with its messages; the languages and
        layouts are the ones of ``sources``."""
        if document not in DOCUMENTS:
            raise MissionpressError(f"{document}: no such document (choose {' or '.join(DOCUMENTS)})")
        lang = "+".join((lang or "en").split())  # an unencoded + in a query string arrives as a space
        variant = variant or "ua-1"
        if variant == "x-4" and profile is None:
            raise MissionpressError("variant x-4: needs the print shop's CMYK output profile; start the server "
                                    "with --icc-profile FILE.icc (the profile the print shop names)", field="variant")
        checked = cls(document, size or "letter", orientation or "portrait", lang, bleed, marks, layout or CLASSIC,
                      variant, profile if variant == "x-4" else None)
        request = checked.request(())
        unknown = [code for code in i18n.parse(request.lang) if code not in i18n.available(sources.content)]
        if unknown:
            raise MissionpressError(f"lang {lang}: this content has no statement in {', '.join(unknown)} (choose "
                                    f"from {', '.join(i18n.available(sources.content))})", field="lang")
        if request.layout not in layouts(sources):
            raise MissionpressError(f"layout {request.layout}: no such poster layout (choose one of "
                                    f"{', '.join(layouts(sources))})", field="layout")
        return cls(document, request.size, request.orientation, request.lang, bleed, marks, request.layout,
                   variant, checked.profile)

    def request(self, formats: tuple[str, ...]) -> mp.Request:
        """The library's request for this document in ``formats``."""
        from generator.pdf.printing import parse_length

        marks = tuple(m.strip() for m in self.marks.split(",") if m.strip())
        options = mp.PrintOptions(parse_length(self.bleed) if self.bleed else 0.0, marks, self.variant, self.profile)
        return mp.Request(self.document, self.size, self.orientation, formats, self.lang,  # type: ignore[arg-type]
                          print_options=options, layout=self.layout)

    def word_fits(self) -> bool:
        """Whether Word can open this page (the handout of a large poster cannot)."""
        return max(SIZES[self.size]) <= WORD_MAX


def word_sizes() -> list[str]:
    """The page sizes a Word handout can be made in (Word opens pages up to 22 in)."""
    return [name for name, sides in SIZES.items() if max(sides) <= WORD_MAX]


def layouts(sources: Sources) -> list[str]:
    """The poster layouts of the template search path, classic first."""
    from generator.documents.layouts import available
    from generator.render.templates import search_path

    return available(search_path(sources.templates))


@contextmanager
def warnings_logged() -> Iterator[list[str]]:
    """The warnings the library logs meanwhile (draft translations...): builds run one at a time,
    so they are this build's."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage().removeprefix("warning: "))

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("generator")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


@dataclass
class Output:
    """What a build wrote (by format, or the packets) and the warnings it gave."""

    files: dict[str, Path]
    warnings: list[str]


def _project(sources: Sources) -> mp.Project:
    return mp.Project(sources.content, sources.templates)


def build_document(sources: Sources, doc: Document, formats: tuple[str, ...], folder: Path) -> Output:
    """Build ``doc`` in ``formats`` into ``folder``: ``{format: file}`` and the warnings."""
    with warnings_logged() as warnings:
        written = mp.build(doc.request(formats), _project(sources), folder)
    return Output({path.suffix.lstrip("."): path for path in written}, warnings)


def filename(doc: Document, fmt: str) -> str:
    """The file name ``missionpress build`` gives the same document."""
    return doc.request((fmt,)).filename(fmt)


Progress = Callable[[int, int, str], None]


def build_packets(sources: Sources, roster: Path, lang: str, formats: tuple[str, ...], folder: Path,
                  progress: Progress | None = None, jobs: int | None = None) -> Output:
    """Onboarding packets of everyone on ``roster``, and with PDF the combined PDF, built into ``folder``.

    ``files`` maps each file's name to it (the combined PDF is ``onboarding-all.pdf``); raises the
    CLI's roster errors.
    """
    request = mp.Request("onboarding", formats=formats, lang=lang or "en", roster=roster, jobs=jobs,
                         combined="pdf" in formats)
    with warnings_logged() as warnings:
        written = mp.build(request, _project(sources), folder, progress)
    return Output({path.name: path for path in written}, warnings)


def safe_stem(name: str) -> str:
    """A file name's stem reduced to letters, digits, ``+ . -``: one safe path part.

    The checker reads names like ``poster-letter.es.pdf`` for its size rules, so an
    uploaded file keeps as much of its name as is safe, and no more.
    """
    stem = re.sub(r"[^A-Za-z0-9+.-]+", "-", Path(name).stem)
    stem = re.sub(r"\.{2,}", ".", stem).strip(".-")[:80]
    return stem or "document"


def check_file(path: Path) -> dict[str, Any]:
    """The ``missionpress check --json`` report of one file, as a dict."""
    return mp.check_files([path]).to_dict()


def problems(error: MissionpressError, shown: dict[str, str] | None = None) -> list[dict[str, object]]:
    """Each problem as ``{"row", "field", "message"}``; ``row`` is the file's line (None when
    the problem is the whole file's).  ``shown`` maps private paths to the names people know."""
    out: list[dict[str, object]] = []
    for text in error.problems:
        for private, public in (shown or {}).items():
            text = text.replace(private, public)
        match = _PROBLEM.match(text)
        if match:
            out.append({"row": int(match["line"]), "field": match["field"], "message": match["message"]})
        else:
            out.append({"row": None, "field": error.field, "message": text})
    return out
