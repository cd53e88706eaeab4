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


def test_value_tiles_hold_the_longest_word_with_no_tile_alone_on_the_last_row() -> None:
    from generator.render.typeset import tile_rows

    values = ["integridad", "responsabilidad", "diversidad", "excelencia", "compasión", "respeto", "profesionalismo"]
    assert tile_rows(values, 80, 7) == (7, 10)  # one row, full size, on a wide page
    assert tile_rows(values, 45, 4) == (4, 10)  # 4 + 3
    per_row, tenths = tile_rows(values, 31, 4)  # a narrow column: smaller type before fewer to a row
    assert (per_row, tenths) == (4, 7)
    assert tile_rows(values, 20, 4) == (2, 10)  # 3 to a row would leave the seventh alone: 2 to a row
    assert tile_rows(values, 8, 4)[1] == 6  # never under six tenths
