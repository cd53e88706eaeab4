"""Typographic quality of every default output, read from the PDFs' line boxes.

No short word alone on a line inside a paragraph; core values in balanced rows; a
checklist day on one page with its tasks; no heading alone at the foot of a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.check.typography import TextLine
from generator.paths import BUILTIN_CONTENT
from tests.typography import lines, short_lines

BODY = 11.0  # the theme's body size at letter: headings are larger, page furniture smaller


def _pdfs(default_build: Path) -> list[Path]:
    posters = sorted(default_build.glob("poster-*.pdf"))
    packets = sorted((default_build / "onboarding").glob("*.pdf"))
    # The pages shared by every packet are the same in each: one packet per language choice is enough.
    chosen = {}
    for packet in packets:
        chosen.setdefault(_language_of(packet), packet)
    return [*posters, *sorted(default_build.glob("handbook-*.pdf")), *chosen.values()]


def _language_of(packet: Path) -> str:
    text = " ".join(line.text for line in lines(packet)[-1])
    return "es" if "Firma" in text else "en"


@pytest.fixture(scope="module")
def read(default_build: Path) -> dict[str, list[list[TextLine]]]:
    """Each PDF's lines, kept whole across the gaps between the core values of a row."""
    return {pdf.name: lines(pdf) for pdf in _pdfs(default_build)}


def test_no_short_word_is_left_alone_on_a_line_inside_a_paragraph(default_build: Path) -> None:
    flagged = [problem for pdf in _pdfs(default_build) for problem in short_lines(pdf)]
    assert flagged == []


def _core_values() -> set[str]:
    found = set()
    for name in ("statement.yaml", "statement.es.yaml"):
        values = yaml.safe_load((BUILTIN_CONTENT / name).read_text(encoding="utf-8"))["values"]
        found |= {word.capitalize() for word in values.split("*")[1::2]}
    return found


def test_core_values_rows_never_leave_one_value_alone(read: dict[str, list[list[TextLine]]]) -> None:
    values = _core_values()
    alone = []
    for name, pages in read.items():
        if name.startswith("handbook"):
            continue  # the handbook lists the core values one per line
        for page in pages:
            rows = [line for line in page if line.text.split() and set(line.text.split()) <= values]
            alone += [f"{name} page {line.page + 1}: {line.text!r}" for line in rows if len(line.text.split()) == 1]
    assert alone == []


def test_a_checklist_day_stays_on_one_page_with_all_its_tasks(read: dict[str, list[list[TextLine]]]) -> None:
    days, weeks = {}, []
    for name in ("checklist.yaml", "checklist.es.yaml"):
        checklist = yaml.safe_load((BUILTIN_CONTENT / "onboarding" / name).read_text(encoding="utf-8"))
        days |= {day["day"]: day["tasks"] for day in checklist["items"]}
        weeks.append({day["day"] for day in checklist["items"]})
    found = []
    for name, pages in read.items():
        where: dict[str, set[int]] = {}
        for page in pages:
            text = " ".join(line.text for line in page)
            for line in page:
                if line.text in days:
                    found.append(line.text)
                    where.setdefault(line.text, set()).add(line.page + 1)
                    missing = [task for task in days[line.text] if " ".join(task.split()[:4]) not in text]
                    assert not missing, f"{name} page {line.page + 1}: {line.text} is apart from {missing}"
        for week in weeks:  # and the whole first week on one page, so no day stands alone on a page
            pages_of_week = set().union(*(where.get(day, set()) for day in week))
            assert len(pages_of_week) <= 1, f"{name}: the first week spreads over pages {sorted(pages_of_week)}"
    assert set(days) <= set(found)  # every day of both checklists was seen


def test_no_heading_is_left_alone_at_the_foot_of_a_page(read: dict[str, list[list[TextLine]]]) -> None:
    lone = []
    for name, pages in read.items():
        for page in pages[:-1]:
            content = [line for line in page if line.size >= BODY * 0.9]
            if not content:
                continue
            last = max(content, key=lambda ln: ln.top)
            following = [line for line in content if line.top > last.top - 0.5 and line is not last]
            heading = last.size > BODY * 1.1 and "Bold" in last.font  # headings: the bold heading font
            if heading and not following:
                lone.append(f"{name} page {last.page + 1}: {last.text!r}")
    assert lone == []


def test_the_reader_flags_a_short_word_alone_inside_a_paragraph(tmp_path: Path) -> None:
    from generator.pdf import writer

    sentence = "The statement is printed on every poster and in every packet for new staff and learners "
    html = ('<html lang="en"><head><title>t</title><style>@page { size: letter; margin: 1in }'
            'body { font: 11pt "Noto Sans" }</style></head><body>'
            f'<p>{sentence * 2}of<br>{sentence * 3}</p><p>{sentence * 3}</p></body></html>')
    pdf = tmp_path / "short.pdf"
    pdf.write_bytes(writer.write(writer.render(html, base=tmp_path, allowed=[tmp_path], template="t")))
    [problem] = short_lines(pdf)
    assert "short.pdf page 1: 'of' alone on a line" in problem
