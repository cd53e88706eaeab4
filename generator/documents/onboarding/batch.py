"""Onboarding packets in batch: one per person, on all cores, incremental, resumable.

The pages that are the same for everyone are laid out and written once (by
this process, before the workers are forked from it; where workers cannot be
forks, once in each), then for each person a worker lays out and writes only
that person's pages and splices the shared pages into them
(:mod:`generator.pdf.merge`), so a packet costs its personal pages, not all of
them.  Workers return each packet's files and this process, otherwise idle,
writes them (so the wait for the disk is not a worker's).  Every file is
written atomically; a manifest records, per packet, a digest of everything it
was made from, so a second run rebuilds only what changed and a run after an
interruption finishes the rest.  The manifest also records which roster each
packet was made from, so building the same roster again removes the packets of
people no longer on it (and nothing else).  Workers exit on their own when the
process that started them dies.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__, collector
from generator.content import i18n
from generator.content.pages import IN, page
from generator.documents.onboarding.filenames import assign_stems, safe_join
from generator.documents.onboarding.manifest import Manifest, remove_departed
from generator.documents.onboarding.numbers import PageNumbers, footer_css
from generator.documents.onboarding.roster import Recipient
from generator.documents.parallel import can_fork
from generator.documents.project import Project
from generator.errors import MissionpressError, bad_value
from generator.names import COMBINED_PACKETS
from generator.output import adopt_run, atomic_write, build_date, run_tag
from generator.render import context
from generator.render.typeset import tie_blocks

if TYPE_CHECKING:
    from generator.docx.shared import SharedBlocks

log = logging.getLogger(__name__)

PACKET_MARGIN = 0.9 * IN
ALL_PARTS = ("personal", "shared")
TEMPLATE = "onboarding.html"
BACK_ANCHOR = "acknowledgment"
PACKETS_PER_WORKER = 8  # fewer packets than this per fresh worker are made in the calling process
PACKETS_PER_FORK = 2  # the same for a worker forked from the calling process (it starts at once)
WORD_COST = 8  # a PDF packet costs about as much as this many Word-only ones: a worker pays off for more of those
WORD_FIRST = 2  # Word only: packets of each language made before forking (a shared block is copied from the 3rd)


@dataclass(frozen=True)
class Settings:
    """What every packet of a batch shares; picklable, sent once to each worker."""

    project: Project
    folder: Path
    size: str = "letter"
    formats: tuple[str, ...] = ("pdf", "docx")
    orientation: str = "portrait"
    run: str = field(default_factory=run_tag)  # the tag of this run's temporary files
    parent: int = field(default_factory=os.getpid)  # workers exit when this process is gone


class Packer:
    """Makes the files of packets in one language (or pair of languages)."""

    def __init__(self, settings: Settings, project: Project, lang: str) -> None:
        self.settings = settings
        self.project = project
        self.editions = project.editions(i18n.parse(lang), packet=True)
        self.sheet = page(settings.size, settings.orientation, margin=PACKET_MARGIN)
        _ = self.editions[0].labels
        self.numbers = PageNumbers(lambda: self.shared_html,
                                   footer_css(self.editions[0].organization.name, _("Page"), _("of")),
                                   lambda html: project.layout(html, TEMPLATE))

    def html(self, person: Recipient | None, parts: tuple[str, ...] = ALL_PARTS, word: bool = False) -> str:
        """The packet's HTML, the last two words of every paragraph, item and heading tied (no line of one
        word alone, "Le damos la bienvenida, / José"); ``word`` picks the pictures Word can show."""
        art = self.project.artwork(self.editions, word)
        return str(tie_blocks(self.project.html(
            TEMPLATE, lambda: context.packet(self.editions, self.project.theme, self.sheet, person, parts, art),
            self.editions)))

    @cached_property
    def shared_html(self) -> str:
        return self.html(None, ("shared",))

    @cached_property
    def shared_pdf(self) -> bytes:
        """The pages that are the same for everyone, laid out and written once, to be spliced into each
        person's PDF (the layout is not kept: every worker forked afterwards would carry it)."""
        from generator.pdf import writer as pdf_writer  # WeasyPrint only for batches that write PDF

        return pdf_writer.write(self.project.layout(self.shared_html, TEMPLATE, fields=True))

    @cached_property
    def word_shared(self) -> SharedBlocks:
        """The Word blocks every packet has (the shared pages), written once and copied into each."""
        from generator.docx.shared import SharedBlocks  # python-docx only for batches that write Word

        return SharedBlocks()

    def personal(self, person: Recipient) -> tuple[Any, int]:
        """A person's own pages laid out, and the index where the shared pages go."""
        own = self.project.layout(self.html(person, ("personal",)), TEMPLATE, fields=True)  # its CSS parsed once
        return own, _back(own)

    def pdf(self, person: Recipient, stem: str) -> bytes:
        """A person's packet: their own pages written, the shared pages spliced in, its fields to fill in
        and sign, who it is for (the packet id ``stem``, the name, the language) in its metadata and the
        page numbers in its footer, all in one open and save of the file."""
        from generator.pdf import forms
        from generator.pdf import writer as pdf_writer

        own, back = self.personal(person)
        return pdf_writer.write_into(own, self.shared_pdf, back, forms.Mark(stem, person.name, person.language),
                                     last=self.numbers.stamp)

    def files(self, person: Recipient, stem: str) -> dict[str, bytes]:
        made: dict[str, bytes] = {}
        if "pdf" in self.settings.formats:
            made["pdf"] = self.pdf(person, stem)
        whole = self.html(person) if "html" in self.settings.formats else ""
        if "docx" in self.settings.formats:  # the same HTML but for the pictures Word can show
            made["docx"] = self.project.docx(self.html(person, word=True), self.sheet, TEMPLATE,
                                             shared=self.word_shared,
                                             properties={"packet": stem, "name": person.name,
                                                         "language": person.language})
        if "html" in self.settings.formats:
            made["html"] = whole.encode("utf-8")
        return made

    def prepare(self) -> None:
        """Make now what every packet of the batch shares (a worker forked after this starts with it)."""
        if "pdf" in self.settings.formats:
            self.shared_pdf  # noqa: B018  (a cached property: laid out and written once)

    @property
    def drafts(self) -> list[Path]:
        return [d for e in self.editions for d in e.drafts]

    def write(self, stem: str, person: Recipient) -> list[Path]:
        return save(self.settings.folder, stem, self.files(person, stem))


