"""Poster fitting against a fake layout: few layouts, the largest scale that fits, the legibility stop."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from generator.content.pages import page
from generator.documents import poster
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
    step = 1e-4  # the largest that fits, to within this step
    largest = max(s * step for s in range(5000, 20001) if Fake(s * step, power, line).pages == 1)
    assert fitted.pages == 1
    assert largest * 0.99 <= fitted.scale < largest + step
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
