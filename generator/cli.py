"""Entry point: parse flags, call the library, report.

The CLI is thin: it turns flags into build requests, shows progress, and
turns the one user-error type into a message on stderr and exit status 2.
A traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, NoReturn, TextIO

from generator import collector
from generator.content.pages import SIZES
from generator.errors import MissionpressError, printable
from generator.pdf.printing import PrintOptions, parse_length

log = logging.getLogger("generator")

DESCRIPTION = """\
Turn an organization's statement (vision, mission, goals, values) into print, as
tagged PDF and editable Word: one-page posters, a handbook, and a personalized
onboarding packet for each person on a roster.

Content lives in a folder (statement.yaml, theme.yaml, documents.yaml);
templates are Jinja HTML files with CSS, overridable file by file."""

EPILOG = """\
examples:
  missionpress init acme --name "Acme Community Health"   a content folder to start from
  missionpress build --content acme          every document that folder's documents.yaml lists
  missionpress build                         every default document (content/documents.yaml)
  missionpress build poster --size 24x36     a 24x36 in poster as PDF
  missionpress build poster --size 24x36 --layout showcase   the layout made for the wall
  missionpress build poster --size A3 --orientation landscape --format all
  missionpress build poster --format docx    the Word handout (letter)
  missionpress build poster --templates my-templates --format html
  missionpress build poster --size 24x36 --bleed 0.125in --marks crop --pdf-variant x-4 --icc-profile shop.icc
  missionpress build handbook --size A4
  missionpress build onboarding --roster new-hires.xlsx --combined
  missionpress build onboarding --roster new-hires.csv --only "José Ñúñez" --format pdf
  missionpress serve                         the same in a web page, with a live preview
  missionpress collect returned/ --out report.xlsx   the filled-in packets people sent back, in one report
"""


class _Shown(argparse.Action):
    """A flag that prints a text and exits (--version, build --help), the text made only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, text: Any, help: str | None = None) -> None:
        super().__init__(option_strings, argparse.SUPPRESS, nargs=0, default=argparse.SUPPRESS, help=help)
        self.text = text

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, *_: Any) -> None:
        parser._print_message(self.text(parser, namespace), sys.stdout)  # noqa: SLF001  (as argparse's own --version)
        parser.exit()


