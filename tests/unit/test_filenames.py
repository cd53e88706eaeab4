"""Tests for generator.documents.onboarding.filenames: readable, safe, stable, distinct stems and safe_join."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

import pytest

from generator.documents.onboarding.filenames import assign_stems, name_hash, packet_stem, safe_join, slugify
from generator.errors import MissionpressError

SAFE = re.compile(r"[a-z0-9][a-z0-9-]*")
HOSTILE = [
    "../../etc/passwd", "..", ".", "/", "<b>x</b>", "{{ 7*7 }}", "a/b\\c", "\x00", "\x00../x",
    "CON", "nul.txt", "-rf", " ", "", "x" * 500, "José " * 100, "Tsé Bitʼaʼí Yázhí",
    "Nguyễn Thị Minh Khai", "中文名", "\U0001F600", "\u202eevil\u202c", "a\nb", "C:\\Windows",
    "Ana Díaz", "ana díaz", "Ana Diaz", "ANA DÍAZ",
]


@pytest.mark.parametrize("name, slug", [
    ("José Ñúñez", "jose-nunez"),
    ("Nguyễn Thị Minh Khai", "nguyen-thi-minh-khai"),
    ("Đặng Văn Lâm", "dang-van-lam"),
    ("Łukasz Żółć", "lukasz-zolc"),
    ("Tsé Bitʼaʼí Yázhí", "tse-bitai-yazhi"),
    ("O'Brien, Siobhán", "obrien-siobhan"),
    ("Søren Straße", "soren-strasse"),
    ("  Mary-Jane   SMITH ", "mary-jane-smith"),
    ("../../etc/passwd", "etc-passwd"),
    ("中文名", "person"),
    ("", "person"),
])
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_stem_is_slug_plus_hash_of_nfc_name() -> None:
    expected = hashlib.sha256("José Ñúñez".encode()).hexdigest()[:8]
    assert packet_stem("José Ñúñez") == f"jose-nunez-{expected}"
    decomposed = unicodedata.normalize("NFD", "José Ñúñez")
    assert name_hash(decomposed) == expected


def test_hostile_names_get_safe_distinct_stems(tmp_path: Path) -> None:
    stems = assign_stems(HOSTILE)
    assert len(set(stems)) == len(HOSTILE)
    for name, stem in zip(HOSTILE, stems, strict=True):
        assert SAFE.fullmatch(stem), (name, stem)
        assert len(stem) <= 60, (name, stem)
        assert ".." not in stem and "/" not in stem and "\\" not in stem
        path = safe_join(tmp_path, stem, ".pdf")
        assert path.parent == tmp_path and path.name == f"{stem}.pdf"
        assert path.resolve().is_relative_to(tmp_path.resolve())


def test_stems_are_stable_and_independent_of_position() -> None:
    names = ["Ana Díaz", "Bo", "José Ñúñez"]
    first = assign_stems(names)
    assert assign_stems(names) == first
    later = assign_stems(["Zed", "José Ñúñez", "Bo", "Ana Díaz"])
    assert later[1:] == [first[2], first[1], first[0]]


def test_case_and_accent_variants_are_distinct() -> None:
    stems = assign_stems(["Ana Díaz", "ana díaz", "Ana Diaz"])
    assert len(set(stems)) == 3
    assert all(stem.startswith("ana-diaz-") for stem in stems)


def test_exact_duplicates_get_counter_in_roster_order() -> None:
    base = packet_stem("Ana Díaz")
    assert assign_stems(["Ana Díaz", "Bo", "Ana Díaz", "Ana Díaz"]) == [
        base, packet_stem("Bo"), f"{base}-2", f"{base}-3"]
    # NFC and NFD spellings are the same name, so they count as duplicates too.
    nfd = unicodedata.normalize("NFD", "Ana Díaz")
    assert assign_stems(["Ana Díaz", nfd]) == [base, f"{base}-2"]


def test_long_names_are_capped_at_a_word_boundary() -> None:
    stem = packet_stem("Maria " * 30)
    assert len(stem) <= 60 and re.fullmatch(r"(maria-)+[0-9a-f]{8}", stem)
    assert len(packet_stem("x" * 500)) <= 60


@pytest.mark.parametrize("stem, suffix", [
    ("../x", ".pdf"), ("a/b", ".pdf"), ("a\\b", ".pdf"), ("..", ".pdf"), (".", ".pdf"), ("", ".pdf"),
    ("-x", ".pdf"), ("x\x00", ".pdf"), ("X", ".pdf"), ("x", "/../../y"), ("x", ".pdf/.."), ("x", ""),
    ("/etc/passwd", ".pdf"),
])
def test_safe_join_refuses_unsafe_parts(tmp_path: Path, stem: str, suffix: str) -> None:
    with pytest.raises(MissionpressError) as info:
        safe_join(tmp_path, stem, suffix)
    assert info.value.problems[0].startswith(f"{tmp_path}: output: ")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_safe_join_refuses_symlink_pointing_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside.pdf"
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "ana-12345678.pdf").symlink_to(outside)
    with pytest.raises(MissionpressError):
        safe_join(folder, "ana-12345678", ".pdf")
    assert safe_join(folder, "bo-12345678", ".docx") == folder / "bo-12345678.docx"


def test_safe_join_with_relative_and_symlinked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert safe_join(tmp_path / "link", "ana-1", ".pdf") == tmp_path / "link" / "ana-1.pdf"
    monkeypatch.chdir(tmp_path)
    assert safe_join(Path("real"), "ana-1", ".pdf") == Path("real/ana-1.pdf")