def save(folder: Path, stem: str, made: dict[str, bytes]) -> list[Path]:
    """Write a packet's files (suffix -> bytes) as ``folder/stem.suffix``, each atomically; their paths."""
    written = []
    for suffix, data in made.items():
        path = safe_join(folder, stem, f".{suffix}")
        atomic_write(path, data)
        written.append(path)
    return written


def _back(own: Any) -> int:
    """The index of the first personal page that follows the shared pages."""
    for i, laid_out in enumerate(own.pages):
        if BACK_ANCHOR in laid_out.anchors:
            return i
    raise MissionpressError(f"{TEMPLATE}: no element with id '{BACK_ANCHOR}' marks where the personal pages "
                            "after the shared ones begin (keep it on the acknowledgment section)")


class Packers:
    """One Packer per language a roster asks for, made when first needed; one set per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.project = settings.project
        self.by_lang: dict[str, Packer] = {}

    def __getitem__(self, lang: str) -> Packer:
        if lang not in self.by_lang:
            self.by_lang[lang] = Packer(self.settings, self.project, lang)
        return self.by_lang[lang]

    def write(self, stem: str, person: Recipient) -> list[Path]:
        return self[person.language].write(stem, person)


# --- Worker processes ----------------------------------------------------------

_packers: Packers | None = None


def _start_worker(settings: Settings, packers: Packers | None) -> None:
    """Set up a worker: ``packers`` are the parent's, prepared, when the worker is a fork of it."""
    global _packers
    # Ctrl-C goes to the whole process group: workers finish the packet in hand
    # (whole files only) and the parent stops handing out new ones.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    adopt_run(settings.run)
    if "pdf" in settings.formats:
        collector.collect_less()
    threading.Thread(target=_exit_with, args=(settings.parent,), daemon=True, name="parent-watch").start()
    _packers = packers if packers is not None else Packers(settings)


