"""The benchmark runs and reports its figures (the figures themselves are for people, not asserts)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "packets.py"


def test_packets_benchmark_reports_rates_ratio_and_memory() -> None:
    result = subprocess.run([sys.executable, str(BENCHMARK), "-n", "1", "--jobs", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for mode in ("naive", "ours"):
        figures = rf"{mode}\s+N=1\s+[\d.]+ packets/s\s+[\d.]+ s\s+peak\s+\d+ MB\s+\(all processes\s+\d+ MB\)"
        assert any(re.match(figures, line) for line in lines)
    assert re.search(r"ratio  ours/naive = [\d.]+x", result.stdout)


SPEED = BENCHMARK.with_name("speed.py")


def test_speed_benchmark_prints_a_row_for_each_work_with_times_ratios_and_targets(tmp_path: Path) -> None:
    import shutil

    from generator.paths import BUILTIN_CONTENT

    content = tmp_path / "content"  # a default build of one small document, so the row is quick to run
    shutil.copytree(BUILTIN_CONTENT, content)
    (content / "documents.yaml").write_text("documents:\n  - {document: poster, size: letter, format: html}\n",
                                            encoding="utf-8")
    result = subprocess.run([sys.executable, str(SPEED), "-n", "1", "--runs", "1", "--warmup", "0", "--jobs", "1",
                             "--content", str(content)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    rows = {line[:50].strip(): line[50:].split() for line in result.stdout.splitlines()[2:-1]}
    assert list(rows) == ["poster 24x36 pdf vs plain WeasyPrint on its HTML", "1 packets pdf vs the naive loop",
                          "1 packets docx vs pdf alone", "1 packets pdf+docx vs pdf alone",
                          "1 packets pdf --combined vs pdf alone", "default build (1 file)"]
    for work, figures in rows.items():
        assert re.fullmatch(r"\d+\.\d\d", figures[0]), work  # our median, seconds
        assert re.fullmatch(r"\d+", figures[-1]), work  # peak MB
        if not work.startswith("default"):
            assert re.fullmatch(r"\d+\.\d\d", figures[1]) and re.fullmatch(r"\d+(\.\d+)?x", figures[2]), work
    assert "wall-clock medians of 1 run each" in result.stdout
