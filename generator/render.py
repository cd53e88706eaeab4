"""Stage 3: context + template -> one HTML string.

A sandboxed Jinja environment with autoescaping on and undefined variables as
errors.  Templates are found on a search path: the user's ``--templates``
folder first, then the built-in templates, so a user overrides the built-ins
file by file (CSS files too: templates include them through the same loader).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .content import inline_html
from .errors import MissionpressError
from .paths import BUILTIN_TEMPLATES


def search_path(templates: Path | None) -> list[Path]:
    """The template folders in lookup order: the user's, then the built-ins."""
    path = []
    if templates is not None:
        if not templates.is_dir():
            raise MissionpressError(f"--templates {templates}: no such folder")
        path.append(templates.resolve())
    path.append(BUILTIN_TEMPLATES.resolve())
    return path


class Renderer:
    """Renders document templates found on a search path."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)
        self.env = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(f) for f in self.folders]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["inline"] = lambda text: Markup(inline_html(str(text)))
        self.env.filters["css_string"] = css_string
        self.env.globals["asset"] = self.asset

    def asset(self, name: str) -> str:
        """The file:// URL of a file on the template search path (fonts, images)."""
        for folder in self.folders:
            candidate = (folder / name).resolve()
            if candidate.is_relative_to(folder) and candidate.is_file():
                return candidate.as_uri()
        raise MissionpressError(
            f"asset '{name}' not found in the template search path: "
            + ", ".join(str(f) for f in self.folders)
        )

    def html(self, template: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateNotFound as exc:
            raise MissionpressError(
                f"template '{exc.name}' not found; looked in: "
                + ", ".join(str(f) for f in self.folders)
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise MissionpressError(
                f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
                + (f"\n    {exc.source.splitlines()[exc.lineno - 1].strip()}" if exc.source else "")
            ) from None
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError) as exc:
            raise MissionpressError(f"{_template_location(exc)}: {exc}") from None


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
            found = f"{code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
