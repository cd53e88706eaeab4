"""Orchestration: what to build, through the pipeline, into output files.

content -> context -> template -> HTML -> PDF / DOCX.  ``build_poster`` reads
as that pipeline; every output of a request is made in memory first and only
then written (atomically), so a failing request writes nothing.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator.content import i18n, unread
from generator.content.pages import IN, PX, Page, page
from generator.documents import layouts, parallel, poster, scaffold
from generator.documents.project import Project
from generator.documents.request import Request
from generator.names import PACKET_FOLDER
from generator.output import atomic_write, build_date, claim
from generator.pdf import printing, stylesheet_warnings
from generator.render import artwork, context
from generator.render.context import Edition

if TYPE_CHECKING:  # imported where used, so that a command loads only what it needs
    from generator.documents.onboarding.batch import Progress
    from generator.docx.pagination import Breaks

log = logging.getLogger(__name__)

HANDBOOK_MARGIN = 0.9 * IN
# The classic handout's foot: Word's lines fall within a line's height of the layout's either way.
FOOT_LINES = 1.0  # lines of body text left under the text
MIN_LEADING, MAX_LEADING = 0.9, 1.3  # how far the leading closes up or opens out


class Handout(NamedTuple):
    """How a poster's Word handout is set (see ``_handout``)."""

    page: Page
    scale: float  # the type scale
    leading: float = 1.0  # a factor on every line height and space
    columns: Breaks | None = None  # where the columns of a block of data-columns break
    rows: tuple[tuple[float, ...], ...] = ()  # the cells' widths of each .row, in points


def build_poster(request: Request, project: Project, out: Path) -> list[Path]:
    editions = project.editions(i18n.parse(request.lang))
    theme = project.theme
    template = layouts.template(request.layout, project.renderer.folders)
    made: dict[Path, bytes] = {}
    if "docx" in request.formats:
        word = _handout(project, editions, request, template)
        word_art = project.artwork(editions, word=True)
        html = project.html(template, lambda: context.poster(editions, theme, word.page, word.scale, art=word_art,
                                                             layout=request.layout, for_word=True), editions)
        made[out / request.filename("docx")] = project.docx(html, word.page, template, leading=word.leading,
                                                             columns=word.columns, rows=word.rows)
    if {"pdf", "html"} & set(request.formats):
        sheet = page(request.size, request.orientation)
        options = request.print_options
        layout = poster.layouts(project, editions, sheet, options, template=template, layout_name=request.layout)
        fitted = poster.fit(sheet, theme.sizes.body, layout, poster.first_guess(len(editions)))
        log.debug("%s: scale %.3f", request.filename("pdf"), fitted.scale)
        artwork.require_print_resolution(theme.logo, project.content, fitted.scale, request.size)
        if "pdf" in request.formats:
            from generator.pdf import writer as pdf_writer  # WeasyPrint only for commands that write PDF

            pdf = pdf_writer.write(fitted.document, options.weasyprint_variant)
            made[out / request.filename("pdf")] = printing.finish(pdf, options)
        if "html" in request.formats:
            made[out / request.filename("html")] = fitted.html.encode("utf-8")
    return _write_all(made, editions)


def _handout(project: Project, editions: list[Edition], request: Request,
             template: str) -> Handout:
    """The Word handout's page, type scale, leading, column breaks and row widths.

    The page is the poster's (its size and margins).  The type is the largest Word size (half
    points) at which the poster laid out as Word sets it (``for_word``) fits the page, never below
    the smallest legible size.  The showcase's footer band stands at the foot of the page whatever
    the text leaves.  The classic layout's text runs down to its footer row, so its leading (a
    factor on every line height and space) is what takes that layout's foot to a line's height
    (``FOOT_LINES``) above the bottom margin: the page ends as full as the PDF's, with room for
    Word's lines falling a little apart from the model's.
    Its columns break where that layout's do, and its rows' cells are as wide as that layout's
    (:func:`generator.docx.pagination.column_starts`, :func:`~generator.docx.pagination.row_widths`).
    """
    body = project.theme.sizes.body
    handout = page(request.size, request.orientation)
    legible = poster.page_scale(handout) * poster.MIN_BODY_PT_AT_LETTER / body
    layout = poster.layouts(project, editions, handout, template=template, layout_name=request.layout,
                            for_word=True)
    try:
        fitted = poster.fit(handout, body, layout, poster.first_guess(len(editions)))
    except poster.DoesNotFit:  # not even at the smallest legible size: Word flows on to a second page
        log.warning("%s: the statement does not fit on one page at the smallest legible size; the Word "
                    "file runs on to a second page", request.filename("docx"))
        return Handout(handout, legible)

    def half_points(scale: float) -> float:
        return max(legible, math.floor(scale * body * 2) / 2 / body)

    scale = half_points(fitted.scale)
    if request.layout != layouts.CLASSIC:
        return Handout(handout, scale)
    at = fitted if scale == fitted.scale else layout(scale)
    from generator.docx.looks import BODY_LINE  # python-docx only for commands that write Word
    from generator.docx.pagination import column_starts, row_widths

    foot = FOOT_LINES * BODY_LINE * scale * body / PX  # CSS pixels, the unit of the layout
    leading = min(MAX_LEADING, max(MIN_LEADING, (at.room - foot) / at.height))
    return Handout(handout, scale, leading, column_starts(at.document.pages), row_widths(at.document.pages))


