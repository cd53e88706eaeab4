"""Stage 2: validated models -> the context a document template renders.

Everything a template may use is named here, so template designers have one
place to look.  A document is made of one *edition* per language (one for
``--lang es``, two for ``--lang en+es``); templates loop over ``editions``,
and the first edition is also available directly as ``statement`` and ``_``
(the label translator).  Strings stay plain data: autoescaping makes them
safe, and only the statement's inline Markdown becomes markup (through the
``inline`` filter).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.content.i18n import Messages
from generator.content.model import Statement
from generator.content.pages import Page
from generator.content.theme import Theme
from generator.pdf.printing import PrintOptions, document_date
from generator.render.artwork import Artwork, poster_qr_side

if TYPE_CHECKING:  # a poster build does not load the handbook's and packets' modules
    from generator.documents.handbook import Handbook
    from generator.documents.onboarding.packet import Packet
    from generator.documents.onboarding.roster import Recipient


@dataclass(frozen=True)
class Edition:
    """One language's content for a document."""

    lang: str
    statement: Statement
    labels: Messages
    handbook: Handbook | None = None
    packet: Packet | None = None
    drafts: tuple[Path, ...] = ()  # content files marked draft_translation

    @property
    def organization(self) -> Any:
        return self.statement.organization


def base(editions: list[Edition], theme: Theme, page: Page, art: Artwork | None = None) -> dict[str, Any]:
    """What every document template gets; ``logo`` and ``qr`` are None when the content has none."""
    first = editions[0]
    art = art or Artwork()
    return {
        "logo": art.logo,
        "qr": art.qr,
        "lang": first.lang,
        "editions": editions,
        "bilingual": len(editions) > 1,
        "title": " / ".join(e.statement.title for e in editions),
        "statement": first.statement,
        "organization": first.organization,
        "theme": theme,
        "theme_css": Markup(theme.css()),
        "page": page,
        "_": first.labels,
    }


BAND = 0.22 * 72  # the poster's top band, in points at scale 1


def poster(editions: list[Edition], theme: Theme, page: Page, scale: float,
           options: PrintOptions | None = None, art: Artwork | None = None,
           layout: str = "classic", for_word: bool = False) -> dict[str, Any]:
    """The poster: ``scale`` multiplies every theme type size; ``options`` add bleed and marks;
    ``layout`` names the poster layout (``templates/css/poster-<layout>.css`` and its template);
    ``for_word`` lays the page out as the Word handout flows (to fit the handout's type)."""
    options = options or PrintOptions()
    return base(editions, theme, page, art) | {
        "layout": layout,
        "for_word": for_word,
        "scale": scale,
        "band": BAND * scale + options.bleed,  # the top band's height from the page edge, bleed included
        "qr_side": poster_qr_side(page),  # points, whatever the fitted scale
        "shares": shares(editions),  # each edition's share of the width, side by side
        "print_css": Markup(options.page_css()),
        "bleed": options.bleed,
        "document_date": document_date() if options.variant != "ua-1" else "",
    }


HERO = 2  # the vision, set larger, weighs this many times its length
SHARES = (0.4, 0.6)  # the narrowest and widest share an edition side by side may take


def shares(editions: list[Edition]) -> list[float]:
    """Editions side by side take the width in proportion to the length of their text, so that their
    columns end together (Spanish runs about a sixth longer than English)."""
    lengths = [HERO * len(s.vision) + len(s.mission) + len(s.goals_intro) + sum(len(g) for g in s.goals) + len(s.values)
               for s in (e.statement for e in editions)]
    if len(lengths) != 2:
        return [1 / len(lengths)] * len(lengths)
    first = min(max(lengths[0] / sum(lengths), SHARES[0]), SHARES[1])
    return [first, 1 - first]


def handbook(editions: list[Edition], theme: Theme, page: Page, art: Artwork | None = None) -> dict[str, Any]:
    """The handbook: each edition's cover data, and chapters in reading order (languages alternate)."""
    books = [e.handbook for e in editions if e.handbook is not None]
    chapters = [c for group in zip(*(b.chapters for b in books), strict=True) for c in group]
    return base(editions, theme, page, art) | {
        "handbook": books[0],
        "handbooks": books,
        "chapters": chapters,
        "statements": {e.lang: e.statement for e in editions},
        "labels": {e.lang: e.labels for e in editions},
    }


def packet(editions: list[Edition], theme: Theme, page: Page, person: Recipient | None,
           parts: tuple[str, ...], art: Artwork | None = None) -> dict[str, Any]:
    """One person's onboarding packet, or (``person`` None) the parts shared by everyone."""
    from generator.documents.onboarding.packet import personal, placeholders

    letters = []
    for edition in editions:
        assert edition.packet is not None
        values = placeholders(person, edition.statement, edition.labels) if person else {}
        letters.append({
            "edition": edition,
            "packet": edition.packet,
            "start_date": values.get("start_date", "") if person and person.start_date else "",
            "welcome": personal(edition.packet.welcome, values) if person else "",
            "acknowledgment": personal(edition.packet.acknowledgment, values) if person else "",
        })
    return base(editions, theme, page, art) | {"person": person, "parts": parts, "letters": letters}
