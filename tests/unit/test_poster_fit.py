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


def test_a_line_more_in_a_grid_cell_makes_content_taller_only_past_its_row() -> None:
    row = 100.0
    tall = poster.Cell(row=(1, 0.0), item=1, used=100.0, height=row)
    short = poster.Cell(row=(1, 0.0), item=2, used=80.0, height=row)
    assert poster._taller([poster.Growth(1.01, 10.0, short)]) == 0.0
    assert poster._taller([poster.Growth(1.01, 10.0, short), poster.Growth(1.02, 15.0, short)]) == 5.0
    assert poster._taller([poster.Growth(1.01, 10.0, tall), poster.Growth(1.02, 7.0, None)]) == 17.0


def test_a_paragraph_that_surely_takes_a_line_more_caps_the_fit_before_proportional_growth_does() -> None:
    @dataclass(frozen=True)
    class Laid:
        scale: float = 1.0
        pages: int = 1
        height: float = 950.0
        room: float = 1000.0
        lines: tuple[poster.Growth, ...] = (poster.Growth(1.02, 40.0, None),)

    # Growing in proportion alone, it would fill the page at 1000/950 = 1.053; at 1.02 (x 1.001 of
    # slack) a paragraph surely takes another line: 1.02 * (950 + 40) > 1000, so it overflows there.
    assert poster._overflows_beyond(Laid()) == pytest.approx(1.02 * (1 + poster.SLACK))
    assert poster._overflows_beyond(Laid(lines=())) == pytest.approx(1000 / 950)
