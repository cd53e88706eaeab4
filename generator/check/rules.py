"""check: what every rule set shares: a finding, a short quote, and running rules safely."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Finding = tuple[str, str]  # (rule id, message saying what is wrong and how to fix it)
R = TypeVar("R")


def short(text: str, limit: int = 60) -> str:
    """One line of text for a message, cut at ``limit`` characters."""
    text = " ".join(text.replace("\u00ad", "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def run_rules(rules: Sequence[tuple[str, Callable[[R], Iterator[str]]]], reading: R, repair: str) -> list[Finding]:
    """Every finding of ``rules`` on an opened file, in rule order.

    A rule that fails on a damaged file is reported as not checkable (with ``repair``,
    how to mend the file) and the other rules still run.
    """
    findings: list[Finding] = []
    for rule, check in rules:
        try:
            findings += [(rule, message) for message in check(reading)]
        except Exception as error:  # a damaged part must not stop the other rules or files
            findings.append((rule, f"could not be checked: the file looks damaged "
                                   f"({type(error).__name__}: {short(str(error), 120)}); {repair}"))
    return findings
