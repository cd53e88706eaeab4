"""The output folder: only our files are written or deleted, one build at a time, nothing half-written."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from generator.documents.onboarding.filenames import packet_stem
from generator.documents.onboarding.manifest import Manifest
from generator.output import LOCK, claim
from tests.hostile.harness import Outcome, content, refused, run


def poster(capsys: pytest.CaptureFixture[str], tmp_path: Path, *more: str, out: Path | None = None) -> Outcome:
    return run(capsys, tmp_path, "build", "poster", "--format", "html", *more, out=out)


def roster(tmp_path: Path, name: str, *people: str) -> Path:
    path = tmp_path / name
    path.write_text("name,role\n" + "".join(f"{p},Nurse\n" for p in people), encoding="utf-8")
    return path


def packets(capsys: pytest.CaptureFixture[str], tmp_path: Path, roster_file: Path, *more: str,
            quiet: bool = True) -> Outcome:
    return run(capsys, tmp_path, "build", "onboarding", "--roster", str(roster_file), "--format", "html",
               *more, quiet=quiet)


def test_other_programs_part_files_are_never_deleted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (out / "onboarding").mkdir(parents=True)
    theirs = [out / ".movie.mkv.part", out / ".poster-letter.html.abc123.part", out / "onboarding" / ".x.pdf.part"]
    for path in theirs:
        path.write_text("not ours")
    assert poster(capsys, tmp_path).status == 0
    assert packets(capsys, tmp_path, roster(tmp_path, "r.csv", "Ana Díaz")).status == 0
    assert all(path.read_text() == "not ours" for path in theirs)
    assert not (out / LOCK).exists()


def test_symlinks_in_the_output_tree_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".keep.part").write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "onboarding").symlink_to(elsewhere)
    outcome = packets(capsys, tmp_path, roster(tmp_path, "r.csv", "Ana Díaz"))
    refused(outcome, f"--out {out}", f"{out / 'onboarding'} is a symbolic link to {elsewhere}")
    assert sorted(p.name for p in elsewhere.iterdir()) == [".keep.part"]
    (out / "onboarding").unlink()
    (out / "poster-letter.html").symlink_to(elsewhere / "poster.html")
    refused(poster(capsys, tmp_path), f"--out {out}", "which does not exist")
    assert sorted(p.name for p in elsewhere.iterdir()) == [".keep.part"]
    (out / "poster-letter.html").unlink()
    (out / "onboarding").mkdir()
    (out / "onboarding" / "old.pdf").symlink_to(elsewhere / ".keep.part")
    refused(poster(capsys, tmp_path), f"--out {out}", f"{out / 'onboarding' / 'old.pdf'} is a symbolic link")
    (out / "onboarding" / "old.pdf").unlink()
    (out / "archive" / "2025").mkdir(parents=True)  # a folder builds never write into may hold links
    (out / "archive" / "2025" / "latest").symlink_to(elsewhere)
    assert poster(capsys, tmp_path).status == 0
    assert sorted(p.name for p in elsewhere.iterdir()) == [".keep.part"]


@pytest.mark.parametrize("case", ["content folder", "inside content", "templates"])
def test_output_into_an_input_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 case: str) -> None:
    folder = content(tmp_path)
    templates = tmp_path / "mine"
    templates.mkdir()
    out = {"content folder": folder, "inside content": folder / "handbook" / "out", "templates": templates}[case]
    outcome = poster(capsys, tmp_path, "--content", str(folder), "--templates", str(templates), out=out)
    refused(outcome, f"--out {out}", "an input folder")
    assert not (folder / "handbook" / "out").exists()


def test_impossible_output_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    refused(poster(capsys, tmp_path, out=a_file), f"--out {a_file}", "is a file, not a folder")
    refused(poster(capsys, tmp_path, out=a_file / "sub"), f"--out {a_file / 'sub'}", "is a file")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    refused(poster(capsys, tmp_path, out=dangling), f"--out {dangling}", "which does not exist")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    refused(poster(capsys, tmp_path, out=loop), f"--out {loop}", "in a loop")

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(args[0]))

    monkeypatch.setattr(os, "mkdir", read_only)
    refused(poster(capsys, tmp_path, out=tmp_path / "new"), f"--out {tmp_path / 'new'}", "read-only")


@pytest.mark.parametrize("flag", ["--out", "--content", "--templates"])
def test_a_folder_option_names_what_it_was_given_instead(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         flag: str) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    given = {"/dev/null": "is a device, not a folder", str(tmp_path / "pipe"): "is a pipe, not a folder",
             str(tmp_path / "dangling"): f"is a symbolic link to {tmp_path / 'nowhere'}, which does not exist",
             str(tmp_path / "loop"): "in a loop"}
    for path, message in given.items():
        more = (flag, path) if flag != "--out" else ()
        outcome = poster(capsys, tmp_path, *more, out=Path(path) if flag == "--out" else None)
        refused(outcome, f"{flag} {path}", message)
        assert len(outcome.errors) == 1 and "is a file" not in outcome.err, outcome.err


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.output

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(generator.output.os, "fsync", full)
    out = tmp_path / "out"
    refused(poster(capsys, tmp_path), str(out / "poster-letter.html"), "the disk is full")
    assert not list(out.iterdir())
    refused(packets(capsys, tmp_path, roster(tmp_path, "r.csv", "Ana Díaz"), "--jobs", "1"), "out/onboarding/",
            "the disk is full")
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_a_worker_that_cannot_write_reports_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A folder where a packet should go: the worker process fails, the message crosses over whole.
    people = ["Ana Díaz", "Luis Ortiz", "Mai Trần"]
    (tmp_path / "out" / "onboarding" / f"{packet_stem('Luis Ortiz')}.html").mkdir(parents=True)
    outcome = packets(capsys, tmp_path, roster(tmp_path, "r.csv", *people), "--jobs", "2")
    refused(outcome, f"{packet_stem('Luis Ortiz')}.html", "cannot write")
    assert "RemoteTraceback" not in outcome.err and len(outcome.errors) == 1


def test_a_second_build_into_a_busy_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    with claim(out):
        outcome = poster(capsys, tmp_path)
        refused(outcome, f"--out {out}", f"another missionpress build (PID {os.getpid()}")
        assert not (out / "poster-letter.html").exists()
    assert poster(capsys, tmp_path).status == 0


def test_the_lock_of_a_dead_build_is_taken_over_and_its_temporary_files_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / "onboarding").mkdir(parents=True)
    (out / LOCK).write_text(json.dumps({"pid": 2**22 + 1, "tag": "dead01"}))
    ours = [out / ".poster-letter.pdf.k2j3.mp-dead01.part", out / "onboarding" / ".a.pdf.x9.mp-dead01.part"]
    theirs = [out / ".a.pdf.x9.mp-alive2.part", out / ".download.part"]
    for path in ours + theirs:
        path.write_text("partial")
    assert poster(capsys, tmp_path).status == 0
    assert not any(p.exists() for p in ours) and all(p.exists() for p in theirs)
    assert (out / "poster-letter.html").exists() and not (out / LOCK).exists()


def test_manifest_updates_merge_and_never_lose_rows(tmp_path: Path) -> None:
    first, second = Manifest(tmp_path), Manifest(tmp_path)
    first.record("ana", {"digest": "1", "roster": "a.csv", "files": ["pdf"]})
    second.record("luis", {"digest": "2", "roster": "a.csv", "files": ["pdf"]})
    first.save()
    second.save()
    assert set(Manifest(tmp_path).packets) == {"ana", "luis"}
    (tmp_path / ".manifest.json").write_text('{"packets": {"old": "digest-of-the-first-format"}}')
    assert Manifest(tmp_path).digest("old") == "digest-of-the-first-format"


def test_people_no_longer_on_the_roster_lose_their_packets_and_no_one_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out" / "onboarding"
    staff = roster(tmp_path, "staff.csv", "Ana Díaz", "Luis Ortiz")
    interns = roster(tmp_path, "interns.csv", "Mai Trần")
    assert packets(capsys, tmp_path, staff).status == 0 and packets(capsys, tmp_path, interns).status == 0
    (folder / "notes.txt").write_text("mine")
    assert len(list(folder.glob("*.html"))) == 3
    staff.write_text("name,role\nAna Díaz,Nurse\n", encoding="utf-8")
    # A manifest edited to point out of the folder: its entry goes, the file it names stays.
    (tmp_path / "secret.pdf").write_text("keep")
    manifest_file = folder / ".manifest.json"
    data = json.loads(manifest_file.read_text(encoding="utf-8"))
    data["packets"]["../../secret"] = {"digest": "x", "roster": str(staff.resolve()), "files": ["pdf"]}
    manifest_file.write_text(json.dumps(data), encoding="utf-8")
    outcome = packets(capsys, tmp_path, staff, quiet=False)
    assert outcome.status == 0, outcome.err
    assert "0 packets built, 1 unchanged, 1 removed" in outcome.err and (tmp_path / "secret.pdf").exists()
    assert f"removed the packets of 1 person no longer on staff.csv: {packet_stem('Luis Ortiz')}" in outcome.err
    assert sorted(p.stem for p in folder.glob("*.html")) == sorted([packet_stem("Ana Díaz"), packet_stem("Mai Trần")])
    assert (folder / "notes.txt").read_text() == "mine"
    manifest = json.loads((folder / ".manifest.json").read_text(encoding="utf-8"))["packets"]
    assert packet_stem("Luis Ortiz") not in manifest and len(manifest) == 2