def _version(*_: Any) -> str:
    """``missionpress --version``: ours, and the versions of the writers and the Python it runs with."""
    import platform
    from importlib import metadata

    from generator import __version__

    def of(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (f"missionpress {__version__} (WeasyPrint {of('weasyprint')}, python-docx {of('python-docx')}, "
            f"Python {platform.python_version()})\n")


def _build_help(parser: argparse.ArgumentParser, given: argparse.Namespace) -> str:
    """``build --help``, with the sizes, languages and layouts there are, read from where they are defined.

    The languages are those of the content folder (``--content`` if given before ``--help``), the
    layouts those of the built-in templates and of ``--templates``.
    """
    from generator.content import i18n
    from generator.documents import layouts
    from generator.documents.request import HANDBOOK_SIZES
    from generator.paths import BUILTIN_CONTENT, BUILTIN_TEMPLATES, default_content

    content = getattr(given, "content", None) or default_content()
    where = "the built-in sample" if content == BUILTIN_CONTENT else f"{content}/"
    languages = i18n.available(content)
    folders = [f for f in (getattr(given, "templates", None), BUILTIN_TEMPLATES) if f and f.is_dir()]
    parser.epilog = (
        "to choose from:\n"
        f"  sizes      {', '.join(SIZES)} (a handbook: {' or '.join(HANDBOOK_SIZES)})\n"
        f"  languages  {', '.join(languages)}, those {where} has a statement in;\n"
        f"             join them with + for several in one document: {'+'.join(languages)}\n"
        f"  layouts    {', '.join(layouts.available(folders))} (posters; a --templates folder adds a\n"
        "             layout NAME as poster-NAME.html)\n\n" + EPILOG)
    return parser.format_help()


def _common(parser: argparse.ArgumentParser, default: object) -> None:
    """--debug and --quiet, accepted before or after the command."""
    parser.add_argument("--debug", action="store_true", default=default, help="show tracebacks and layout details")
    parser.add_argument("-q", "--quiet", action="store_true", default=default, help="print only warnings and errors")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="missionpress", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser, False)
    parser.add_argument("--version", action=_Shown, text=_version, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build", help="build documents into the output folder",
        description="Build one document, or with no DOCUMENT every default document "
        "listed in the content folder's documents.yaml.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter, add_help=False,
    )
    build.add_argument("-h", "--help", action=_Shown, text=_build_help, help="show this help message and exit")
    _common(build, argparse.SUPPRESS)
    build.add_argument("document", nargs="?", choices=["poster", "handbook", "onboarding"],
                       help="what to build (default: every document in documents.yaml)")
    build.add_argument("--size", default="letter", metavar="SIZE",
                       help=f"page size: {', '.join(SIZES)} (default: letter)")
    build.add_argument("--orientation", choices=["portrait", "landscape"], default="portrait",
                       help="page orientation (default: portrait)")
    build.add_argument("--format", choices=["pdf", "docx", "html", "all"], default=None,
                       help="pdf (print), docx (editable Word; a poster's is a handout, pages up to 22 in), "
                       "html (what the writers read, for template debugging), or all "
                       "(default: pdf for a poster, pdf and docx for a handbook or onboarding packets)")
    build.add_argument("--lang", default="en", metavar="LANG",
                       help="language of the document: en, es, or en+es for both in one document "
                       "(default: en; a language is a content file, e.g. content/statement.es.yaml)")
    build.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                       help="output folder (default: ./output)")
    build.add_argument("--content", type=Path, default=None, metavar="DIR",
                       help="content folder (default: ./content if it holds statement.yaml, "
                       "else the built-in UNM HSC sample)")
    build.add_argument("--templates", type=Path, default=None, metavar="DIR",
                       help="folder whose templates and css/ files override the built-ins, file by file")
    init = commands.add_parser(
        "init", help="start a content folder for your organization",
        description="Write a content folder to start from: statement.yaml with every field commented, "
        "theme.yaml, documents.yaml, a logo placeholder, a two-row sample roster, and handbook and onboarding "
        "stubs. Text to replace is marked [REPLACE: ...] and `build` warns while any is left. Existing files "
        "are never overwritten.",
        epilog="example:\n  missionpress init acme --name \"Acme Community Health\" --short-name Acme --lang en+es\n"
        "  missionpress build --content acme",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(init, argparse.SUPPRESS)
    init.add_argument("folder", type=Path, metavar="DIR", help="the folder to create (or an empty one)")
    init.add_argument("--name", default="Your Organization", help="the organization's full name")
    init.add_argument("--short-name", metavar="NAME", help="the name people say, used in titles "
                      "(default: the initials of --name)")
    init.add_argument("--lang", default="en", choices=["en", "es", "en+es"],
                      help="languages to write content for (default: en)")

    check = commands.add_parser(
        "check", help="check PDFs and Word files for accessibility and print readiness",
        description="Check every PDF and DOCX under the given paths (default: output/): tags, language, "
        "title, embedded fonts, heading levels, alt text, page count and size, contrast, table headers, "
        "and that a PDF and the DOCX made from the same document carry the same text. Works on files "
        "missionpress did not make. One line per file and rule failed; exit status 1 if any failed.")
    _common(check, argparse.SUPPRESS)
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: output)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")

    gaps = commands.add_parser(
        "check-content", help="list missing translations across languages",
        description="List, for every language with a statement file, the content files and template "
        "labels that have no translation yet. Exit status 1 when anything is missing.")
    _common(gaps, argparse.SUPPRESS)
    gaps.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder")
    gaps.add_argument("--templates", type=Path, default=None, metavar="DIR", help="template folder")

    _serve_parser(commands)
    _collect_parser(commands)

    shop = build.add_argument_group("posters for a print shop")
    shop.add_argument("--bleed", metavar="LENGTH",
                      help="extend the background past the trim by LENGTH on every side (0.125in in the US, "
                      "3mm for ISO sizes) and set the TrimBox and BleedBox")
    shop.add_argument("--marks", metavar="KIND", help="printer's marks: crop, cross, or crop,cross")
    shop.add_argument("--pdf-variant", choices=["ua-1", "x-4", "a-2b"], default="ua-1",
                      help="ua-1: tagged, accessible (default; for screens and office printers); x-4: PDF/X-4 "
                      "for the print shop (needs --icc-profile); a-2b: PDF/A-2b for archiving. All stay tagged.")
    shop.add_argument("--icc-profile", type=Path, metavar="FILE",
                      help="the print shop's CMYK output profile (.icc), for --pdf-variant x-4")

    build.add_argument("--layout", default="classic", metavar="NAME",
                       help="poster layout: classic (default; a reading page) or showcase (made for the wall: the "
                       "vision large, the goals in numbered tiles, the values as a band); NAME may also be a "
                       "layout of your --templates folder (poster-NAME.html)")
    build.add_argument("--check", action="store_true",
                       help="check what was just built (as `missionpress check`) and fail the build on a failure")

    packets = build.add_argument_group("onboarding packets")
    packets.add_argument("--roster", type=Path, metavar="FILE",
                         help="the people: a .csv (UTF-8 or Excel's Windows-1252) or .xlsx with a 'name' column "
                         "and optional preferred_name, role, department, start_date, supervisor, email, language")
    packets.add_argument("--only", metavar="NAME", help="build only this person's packet (name or preferred name)")
    packets.add_argument("--jobs", type=_positive, metavar="N",
                         help="worker processes (default: one per core, at most one for every 8 packets)")
    packets.add_argument("--combined", action="store_true",
                         help="also write output/onboarding-all.pdf: every packet, each starting on an odd page "
                         "for duplex printing")
    packets.add_argument("--skip-invalid", action="store_true",
                         help="build the valid rows and report the invalid ones (default: build nothing "
                         "when any row is invalid)")
    return parser


