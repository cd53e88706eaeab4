"""Benchmark: what users run, as whole processes, against the plain way, ratios from the same run.

Each row times whole commands in fresh processes (a new output folder each run,
so nothing is skipped as unchanged), several rounds after a warm-up, each round
running the commands compared in turn (A B ... A B ...) so that a ratio is
taken within each round and holds when the machine's speed drifts; the table
gives medians.

- poster: ``missionpress build poster --size 24x36 --format pdf`` against plain
  WeasyPrint rendering the same HTML (``--format html`` output) to tagged PDF/UA-1.
- packets pdf: ``build onboarding`` of N people against the naive loop (one
  process rendering each packet's whole HTML to tagged PDF, one after another).
- packets docx, pdf+docx, combined: against the same packets as PDF only.
- default build: ``missionpress build`` (every document of documents.yaml).

Run:

    .venv/bin/python benchmarks/speed.py                 # N=60, 5 rounds
    .venv/bin/python benchmarks/speed.py -n 200 --runs 3 --only packets
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Every command runs this checkout's missionpress, whatever is installed.
ENV = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}

from benchmarks.packets import roster  # noqa: E402

PYTHON = sys.executable
MISSIONPRESS = [PYTHON, "-m", "generator"]
ROWS = ("poster", "packets", "default")


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: float = 0.0


def run_once(command: Sequence[str], fresh: Path | None, timing: Timing) -> None:
    """Run a command to its end in a new process and add its wall and CPU time (itself and what it reaped)."""
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{errors}")
    timing.wall.append(wall)
    timing.cpu.append(usage.ru_utime + usage.ru_stime)
    timing.peak_mb = max(timing.peak_mb, usage.ru_maxrss / 1024)


def rounds(commands: Sequence[Sequence[str]], fresh: Path, runs: int, warmup: int) -> list[Timing]:
    """Each command once per round, in turn (A B C ... A B C ...), so each round's ratios share its moment."""
    timings, ignored = [Timing() for _ in commands], Timing()
    for _ in range(warmup):
        for command in commands:
            run_once(command, fresh, ignored)
    for _ in range(runs):
        for command, timing in zip(commands, timings, strict=True):
            run_once(command, fresh, timing)
    return timings


def ratio(a: Timing, b: Timing) -> float:
    """The median of the ratios a/b of each round (wall time)."""
    return statistics.median(x / y for x, y in zip(a.wall, b.wall, strict=True))


@dataclass
class Row:
    work: str
    ours: Timing
    reference: Timing | None
    ratio: str
    target: str


def poster_rows(work: Path, runs: int, warmup: int) -> list[Row]:
    html = work / "html"
    subprocess.run([*MISSIONPRESS, "-q", "build", "poster", "--size", "24x36", "--format", "html", "--out", str(html)],
                   check=True, env=ENV)
    out = work / "out"
    ours = [*MISSIONPRESS, "-q", "build", "poster", "--size", "24x36", "--format", "pdf", "--out", str(out)]
    plain = [str(Path(PYTHON).with_name("weasyprint")), "--pdf-variant", "pdf/ua-1", "--pdf-tags", "-q",
             str(html / "poster-24x36.html"), str(work / "plain.pdf")]
    a, b = rounds([ours, plain], out, runs, warmup)
    return [Row("poster 24x36 pdf vs plain WeasyPrint on its HTML", a, b, f"{ratio(a, b):.2f}x the time", "<= 1.3x")]


def write_roster(path: Path, n: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "role", "department", "start_date", "supervisor"])
        for person in roster(n):
            writer.writerow([person.name, person.role, person.department, str(person.start_date), person.supervisor])
    return path


def packet_rows(work: Path, n: int, runs: int, warmup: int, jobs: int | None) -> list[Row]:
    people = write_roster(work / "roster.csv", n)
    out = work / "out"

    def build(*extra: str) -> list[str]:
        command = [*MISSIONPRESS, "-q", "build", "onboarding", "--roster", str(people), "--out", str(out), *extra]
        return command + (["--jobs", str(jobs)] if jobs else [])

    naive = [PYTHON, str(Path(__file__).with_name("packets.py")), "--naive-into", str(out), "-n", str(n)]
    kinds = {"docx": (("--format", "docx"), "Word <= 0.25x"), "pdf+docx": (("--format", "all"), ""),
             "pdf --combined": (("--format", "pdf", "--combined"), "<= 1.15x")}
    commands = [build("--format", "pdf"), naive, *(build(*extra) for extra, _ in kinds.values())]
    pdf, slow, *others = rounds(commands, out, runs, warmup)
    rows = [Row(f"{n} packets pdf vs the naive loop", pdf, slow, f"{1 / ratio(pdf, slow):.1f}x faster", ">= 5x")]
    for (label, (_, target)), timing in zip(kinds.items(), others, strict=True):
        rows.append(Row(f"{n} packets {label} vs pdf alone", timing, pdf, f"{ratio(timing, pdf):.2f}x the time",
                        target))
    return rows


def default_rows(work: Path, runs: int, warmup: int, content: Path | None) -> list[Row]:
    out = work / "out"
    command = [*MISSIONPRESS, "-q", "build", "--out", str(out)] + (["--content", str(content)] if content else [])
    timing, ignored = Timing(), Timing()
    for _ in range(warmup):
        run_once(command, out, ignored)
    for _ in range(runs):
        run_once(command, out, timing)
    files = sum(1 for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [Row(f"default build ({files} file{'s' if files != 1 else ''})", timing, None, "", "<= 6 s")]


def table(rows: list[Row], runs: int) -> str:
    def seconds(t: Timing | None) -> str:
        return f"{statistics.median(t.wall):7.2f}" if t else " " * 7

    lines = [f"{'work':<50} {'ours s':>7} {'ref s':>7}  {'ratio':<18} {'target':<14} {'peak MB':>7}",
             "-" * 110]
    lines += [f"{r.work:<50} {seconds(r.ours)} {seconds(r.reference)}  {r.ratio:<18} {r.target:<14} "
              f"{r.ours.peak_mb:7.0f}" for r in rows]
    lines.append(f"(wall-clock medians of {runs} run{'s' if runs > 1 else ''} each, whole processes; "
                 f"{os.cpu_count()} cores; peak MB: the largest single process)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=60, help="packets per batch (default 60)")
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="runs not counted, first (default 1)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for packets (default: all cores)")
    parser.add_argument("--only", choices=ROWS, action="append", help="run only these rows (repeatable)")
    parser.add_argument("--content", type=Path, default=None, help="content folder for the default build")
    args = parser.parse_args(argv)
    chosen = args.only or list(ROWS)
    makers: dict[str, Callable[[Path], list[Row]]] = {
        "poster": lambda work: poster_rows(work, args.runs, args.warmup),
        "packets": lambda work: packet_rows(work, args.n, args.runs, args.warmup, args.jobs),
        "default": lambda work: default_rows(work, args.runs, args.warmup, args.content),
    }
    rows: list[Row] = []
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix=f"missionpress-bench-{name}-") as work:
            rows += makers[name](Path(work))
    print(table(rows, args.runs))


if __name__ == "__main__":
    main()
