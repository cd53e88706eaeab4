"""Orchestration: what to build, through the pipeline, into output files.

content -> context -> template -> HTML -> PDF / DOCX.  ``build_poster`` reads
as that pipeline; every output of a request is made in memory first and only
then written (atomically), so a failing request writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from . import context, docx_writer, pdf_writer, poster
from .content import Statement, Strict, load_model, load_statement
from .errors import MissionpressError
from .handbook import load_handbook
from .output import atomic_write
from .pages import IN, SIZES, WORD_MAX, Page, page
from .paths import BUILTIN_CONTENT
from .render import Renderer, search_path
from .theme import Theme, load_theme

if TYPE_CHECKING:  # pdf_writer must configure fonts before WeasyPrint loads
    import weasyprint

log = logging.getLogger(__name__)

FORMATS = ("pdf", "docx", "html")
HANDOUT_MARGIN = 0.75 * IN
HANDBOOK_MARGIN = 0.9 * IN
HANDBOOK_SIZES = ("letter", "A4")


@dataclass
class Project:
    """Where inputs come from: a content folder and the template search path."""

    content: Path = BUILTIN_CONTENT
    templates: Path | None = None

    @cached_property
    def renderer(self) -> Renderer:
        return Renderer(search_path(self.templates))

    @cached_property
    def theme(self) -> Theme:
        return load_theme(self.content)

    def statement(self, lang: str = "en") -> Statement:
        return load_statement(self.content, lang)

    @property
    def readable(self) -> list[Path]:
        """Folders the renderer may read: templates (fonts included) and content."""
        return [*self.renderer.folders, self.content.resolve()]

    def layout(self, html: str, template: str) -> weasyprint.Document:
        return pdf_writer.render(html, base=self.renderer.folders[0], allowed=self.readable, template=template)

    def docx(self, html: str, sheet: Page, template: str) -> bytes:
        _check_word_page(sheet)
        return docx_writer.write_docx(html, theme=self.theme, page=sheet, template=template,
                                      fetch=pdf_writer.SandboxFetcher(self.readable).read)


@dataclass(frozen=True)
class Request:
    """One document to build, in one or more formats."""

    document: Literal["poster", "handbook"]
    size: str = "letter"
    orientation: Literal["portrait", "landscape"] = "portrait"
    formats: tuple[str, ...] = ("pdf",)
    lang: str = "en"

    def filename(self, fmt: str) -> str:
        """``poster-24x36.pdf``, ``handout-letter.docx``, ``poster-A3-landscape.html``."""
        kind = "handout" if (self.document == "poster" and fmt == "docx") else self.document
        parts = [kind, self.size]
        if self.orientation == "landscape":
            parts.append("landscape")
        lang = "" if self.lang == "en" else f".{self.lang}"
        return "-".join(parts) + f"{lang}.{fmt}"


def build_poster(request: Request, project: Project, out: Path) -> list[Path]:
    statement = project.statement(request.lang)
    theme = project.theme
    made: dict[Path, bytes] = {}
    if "docx" in request.formats:
        handout = page(request.size, request.orientation, margin=HANDOUT_MARGIN)
        html = project.renderer.html("poster.html", context.poster(statement, theme, handout, 1.0))
        made[out / request.filename("docx")] = project.docx(html, handout, "poster.html")
    if {"pdf", "html"} & set(request.formats):
        sheet = page(request.size, request.orientation)

        def layout(scale: float) -> poster.Layout:
            html = project.renderer.html("poster.html", context.poster(statement, theme, sheet, scale))
            return poster.Layout(html, project.layout(html, "poster.html"), scale)

        fitted = poster.fit(sheet, theme.sizes.body, layout)
        log.debug("%s: scale %.3f", request.filename("pdf"), fitted.scale)
        if "pdf" in request.formats:
            made[out / request.filename("pdf")] = pdf_writer.write(fitted.document)
        if "html" in request.formats:
            made[out / request.filename("html")] = fitted.html.encode("utf-8")
    return _write_all(made)


def build_handbook(request: Request, project: Project, out: Path) -> list[Path]:
    if request.size not in HANDBOOK_SIZES:
        raise MissionpressError(f"--size {request.size}: the handbook is made in "
                                f"{' or '.join(HANDBOOK_SIZES)} (choose one of them)")
    statement = project.statement(request.lang)
    book = load_handbook(project.content, statement)
    sheet = page(request.size, request.orientation, margin=HANDBOOK_MARGIN)
    html = project.renderer.html("handbook.html", context.handbook(statement, project.theme, sheet, book))
    made: dict[Path, bytes] = {}
    if "pdf" in request.formats:
        made[out / request.filename("pdf")] = pdf_writer.write(project.layout(html, "handbook.html"))
    if "docx" in request.formats:
        made[out / request.filename("docx")] = project.docx(html, sheet, "handbook.html")
    if "html" in request.formats:
        made[out / request.filename("html")] = html.encode("utf-8")
    return _write_all(made)


def _write_all(made: dict[Path, bytes]) -> list[Path]:
    """Write files made in memory, each atomically, only once all of them were made."""
    for path, data in made.items():
        atomic_write(path, data)
        log.info("wrote %s", path)
    return list(made)


def _check_word_page(sheet: Page) -> None:
    if max(sheet.width, sheet.height) > WORD_MAX:
        raise MissionpressError(
            f"--size {sheet.name} --format docx: Word cannot open pages over 22 in "
            f"({sheet.width / IN:g} x {sheet.height / IN:g} in); the Word version of a poster "
            "is a handout: use --size letter or tabloid, or --format pdf for the large poster"
        )


BUILDERS = {"poster": build_poster, "handbook": build_handbook}


def build(request: Request, project: Project, out: Path) -> list[Path]:
    return BUILDERS[request.document](request, project, out)


# --- The default documents ----------------------------------------------------


class DefaultDocument(Strict):
    document: Literal["poster", "handbook"]
    size: str = "letter"
    orientation: Literal["portrait", "landscape"] = "portrait"
    format: Literal["pdf", "docx", "html"] = "pdf"
    lang: str = "en"

    @field_validator("size")
    @classmethod
    def _known_size(cls, size: str) -> str:
        for known in SIZES:
            if known.lower() == size.lower():
                return known
        raise ValueError(f"unknown page size '{size}' (choose one of: {', '.join(SIZES)})")


class Defaults(Strict):
    documents: list[DefaultDocument] = Field(default_factory=list)


def default_requests(project: Project) -> list[Request]:
    """The documents listed in the content folder's ``documents.yaml``."""
    path = project.content / "documents.yaml"
    if not path.exists():
        path = BUILTIN_CONTENT / "documents.yaml"
    listed = load_model(path, Defaults).documents
    return [
        Request(d.document, d.size, d.orientation, (d.format,), d.lang) for d in listed
    ]