def build_handbook(request: Request, project: Project, out: Path) -> list[Path]:
    editions = project.editions(i18n.parse(request.lang), handbook=True)
    sheet = page(request.size, request.orientation, margin=HANDBOOK_MARGIN)
    html = project.html("handbook.html", lambda: context.handbook(editions, project.theme, sheet,
                                                                  project.artwork(editions)), editions)
    made: dict[Path, bytes] = {}
    # One layout serves both: the PDF, and the page numbers of the Word contents.
    layout = project.layout(html, "handbook.html") if {"pdf", "docx"} & set(request.formats) else None
    if layout is not None and "pdf" in request.formats:
        from generator.pdf import writer as pdf_writer

        made[out / request.filename("pdf")] = pdf_writer.write(layout)
    if layout is not None and "docx" in request.formats:
        from generator.docx.pagination import page_starts
        from generator.docx.toc import anchor_pages

        # Word gets the same HTML but for the pictures it can show (a PNG QR code, a raster logo).
        word = project.html("handbook.html", lambda: context.handbook(editions, project.theme, sheet,
                                                                      project.artwork(editions, word=True)), editions)
        made[out / request.filename("docx")] = project.docx(word, sheet, "handbook.html",
                                                            page_numbers=anchor_pages(layout.pages),
                                                            breaks=page_starts(layout.pages))
    if "html" in request.formats:
        made[out / request.filename("html")] = html.encode("utf-8")
    return _write_all(made, editions)


def build_onboarding(request: Request, project: Project, out: Path,
                     progress: Progress | None = None) -> list[Path]:
    from generator.documents.onboarding.batch import Settings, build_packets
    from generator.documents.onboarding.roster import load_roster

    assert request.roster is not None  # a Request for packets always names its roster
    # A person's `language` cell picks their packet's language; a blank cell means --lang.
    codes = i18n.available(project.content)
    default = "+".join(i18n.parse(request.lang))
    choices = [default, *codes, *(f"{a}+{b}" for a in codes for b in codes if a != b)]
    roster = load_roster(request.roster, skip_invalid=request.skip_invalid, languages=dict.fromkeys(choices))
    for problem in roster.skipped:
        log.warning("skipped %s", problem)
    settings = Settings(project, out / PACKET_FOLDER, request.size, request.formats,
                        request.orientation)
    summary = build_packets(roster.recipients, settings, jobs=request.jobs, only=request.only,
                            combined=request.combined, progress=progress, roster=request.roster,
                            complete=not roster.skipped)
    rate = f", {len(summary.built) / summary.seconds:.1f} packets/s" if summary.built and summary.seconds else ""
    removed = f", {len(summary.removed)} removed" if summary.removed else ""
    log.info("onboarding: %d packet%s built, %d unchanged%s, %d row%s skipped (%.1f s%s)",
             len(summary.built), "" if len(summary.built) == 1 else "s", len(summary.unchanged), removed,
             len(roster.skipped), "" if len(roster.skipped) == 1 else "s", summary.seconds, rate)
    if summary.combined:
        log.info("wrote %s", summary.combined)
    return summary.written


def _write_all(made: dict[Path, bytes], editions: list[Edition]) -> list[Path]:
    """Write files made in memory, each atomically, only once all of them were made."""
    for path, data in made.items():
        atomic_write(path, data)
        log.info("wrote %s", path)
        i18n.warn_drafts(path.name, (d for e in editions for d in e.drafts))
    return list(made)


def build_one(request: Request, project: Project, out: Path, progress: Progress | None = None) -> list[Path]:
    """The files of one request, written into ``out``."""
    if request.document == "onboarding":
        return build_onboarding(request, project, out, progress)
    builder = build_poster if request.document == "poster" else build_handbook
    return builder(request, project, out)


def build(requests: Request | Sequence[Request], project: Project, out: Path | str = "output",
          progress: Progress | None = None, jobs: int | None = None) -> list[Path]:
    """Build every request into ``out``; every language's content is checked before any file is written.

    Several documents are built at once on ``jobs`` processes (default: every
    core); their messages come in the order of ``requests`` all the same.
    """
    requests = [requests] if isinstance(requests, Request) else list(requests)
    stylesheet_warnings.forget()  # each build shows the problems of its stylesheets once
    build_date()  # a bad SOURCE_DATE_EPOCH is refused before fontconfig, which reads it too, complains on stderr
    for lang in dict.fromkeys(r.lang for r in requests):
        project.editions(i18n.parse(lang))
    for warning in scaffold.warnings(project.content) + unread.warnings(project.content):  # not filled in, not read
        log.warning("%s", warning)
    started = time.monotonic()
    written = []
    # The folder is ours for the run: locked, no links in it, not an input folder; our temporary files go after.
    with claim(Path(out), protected=[project.content, *project.renderer.folders]) as folder, \
            parallel.Runner(requests, project, folder, jobs) as runner:
        # What the workers do not take is built here meanwhile, its messages kept for its turn.
        here = {i: parallel.kept(partial(build_one, request, project, folder, progress))
                for i, request in enumerate(requests) if i not in runner and runner.futures}
        for number, request in enumerate(requests, 1):
            log.info("[%d/%d] %s %s %s%s", number, len(requests), request.document, request.size,
                     "+".join(request.formats), "" if request.lang == "en" else f" ({request.lang})")
            if number - 1 in runner:
                written += runner.result(number - 1)
            elif number - 1 in here:
                written += parallel.replay(here[number - 1])
            else:
                written += build_one(request, project, folder, progress)
    log.info("built %d file%s in %s (%.1f s)", len(written), "" if len(written) == 1 else "s",
             out, time.monotonic() - started)
    return written