def _exit_with(parent: int, every: float = 0.5) -> None:
    """Exit this worker once ``parent`` is gone (killed with -9, it cannot tell us).

    A file being written is left as a temporary file of the run, which the
    next build into the folder removes.
    """
    while True:
        time.sleep(every)
        if not _alive(parent):
            setup = sys.modules.get("generator.pdf.setup")
            if setup is not None:
                setup.release(orphaned=True)  # the font folders it made or shares: the build cannot now
            os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or the PID now belongs to someone else
        return False
    try:  # killed but not yet reaped by its own parent: a zombie is gone too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _make(stem: str, person: Recipient) -> tuple[str, dict[str, bytes]]:
    assert _packers is not None
    return stem, _packers[person.language].files(person, stem)


# --- The batch ------------------------------------------------------------------


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # packets of people no longer on the roster
    written: list[Path] = field(default_factory=list)  # every file the batch wrote, combined file included
    combined: Path | None = None
    seconds: float = 0.0


Progress = Callable[[int, int, str], None]


def digest_inputs(settings: Settings, project: Project) -> str:
    """A digest of everything a packet is made from, other than the person's row.

    That is the templates (fonts and catalogs included), the content files packets
    use (statements, theme, onboarding/), the page and formats, and the build date
    written into Word files; not the rest of the content folder (the roster, the
    handbook), so adding a person rebuilds only that person's packet.
    """
    header = [__version__, settings.size, settings.orientation, ",".join(settings.formats), str(build_date())]
    sha = hashlib.sha256("|".join(header).encode())
    content = project.content.resolve()
    files = [(folder, p) for folder in project.renderer.folders for p in folder.rglob("*")]
    files += [(content, p) for p in [*content.glob("statement*.yaml"), content / "theme.yaml",
                                     *(content / "onboarding").rglob("*")]]
    for folder, path in sorted(files, key=lambda item: (str(item[0]), str(item[1]))):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def _packet_digest(inputs: str, person: Recipient) -> str:
    row = {k: str(v) for k, v in asdict(person).items() if k != "line"}
    return hashlib.sha256((inputs + json.dumps(row, sort_keys=True)).encode()).hexdigest()


def select(people: list[Recipient], only: str | None) -> list[Recipient]:
    if not only:
        return people
    wanted = only.casefold()
    chosen = [p for p in people if wanted in (p.name.casefold(), p.preferred_name.casefold())]
    if not chosen:
        raise bad_value("only", only, "no one of that name on the roster (give a name or "
                                "preferred name exactly as in the roster; case does not matter)")
    return chosen


