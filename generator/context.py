"""Stage 2: validated models -> the context a document template renders.

Everything a template may use is named here, so template designers have one
place to look.  Strings stay plain data; the template's autoescaping makes
them safe, and only the statement's inline Markdown becomes markup
(through the ``inline`` filter).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .content import Statement
from .handbook import Handbook
from .onboarding import Packet, personal, placeholders
from .pages import Page
from .roster import Recipient
from .theme import Theme


def _identity(message: str) -> str:
    return message


def base(statement: Statement, theme: Theme, page: Page) -> dict[str, Any]:
    """What every document template gets."""
    return {
        "lang": statement.language,
        "title": statement.title,
        "statement": statement,
        "organization": statement.organization,
        "theme": theme,
        "theme_css": Markup(theme.css()),
        "page": page,
        "_": _identity,
    }


def poster(statement: Statement, theme: Theme, page: Page, scale: float) -> dict[str, Any]:
    """The poster: ``scale`` multiplies every theme type size."""
    return base(statement, theme, page) | {"scale": scale}


def handbook(statement: Statement, theme: Theme, page: Page, book: Handbook) -> dict[str, Any]:
    """The handbook: cover data and chapters in reading order."""
    return base(statement, theme, page) | {"handbook": book}


def packet(statement: Statement, theme: Theme, page: Page, content: Packet,
           person: Recipient | None, parts: tuple[str, ...]) -> dict[str, Any]:
    """One person's onboarding packet, or (``person`` None) the parts shared by everyone."""
    values = placeholders(person, statement) if person else {}
    return base(statement, theme, page) | {
        "packet": content,
        "person": person,
        "parts": parts,
        "start_date": values.get("start_date") if person and person.start_date else "",
        "welcome": personal(content.welcome, values) if person else "",
        "acknowledgment": personal(content.acknowledgment, values) if person else "",
    }