COLLECT_EPILOG = """\
examples:
  missionpress collect returned/                      the report as CSV, on the screen
  missionpress collect returned/ --out report.xlsx    the report as an Excel workbook
  missionpress collect a.pdf b.docx --packets output/onboarding
"""


def _collect_parser(commands: Any) -> None:
    collect = commands.add_parser(
        "collect", help="read filled-in onboarding packets back into one report",
        description="Read the onboarding packets new hires returned (PDF and Word, files or folders) and "
        "report one row per packet: packet, name, language, tasks_done, tasks_total, date, signature "
        "(digital, typed or missing), signer, integrity (valid, modified after signing, invalid, or empty when "
        "unsigned) and status (complete, incomplete, not a packet). A digital signature is checked for "
        "integrity only: no certificate is trusted, and signer is the name the certificate claims. "
        "Exit status 1 when any packet is not complete.",
        epilog=COLLECT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(collect, argparse.SUPPRESS)
    collect.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="returned files, or folders of them")
    collect.add_argument("--out", type=Path, metavar="FILE",
                         help="write the report to FILE, .csv or .xlsx (default: CSV on standard output)")
    collect.add_argument("--packets", type=Path, metavar="DIR",
                         help="the folder the packets were built into: an id not built there is not a packet "
                         "(default: output/onboarding, when it exists)")


def _collect(args: argparse.Namespace) -> int:
    from generator.check.collect import collect, known_packets
    from generator.names import PACKET_FOLDER

    if args.out is not None and args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise MissionpressError(f"out {args.out}: name a .csv or .xlsx file", field="out")
    folder = args.packets or Path("output") / PACKET_FOLDER
    known = known_packets(folder)
    if known is None and args.packets is not None:
        raise MissionpressError(f"packets {folder}: no packets were built there (no .manifest.json); give the "
                                "folder `build onboarding` wrote them to", field="packets")
    collection = collect(args.paths, known)
    stream = sys.stdout if args.out is not None else sys.stderr
    if args.out is None:
        sys.stdout.write(collection.csv())
    else:
        from generator.output import atomic_write

        atomic_write(args.out, collection.xlsx() if args.out.suffix.lower() == ".xlsx"
                     else collection.csv().encode("utf-8"))
    for row in collection.rows:
        if row.reason:
            print(printable(f"{row.path}: {row.status}: {row.reason}"), file=stream)
    print(collection.summary() + (f" (report: {args.out})" if args.out else ""), file=stream)
    return 0 if collection.ok() else 1


SERVE_EPILOG = """\
examples:
  missionpress serve                          open http://127.0.0.1:8000/ in a browser
  missionpress serve --templates mine --open  edit mine/ and watch the preview follow each save
  missionpress serve --port 8080 --content ../our-content
  missionpress serve --icc-profile GRACoL.icc  also offer posters as PDF/X-4 for that print shop

The server makes its previews and downloads in a temporary folder of its own (named at start-up,
deleted when it stops): it never writes into the output folder of `missionpress build`.
"""