def build_packets(people: list[Recipient], settings: Settings, *, jobs: int | None = None,
                  only: str | None = None, combined: bool = False,
                  progress: Progress | None = None, roster: Path | None = None,
                  complete: bool = True) -> Summary:
    """Build the packets of ``people`` that are missing or out of date.

    With ``roster`` (the file ``people`` come from) and ``complete`` (no row of
    it was skipped), packets made earlier from that roster for people no longer
    on it are removed.
    """
    started = time.monotonic()
    if settings.folder.is_symlink():
        raise MissionpressError(f"{settings.folder}: output: is a symbolic link; refusing to write through it "
                                "(replace the link with a real folder)")
    settings.folder.mkdir(parents=True, exist_ok=True)
    packers = Packers(settings)
    for lang in sorted({p.language for p in people}):  # load and check all content before any work
        i18n.warn_drafts(f"onboarding packets in '{lang}'", packers[lang].drafts)
    inputs = digest_inputs(settings, packers.project)
    stems = dict(zip(assign_stems([p.name for p in people]), people, strict=True))
    wanted = set(map(id, select(people, only)))
    manifest = Manifest(settings.folder)
    summary = Summary()
    todo: list[tuple[str, Recipient, str]] = []
    for stem, person in stems.items():
        if id(person) not in wanted:
            continue
        digest = _packet_digest(inputs, person)
        outputs = [settings.folder / f"{stem}.{fmt}" for fmt in settings.formats]
        if manifest.digest(stem) == digest and all(p.exists() for p in outputs):
            summary.unchanged.append(stem)
        else:
            todo.append((stem, person, digest))
    source = str(roster.resolve()) if roster is not None else None
    if source is not None and complete:
        summary.removed = remove_departed(manifest, settings.folder, source, set(stems))

    print_file = _PrintFile(packers, [(s, p) for s, p in stems.items() if id(p) in wanted],
                            {stem for stem, _, _ in todo}) if combined else None

    def done(stem: str, digest: str, files: list[Path]) -> None:
        earlier = manifest.packets.get(stem, {}).get("files")
        formats = sorted({*settings.formats, *(earlier if isinstance(earlier, list) else ())})
        manifest.record(stem, {"digest": digest, "roster": source, "files": formats})
        summary.built.append(stem)
        summary.written += files
        if progress:
            progress(len(summary.built), len(todo), stem)
        if time.monotonic() - manifest.saved > 2:
            manifest.save()
        if print_file:
            print_file.made(stem)

    with print_file or contextlib.nullcontext():
        try:
            _run(todo, settings, packers, jobs, done)
        finally:
            manifest.save()
        if print_file:
            summary.combined = print_file.write()
            summary.written.append(summary.combined)
    summary.seconds = time.monotonic() - started
    return summary


def _run(todo: list[tuple[str, Recipient, str]], settings: Settings, packers: Packers, jobs: int | None,
         done: Callable[[str, str, list[Path]], None]) -> None:
    """Make the packets of ``todo``: ``jobs`` worker processes, or by default one per core.

    Where it is safe (Linux, no other thread in this process) workers are forks of
    this process, made once it has laid out and written the pages every packet
    shares: they start at once with those pages (and WeasyPrint loaded, the
    stylesheet parsed, the fonts set up), and nothing is done twice.  Elsewhere
    they start from a fresh process that has imported the pipeline
    (``forkserver``) and each lays out the shared pages itself; a worker is then
    started only for every few packets, as long as it takes to start one.
    """
    forking = can_fork()
    if jobs is None:
        per_worker = (PACKETS_PER_FORK if forking else PACKETS_PER_WORKER) * (1 if "pdf" in settings.formats
                                                                              else WORD_COST)
        jobs = min(os.cpu_count() or 1, len(todo) // per_worker)
    workers = min(jobs, len(todo))
    if workers <= 1:
        with collector.collecting_less("pdf" in settings.formats):
            for stem, person, digest in todo:
                done(stem, digest, packers.write(stem, person))
        return
    if forking:
        for lang in sorted({person.language for _, person, _ in todo}):
            packers[lang].prepare()
        if "pdf" not in settings.formats:
            todo = _word_first(todo, packers, done)
            workers = min(workers, len(todo))
            if not todo:
                return
    digests = {stem: digest for stem, _, digest in todo}
    if forking:
        context_: multiprocessing.context.BaseContext = multiprocessing.get_context("fork")
    else:
        context_ = multiprocessing.get_context("forkserver")
        # Workers start from a process that has already imported the pipeline (WeasyPrint for PDF).
        context_.set_forkserver_preload([__name__, *(["generator.pdf.writer"] if "pdf" in settings.formats
                                                      else [])])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context_, initializer=_start_worker,
                             initargs=(settings, packers if forking else None)) as pool:
        pending: set[Future[tuple[str, dict[str, bytes]]]] = set()
        queue = iter(todo)
        try:
            # Keep a few packets per worker in flight: enough to stay busy, few to finish on Ctrl-C.
            # Forked workers start with the first packet handed out; what this process made so far
            # is theirs to read, not to collect: frozen, the collector leaves it alone in them, so
            # its memory stays shared instead of being copied into each.
            with _frozen(forking):
                _fill(pending, pool, queue, 2 * workers)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    stem, made = future.result()
                    done(stem, digests[stem], save(settings.folder, stem, made))
                _fill(pending, pool, queue, 2 * workers - len(pending))
        except BaseException:
            for future in pending:
                future.cancel()
            for future in pending:
                if not future.cancelled() and future.exception() is None:
                    stem, made = future.result()
                    done(stem, digests[stem], save(settings.folder, stem, made))
            raise


