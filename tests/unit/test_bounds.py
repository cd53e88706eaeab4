"""Widths and counts a template asks of filters, string methods and formats are bounded; ordinary ones work."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from generator.render.templates import Sandbox

HUGE = [
    "{{ 'x'|center(10**9) }}", "{{ 'x'|indent(10**9) }}", "{{ 'x'|truncate(10**9) }}", "{{ 'x'|wordwrap(10**9) }}",
    "{{ '%999999999d'|format(1) }}", "{{ '%*d'|format(10**9, 1) }}", "{{ '%.999999999f' % 1.0 }}",
    "{{ '{:>999999999}'.format(1) }}", "{{ '{:{w}}'.format(1, w=10**9) }}",
    "{{ '{a:>999999999}'.format_map({'a': 1}) }}",
    "{{ 'x'.ljust(10**9) }}", "{{ 'x'.zfill(10**9) }}", "{{ [1]|slice(10**9)|list }}", "{{ lipsum(10**9) }}",
    "{{ ('x' * 100000)|replace('x', 'x' * 1000) }}", "{{ ('x' * 100000).replace('x', 'x' * 1000) }}",
]


@pytest.mark.parametrize("template", HUGE)
def test_a_huge_width_or_count_is_refused_before_it_runs(template: str) -> None:
    with pytest.raises(SecurityError, match="is not allowed"):
        Sandbox().from_string(template).render()


def test_ordinary_widths_and_formats_print_as_jinja_prints_them() -> None:
    template = ("{{ 'x'|center(5) }}|{{ '%5d'|format(3) }}|{{ '%05.1f' % 2.5 }}|{{ '{:>4}'.format(1) }}|"
                "{{ 'ab'|replace('a', 'cc') }}|{{ 'x'.rjust(3) }}|{{ [1, 2, 3]|slice(2)|list }}|"
                "{{ 'hello world'|truncate(8, leeway=0) }}|{{ '%(a)s'|format(a=1) }}|{{ (10 ** 12)|center(3) }}|"
                "{{ 'a\nb'|indent(2) }}")
    assert Sandbox().from_string(template).render() == \
        "  x  |    3|002.5|   1|ccb|  x|[[1, 2], [3]]|hello...|1|1000000000000|a\n  b"
