"""The combined print file is the finished packets put together, tags, bookmarks and all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from generator.cli import main
from tests.readers import normalise, pdftotext_pages

PEOPLE = [("Ana Díaz", "en"), ("José Ñúñez", "es"), ("Mai Trần", "en+es")]


@pytest.fixture(scope="module")
def batch(roster_build: Callable[..., Path]) -> Path:
    return roster_build(PEOPLE, "2026-08-17", "--format", "pdf")


def _packets(batch: Path) -> list[Path]:
    """The packets in roster order (their first page names the person)."""
    files = list((batch / "onboarding").glob("*.pdf"))
    return [next(f for f in files if name in normalise(pdftotext_pages(f)[0])) for name, _ in PEOPLE]


def test_the_pages_are_the_packets_pages_as_written_with_blank_pages_for_odd_starts(batch: Path) -> None:
    with pikepdf.open(batch / "onboarding-all.pdf") as combined:
        at = 0
        for packet in _packets(batch):
            with pikepdf.open(packet) as own:
                for i, page in enumerate(own.pages):  # the same drawing: nothing laid out again
                    assert combined.pages[at + i].Contents.read_bytes() == page.Contents.read_bytes()
                at += len(own.pages)
            if at % 2:
                assert "/StructParents" not in combined.pages[at]  # a blank page, no content
                at += 1
        assert at == len(combined.pages)


def test_each_packet_is_a_tagged_part_in_its_language_with_its_bookmarks(batch: Path) -> None:
    with pikepdf.open(batch / "onboarding-all.pdf") as combined:
        tree = combined.Root.StructTreeRoot
        parts = list(tree.K.K)
        assert tree.K.S == "/Document" and [str(p.S) for p in parts] == ["/Part"] * 3
        assert [str(p.Lang) for p in parts] == [lang.split("+")[0] for _, lang in PEOPLE]
        nums = tree.ParentTree.Nums
        keys = {int(nums[i]) for i in range(0, len(nums), 2)}
        used = [int(p.StructParents) for p in combined.pages if "/StructParents" in p]
        assert len(used) == len(set(used)) and set(used) <= keys  # every page's marked content resolves
        with combined.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert str(combined.docinfo.Title) == "Onboarding packets (3)"
        assert b"Onboarding packets (3)" in combined.Root.Metadata.read_bytes()
    expected = []
    for packet in _packets(batch):
        with pikepdf.open(packet) as own, own.open_outline() as outline:
            expected += [item.title for item in outline.root]
    assert titles == expected
    assert main(["check", str(batch / "onboarding-all.pdf")]) == 0


def test_a_run_with_nothing_changed_puts_the_same_print_file_together_from_the_packets_on_disk(
    batch: Path,
) -> None:
    before = (batch / "onboarding-all.pdf").read_bytes()
    roster = batch / "roster.csv"
    assert main(["-q", "build", "onboarding", "--roster", str(roster), "--out", str(batch), "--format", "pdf",
                 "--combined"]) == 0
    assert (batch / "onboarding-all.pdf").read_bytes() == before