def _word_first(todo: list[tuple[str, Recipient, str]], packers: Packers,
                done: Callable[[str, str, list[Path]], None]) -> list[tuple[str, Recipient, str]]:
    """Make the first Word packets of each language here; the rest, for workers forked afterwards.

    The workers then start with what a Word packet is made from ready (python-docx
    loaded, the templates compiled, the themed styles, the blocks every packet shares
    recorded), instead of each making it again, in its first packets.
    """
    made: dict[str, int] = {}
    rest = []
    for stem, person, digest in todo:
        if made.get(person.language, 0) < WORD_FIRST:
            made[person.language] = made.get(person.language, 0) + 1
            done(stem, digest, packers.write(stem, person))
        else:
            rest.append((stem, person, digest))
    return rest


@contextlib.contextmanager
def _frozen(freeze: bool) -> Iterator[None]:
    """Objects made so far kept out of garbage collection within the block (in processes forked there, for good)."""
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


def _fill(pending: set[Future[tuple[str, dict[str, bytes]]]], pool: ProcessPoolExecutor,
          queue: Iterable[tuple[str, Recipient, str]], count: int) -> None:
    for _, (stem, person, _digest) in zip(range(max(count, 0)), queue, strict=False):
        pending.add(pool.submit(_make, stem, person))


class _PrintFile:
    """One print file of every packet (``--combined``), each starting on an odd page (for duplex printing).

    It is made from the finished packets, in roster order: the PDFs the batch
    writes, each added as soon as those before it are (while the workers make the
    rest), and those left unchanged; nothing is laid out again.  When the batch
    writes no PDF, each packet's PDF is made here at the end.
    """

    def __init__(self, packers: Packers, packets: list[tuple[str, Recipient]], building: set[str]) -> None:
        from generator.pdf import merge as pdf_merge

        if not packets:
            raise bad_value("combined", "", "no packets to combine")
        self.packers, self.packets, self.waiting = packers, packets, set(building)
        self.combination = pdf_merge.Combination()

    def __enter__(self) -> _PrintFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.combination.close()

    def made(self, stem: str) -> None:
        """``stem``'s packet is written: add it, and those after it that were waiting on it."""
        self.waiting.discard(stem)
        if "pdf" in self.packers.settings.formats:
            self._add_ready()

    def _add_ready(self) -> None:
        settings, added = self.packers.settings, self.combination.count
        for stem, person in self.packets[added:]:
            if stem in self.waiting:
                return
            self.combination.add(safe_join(settings.folder, stem, ".pdf").read_bytes() if "pdf" in settings.formats
                                 else self.packers[person.language].pdf(person, stem))

    def write(self) -> Path:
        self.waiting.clear()
        self._add_ready()
        # The print file is everyone's, not the first person's: its own title (each packet
        # keeps its language in the structure tree).
        _ = self.packers[self.packets[0][1].language].editions[0].labels
        path = self.packers.settings.folder.parent / COMBINED_PACKETS
        atomic_write(path, self.combination.result(f"{_('Onboarding packets')} ({len(self.packets)})"))
        return path
