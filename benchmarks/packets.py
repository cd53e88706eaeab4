"""Benchmark: onboarding packets per second, our way against the naive way, and peak memory.

Our way: `build_packets` (pages that are the same for everyone laid out once per
worker, personal pages per person, all cores). The naive way: WeasyPrint renders
each packet's whole HTML, one packet after another, in one process. Both make the
same PDFs from the same synthetic roster; each runs in a fresh process of its own,
so their peak memory is measured apart: the largest resident set of any one of
its processes, and the peak of the sum over its process tree (sampled every
50 ms from /proc). Run:

    .venv/bin/python benchmarks/packets.py            # N=200
    .venv/bin/python benchmarks/packets.py -n 1000 --only ours
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.documents.onboarding.roster import Recipient

FIRST = ["Ana", "José", "Mai", "Kee", "Luis", "Ngọc", "Ałtsʼíísí", "Beatriz", "Ahmad", "Grace"]
LAST = ["Díaz", "Ñúñez", "Trần", "Begay", "Ortiz", "Nguyễn", "Yázhí", "Gutiérrez", "Al-Rashid", "Kim"]


def roster(n: int) -> list[Recipient]:
    import datetime as dt

    return [
        Recipient(name=f"{FIRST[i % 10]} {LAST[(i // 10) % 10]} {i}", role="Registered Nurse",
                  department="Emergency Medicine", start_date=dt.date(2026, 8, 17), supervisor="Dana Whitfield",
                  line=i + 2)
        for i in range(n)
    ]


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def tree_rss_mb(root: int) -> float:
    """The resident memory of a process and all its descendants, in MB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        rss[int(entry.name)] = next((int(line.split()[1]) for line in status.splitlines()
                                     if line.startswith("VmRSS:")), 0)
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree) / 1024


def naive(people: list[Recipient], folder: Path) -> None:
    """The naive way: WeasyPrint renders each packet's whole HTML, one packet after another."""
    from generator.documents.onboarding.batch import Packers, Settings
    from generator.documents.project import Project
    from generator.pdf import writer as pdf_writer

    folder.mkdir(parents=True, exist_ok=True)
    packer = Packers(Settings(Project(), folder, formats=("pdf",)))["en"]
    for i, person in enumerate(people):
        html = packer.html(person)
        (folder / f"{i}.pdf").write_bytes(pdf_writer.write(packer.project.layout(html, "naive")))


def run(mode: str, n: int, jobs: int | None) -> dict[str, float]:
    from generator.documents.onboarding.batch import Settings, build_packets
    from generator.documents.project import Project

    people = roster(n)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(Project(), Path(folder), formats=("pdf",))
        started = time.perf_counter()
        if mode == "ours":
            build_packets(people, settings, jobs=jobs)
        else:
            naive(people, Path(folder))
        seconds = time.perf_counter() - started
    return {"packets_per_second": n / seconds, "seconds": seconds, "peak_mb": peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=200, help="packets per run (default 200)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for our way (default: all cores)")
    parser.add_argument("--only", choices=["ours", "naive"], help="run one way only")
    parser.add_argument("--child", choices=["ours", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--naive-into", type=Path, metavar="DIR", help="only make N packets the naive way into DIR")
    args = parser.parse_args()
    if args.naive_into:
        naive(roster(args.n), args.naive_into)
        return
    if args.child:
        print(json.dumps(run(args.child, args.n, args.jobs)))
        return
    results = {}
    for mode in [args.only] if args.only else ["naive", "ours"]:
        command = [sys.executable, __file__, "--child", mode, "-n", str(args.n)]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        total = 0.0
        while child.poll() is None:
            total = max(total, tree_rss_mb(child.pid))
            time.sleep(0.05)
        output, errors = child.communicate()
        if child.returncode:
            raise SystemExit(f"{mode} failed:\n{errors}")
        results[mode] = json.loads(output.strip().splitlines()[-1])
        r = results[mode]
        print(f"{mode:5}  N={args.n}  {r['packets_per_second']:6.1f} packets/s  {r['seconds']:7.1f} s  "
              f"peak {r['peak_mb']:5.0f} MB  (all processes {total:5.0f} MB)")
    if len(results) == 2:
        ratio = results["ours"]["packets_per_second"] / results["naive"]["packets_per_second"]
        print(f"ratio  ours/naive = {ratio:.2f}x")


if __name__ == "__main__":
    main()