def _serve_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve", help="a web page for making documents, with a live preview",
        description="Start a web app on this computer: make posters, Word handouts and the handbook, "
        "onboarding packets from an uploaded roster, and check any PDF or Word file, from a browser. "
        "Every saved change to the content or template folders rebuilds the preview at once. "
        "Scripts can use the same HTTP API (see the README).",
        epilog=SERVE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(serve, argparse.SUPPRESS)
    serve.add_argument("--content", type=Path, default=None, metavar="DIR", help="content folder (as for build)")
    serve.add_argument("--templates", type=Path, default=None, metavar="DIR",
                       help="folder whose templates and css/ files override the built-ins, watched for changes")
    serve.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                       help="the output folder of `missionpress build` (default: ./output), only read: the "
                       "Collect page knows the packets made there; the server never writes into it")
    serve.add_argument("--icc-profile", type=Path, metavar="FILE",
                       help="the print shop's CMYK output profile (.icc): the poster page then also offers the "
                       "print-shop PDF as PDF/X-4")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; any other "
                       "address lets others on that network use it)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the page in the default browser")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, not {text!r}")
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    from generator.documents.project import Project
    from generator.paths import default_content
    from generator.serve.app import Config
    from generator.serve.server import run

    project = Project(args.content or default_content(), args.templates)  # both folders checked now
    if args.icc_profile is not None:
        PrintOptions(variant="x-4", profile=args.icc_profile)  # checked now, not at the first download
    config = Config(project.content, project.templates, args.out, args.host, args.port, profile=args.icc_profile)
    return run(config, open_browser=args.open)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:  # how many is the Request's to judge
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return int(text)


