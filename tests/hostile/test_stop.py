"""SIGTERM stops every command within moments, as Ctrl-C does, and leaves no file half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.harness import run


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_while_an_svg_is_drawn_is_not_swallowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    # WeasyPrint catches every exception while it draws an SVG image (the logo), logs it and writes on.
    import weasyprint.svg

    draw = weasyprint.svg.SVG.draw

    def stopped_while_drawing(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signum)  # as `timeout` or `kill` sends it, mid-drawing
        return draw(*args, **kwargs)

    monkeypatch.setattr(weasyprint.svg.SVG, "draw", stopped_while_drawing)
    outcome = run(capsys, tmp_path, "build", "poster", "--format", "pdf")
    assert outcome.status == 130, outcome.err
    assert "interrupted: no half-written file was left behind" in outcome.err
    assert not (tmp_path / "out" / "poster-letter.pdf").exists()
    monkeypatch.setattr(weasyprint.svg.SVG, "draw", draw)
    assert run(capsys, tmp_path, "build", "poster", "--format", "pdf").status == 0  # the next run is not stopped


@pytest.mark.parametrize("argv", [["build"], ["build", "handbook", "--format", "all"]])
def test_sigterm_stops_a_build_within_seconds(tmp_path: Path, argv: list[str]) -> None:
    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, "-m", "generator", *argv, "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not out.is_dir() and time.monotonic() < deadline:  # the folder is claimed: work is under way
        time.sleep(0.05)
    time.sleep(1.0)
    build.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _, err = build.communicate(timeout=60)
    stopped = time.monotonic() - sent
    assert build.returncode == 130, err
    assert stopped < 8, f"{stopped:.1f} s after SIGTERM"  # a bound for a hung build, on a busy machine
    assert "interrupted" in err and "Traceback" not in err
    assert not list(out.rglob("*.part")) and not (out / ".missionpress.lock").exists()
