"""Ties: the last two words of a paragraph or heading kept on one line (generator/render/typeset.py)."""

from __future__ import annotations

from markupsafe import Markup

from generator.render.typeset import tie, tie_blocks


def test_a_paragraph_ends_on_two_words_joined_by_a_no_break_space() -> None:
    assert tie("access to the highest quality health care.") == "access to the highest quality health\u00a0care."
    assert tie("a <b> & c") == "a &lt;b&gt; &amp;\u00a0c"  # text is escaped
    emphasis = Markup("con <em>integridad</em> y <em>respeto</em>.")
    assert tie(emphasis) == "con <em>integridad</em> y\u00a0<em>respeto</em>."


def test_a_heading_keeps_a_plain_space_inside_a_nobreak_span() -> None:
    assert tie("Serving a Bilingual, Majority-Minority State", heading=True) == (
        'Serving a Bilingual, <span class="nobreak">Majority-Minority State</span>')


def test_long_words_and_single_words_are_left_free() -> None:
    assert tie("Respect") == "Respect"
    assert tie("de Córdoba Santisteban-Villalobos Montoya", heading=True) == "de Córdoba Santisteban-Villalobos Montoya"
    assert tie("the interprofessionalization") == "the interprofessionalization"


def test_every_paragraph_item_and_heading_of_a_chapter_is_tied() -> None:
    html = '<h2 id="a">Language access</h2>\n<p><strong>Equity:</strong> fair care.</p><ul><li>one two</li></ul>'
    assert tie_blocks(html) == ('<h2 id="a"><span class="nobreak">Language access</span></h2>\n'
                                '<p><strong>Equity:</strong> fair\u00a0care.</p><ul><li>one\u00a0two</li></ul>')
