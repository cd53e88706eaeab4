"""Tests for generator.render.origin: which template file and line wrote each part of a rendered HTML."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from markupsafe import Markup

from generator.render.templates import Renderer

BASE = """{#- a comment
    over two lines -#}
<!DOCTYPE html>
<html lang="en">
<head><title>{{ title }}</title></head>
<body>
{% block body %}{% endblock %}
</body>
</html>
"""
MACROS = """{% macro card(text) %}
<section class="card">
  <p>{{ text }}</p>
  <video
    src="a.mp4"></video>
</section>
{%- endmacro %}
"""
PAGE = """{% extends "base.html" %}
{% import "macros.html" as part %}
{% block body %}
<main>
  {% for item in items %}
  <p class="item">{{ item }}</p>
  {% endfor %}
  {%- if items -%}
  <ol><li>a</li></ol>{{ part.card(title) }}
  {% endif %}
  {{ story }}
  <img src="{{ picture }}" alt="x">
</main>
{% endblock %}
"""


def renderer(tmp_path: Path, page: str = PAGE) -> Renderer:
    for name, text in (("base.html", BASE), ("macros.html", MACROS), ("page.html", page)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return Renderer([tmp_path])


CONTEXT = {"title": "T", "items": ["one", "two"], "story": Markup("<p>a</p>\n<p>b</p>"),
           "picture": "http://x.org/p.png"}


def test_each_element_is_placed_at_the_template_line_that_wrote_it(tmp_path: Path) -> None:
    render = renderer(tmp_path)
    html = render.html("page.html", CONTEXT)
    origin = render.origin(html, "page.html")
    root = lxml.html.document_fromstring(html)
    placed = {(el.tag, el.get("class") or el.text or ""): origin.element(el) for el in root.iter()
              if isinstance(el.tag, str)}
    page, macros, base = (str(tmp_path / name) for name in ("page.html", "macros.html", "base.html"))
    assert placed[("html", "\n")] == f"{base}:4"
    assert placed[("title", "T")] == f"{base}:5"
    assert placed[("main", "\n  ")] == f"{page}:4"
    assert placed[("p", "item")] == f"{page}:6"  # both items: the loop's line
    assert placed[("ol", "")] == placed[("li", "a")] == f"{page}:9"
    assert placed[("section", "card")] == f"{macros}:2"  # on the same output line as <ol>, from the macro
    assert placed[("video", "")] == f"{macros}:4"  # a start tag over two lines: where it starts
    assert placed[("p", "b")] == f"{page}:11"  # a value's text: the line of its {{ ... }}
    assert origin.reference("http://x.org/p.png", tmp_path.as_uri() + "/") == f"{page}:12"


def test_html_the_marks_would_change_is_placed_in_the_html_itself(tmp_path: Path) -> None:
    # A captured block compared as text: the marked render differs, so no template line is claimed.
    page = '{% extends "base.html" %}{% block body %}{% set x %}a\nb{% endset %}' \
           '{% if x == "a\\nb" %}<p>same</p>{% endif %}{% endblock %}'
    render = renderer(tmp_path, page)
    html = render.html("page.html", CONTEXT)
    origin = render.origin(html, "page.html")
    p = lxml.html.document_fromstring(html).find(".//p")
    assert origin.element(p) == f"page.html (line {p.sourceline} of the HTML made from it)"


def test_html_not_rendered_here_is_its_own_source(tmp_path: Path) -> None:
    render = renderer(tmp_path)
    origin = render.origin("<p>x</p>\n<video></video>", "page.html")
    assert origin.at(10) == "page.html (line 2 of the HTML made from it)"
