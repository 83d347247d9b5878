"""Table files as planners save them: headers, encodings, ragged rows, bare YAML dates.

Each test breaks one thing in a private copy of ``tests/data/loader/`` and asserts the one
line a planner reads: the file, the row with the id it knows, and what to do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from models import ScenarioError, load_scenario

DATA = Path(__file__).parent / "data" / "loader"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "scenario"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def errors(folder: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder / "scenario.yaml")
    return [str(problem) for problem in caught.value.errors]


# -- bare YAML dates ---------------------------------------------------------------------


def test_a_bare_yaml_date_that_is_no_real_day_names_its_key(folder: Path) -> None:
    edit(folder / "scenario.yaml", "end: 2026-12-31}", "end: 2026-02-30}")
    assert errors(folder) == [
        "scenario.yaml: horizon.end: '2026-02-30' is not a real date "
        "(day is out of range for month)"
    ]


def test_a_bare_yaml_date_in_history_names_the_row(folder: Path) -> None:
    edit(folder / "scenario.yaml", "date: 2025-12-10}", "date: 2025-11-31}")
    assert errors(folder) == [
        "scenario.yaml: history[0] (A02, elearn).date: '2025-11-31' is not a real date "
        "(day is out of range for month)"
    ]


def test_a_date_far_from_today_is_an_error(folder: Path) -> None:
    edit(folder / "scenario.yaml", "end: 2026-12-31}", "end: 2926-12-31}")
    assert errors(folder) == [
        "scenario.yaml: horizon.end: '2926-12-31' is not in the years 1900 to 2199"
    ]


# -- headers -----------------------------------------------------------------------------


def test_a_header_in_capitals_names_each_required_column_and_its_near_miss(
    folder: Path,
) -> None:
    sessions = folder / "sessions.csv"
    lines = sessions.read_text(encoding="utf-8").splitlines(keepends=True)
    sessions.write_text(lines[0].upper() + "".join(lines[1:]), encoding="utf-8")
    assert errors(folder) == [
        "sessions.csv row 1 (header): no columns 'id' (the header has 'ID'), 'course' (the "
        "header has 'COURSE'), 'start' (the header has 'START'), 'capacity' (the header has "
        "'CAPACITY'), which every sessions row needs: add or rename them (column names are "
        "written as in the format, in lower case)"
    ]


def test_one_missing_column_without_a_near_miss(folder: Path) -> None:
    edit(
        folder / "members.csv", "id,name,tier,track,category,unit,", "id,name,tier,track,category,"
    )
    assert errors(folder) == [
        "members.csv row 1 (header): no column 'unit', which every members row needs: add or "
        "rename it (column names are written as in the format, in lower case)"
    ]


def test_a_header_cut_short_is_one_error_not_zero_rows(folder: Path) -> None:
    edit(folder / "sessions.csv", "seat_cost,fixed_cost,audience,location", "seat_cost,fixed_cost")
    assert errors(folder) == [
        "sessions.csv row 1 (header): the header has 9 columns but every row has more cells: "
        "a column name is missing from the header; add it"
    ]


def test_a_column_named_twice(folder: Path) -> None:
    edit(folder / "sessions.csv", ",audience,location", ",audience,course")
    assert errors(folder) == [
        "sessions.csv row 1 (header): column 'course' appears twice (columns 2 and 11); keep one"
    ]


def test_an_extra_column_close_to_one_of_the_format_gets_a_did_you_mean(folder: Path) -> None:
    edit(folder / "members.csv", ",available_until,", ",availabel_until,")
    loaded = load_scenario(folder / "scenario.yaml")
    assert [str(w) for w in loaded.warnings] == [
        "warning: members.csv: columns availabel_until are not part of members; kept, not used "
        "(availabel_until: did you mean available_until?)"
    ]


def test_a_sessions_table_with_a_header_and_no_rows_is_a_warning(folder: Path) -> None:
    sessions = folder / "sessions.csv"
    sessions.write_text(sessions.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(folder / "scenario.yaml")
    assert "warning: sessions.csv: the table has a header but no sessions rows" in [
        str(p) for p in raised.value.problems
    ]


def test_a_history_table_with_no_rows_is_the_usual_start(folder: Path) -> None:
    history = folder / "history.csv"
    history.write_text("member,course,date\n", encoding="utf-8")
    edit(
        folder / "scenario.yaml",
        "history:\n  - {member: A02, course: elearn, date: 2025-12-10}",
        "history: history.csv",
    )
    assert load_scenario(folder / "scenario.yaml").warnings == []


# -- rows --------------------------------------------------------------------------------


def test_a_row_with_a_cell_too_many_names_the_row_and_the_session(folder: Path) -> None:
    edit(folder / "sessions.csv", ",,,,网络大学", ",,,,网络大学,room 2")
    assert errors(folder) == [
        "sessions.csv row 4 (EL-06): 12 cells, but the header has 11 columns: put a value "
        "that holds a comma in double quotes, or delete the extra cell"
    ]


def test_a_quote_never_closed(folder: Path) -> None:
    edit(folder / "members.csv", "A02,王芳", 'A02,"王芳')
    assert errors(folder) == [
        "members.csv row 3: a double quote opens a cell that runs to the end of the file: "
        "close it, or delete it"
    ]


# -- encodings and file kinds ------------------------------------------------------------


def test_a_gb18030_table_is_read_with_a_note(folder: Path) -> None:
    members = folder / "members.csv"
    members.write_bytes(members.read_text(encoding="utf-8").encode("gb18030"))
    loaded = load_scenario(folder / "scenario.yaml")
    assert loaded.member_by_id["A02"].name == "王芳"
    assert [str(w) for w in loaded.warnings] == [
        "note: members.csv: read as GB18030 (Excel's Chinese encoding), not UTF-8; to silence "
        "this note, save it from the spreadsheet as 'CSV UTF-8 (comma delimited)'"
    ]


def test_a_file_in_no_known_encoding_names_the_row(folder: Path) -> None:
    members = folder / "members.csv"
    members.write_bytes(members.read_bytes() + b"A04,\xff\xfe,grassroots,,,U1\n")
    assert errors(folder) == [
        "members.csv row 5: byte 0xff is neither UTF-8 nor GB18030 text: save it from the "
        "spreadsheet as 'CSV UTF-8 (comma delimited)'"
    ]


def test_utf16_text_is_refused_with_what_to_do(folder: Path) -> None:
    members = folder / "members.csv"
    members.write_bytes(members.read_text(encoding="utf-8").encode("utf-16"))
    assert errors(folder) == [
        "members.csv: this is UTF-16 text (Excel's 'Unicode Text'), not CSV: save it from the "
        "spreadsheet as 'CSV UTF-8 (comma delimited)'"
    ]


def test_a_workbook_under_a_csv_name(folder: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["id", "tier", "unit"])
    book.save(folder / "members.csv")
    assert errors(folder) == [
        "members.csv: this is an Excel workbook, not CSV text: name it .xlsx, or save it from "
        "the spreadsheet as 'CSV UTF-8 (comma delimited)'"
    ]


def test_a_missing_sheet_lists_the_sheets(folder: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "2026"
    book.active.append(["id", "tier", "unit"])
    book.active.append(["A01", "middle", "U1"])
    book.save(folder / "members.xlsx")
    edit(folder / "scenario.yaml", "members: members.csv", "members: members.xlsx#2027")
    assert errors(folder) == [
        "members.xlsx#2027: the workbook has no sheet '2027'; its sheets are '2026'"
    ]


def test_a_broken_workbook(folder: Path) -> None:
    (folder / "members.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    edit(folder / "scenario.yaml", "members: members.csv", "members: members.xlsx")
    assert errors(folder) == [
        "members.xlsx: cannot be opened as an Excel workbook (.xlsx): save it again from the "
        "spreadsheet as 'Excel Workbook (*.xlsx)'"
    ]


# -- the command line: one line, exit 2, nothing written ----------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("scenario.yaml", "end: 2026-12-31}", "end: 2026-02-30}"),
        ("sessions.csv", "id,course,start", "ID,course,start"),
        ("sessions.csv", ",,,,网络大学", ",,,,网络大学,room 2"),
        ("members.csv", "A02,王芳", 'A02,"王芳'),
    ],
    ids=["bare-date", "header-capitals", "ragged-row", "open-quote"],
)
def test_solve_prints_one_line_exits_2_and_writes_nothing(
    folder: Path, tmp_path: Path, name: str, old: str, new: str
) -> None:
    edit(folder / name, old, new)
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        cli.main, ["solve", str(folder / "scenario.yaml"), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[-1] == "1 problem found; nothing was written."
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_previous_plan_saved_in_gb18030_is_read_with_a_note(folder: Path) -> None:
    previous = folder / "previous.csv"
    previous.write_bytes("member_id,session_id,member_name\nA01,ROT-04,张伟\n".encode("gb18030"))
    edit(folder / "scenario.yaml", "objective:", "previous: previous.csv\nobjective:")
    loaded = load_scenario(folder / "scenario.yaml")
    assert loaded.previous == [("A01", "ROT-04")]
    assert [str(w) for w in loaded.warnings] == [
        "note: previous.csv: read as GB18030 (Excel's Chinese encoding), not UTF-8; to silence "
        "this note, save it from the spreadsheet as 'CSV UTF-8 (comma delimited)'"
    ]
