"""Stage 3: context + template -> one HTML string.

A sandboxed Jinja environment with autoescaping on and undefined variables as
errors.  Templates are found on a search path: the user's ``--templates``
folder first, then the built-in templates, so a user overrides the built-ins
file by file (CSS files too: templates include them through the same loader).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any, cast

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment
from markupsafe import Markup

from generator.content.model import inline_html
from generator.content.references import unprintable_links
from generator.errors import MissionpressError, bad_value
from generator.paths import BUILTIN_TEMPLATES
from generator.render import bounds
from generator.render.origin import Marks, Origin, Places, shown_path
from generator.render.typeset import balanced_rows, glue_emphasis, tie, tile_rows

MAX_POWER = 1000  # 10**1000 has a thousand digits: more than any page prints


def search_path(templates: Path | None) -> list[Path]:
    """The template folders in lookup order: the user's, then the built-ins."""
    path = []
    if templates is not None:
        if not templates.is_dir():
            from generator.inputs import not_a_folder

            why = not_a_folder(templates)
            raise bad_value("templates", templates, why)
        path.append(templates.resolve())
    path.append(BUILTIN_TEMPLATES.resolve())
    return path


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, and no attribute of a path: a template may print data, never touch files.

    ``*`` and ``**`` are bounded as ``range()`` is: ``"x" * 10**9`` or ``10**10**9`` would take
    the machine's memory or minutes before anything is printed; so are the widths and counts given
    to filters, string methods and formats (:mod:`generator.render.bounds`)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (*bounds.FILTERS, "format", "replace"):
            self.filters[name] = bounds.bounded(name, self.filters[name])
        self.globals["lipsum"] = bounds.bounded("lipsum", cast(Callable[..., Any], self.globals["lipsum"]))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        bounds.check_method(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__

        def checked(*args: Any, **kwargs: Any) -> Any:
            given = args[0] if value.__name__ == "format_map" and args else kwargs
            bounds.check_format(template, args if value.__name__ == "format" else (), given)
            return wrapped(*args, **kwargs)

        return checked

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not isinstance(obj, PurePath) and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sized = [(n, other) for n, other in ((left, right), (right, left))
                 if isinstance(n, int) and isinstance(other, (str, list, tuple))]
        if operator == "*" and sized and sized[0][0] * len(sized[0][1]) > MAX_RANGE:
            raise SecurityError(f"a repetition of more than {MAX_RANGE:,} items is not allowed")
        if operator == "**" and isinstance(right, int) and isinstance(left, (int, float)) and abs(left) > 1 \
                and right > MAX_POWER:
            raise SecurityError(f"a power above {MAX_POWER} is not allowed")
        if operator == "%" and isinstance(left, str):
            bounds.check_percent(left, right)
        return super().call_binop(context, operator, left, right)


class FolderLoader(jinja2.FileSystemLoader):
    """Templates of the search path only: a symlink that leads out of its folder is refused."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            found = next((Path(f) / template for f in self.searchpath if (Path(f) / template).is_file()), template)
            raise MissionpressError(f"{found}: not UTF-8 text (byte {exc.start}); save the template as UTF-8") \
                from None
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
            raise MissionpressError(f"{filename}: links to {real}, outside the template folders "
                                    "(copy the file into the folder instead of linking it)")
        return source, filename, uptodate


class CallError(MissionpressError):
    """A mistake in a call a template makes (``asset('...')``): placed at the calling line."""


class Renderer:
    """Renders document templates found on a search path."""

    RECENT = 8  # renders whose context is kept, to say later which template line wrote what

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)
        self.recent: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
        self.env = Sandbox(
            loader=FolderLoader([str(f) for f in self.folders]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["inline"] = lambda text: Markup(glue_emphasis(inline_html(str(text))))
        self.env.filters["css_string"] = css_string
        self.env.filters["balanced_rows"] = balanced_rows
        self.env.filters["tile_rows"] = tile_rows
        self.env.filters["tie"] = tie
        self.env.globals["asset"] = self.asset

    def asset(self, name: str) -> str:
        """The file:// URL of a file on the template search path (fonts, images)."""
        for folder in self.folders:
            candidate = (folder / name).resolve()
            if candidate.is_relative_to(folder) and candidate.is_file():
                return candidate.as_uri()
        raise CallError(
            f"asset '{name}' not found in the template search path: "
            + ", ".join(str(f) for f in self.folders)
        )

    def html(self, template: str, context: dict[str, Any]) -> str:
        text = self._render(self.env, template, context)
        self.recent[text] = (template, context)
        self.recent.move_to_end(text)
        if len(self.recent) > self.RECENT:
            self.recent.popitem(last=False)
        links = list(unprintable_links(text))
        if links:
            origin = self.origin(text, template)
            raise MissionpressError(*(f"{origin.at(offset)}: link {href}: a printed page can only open web and "
                                      "mail addresses (http:, https:, mailto:) and #anchors in the document "
                                      "(write the whole web address, e.g. https://example.org/page)"
                                      for offset, href in links))
        return text

    def origin(self, html: str, template: str) -> Origin:
        """Which template file and line wrote each part of ``html``, one of the last renders.

        The template is rendered again with marks only when a message asks (see
        :mod:`generator.render.origin`); HTML this renderer did not make recently is
        named by ``template`` and its own line numbers.
        """
        made = self.recent.get(html)
        if made is None:
            return Origin(html, template, lambda: None)
        name, context = made
        return Origin(html, template, lambda: self._places(html, name, context))

    @cached_property
    def _marked(self) -> Sandbox:
        """The same environment, but templates compiled with :class:`Marks` (and cached apart)."""
        return self.env.overlay(extensions=[Marks], cache_size=50)  # type: ignore[return-value]

    def _places(self, html: str, template: str, context: dict[str, Any]) -> Places | None:
        marks = next(e for e in self._marked.extensions.values() if isinstance(e, Marks))
        try:
            marked = self._render(self._marked, template, context)
        except MissionpressError:
            return None
        text, places = Places.strip(marked, marks.files)
        return places if text == html else None

    def _render(self, env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
        try:
            return env.get_template(template).render(context)
        except jinja2.TemplateNotFound as exc:
            raise MissionpressError(
                f"template '{exc.name}' not found; looked in: "
                + ", ".join(str(f) for f in self.folders)
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            source = exc.source.splitlines()[exc.lineno - 1].strip() if exc.source else ""
            shown = f" (the line reads: {source[:117] + '...' if len(source) > 120 else source})" if source else ""
            raise MissionpressError(
                f"{shown_path(exc.filename or exc.name or 'template')}:{exc.lineno}: template syntax error: "
                f"{exc.message}{shown}"
            ) from None
        except CallError as exc:
            raise MissionpressError(*(f"{_template_location(exc)}: {p}" for p in exc.problems)) from None
        except MissionpressError:
            raise
        except Exception as exc:  # any error a template's own code raises (undefined, 1/0, sandbox...)
            raise MissionpressError(f"{_template_location(exc)}: {type(exc).__name__}: {exc}") from None


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,;:!?'-_()/" else f"\\{ord(c):x} " for c in str(text))
    return Markup(f'"{escaped}"')


def _template_location(exc: BaseException) -> str:
    """``file:line`` of the innermost template frame of a rendering error."""
    tb = exc.__traceback__
    found = "template"
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith((".html", ".css", ".xml")):
            found = f"{shown_path(code.co_filename)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found

