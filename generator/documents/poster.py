"""Poster layout: scale the type so the whole statement fills one page.

Every type size in the poster CSS is the theme size times ``--scale``.  The
scale starts from the page (a 24x36 poster is read from farther away than a
letter sheet) and is then fitted to the content by bisection: the largest
scale at which everything still lays out on one page.  If even the smallest
legible scale needs a second page, the build stops and says what it reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.content.pages import IN, Page
from generator.errors import MissionpressError

LETTER_SHORT_SIDE = 8.5 * IN
MIN_BODY_PT_AT_LETTER = 7.0  # smallest legible body text on a letter sheet
MAX_FACTOR = 2.0  # never larger than twice the theme's size for the page
STEPS = 9  # bisection steps: the fit is within 2**-9 of the range


@dataclass(frozen=True)
class Layout:
    html: str  # the HTML both writers read
    document: Any  # the weasyprint.Document it lays out to
    scale: float  # the multiplier applied to every theme size

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def page_scale(page: Page) -> float:
    """How much larger than on letter the type should be on this page."""
    return min(page.width, page.height) / LETTER_SHORT_SIDE


def fit(page: Page, body_pt: float, layout: Callable[[float], Layout]) -> Layout:
    """The largest scale at which ``layout(scale)`` gives one page."""
    base = page_scale(page)
    low = MIN_BODY_PT_AT_LETTER / body_pt  # smallest legible factor
    high = MAX_FACTOR
    best = layout(base * high)
    if best.pages == 1:
        return best
    smallest = layout(base * low)
    if smallest.pages > 1:
        reached = body_pt * base * low
        raise MissionpressError(
            f"poster {page.name}: the statement does not fit on one page even with body text at "
            f"{reached:.1f} pt, the smallest legible size for this page "
            f"({smallest.pages} pages at that size); shorten the content or choose a larger size"
        )
    best = smallest
    for _ in range(STEPS):
        middle = (low + high) / 2
        trial = layout(base * middle)
        if trial.pages == 1:
            best, low = trial, middle
        else:
            high = middle
    return best
