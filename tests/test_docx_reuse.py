"""Word files made in batch are byte for byte what writing each whole document from scratch makes.

Two kinds of work are done once and reused: the themed styles (:mod:`generator.docx.reuse`) and the
blocks every packet shares, copied from the first packet that wrote them (:mod:`generator.docx.shared`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.documents.onboarding.batch import TEMPLATE, Packers, Settings
from generator.documents.onboarding.roster import load_roster
from generator.documents.project import Project
from generator.docx import reuse, shared
from generator.docx.writer import write_docx
from generator.paths import BUILTIN_CONTENT
from tests.test_docx_writer import LETTER, PNG_URL, THEME, html, png

OTHER_PNG = "data:image/png;base64," + __import__("base64").b64encode(png(10, 30)).decode()


def test_every_sample_packet_docx_equals_the_whole_document_written_from_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(BUILTIN_CONTENT)
    people = load_roster(BUILTIN_CONTENT / "roster.csv").recipients
    langs = {p.language for p in people}
    assert {"en", "es", "en+es"} <= langs
    packers = Packers(Settings(project, tmp_path, formats=("docx",)))
    # A block is walked when first met, recorded when met again, and copied from then on: in a
    # language of one packet, that packet is made three times to see its shared pages copied.
    rounds = [[packers[p.language].files(p, f"packet-{n}")["docx"] for n, p in enumerate(people)] for _ in range(3)]
    first = rounds[0]
    assert len(set(first)) == len(people) and rounds[1] == first and rounds[2] == first
    editions = {lang: len(packers[lang].editions) for lang in langs}
    for lang in langs:  # at least the statement and the checklist of each language of the packet
        assert packers[lang].word_shared.hits >= 2 * editions[lang] * sum(p.language == lang for p in people), lang
    monkeypatch.setattr(shared, "ENABLED", False)
    monkeypatch.setattr(reuse, "ENABLED", False)
    for n, (person, docx) in enumerate(zip(people, first, strict=True)):
        packer = packers[person.language]
        identity = {"packet": f"packet-{n}", "name": person.name, "language": person.language}
        assert docx == project.docx(packer.html(person, word=True), packer.sheet, TEMPLATE,
                                    properties=identity), person.name


SHARED = f"""
<section class="statement new-page" id="shared">
  <h1 id="goals">Goals</h1>
  <ol class="goals"><li>Serve <a href="https://example.org/serve">the state</a></li><li>Teach</li></ol>
  <ul><li>One</li><li>Two<ol><li>Nested</li></ol></li></ul>
  <p><img src="{PNG_URL}" alt="A red box"> and <a href="#top">back to the top</a>.</p>
  <ul class="tasks"><li>Meet the team</li><li>Read the handbook</li></ul>
  <table><tr><th>Day</th><td>Task</td></tr><tr><td>1</td><td>Badge</td></tr></table>
</section>
"""
LAST = '<section class="new-page" id="end"><h1>Sign</h1><ul class="tasks"><li>Signed</li></ul></section>'


def document(front: str) -> str:
    return html(f"{front}{SHARED}{LAST}")


def test_a_copied_block_takes_ids_lists_and_relationships_that_follow_on_from_the_document() -> None:
    """Fronts that take different numbers of lists, pictures, links, bookmarks and checkboxes.

    (Lists that leave the "List Number" and "List Bullet" styles' own lists unused: the first
    list of a document that starts at 1, plain or of goals, takes those, so a block after one is
    another block.)
    """
    plain = '<p id="top">Hello <a href="#goals">goals</a></p>'
    busy = (f'<p id="top">Hi <a href="https://example.org/x">x</a> <img src="{OTHER_PNG}" alt="tall"> '
            f'<img src="{PNG_URL}" alt="the same red box"></p><ol start="2"><li>a</li></ol><ol start="3"><li>b</li>'
            '</ol>'
            '<ul class="tasks"><li>Tick</li></ul><h2 id="more">More</h2><p><a href="#goals">goals</a> '
            '<a href="#more">more</a></p>')
    unlinked = '<p id="top">No link to the goals: their heading is no bookmark here</p>'
    blocks = shared.SharedBlocks()
    for front, hits in ((plain, 0), (plain, 0), (busy, 2), (plain, 5), (unlinked, 6)):
        source = document(front)
        made = write_docx(source, theme=THEME, page=LETTER, template="t.html", shared=blocks)
        assert made == write_docx(source, theme=THEME, page=LETTER, template="t.html"), front
        assert blocks.hits == hits
