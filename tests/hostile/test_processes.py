"""Processes: when the build is killed outright, its workers do not outlive it, and the next run cleans up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.output import LOCK
from tests.hostile.harness import run


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_workers_exit_when_the_build_is_killed_and_the_next_run_takes_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role\n" + "".join(f"Person Number {i},Nurse\n" for i in range(12)), encoding="utf-8")
    out = tmp_path / "out"
    temporary = tmp_path / "tmp"  # where the build and its workers put their font folders
    temporary.mkdir()
    build = subprocess.Popen([sys.executable, "-m", "generator", "-q", "build", "onboarding", "--roster", str(roster),
                              "--out", str(out), "--format", "pdf", "--jobs", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=os.environ | {"TMPDIR": str(temporary)})
    deadline = time.monotonic() + 120
    while not list((out / "onboarding").glob("*.pdf")) and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)
    workers = descendants(build.pid)
    assert workers, "the batch started no worker processes"
    os.kill(build.pid, signal.SIGKILL)  # not reaped yet: the workers must see a zombie as gone
    deadline = time.monotonic() + 60  # a deadline for a hung test, not a measure of speed
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    build.wait()
    assert not [pid for pid in workers if alive(pid)], "workers kept running after the build was killed"
    assert (out / LOCK).exists()  # left by the killed build, with its PID
    assert [p.name for p in temporary.iterdir()] == []  # its font folders, removed by its workers as they left

    outcome = run(capsys, tmp_path, "build", "onboarding", "--roster", str(roster), "--format", "pdf",
                  "--jobs", "1", "--only", "Person Number 11", quiet=False)
    assert outcome.status == 0, outcome.err
    assert not list(out.rglob(".*.part")) and not (out / LOCK).exists()


def test_a_bad_source_date_epoch_is_one_line_before_fontconfig_reads_it(tmp_path: Path) -> None:
    # Fontconfig reads SOURCE_DATE_EPOCH too when it starts, and complains on stderr from C: a new process.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1e400"}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "poster", "--format", "html", "--out",
                           str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["error: SOURCE_DATE_EPOCH=1e400: not a count of seconds since 1970 "
                                        "(unset it or give an integer)"]
    assert not (tmp_path / "out").exists()
