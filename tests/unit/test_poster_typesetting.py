"""What the poster templates are given to set type with: QR code sides, shares of the width."""

from __future__ import annotations

import pytest

from generator.content import i18n
from generator.content.pages import IN, page
from generator.documents.project import Project
from generator.render.artwork import poster_qr_side
from generator.render.context import shares


@pytest.mark.parametrize(("size", "inches"), [("letter", 0.85), ("A4", 0.827), ("24x36", 2.4), ("A0", 3.31)])
def test_a_qr_code_is_a_tenth_of_the_short_side_and_never_under_0_8_in(size: str, inches: float) -> None:
    for orientation in ("portrait", "landscape"):
        side = poster_qr_side(page(size, orientation))
        assert side / IN == pytest.approx(inches, abs=0.01)
        assert side >= 0.8 * IN


def test_two_languages_share_the_width_by_the_length_of_their_text() -> None:
    project = Project()
    english, spanish = shares(project.editions(i18n.parse("en+es")))
    assert english + spanish == pytest.approx(1)
    assert 0.4 <= english < 0.5 < spanish <= 0.6  # the Spanish text is longer
    assert shares(project.editions(("en",))) == [1.0]
