"""Tests for generator.documents.onboarding.roster: encodings, formats, headers, validation and line numbers."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.content import fonts
from generator.documents.onboarding.roster import Recipient, load_roster
from generator.errors import MissionpressError

DATA = Path(__file__).parents[1] / "data" / "rosters"
JOSE = "José Ñúñez"
PROBLEM = re.compile(r"^.+:\d+: [^:]+: .+ \(.+\)$")


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(MissionpressError) as info:
        load_roster(path, **kwargs)
    return info.value.problems


# -- encodings and formats -----------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_encodings_decode_exactly(tmp_path: Path, encoding: str, newline: str) -> None:
    text = newline.join(["Name,Role", f"{JOSE},Coordinator", "Zoë Müller,Straße", ""])
    roster = load_roster(write(tmp_path, text, encoding))
    assert [r.name for r in roster] == [JOSE, "Zoë Müller"]
    assert roster.recipients[1].role == "Straße"
    assert [r.line for r in roster] == [2, 3]


def test_bom_does_not_leak_into_header(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"name\nAna\n")
    assert load_roster(path).recipients[0].name == "Ana"


def test_short_cp1252_file_is_not_misdetected(tmp_path: Path) -> None:
    # Two bytes of non-ASCII is where statistical detectors guess wildly.
    path = tmp_path / "r.csv"
    path.write_bytes("name\nJosé\n".encode("cp1252"))
    assert load_roster(path).recipients[0].name == "José"


def test_mixed_utf8_and_cp1252_is_refused_with_line(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("name\nJosé\n".encode() + "Zoë\n".encode("cp1252"))
    [message] = problems(path)
    assert message.startswith(f"{path}:3: roster: ") and "CSV UTF-8" in message


def test_undecodable_bytes_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(b"name\nAna\x81\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:2: roster: ") and "neither UTF-8 nor Windows-1252" in message


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters(tmp_path: Path, delimiter: str) -> None:
    text = delimiter.join(["name", "role", "start date"]) + "\n"
    text += delimiter.join(["Díaz, Ana", "Lead, Programs", "8/17/2026"]) + "\n"
    [person] = load_roster(write(tmp_path, text, "cp1252"))
    assert (person.name, person.role, person.start_date) == ("Díaz, Ana", "Lead, Programs", dt.date(2026, 8, 17))


def test_excel_sep_line(tmp_path: Path) -> None:
    [person] = load_roster(write(tmp_path, "sep=;\r\nname;role\r\nAna;Lead, Ops\r\n"))
    assert (person.name, person.role, person.line) == ("Ana", "Lead, Ops", 3)


def test_example_fixture_loads() -> None:
    roster = load_roster(DATA / "example.csv")
    assert [r.greeting_name for r in roster] == ["Pepe", "Minh", "Tsé Bitʼaʼí Yázhí", "Shiv"]
    assert roster.recipients[3].name == "O'Brien, Siobhán"
    assert [r.language for r in roster] == ["en+es", "en", "en", "es"]
    assert roster.skipped == []


def make_xlsx(tmp_path: Path, rows: dict[int, list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    book.create_sheet("Ignored").append(["nonsense"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


def test_xlsx_first_sheet_dates_and_row_numbers(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, {
        3: ["Name", "Start Date", "Department", "Language"],
        4: [JOSE, dt.datetime(2026, 8, 17), 42, "ES"],
        6: ["  Ana Díaz  ", "8/24/2026", None, None],
    })
    roster = load_roster(path)
    assert [(r.name, r.start_date, r.line) for r in roster] == [
        (JOSE, dt.date(2026, 8, 17), 4), ("Ana Díaz", dt.date(2026, 8, 24), 6)]
    assert roster.recipients[0].department == "42"
    assert roster.recipients[0].language == "es"


def test_xlsx_problems_use_row_numbers(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, {1: ["name", "start_date"], 2: ["Ana", 45000], 5: [None, "2026-01-01"]})
    found = problems(path)
    assert found[0].startswith(f"{path}:2: start_date: 45000 is a number")
    assert found[1].startswith(f"{path}:5: name: missing")


@pytest.mark.parametrize("name, hint", [("old.xls", "save it as .xlsx or CSV UTF-8"),
                                        ("roster.pdf", "use .csv or .xlsx")])
def test_unsupported_extension(tmp_path: Path, name: str, hint: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    [message] = problems(path)
    assert message.startswith(f"{path}: roster: ") and hint in message


def test_missing_folder_and_corrupt_files(tmp_path: Path) -> None:
    assert "does not exist" in problems(tmp_path / "nope.csv")[0]
    (tmp_path / "dir.csv").mkdir()
    assert "is a folder" in problems(tmp_path / "dir.csv")[0]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a zip file")
    assert "not a readable .xlsx workbook" in problems(bad)[0]


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    assert "the file is empty" in problems(write(tmp_path, "\n \n"))[0]
    assert "no valid people" in problems(write(tmp_path, "name,role\n,\n"))[0]


# -- headers -------------------------------------------------------------------

@pytest.mark.parametrize("header", ["Preferred Name", "preferred_name", "PREFERRED-NAME", " preferred  name ",
                                    "PreferredName", "Preferred_ Name"])
def test_header_variants(tmp_path: Path, header: str) -> None:
    [person] = load_roster(write(tmp_path, f'NAME,"{header}"\nJosé Ñúñez,Pepe\n'))
    assert person.preferred_name == "Pepe" and person.greeting_name == "Pepe"


def test_unknown_column_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, "\nname,Stat Date,Shoe Size\nAna,2026-01-01,7\n")
    found = problems(path)
    assert found[0].startswith(f'{path}:2: Stat Date: unknown column (did you mean "start_date"? ')
    assert found[1].startswith(f"{path}:2: Shoe Size: unknown column (known columns: name, ")


def test_an_unknown_column_hides_no_bad_row(tmp_path: Path) -> None:
    path = write(tmp_path, "name,start_date,favourite_colour\nAna,2026-02-30,red\n,2026-01-05,blue\nBo,2026-01-05,\n")
    found = problems(path)
    assert [m.split(": ")[0:2] for m in found] == [[f"{path}:1", "favourite_colour"], [f"{path}:2", "start_date"],
                                                   [f"{path}:3", "name"]]  # the cells under it are not errors
    with pytest.raises(MissionpressError):  # a header problem is never skipped
        load_roster(path, skip_invalid=True)


def test_missing_name_and_duplicate_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "Role,role,E-mail\nLead,Lead,a@b.org\n")
    found = problems(path)
    assert any(m.startswith(f'{path}:1: role: duplicate column, same as "Role"') for m in found)
    assert any(m.startswith(f"{path}:1: name: no name column") for m in found)
    assert not any("E-mail" in m for m in found)  # "E-mail" is the email column


def test_header_problems_raise_even_with_skip_invalid(tmp_path: Path) -> None:
    with pytest.raises(MissionpressError):
        load_roster(write(tmp_path, "nam\nAna\n"), skip_invalid=True)


# -- values and validation -----------------------------------------------------

def test_blank_rows_ignored_and_values_trimmed(tmp_path: Path) -> None:
    text = "\n  name , role \n\n,\n   Ana Díaz  ,\t Lead \n  \n\nBo,\n"
    roster = load_roster(write(tmp_path, text))
    assert [(r.name, r.role, r.line) for r in roster] == [("Ana Díaz", "Lead", 5), ("Bo", "", 8)]


def test_fields_and_defaults(tmp_path: Path) -> None:
    text = ("name,preferred name,role,department,start date,supervisor,email,language\n"
            "Ana,,Lead,Ops,08/07/2026,Bo,ana@example.org,\n")
    [person] = load_roster(write(tmp_path, text))
    assert person == Recipient("Ana", "", "Lead", "Ops", dt.date(2026, 8, 7), "Bo", "ana@example.org", "en", 2)
    assert person.greeting_name == "Ana"
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.name = "Eve"  # type: ignore[misc]


def test_every_bad_row_reported_at_once_with_editor_lines(tmp_path: Path) -> None:
    text = ("name,role,start_date,email,language\n"           # 1
            "Good One,Lead,2026-08-17,good@example.org,en\n"   # 2
            '"Multi Line","Role spanning\n'                     # 3
            'three\nlines",8/17/2026,,ES\n'                     # 4-5
            "Bad Date,,2/30/2026,,\n"                           # 6
            '"Quoted, Name",,,not an email,\n'                  # 7
            ",Nameless,,,\n"                                    # 8
            "Bad Lang,,,,fr\n"                                  # 9
            "Díaz, Ana,Lead,,,en\n")                           # 10
    path = write(tmp_path, text)
    found = problems(path)
    assert [m.split(": ")[0:2] for m in found] == [
        [f"{path}:3", "role"],  # embedded line breaks are control characters in a one-line field
        [f"{path}:6", "start_date"],
        [f"{path}:7", "email"],
        [f"{path}:8", "name"],
        [f"{path}:9", "language"],
        [f"{path}:10", "column 6"],  # unquoted comma: "Díaz" | "Ana" | "Lead" ... | "en"
        [f"{path}:10", "start_date"],
    ]
    assert all(PROBLEM.match(m) for m in found), found
    assert "day is out of range for month" in found[1]
    assert "use one of: en, es, en+es" in found[4]


@pytest.mark.parametrize("value, expected", [
    ("2026-08-17", dt.date(2026, 8, 17)), ("8/17/2026", dt.date(2026, 8, 17)),
    ("08/07/2026", dt.date(2026, 8, 7)), ("", None)])
def test_good_dates(tmp_path: Path, value: str, expected: dt.date | None) -> None:
    [person] = load_roster(write(tmp_path, f"name,start date\nAna,{value}\n"))
    assert person.start_date == expected


@pytest.mark.parametrize("value, words", [
    ("2/30/2026", "is not a real date"), ("17/8/2026", "is not a real date"),
    ("2026-13-01", "is not a real date"), ("next monday", "is not a date"),
    ("8/17/26", "is not a date"), ("20260817", "is not a date")])
def test_bad_dates(tmp_path: Path, value: str, words: str) -> None:
    path = write(tmp_path, f"name,start date\nAna,{value}\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:2: start_date: '{value}' {words}")
    assert message.endswith("(write dates as YYYY-MM-DD, e.g. 2026-08-17, or M/D/YYYY, e.g. 8/17/2026)")


@pytest.mark.parametrize("email, ok", [
    ("ana@example.org", True), ("a.b+c@mail.example.co", True), ("ana@example", False),
    ("ana example@x.org", False), ("a@@x.org", False), ("a@b@x.org", False), ("ana@.org", False),
    ("@x.org", False), ("ana@x..org", False)])
def test_email_light_check(tmp_path: Path, email: str, ok: bool) -> None:
    path = write(tmp_path, f'name,email\nAna,"{email}"\n')
    if ok:
        assert load_roster(path).recipients[0].email == email
    else:
        assert problems(path)[0].startswith(f"{path}:2: email: ")


def test_languages_lowercased_and_configurable(tmp_path: Path) -> None:
    path = write(tmp_path, "name,language\nA,EN\nB,En + Es\nC,\nD,fr\n")
    assert problems(path) == [f"{path}:5: language: 'fr' is not supported "
                              "(use one of: en, es, en+es; blank means en)"]
    roster = load_roster(path, languages=["fr", "en", "en+es"])
    assert [r.language for r in roster] == ["en", "en+es", "fr", "fr"]


@pytest.mark.parametrize("char", ["\u4e2d", "\U0001F600"])
def test_missing_glyph(tmp_path: Path, char: str) -> None:
    assert fonts.missing_glyphs(f"Ana {char}") == [char]
    path = write(tmp_path, f"name,role\nAna {char},Lead\nBo,Lead {char}\n")
    found = problems(path)
    code = f"U+{ord(char):04X}"
    assert found[0].startswith(f"{path}:2: name: no glyph for {code} ")
    assert found[1].startswith(f"{path}:3: role: no glyph for {code} ")
    assert "the bundled fonts cannot print it" in found[0]


def test_covered_scripts_are_accepted(tmp_path: Path) -> None:
    names = ["Nguyễn Thị Minh Khai", "Tsé Bitʼaʼí Yázhí", "Łukasz Đặng", "Zoë O’Brien"]
    assert not fonts.missing_glyphs("".join(names))
    roster = load_roster(write(tmp_path, "name\n" + "\n".join(names) + "\n"))
    assert [r.name for r in roster] == names


def test_decomposed_accents_are_normalized(tmp_path: Path) -> None:
    [person] = load_roster(write(tmp_path, "name\nJose\u0301\n"))
    assert person.name == "José"


@pytest.mark.parametrize("name, code", [("Ana\x00Bo", "U+0000"), ("Ana\x07", "U+0007"),
                                        ("Ana\u2028Bo", "U+2028")])
def test_control_characters_in_names(tmp_path: Path, name: str, code: str) -> None:
    path = write(tmp_path, f'name\n"{name}"\n')
    [message] = problems(path)
    assert message.startswith(f"{path}:2: name: contains control character {code}")


def test_unclosed_quote_is_pointed_out(tmp_path: Path) -> None:
    path = write(tmp_path, 'name,role\nAna,Lead\n"Bo,Lead\nCy,Lead\n')
    [message] = problems(path)
    assert message.startswith(f"{path}:3: name: contains control character U+000A LINE FEED")
    assert "unclosed quote" in message


def test_skip_invalid(tmp_path: Path) -> None:
    path = write(tmp_path, "name,language\nAna,en\nBad,fr\n,es\nBo,es\n")
    roster = load_roster(path, skip_invalid=True)
    assert [r.name for r in roster] == ["Ana", "Bo"]
    assert roster.path == path
    assert [m.split(": ")[0] for m in roster.skipped] == [f"{path}:3", f"{path}:4"]


def test_skip_invalid_with_nobody_left_still_raises(tmp_path: Path) -> None:
    path = write(tmp_path, "name,language\nBad,fr\n")
    found = problems(path, skip_invalid=True)
    assert found[0].startswith(f"{path}:2: language:")
    assert found[-1].startswith(f"{path}: roster: no valid people (every row has a problem")


def test_library_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_roster(write(tmp_path, "name,language\nAna,en\nBad,fr\n", "cp1252"), skip_invalid=True)
    assert capsys.readouterr() == ("", "")
