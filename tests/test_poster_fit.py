"""Fitting the poster: a few layouts, and the same scale bisection finds.

The fit predicts the scale from how much of the page one layout fills.  A fake
layout checks the search itself; the built-in poster checks it against
bisection on every size and language.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from generator.content import i18n
from generator.content.pages import SIZES, Page, page
from generator.documents import poster
from generator.documents.project import Project
from generator.errors import MissionpressError


@dataclass(frozen=True)
class Fake:
    """A layout whose content grows as scale**power, in steps of whole lines."""

    scale: float
    power: float = 1.8
    line: float = 0.02  # one line's share of the page
    fill: float = 0.8  # the content's share of the page at scale 1
    room: float = 1000.0

    @property
    def height(self) -> float:
        smooth = self.fill * self.room * self.scale ** self.power
        return math.ceil(smooth / (self.line * self.room)) * self.line * self.room

    @property
    def pages(self) -> int:
        return math.ceil(self.height / self.room)


def _fit_fake(power: float, line: float) -> tuple[Fake, list[float]]:
    tried: list[float] = []

    def layout(scale: float) -> Fake:
        tried.append(scale)
        return Fake(scale, power, line)

    return poster.fit(page("letter"), 11.0, layout), tried


@pytest.mark.parametrize(("power", "line"), [(1.6, 0.02), (1.8, 0.01), (2.0, 0.03), (1.3, 0.005)])
def test_the_fit_takes_a_few_layouts_and_lands_just_under_the_largest_that_fits(power: float, line: float) -> None:
    fitted, tried = _fit_fake(power, line)
    largest = max(s / 10000 for s in range(5000, 20001) if Fake(s / 10000, power, line).pages == 1)
    assert fitted.pages == 1
    assert largest * 0.99 <= fitted.scale <= largest
    assert len(tried) <= 5


def test_content_that_fits_at_the_largest_size_takes_two_layouts() -> None:
    tried: list[float] = []

    def layout(scale: float) -> Fake:
        tried.append(scale)
        return Fake(scale, fill=0.1)

    fitted = poster.fit(page("letter"), 11.0, layout)
    assert fitted.scale == pytest.approx(poster.MAX_FACTOR)
    assert len(tried) == 2


def test_content_too_long_for_the_smallest_legible_size_is_refused() -> None:
    with pytest.raises(MissionpressError, match=r"poster letter: .* 7\.0 pt, the smallest legible size"):
        poster.fit(page("letter"), 11.0, lambda scale: Fake(scale, fill=10.0))


def _bisect(sheet: Page, body_pt: float, fits: Callable[[float], bool]) -> float:
    """The scale the earlier bisection (9 steps over the legible range) found."""
    base = poster.page_scale(sheet)
    low, high = poster.MIN_BODY_PT_AT_LETTER / body_pt, poster.MAX_FACTOR
    if fits(base * high):
        return base * high
    for _ in range(9):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(base * middle) else (low, middle)
    return base * low


@pytest.mark.parametrize("lang", ["en", "es", "en+es"])
def test_the_fit_matches_bisection_within_one_percent_on_every_size(project: Project, lang: str) -> None:
    editions = project.editions(i18n.parse(lang))
    body = project.theme.sizes.body
    worst = 0.0
    for size in SIZES:
        sheet = page(size)
        layout = poster.layouts(project, editions, sheet)
        known: dict[float, int] = {}

        def measured(scale: float) -> poster.Layout:
            made = layout(scale)  # noqa: B023  (called within this iteration)
            known[scale] = made.pages  # noqa: B023
            return made

        fitted = poster.fit(sheet, body, measured, poster.first_guess(len(editions)))
        assert fitted.pages == 1

        def fits(scale: float) -> bool:
            # Bisection's own premise, that a larger scale never takes fewer pages, answers
            # from the layouts already made where it can; the rest are laid out.
            if any(s >= scale and n == 1 for s, n in known.items()):  # noqa: B023
                return True
            if any(s <= scale and n > 1 for s, n in known.items()):  # noqa: B023
                return False
            return measured(scale).pages == 1  # noqa: B023

        bisected = _bisect(sheet, body, fits)
        worst = max(worst, abs(fitted.scale / bisected - 1))
        assert fitted.scale == pytest.approx(bisected, rel=0.01), size
    assert worst < 0.01
