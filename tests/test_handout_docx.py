"""The poster's Word handout as a person editing it meets it: text, numbered goals, emphasis, styles."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.readers import normalise, published_sentences

CORE_VALUES = ["integrity", "accountability", "diversity", "excellence", "compassion", "respect", "professionalism"]


@pytest.fixture(scope="module")
def handout(posters: dict[str, Path]) -> Document:
    return Document(str(posters["handout-letter.docx"]))


def test_every_published_sentence_is_in_the_docx(handout: Document) -> None:
    text = normalise("\n".join(p.text for p in handout.paragraphs))
    assert not [s for s in published_sentences() if s not in text]


def test_no_break_spaces_of_the_published_text_are_kept(handout: Document) -> None:
    assert any("with\u00a0integrity\u00a0and\u00a0accountability" in p.text for p in handout.paragraphs)


def test_the_goals_are_one_real_numbered_list(handout: Document) -> None:
    goals = [p for p in handout.paragraphs if p.style.name == "List Number"][:6]
    assert [p.text.split()[0] for p in goals] == ["Improve", "Build", "Foster", "Provide", "Deliver", "Nurture"]
    num_ids = {p._p.pPr.numPr.numId.val for p in goals}
    assert len(num_ids) == 1
    num_id = str(num_ids.pop())
    numbering = handout.part.numbering_part.element
    (num,) = [n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = [a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id]
    level0 = abstract.find(qn("w:lvl"))
    assert level0.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert level0.find(qn("w:start")).get(qn("w:val")) == "1" and num.find(qn("w:lvlOverride")) is None
    # The list of the "List Number" style itself: the style applied to a new paragraph continues it.
    assert handout.styles["List Number"].element.pPr.numPr.numId.val == int(num_id)


def test_core_values_are_emphasized_in_the_values_statement(handout: Document) -> None:
    (values,) = [p for p in handout.paragraphs if p.text.startswith("The UNM Health Sciences Center\u2019s")]
    emphasized = [r.text for r in values.runs if r.style is not None and r.style.name == "Core Value"]
    assert emphasized == CORE_VALUES
    plain = [r.text for r in values.runs if r.style is None or r.style.name != "Core Value"]
    assert not any(v in " ".join(plain) for v in CORE_VALUES)


def test_headings_title_and_language(handout: Document) -> None:
    styles = [(p.style.name, p.text) for p in handout.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert styles[0] == ("Title", "UNM HSC Vision, Mission and Core\u00a0Values")  # its last two words tied
    assert ("Heading 2", "Vision") in styles and ("Heading 2", "Values Statement") in styles
    assert handout.core_properties.title == "UNM HSC Vision, Mission and Core Values"
    assert handout.core_properties.language == "en-US"
    section = handout.sections[0]
    assert (section.page_width.inches, section.page_height.inches) == (8.5, 11)
