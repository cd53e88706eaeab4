"""The onboarding packet's content: what is the same for everyone, and what is personal.

The welcome letter and the acknowledgment are Markdown with placeholders
(``{{ greeting_name }}``...), filled per person with escaped values in one
pass; the first-week checklist is YAML.  Everything is loaded and checked
once per batch, before any packet is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from markupsafe import Markup
from pydantic import Field

from generator.content import markdown
from generator.content.i18n import SOURCE, Messages, require
from generator.content.model import Statement, Strict, load_model
from generator.documents.onboarding.roster import Recipient

PLACEHOLDERS = ("name", "greeting_name", "role", "department", "start_date", "supervisor", "email",
                "organization")


class PageMeta(Strict):
    title: str = Field(min_length=1)
    sample: bool = False
    draft_translation: bool = False  # a translation not yet reviewed: the build warns


class Day(Strict):
    day: str = Field(min_length=1)
    tasks: list[str] = Field(min_length=1)


class Checklist(Strict):
    title: str = Field(min_length=1)
    sample: bool = False
    draft_translation: bool = False  # a translation not yet reviewed: the build warns
    items: list[Day] = Field(min_length=1)


@dataclass(frozen=True)
class Packet:
    """The packet's content files, loaded once per batch."""

    welcome: markdown.Document
    acknowledgment: markdown.Document
    checklist: Checklist
    checklist_path: Path

    @property
    def drafts(self) -> list[Path]:
        """The files of this packet marked as draft translations."""
        return ([d.path for d in (self.welcome, self.acknowledgment) if d.meta.draft_translation]
                + ([self.checklist_path] if self.checklist.draft_translation else []))


def load_packet(content: Path, lang: str = SOURCE) -> Packet:
    folder = content / "onboarding"
    welcome = markdown.load(require(folder / "welcome.md", lang), PageMeta, content, f"welcome-{lang}")
    acknowledgment = markdown.load(require(folder / "acknowledgment.md", lang), PageMeta, content, f"ack-{lang}")
    checklist = load_model(require(folder / "checklist.yaml", lang), Checklist)
    packet = Packet(welcome, acknowledgment, checklist, require(folder / "checklist.yaml", lang))
    probe = dict.fromkeys(PLACEHOLDERS, "")
    for document in (welcome, acknowledgment):
        markdown.fill(document.html, probe, document.path)  # unknown placeholders fail before any build
    return packet


def placeholders(person: Recipient, statement: Statement, _: Messages) -> dict[str, str]:
    """The values a letter may use; an empty field reads as a neutral phrase."""
    when = format_date(person.start_date, format="long", locale=_.locale) if person.start_date else ""
    return {
        "name": person.name,
        "greeting_name": person.greeting_name,
        "role": person.role or _("your new role"),
        "department": person.department or _("our team"),
        "start_date": when or _("your first day"),
        "supervisor": person.supervisor or _("your supervisor"),
        "email": person.email,
        "organization": statement.organization.name,
    }


def personal(document: markdown.Document, values: dict[str, str]) -> Markup:
    return Markup(markdown.fill(document.html, values, document.path))
