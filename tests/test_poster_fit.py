"""Fitting the poster: the same scale bisection finds, on a page of every shape, in every language.

The fit predicts the scale from how much of the page one layout fills; the search
itself is checked against a fake layout in ``tests/unit/test_poster_fit.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.content import i18n
from generator.content.pages import SIZES, Page, page
from generator.documents import poster
from generator.documents.project import Project


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


# A page of every shape (letter 0.77, 18x24 0.75, 24x36 0.67, tabloid 0.65; the A series 0.71 at its
# smallest and largest): every size is fitted and checked in the sweeps (tests/test_sweep_*.py).
SHAPES = ("letter", "18x24", "24x36", "tabloid", "A4", "A0")


def test_the_shapes_cover_each_family_of_sizes() -> None:
    assert set(SHAPES) <= set(SIZES)
    assert {round(min(SIZES[s]) / max(SIZES[s]), 2) for s in SHAPES} == {
        round(min(w, h) / max(w, h), 2) for w, h in SIZES.values()}


@pytest.mark.parametrize("lang", ["en", "es", "en+es"])
def test_the_fit_matches_bisection_within_one_percent_on_every_shape(project: Project, lang: str) -> None:
    editions = project.editions(i18n.parse(lang))
    body = project.theme.sizes.body
    worst = 0.0
    for size in SHAPES:
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


@pytest.mark.parametrize("size", ["letter", "24x36"])
def test_the_showcase_fills_its_page_above_the_footer_band(project: Project, size: str) -> None:
    """The showcase's footer band is pinned to the page's foot: it is not content that fills the page."""
    from generator.documents import layouts

    editions = project.editions(("en",))
    sheet, body = page(size), project.theme.sizes.body
    template = layouts.template("showcase", project.renderer.folders)
    layout = poster.layouts(project, editions, sheet, template=template, layout_name="showcase")

    fitted = poster.fit(sheet, body, layout)
    bisected = _bisect(sheet, body, lambda scale: layout(scale).pages == 1)
    assert fitted.pages == 1 and fitted.scale == pytest.approx(bisected, rel=0.01)


@pytest.mark.parametrize(("lang", "size"), [("en+es", "A2"), ("en+es", "letter")])
def test_beyond_the_bound_a_layout_gives_the_content_surely_overflows(project: Project, lang: str, size: str) -> None:
    """The fit stops on the bound a layout that fits sets (growth in proportion, and the lines paragraphs
    surely gain): the poster laid out just past it takes a second page.  (Two languages on a portrait
    page: one column each, no text set in balanced columns.)"""
    editions = project.editions(i18n.parse(lang))
    sheet = page(size)
    layout = poster.layouts(project, editions, sheet)
    fitted = poster.fit(sheet, project.theme.sizes.body, layout, poster.first_guess(len(editions)))
    smaller = layout(fitted.scale * 0.97)
    assert smaller.pages == 1 and smaller.lines
    bound = poster._overflows_beyond(smaller)
    assert bound < smaller.scale * smaller.room / smaller.height  # the lines brought it down
    assert layout(bound * 1.002).pages > 1


def test_text_in_balanced_columns_sets_no_bound_and_the_fit_still_fills_the_page(project: Project) -> None:
    """One language flows through balanced columns, whose content may grow less than in proportion as
    lines move from column to column: a layout that fits bounds nothing, and the fit finds, by page
    counts, the scale bisection finds."""
    editions = project.editions(("en",))
    sheet, body = page("letter"), project.theme.sizes.body
    layout = poster.layouts(project, editions, sheet)
    fitted = poster.fit(sheet, body, layout)
    assert fitted.columns and poster._overflows_beyond(fitted) == float("inf")
    assert layout(fitted.scale * (1 + 2 * poster.TOLERANCE)).pages > 1
