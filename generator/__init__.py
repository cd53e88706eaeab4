"""missionpress: an organization's statement, from one content folder, into print.

The pipeline: content -> context -> template -> HTML -> PDF (WeasyPrint) / DOCX (python-docx).

The public Python API (see docs/python-api.md)::

    import generator as mp

    project = mp.Project("content")                    # a content folder (mp.Project() is the built-in sample)
    mp.build(mp.Request("poster", size="24x36"), project, out="output")
    mp.build(mp.Request("onboarding", roster="content/roster.csv", formats=("pdf",)), project, out="output")
    assert mp.check_files(["output"]).ok()

Names are loaded when first used, so ``import generator`` is quick and has no side effects.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["MissionpressError", "PrintOptions", "Project", "Report", "Request", "build", "check_files"]

_WHERE = {
    "MissionpressError": "generator.errors",
    "PrintOptions": "generator.pdf.printing",
    "Project": "generator.documents.project",
    "Report": "generator.check.run",
    "Request": "generator.documents.request",
    "build": "generator.documents.build",
    "check_files": "generator.check.run:check_paths",  # not `check`: that is the subpackage's name
}

if TYPE_CHECKING:
    from generator.check.run import Report
    from generator.check.run import check_paths as check_files
    from generator.documents.build import build
    from generator.documents.project import Project
    from generator.documents.request import Request
    from generator.errors import MissionpressError
    from generator.pdf.printing import PrintOptions


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'generator' has no attribute {name!r}")
    module, _, attribute = _WHERE[name].partition(":")
    return getattr(import_module(module), attribute or name)
