"""The combined print file takes each packet as soon as those before it are in, always in roster order."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from generator.documents.onboarding import batch
from generator.documents.onboarding.roster import Recipient


class Recording:
    def __init__(self) -> None:
        self.added: list[bytes] = []

    @property
    def count(self) -> int:
        return len(self.added)

    def add(self, data: bytes) -> None:
        self.added.append(data)

    def close(self) -> None:
        pass


def test_packets_join_in_roster_order_whatever_order_they_finish_in(tmp_path: Path) -> None:
    stems = ["ana", "ben", "cruz", "dora", "eli"]
    for stem in stems:
        (tmp_path / f"{stem}.pdf").write_bytes(stem.encode())
    packers = SimpleNamespace(settings=SimpleNamespace(folder=tmp_path, formats=("pdf",)))
    people = [(stem, Recipient(name=stem, line=i + 2)) for i, stem in enumerate(stems)]
    # "ben" was left unchanged by an earlier run: it is not being built, its PDF is already there.
    print_file = batch._PrintFile(packers, people, {"ana", "cruz", "dora", "eli"})  # type: ignore[arg-type]
    print_file.combination = recording = Recording()  # type: ignore[assignment]

    print_file.made("cruz")
    assert recording.added == []  # "ana" comes first and is not made yet
    print_file.made("ana")
    assert recording.added == [b"ana", b"ben", b"cruz"]
    print_file.made("eli")
    assert recording.added == [b"ana", b"ben", b"cruz"]
    print_file.made("dora")
    assert recording.added == [b"ana", b"ben", b"cruz", b"dora", b"eli"]
