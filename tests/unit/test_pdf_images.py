"""Images read once per project: a picture that cannot be shown fails every time, not only the first."""

from __future__ import annotations

from typing import Any

import pytest

from generator.errors import MissionpressError
from generator.paths import BUILTIN_TEMPLATES
from generator.pdf import writer

BROKEN = '<html lang="en"><title>T</title><body><img src="data:image/png;base64,iVBORw0KGgo=" alt="x"></body></html>'
PICTURE = ('<html lang="en"><title>T</title><body><img alt="x" src="data:image/png;base64,'
           'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="></body></html>')
SVG = '<html lang="en"><title>T</title><body><img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/%3E" alt="x"></body></html>'  # noqa: E501


def test_a_broken_image_fails_each_layout_that_shares_the_image_cache() -> None:
    images: dict[str, Any] = {}
    for _ in range(2):
        with pytest.raises(MissionpressError, match="cannot be shown"):
            writer.render(BROKEN, base=BUILTIN_TEMPLATES, allowed=[BUILTIN_TEMPLATES], template="t.html", images=images)
    assert images == {}


def test_an_image_that_loads_is_decoded_once_for_every_layout() -> None:
    images: dict[str, Any] = {}
    writer.render(PICTURE, base=BUILTIN_TEMPLATES, allowed=[BUILTIN_TEMPLATES], template="t.html", images=images)
    kept = dict(images)
    assert any(type(image).__name__ == "RasterImage" for image in kept.values())
    writer.render(PICTURE, base=BUILTIN_TEMPLATES, allowed=[BUILTIN_TEMPLATES], template="t.html", images=images)
    assert images.keys() == kept.keys() and all(images[key] is kept[key] for key in kept)


def test_an_svg_image_is_not_kept() -> None:
    """An SVG fetches what it names as it is drawn: kept, its refusals would reach another layout's fetcher."""
    images: dict[str, Any] = {}
    writer.render(SVG, base=BUILTIN_TEMPLATES, allowed=[BUILTIN_TEMPLATES], template="t.html", images=images)
    assert not [image for image in images.values() if type(image).__name__ == "SVGImage"]
