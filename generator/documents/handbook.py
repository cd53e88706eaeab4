"""The handbook's content: cover data and chapters in reading order.

Chapters come from two places: the statement (vision, mission, goals with one
section per goal, core values) and the Markdown files of ``content/handbook/``.
Each has an ``order``; the template lays them out, one chapter per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from markupsafe import Markup
from pydantic import Field

from generator.content import markdown
from generator.content.i18n import SOURCE, localized, require, source_files
from generator.content.model import Statement, Strict, load_model, plain
from generator.errors import MissionpressError
from generator.render.typeset import tie_blocks


class StatementChapters(Strict):
    vision: int
    mission: int
    goals: int
    values: int


class HandbookConfig(Strict):
    title: str = Field(min_length=1)
    subtitle: str = ""
    edition: str = Field(min_length=1)
    statement_chapters: StatementChapters
    draft_translation: bool = False


class ChapterMeta(Strict):
    """A Markdown chapter's front matter."""

    title: str = Field(min_length=1)
    order: int
    sample: bool = False
    draft_translation: bool = False  # a translation not yet reviewed: the build warns


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Chapter:
    """One chapter: statement chapters are drawn by the template, Markdown ones carry HTML."""

    id: str
    title: str
    order: int
    kind: Literal["vision", "mission", "goals", "values", "markdown"]
    lang: str
    html: Markup = Markup("")
    sections: list[Section] = field(default_factory=list)
    sample: bool = False


@dataclass(frozen=True)
class Handbook:
    config: HandbookConfig
    chapters: list[Chapter]
    drafts: list[Path] = field(default_factory=list)  # files marked draft_translation


def _statement_chapters(statement: Statement, orders: StatementChapters,
                        _: Callable[[str], str], lang: str, prefix: str) -> list[Chapter]:
    h = statement.headings
    goals = [Section(f"{prefix}goal-{n}", _("Goal {number}").format(number=n))
             for n in range(1, len(statement.goals) + 1)]
    values = [Section(f"{prefix}values-statement", h.values), Section(f"{prefix}core-values", _("Our Core Values"))]
    return [
        Chapter(f"{prefix}ch-vision", h.vision, orders.vision, "vision", lang),
        Chapter(f"{prefix}ch-mission", h.mission, orders.mission, "mission", lang),
        Chapter(f"{prefix}ch-goals", h.goals, orders.goals, "goals", lang, sections=goals),
        Chapter(f"{prefix}ch-values", _("Core Values"), orders.values, "values", lang, sections=values),
    ]


def _sections(document: markdown.Document) -> list[Section]:
    return [Section(i, plain(re.sub(r"<[^>]+>", "", t)))
            for i, t in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', document.html)]


def load_handbook(content: Path, statement: Statement, _: Callable[[str], str] = str,
                  lang: str = SOURCE, prefix: str = "") -> Handbook:
    """The handbook's cover data and chapters in ``lang``; ``_`` translates template labels.

    ``prefix`` starts every id, so two languages can share one document.
    """
    folder = content / "handbook"
    config_path = require(folder / "handbook.yaml", lang)
    config = load_model(config_path, HandbookConfig)
    chapters = _statement_chapters(statement, config.statement_chapters, _, lang, prefix)
    drafts = [config_path] if config.draft_translation else []
    sources = source_files(folder, "*.md")
    # A link to another chapter's file, in any language, leads to that chapter in this document.
    links = {localized(source, code).resolve(): f"{prefix}ch-" + markdown.slugify(source.stem)
             for source in sources for code in (SOURCE, lang)}
    for source in sources:
        path = require(source, lang)
        ident = f"{prefix}ch-" + markdown.slugify(source.stem)
        document = markdown.load(path, ChapterMeta, content, ident, links)
        meta: ChapterMeta = document.meta
        chapters.append(Chapter(ident, meta.title, meta.order, "markdown", lang, tie_blocks(document.html),
                                _sections(document), meta.sample))
        if meta.draft_translation:
            drafts.append(path)
    orders: dict[int, str] = {}
    for chapter in chapters:
        if chapter.order in orders:
            raise MissionpressError(
                f"{folder}: chapters '{orders[chapter.order]}' and '{chapter.title}' both have "
                f"order {chapter.order} (give each chapter its own order)")
        orders[chapter.order] = chapter.title
    return Handbook(config, sorted(chapters, key=lambda c: c.order), drafts)