class Progress:
    """A progress bar on a terminal, plain lines otherwise."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr  # the stderr of now, not of when this module was imported
        self.tty = self.stream.isatty()
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, name: str) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        if not self.tty:
            log.info("[%d/%d] %s", done, total, name)
            return
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:.1f}/s ")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def _build(args: argparse.Namespace) -> int:
    from generator.output import build_date

    build_date()  # a bad SOURCE_DATE_EPOCH is refused before fontconfig reads it and complains on stderr
    from generator.documents.build import build
    from generator.documents.project import Project
    from generator.documents.request import FORMATS, Request
    from generator.paths import default_content

    project = Project(args.content or default_content(), args.templates)
    if args.document is None:
        given = [flag for flag, value, default in _document_flags(args) if value != default]
        if given:
            raise MissionpressError(f"{', '.join(given)}: name the document these are for (e.g. missionpress "
                                    "build poster ...); with no document, build makes what documents.yaml lists")
        requests = project.requests()
    else:
        formats = FORMATS if args.format == "all" else (args.format,) if args.format else ()
        requests = [Request(args.document, args.size, args.orientation, formats, args.lang,
                            roster=args.roster, only=args.only, jobs=args.jobs, combined=args.combined,
                            skip_invalid=args.skip_invalid, print_options=_print_options(args),
                            layout=args.layout)]
    written = build(requests, project, args.out, Progress())
    if args.check:
        return _report(_run_check([p for p in written if p.suffix in (".pdf", ".docx")]), as_json=False)
    return 0


def _init(args: argparse.Namespace) -> int:
    from generator.documents import scaffold

    written = scaffold.init(args.folder, args.name, args.short_name, args.lang)
    for path in written:
        log.info("wrote %s", path)
    log.info("next: replace each [REPLACE: ...] in %s, put your logo in logo.svg (and logo.png for Word), "
             "then: missionpress build --content %s", args.folder, args.folder)
    return 0


def _run_check(paths: list[Path]) -> Any:
    from generator.check.run import check_paths

    return check_paths(paths)


def _report(report: Any, as_json: bool) -> int:
    if as_json:
        print(report.to_json())
    else:
        for failure in report.failures:
            print(printable(str(failure)))
        for path, why in report.skipped:
            print(printable(f"{path}: {why}"))
        failed = len({f.path for f in report.failures if not f.warning})
        warnings = sum(f.warning for f in report.failures)
        skipped = f", {len(report.skipped)} not checked" if report.skipped else ""
        print(f"checked {len(report.checked)} file{'' if len(report.checked) == 1 else 's'}: "
              f"{len(report.checked) - failed} passed, {failed} failed{skipped}"
              + (f" ({warnings} warning{'' if warnings == 1 else 's'})" if warnings else ""))
    return 0 if report.ok() else 1


def _check(args: argparse.Namespace) -> int:
    return _report(_run_check(args.paths or [Path("output")]), as_json=args.json)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (tests capture it)."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


class _SafeFormatter(logging.Formatter):
    """Log lines with control characters escaped: names and cells come from files.  A traceback (the
    server's log of its own failure) keeps its lines, each escaped."""

    def format(self, record: logging.LogRecord) -> str:
        exc_info, exc_text, stack_info = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            text = printable(super().format(record))
        finally:
            record.exc_info, record.exc_text, record.stack_info = exc_info, exc_text, stack_info
        details = self.formatException(exc_info) if exc_info else exc_text
        if stack_info:
            details = f"{details or ''}\n{self.formatStack(stack_info)}".strip("\n")
        return text + "".join(f"\n{printable(line)}" for line in (details or "").splitlines())


def _log_to_stderr(level: int) -> None:
    handler = _StderrHandler()
    handler.setFormatter(_SafeFormatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False


def _check_content(args: argparse.Namespace) -> int:
    from generator.content.i18n import available, content_gaps
    from generator.documents.project import Project
    from generator.paths import default_content
    from generator.render.templates import search_path

    content = Project(args.content or default_content(), args.templates).content
    gaps = content_gaps(content, search_path(args.templates))
    for gap in gaps:
        print(printable(gap))
    languages = ", ".join(available(content))
    print(f"{len(gaps)} gap{'' if len(gaps) == 1 else 's'} in {content} (languages: {languages})")
    return 1 if gaps else 0


def _document_flags(args: argparse.Namespace) -> list[tuple[str, object, object]]:
    """(flag, value given, default) of the flags that describe one document."""
    return [("--size", args.size, "letter"), ("--orientation", args.orientation, "portrait"),
            ("--format", args.format, None), ("--lang", args.lang, "en"), ("--bleed", args.bleed, None),
            ("--marks", args.marks, None), ("--pdf-variant", args.pdf_variant, "ua-1"),
            ("--icc-profile", args.icc_profile, None), ("--roster", args.roster, None), ("--only", args.only, None),
            ("--combined", args.combined, False), ("--skip-invalid", args.skip_invalid, False),
            ("--layout", args.layout, "classic")]


def _print_options(args: argparse.Namespace) -> PrintOptions:
    marks = tuple(m.strip() for m in args.marks.split(",")) if args.marks else ()
    bleed = parse_length(args.bleed) if args.bleed else 0.0
    return PrintOptions(bleed, marks, args.pdf_variant, args.icc_profile)


def _unexpected(error: Exception) -> str:
    """One line for an error that is not a known user mistake."""
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(error, OSError):
        name = f"{error.filename}: " if error.filename else ""
        return f"{name}{error.strerror or error} (check the path, the free disk space and your permissions)"
    if isinstance(error, (MemoryError, BrokenProcessPool)):
        return ("ran out of memory, or a worker process was killed (build fewer packets at once with --jobs 1, "
                "or check the input for oversized values)")
    return (f"unexpected {type(error).__name__}: {error} (this is a bug in missionpress; run again with --debug "
            "for the details and report it)")


COMMANDS = {"build": _build, "init": _init, "check": _check, "check-content": _check_content, "serve": _serve,
            "collect": _collect}

# The library names the field of a request at fault; a person at the terminal knows it by its flag.
FLAGS = {"document": "DOCUMENT", "formats": "--format", "print_options": "--bleed/--marks/--pdf-variant",
         "variant": "--pdf-variant", "profile": "--icc-profile"}


def _as_flag(problem: str, field: str | None) -> str:
    if not field or not problem.startswith(field):
        return problem
    return FLAGS.get(field, "--" + field.replace("_", "-")) + problem[len(field):]


def run() -> NoReturn:
    """The ``missionpress`` command: :func:`main`, then the process ends without the interpreter's teardown.

    Python's own shutdown frees the objects left one by one, after collecting them all once more: a
    quarter of a second after a poster is written (its layout is hundreds of thousands of objects),
    about as long as the poster's second layout. By then every file is written and closed and every
    worker has ended; the streams are flushed and the exit handlers run, as at any exit. With a
    thread still running (which Python would wait for), the usual exit is taken.
    """
    status = main()
    if any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        sys.exit(status)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`) or a closed stream
            stream.flush()
    atexit._run_exitfuncs()  # noqa: SLF001  (what Python runs at exit: multiprocessing's, for one)
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():  # kill: stop as cleanly as Ctrl-C
        from generator.output import stop_on

        stop_on(signal.SIGTERM, signal.SIGINT)
    level = logging.WARNING if args.quiet else logging.DEBUG if args.debug else logging.INFO
    _log_to_stderr(level)
    try:
        with collector.collecting_less(args.command != "serve"):  # a server lives on: Python's default
            return COMMANDS[args.command](args)
    except MissionpressError as error:
        if args.debug:
            raise
        for problem in error.problems:
            print(f"error: {_as_flag(problem, error.field)}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("interrupted: no half-written file was left behind", file=sys.stderr)
        return 130
    except Exception as error:  # never a traceback: one line, and --debug for the whole story
        if args.debug:
            raise
        print(f"error: {printable(_unexpected(error))}", file=sys.stderr)
        return 2 if isinstance(error, OSError) else 70
    finally:
        for handler in [h for h in log.handlers if isinstance(h, _StderrHandler)]:
            log.removeHandler(handler)
