"""Entry point: parse flags, call the library, report.

The CLI is thin: it turns flags into build requests, shows progress, and
turns the one user-error type into a message on stderr and exit status 2.
A traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from .errors import MissionpressError
from .pages import SIZES

log = logging.getLogger("generator")

DESCRIPTION = """\
Turn an organization's statement (vision, mission, goals, values) into print:
a one-page poster as a tagged PDF, and an editable Word handout of it.

Content lives in a folder (statement.yaml, theme.yaml, documents.yaml);
templates are Jinja HTML files with CSS, overridable file by file."""

EPILOG = """\
examples:
  missionpress build                         every default document (content/documents.yaml)
  missionpress build poster --size 24x36     a 24x36 in poster as PDF
  missionpress build poster --size A3 --orientation landscape --format all
  missionpress build poster --format docx    the Word handout (letter)
  missionpress build poster --templates my-templates --format html
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="missionpress", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and layout details")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build", help="build documents into the output folder",
        description="Build one document, or with no DOCUMENT every default document "
        "listed in the content folder's documents.yaml.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("document", nargs="?", choices=["poster", "handbook"],
                       help="what to build (default: every document in documents.yaml)")
    build.add_argument("--size", default="letter", metavar="SIZE",
                       help=f"page size: {', '.join(SIZES)} (default: letter)")
    build.add_argument("--orientation", choices=["portrait", "landscape"], default="portrait",
                       help="page orientation (default: portrait)")
    build.add_argument("--format", choices=["pdf", "docx", "html", "all"], default="pdf",
                       help="pdf (print), docx (editable Word handout, pages up to 22 in), "
                       "html (what the writers read, for template debugging), or all (default: pdf)")
    build.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                       help="output folder (default: ./output)")
    build.add_argument("--content", type=Path, default=None, metavar="DIR",
                       help="content folder (default: ./content if it holds statement.yaml, "
                       "else the built-in UNM HSC sample)")
    build.add_argument("--templates", type=Path, default=None, metavar="DIR",
                       help="folder whose templates and css/ files override the built-ins, file by file")
    return parser


def _content_folder(given: Path | None) -> Path:
    from .paths import BUILTIN_CONTENT

    if given is not None:
        if not (given / "statement.yaml").is_file():
            raise MissionpressError(f"--content {given}: no statement.yaml in that folder")
        return given
    local = Path("content")
    return local if (local / "statement.yaml").is_file() else BUILTIN_CONTENT


def _build(args: argparse.Namespace) -> int:
    from .build import FORMATS, Project, Request, build, default_requests
    from .output import prepare_folder
    from .pages import size_name

    project = Project(_content_folder(args.content), args.templates)
    out = prepare_folder(args.out)
    if args.document is None:
        requests = default_requests(project)
    else:
        formats = FORMATS if args.format == "all" else (args.format,)
        requests = [Request(args.document, size_name(args.size), args.orientation, formats)]
    started = time.monotonic()
    written = []
    for number, request in enumerate(requests, 1):
        log.info("[%d/%d] %s %s %s", number, len(requests), request.document, request.size,
                 "+".join(request.formats))
        written += build(request, project, out)
    log.info("built %d file%s in %s (%.1f s)", len(written), "" if len(written) == 1 else "s",
             out, time.monotonic() - started)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = logging.WARNING if args.quiet else logging.DEBUG if args.debug else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False
    try:
        return _build(args)
    except MissionpressError as error:
        if args.debug:
            raise
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("interrupted: no half-written file was left behind", file=sys.stderr)
        return 130
