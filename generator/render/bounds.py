"""Render: widths and counts a template may ask of a filter, a string method or a format.

``"x"|center(10**9)``, ``"%999999999d"|format(1)``, ``"{:>999999999}".format(1)``,
``"x".ljust(10**9)``, ``[1]|slice(10**9)`` or ``lipsum(10**9)`` would each take the
machine's memory (or minutes) before anything is printed.  The template sandbox
(:class:`generator.render.templates.Sandbox`) checks them here first, with the
bound ``range()`` has: a width or count above ``MAX_WIDTH`` is refused with a
``SecurityError``, which the renderer reports at the template's file and line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from string import Formatter
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE

MAX_WIDTH = MAX_RANGE  # 100,000: the widest a template may ask a text to be, the most pieces
MAX_TEXT = 100 * MAX_RANGE  # 10,000,000 characters: the longest text a replace() may make

# Filters and string methods whose number arguments are widths or counts (a value's own number is not).
FILTERS = ("center", "indent", "truncate", "wordwrap", "slice", "batch")
METHODS = ("center", "ljust", "rjust", "zfill", "expandtabs")
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_numbers(what: str, numbers: Iterable[Any]) -> None:
    """Refuse any width or count in ``numbers`` above ``MAX_WIDTH``."""
    for n in numbers:
        if isinstance(n, int) and not isinstance(n, bool) and n > MAX_WIDTH:
            raise SecurityError(f"{what} with a width or count of {n:,} is not allowed (at most {MAX_WIDTH:,})")


def check_percent(template: str, args: Any) -> None:
    """``template % args``: refuse a width or precision above ``MAX_WIDTH`` (written, or given by ``*``)."""
    for match in PERCENT.finditer(template):
        if "*" in match.group(0):
            values = args if isinstance(args, tuple) else (args,)
            check_numbers(f"the format {match.group(0)!r}", values)
        check_numbers(f"the format {match.group(0)!r}", (int(n) for n in match.groups() if n and n.isdigit()))


def check_format(template: str, args: Iterable[Any], kwargs: Mapping[str, Any]) -> None:
    """``template.format(*args, **kwargs)``: refuse a width or precision above ``MAX_WIDTH``."""
    try:
        fields = list(Formatter().parse(template))
    except ValueError:
        return  # str.format raises it again, as the template's own mistake
    for _, _, spec, _ in fields:
        if not spec:
            continue
        what = f"the format {{:{spec}}}"
        check_numbers(what, (int(n) for n in re.findall(r"\d+", spec)))
        if "{" in spec:  # a nested field, {:{width}}: the width is one of the arguments
            check_numbers(what, [*args, *kwargs.values()])


def check_replace(text: str, old: Any, new: Any, count: Any = -1) -> None:
    """``text.replace(old, new)``: refuse a result longer than ``MAX_TEXT`` characters."""
    if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        times = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            times = min(times, count)
        if len(text) + times * (len(new) - len(old)) > MAX_TEXT:
            raise SecurityError(f"a replace() making more than {MAX_TEXT:,} characters is not allowed")


def check_method(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """A string method a template calls: its widths, and what a replace() makes."""
    owner = getattr(method, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(method, "__name__", "")
    if name in METHODS:
        check_numbers(f"{name}()", [*args, *kwargs.values()])
    elif name == "replace":
        check_replace(owner, *args, **kwargs)


def bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Filter ``name`` (or ``lipsum``), refusing widths and counts above ``MAX_WIDTH`` before it runs."""
    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1  # the environment, the value

    @functools.wraps(function)  # keeps jinja_pass_arg: Jinja still passes the environment
    def checked(*args: Any, **kwargs: Any) -> Any:
        given = args[skip - 1:] if name == "lipsum" else args[skip:]
        if name == "format" and len(args) >= 1 and isinstance(args[0], str):
            check_percent(args[0], tuple(args[1:]) or dict(kwargs))
        elif name == "replace" and len(args) >= skip + 2:
            check_replace(str(args[skip - 1]), *args[skip:skip + 3])
        else:
            check_numbers(f"the {name} filter" if name != "lipsum" else "lipsum()", [*given, *kwargs.values()])
        return function(*args, **kwargs)

    return checked
