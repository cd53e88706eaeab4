"""Poster layouts: a layout is a template (and the CSS it includes) on the search path.

``classic`` is ``poster.html``; any other layout NAME is ``poster-NAME.html``,
so a ``--templates`` folder can override a built-in layout file by file or add
a layout of its own.  The built-ins are ``classic`` (a reading page: masthead,
two columns) and ``showcase`` (made for the wall: the vision as the hero, the
goals in a grid of numbered tiles, the values as a band).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from generator.errors import MissionpressError

CLASSIC = "classic"
NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


def template(layout: str, folders: Sequence[Path]) -> str:
    """The template of a poster layout, or an error listing the layouts there are."""
    name = "poster.html" if layout == CLASSIC else f"poster-{layout}.html"
    if not NAME.match(layout) or not any((folder / name).is_file() for folder in folders):
        raise MissionpressError(
            f"--layout {layout}: no such poster layout (layouts: {', '.join(available(folders))}; a layout "
            f"NAME is a template poster-NAME.html in a --templates folder)")
    return name


def available(folders: Sequence[Path]) -> list[str]:
    """Every poster layout on the template search path, classic first."""
    found = {p.name[len("poster-"):-len(".html")] for folder in folders for p in folder.glob("poster-*.html")}
    return [CLASSIC, *sorted(n for n in found if NAME.match(n) and n != CLASSIC)]
