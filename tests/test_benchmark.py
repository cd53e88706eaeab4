"""The benchmark runs and reports its figures (the figures themselves are for people, not asserts)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "packets.py"


def test_packets_benchmark_reports_rates_ratio_and_memory() -> None:
    result = subprocess.run([sys.executable, str(BENCHMARK), "-n", "3", "--jobs", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for mode in ("naive", "ours"):
        figures = rf"{mode}\s+N=3\s+[\d.]+ packets/s\s+[\d.]+ s\s+peak\s+\d+ MB\s+\(all processes\s+\d+ MB\)"
        assert any(re.match(figures, line) for line in lines)
    assert re.search(r"ratio  ours/naive = [\d.]+x", result.stdout)
