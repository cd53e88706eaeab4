"""Orchestration: what to build, through the pipeline, into output files.

content -> context -> template -> HTML -> PDF / DOCX.  ``build_poster`` reads
as that pipeline; every output of a request is made in memory first and only
then written (atomically), so a failing request writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from generator.content import i18n
from generator.content.model import Strict, load_model
from generator.content.pages import IN, SIZES, canonical, page
from generator.documents import layouts, poster
from generator.documents.onboarding.batch import Progress, Settings, build_packets
from generator.documents.onboarding.roster import load_roster
from generator.documents.project import Project
from generator.docx.toc import anchor_pages
from generator.errors import MissionpressError
from generator.output import atomic_write
from generator.paths import BUILTIN_CONTENT
from generator.pdf import printing
from generator.pdf import writer as pdf_writer
from generator.pdf.printing import PrintOptions
from generator.render import artwork, context
from generator.render.context import Edition

log = logging.getLogger(__name__)

FORMATS = ("pdf", "docx", "html")
Format = Literal["pdf", "docx", "html"]
HANDOUT_MARGIN = 0.75 * IN
HANDBOOK_MARGIN = 0.9 * IN
HANDBOOK_SIZES = ("letter", "A4")


@dataclass(frozen=True)
class Request:
    """One document to build, in one or more formats."""

    document: Literal["poster", "handbook", "onboarding"]
    size: str = "letter"
    orientation: Literal["portrait", "landscape"] = "portrait"
    formats: tuple[str, ...] = ("pdf",)
    lang: str = "en"
    # Onboarding packets only:
    roster: Path | None = None
    only: str | None = None
    jobs: int | None = None
    combined: bool = False
    skip_invalid: bool = False
    # Posters only:
    print_options: PrintOptions = PrintOptions()
    layout: str = layouts.CLASSIC  # the poster layout: a template (and its CSS) on the search path

    def filename(self, fmt: str) -> str:
        """``poster-24x36.pdf``, ``handout-letter.docx``, ``poster-A3-landscape-showcase.html``."""
        kind = "handout" if (self.document == "poster" and fmt == "docx") else self.document
        parts = [kind, self.size]
        if self.orientation == "landscape":
            parts.append("landscape")
        if self.document == "poster" and self.layout != layouts.CLASSIC:
            parts.append(self.layout)
        lang = "" if self.lang == "en" else f".{self.lang}"
        return "-".join(parts) + f"{lang}.{fmt}"


def build_poster(request: Request, project: Project, out: Path) -> list[Path]:
    editions = project.editions(i18n.parse(request.lang))
    theme = project.theme
    template = layouts.template(request.layout, project.renderer.folders)
    made: dict[Path, bytes] = {}
    if "docx" in request.formats:
        handout = page(request.size, request.orientation, margin=HANDOUT_MARGIN)
        values = context.poster(editions, theme, handout, 1.0, art=project.artwork(editions, word=True),
                                layout=request.layout)
        html = project.html(template, values, editions)
        made[out / request.filename("docx")] = project.docx(html, handout, template)
    if {"pdf", "html"} & set(request.formats):
        sheet = page(request.size, request.orientation)

        options = request.print_options
        profile = [options.profile] if options.profile else []
        art = project.artwork(editions)

        def layout(scale: float) -> poster.Layout:
            values = context.poster(editions, theme, sheet, scale, options, art, request.layout)
            html = project.html(template, values, editions)
            return poster.Layout(html, project.layout(html, template, also=profile), scale)

        fitted = poster.fit(sheet, theme.sizes.body, layout)
        log.debug("%s: scale %.3f", request.filename("pdf"), fitted.scale)
        artwork.require_print_resolution(theme.logo, project.content, fitted.scale, request.size)
        if "pdf" in request.formats:
            pdf = pdf_writer.write(fitted.document, options.weasyprint_variant)
            made[out / request.filename("pdf")] = printing.finish(pdf, options)
        if "html" in request.formats:
            made[out / request.filename("html")] = fitted.html.encode("utf-8")
    return _write_all(made, editions)


def build_handbook(request: Request, project: Project, out: Path) -> list[Path]:
    if request.size not in HANDBOOK_SIZES:
        raise MissionpressError(f"--size {request.size}: the handbook is made in "
                                f"{' or '.join(HANDBOOK_SIZES)} (choose one of them)")
    editions = project.editions(i18n.parse(request.lang), handbook=True)
    sheet = page(request.size, request.orientation, margin=HANDBOOK_MARGIN)
    html = project.html("handbook.html", context.handbook(editions, project.theme, sheet, project.artwork(editions)),
                        editions)
    made: dict[Path, bytes] = {}
    # One layout serves both: the PDF, and the page numbers of the Word contents.
    layout = project.layout(html, "handbook.html") if {"pdf", "docx"} & set(request.formats) else None
    if layout is not None and "pdf" in request.formats:
        made[out / request.filename("pdf")] = pdf_writer.write(layout)
    if layout is not None and "docx" in request.formats:
        # Word gets the same HTML but for the pictures it can show (a PNG QR code, a raster logo).
        values = context.handbook(editions, project.theme, sheet, project.artwork(editions, word=True))
        made[out / request.filename("docx")] = project.docx(project.html("handbook.html", values, editions), sheet,
                                                            "handbook.html", page_numbers=anchor_pages(layout.pages))
    if "html" in request.formats:
        made[out / request.filename("html")] = html.encode("utf-8")
    return _write_all(made, editions)


def build_onboarding(request: Request, project: Project, out: Path,
                     progress: Progress | None = None) -> list[Path]:
    if request.roster is None:
        raise MissionpressError("onboarding: give the roster with --roster FILE (.csv or .xlsx)")
    # A person's `language` cell picks their packet's language; a blank cell means --lang.
    codes = i18n.available(project.content)
    default = "+".join(i18n.parse(request.lang))
    choices = [default, *codes, *(f"{a}+{b}" for a in codes for b in codes if a != b)]
    roster = load_roster(request.roster, skip_invalid=request.skip_invalid, languages=dict.fromkeys(choices))
    for problem in roster.skipped:
        log.warning("skipped %s", problem)
    settings = Settings(project.content, project.templates, out / "onboarding", request.size, request.formats,
                        request.orientation)
    summary = build_packets(roster.recipients, settings, jobs=request.jobs, only=request.only,
                            combined=request.combined, progress=progress)
    rate = f", {len(summary.built) / summary.seconds:.1f} packets/s" if summary.built and summary.seconds else ""
    log.info("onboarding: %d packet%s built, %d unchanged, %d row%s skipped (%.1f s%s)",
             len(summary.built), "" if len(summary.built) == 1 else "s", len(summary.unchanged),
             len(roster.skipped), "" if len(roster.skipped) == 1 else "s", summary.seconds, rate)
    if summary.combined:
        log.info("wrote %s", summary.combined)
    folder = settings.folder
    return [folder / f"{stem}.{fmt}" for stem in summary.built for fmt in request.formats]


def _write_all(made: dict[Path, bytes], editions: list[Edition]) -> list[Path]:
    """Write files made in memory, each atomically, only once all of them were made."""
    for path, data in made.items():
        atomic_write(path, data)
        log.info("wrote %s", path)
        i18n.warn_drafts(path.name, (d for e in editions for d in e.drafts))
    return list(made)


def build(request: Request, project: Project, out: Path, progress: Progress | None = None) -> list[Path]:
    if request.document == "onboarding":
        return build_onboarding(request, project, out, progress)
    builder = build_poster if request.document == "poster" else build_handbook
    return builder(request, project, out)


# --- The default documents ----------------------------------------------------


class DefaultDocument(Strict):
    document: Literal["poster", "handbook", "onboarding"]
    size: str = "letter"
    orientation: Literal["portrait", "landscape"] = "portrait"
    format: list[Format] = Field(default_factory=lambda: list[Format](["pdf"]), min_length=1)
    lang: str = "en"
    roster: str | None = None  # onboarding: a file of the content folder
    layout: str = layouts.CLASSIC  # posters: classic or showcase (or a layout of --templates)

    @field_validator("lang")
    @classmethod
    def _language_codes(cls, lang: str) -> str:
        codes = lang.strip().lower().split("+")
        if not all(i18n.CODE.match(c) for c in codes) or len(set(codes)) != len(codes):
            raise ValueError(f"'{lang}' is not a language (write en, es or en+es)")
        return "+".join(codes)

    @field_validator("format", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("size")
    @classmethod
    def _known_size(cls, size: str) -> str:
        known = canonical(size)
        if known is None:
            raise ValueError(f"unknown page size '{size}' (choose one of: {', '.join(SIZES)})")
        return known


class Defaults(Strict):
    documents: list[DefaultDocument] = Field(default_factory=list)


def default_requests(project: Project) -> list[Request]:
    """The documents listed in the content folder's ``documents.yaml``."""
    path = project.content / "documents.yaml"
    if not path.exists():
        path = BUILTIN_CONTENT / "documents.yaml"
    listed = load_model(path, Defaults).documents
    return [
        Request(d.document, d.size, d.orientation, tuple(d.format), d.lang,
                roster=path.parent / d.roster if d.roster else None, layout=d.layout)
        for d in listed
    ]
