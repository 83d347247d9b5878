"""Annual timetables: the workbook, the CSV tables and the calendars hold what the plan holds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from rotation_scenario import COURSE_LABELS, rotation_scenario

from checker import check_plan, read_assignments
from cli import main
from models import load_scenario
from solver import Plan, SolveOptions, solve
from solver.explain.messages import CATALOGUE, LANGUAGES
from solver.output import write_plan
from solver.output.folder import OutputFolderError
from solver.output.timetable import build_timetable, write_timetables
from solver.output.timetable_data import TimetableError
from solver.output.timetable_xlsx import SheetNames

YEARS = [2025, 2026, 2027]


@pytest.fixture(scope="module")
def solved() -> Plan:
    """The 60-member, three-year rotation scenario, solved and checked."""
    scenario = load_scenario(rotation_scenario())
    plan = solve(scenario, SolveOptions(time_limit=10, workers=2))
    assert plan.has_plan
    assert check_plan(scenario, plan.pairs).violations == []
    return plan


def _year_pairs(plan: Plan, year: int) -> set[tuple[str, str]]:
    sessions = plan.scenario.session_by_id
    return {(m, s) for m, s in plan.pairs if sessions[s].start.year == year}


# -- XLSX --------------------------------------------------------------------------------


def test_xlsx_holds_every_assignment_of_its_year(solved: Plan, tmp_path: Path) -> None:
    written = write_timetables(solved.scenario, solved.pairs, tmp_path)
    assert written == [tmp_path / f"timetable-{year}.xlsx" for year in YEARS]
    for year, path in zip(YEARS, written, strict=True):
        workbook = load_workbook(path)
        expected = _year_pairs(solved, year)
        assert expected, f"the plan has nothing in {year}: the test would prove nothing"
        assert _roster_pairs(workbook) == expected
        assert _unit_pairs(workbook, ["U1", "U2", "U3"]) == expected
        calendar = _rows(workbook["Calendar"], header_row=1)
        year_sessions = [s for s in solved.scenario.sessions if s.start.year == year]
        assert sorted(r["session_id"] for r in calendar) == sorted(s.id for s in year_sessions)
        for row in calendar:
            session = solved.scenario.session_by_id[row["session_id"]]
            # Dates are real dates, and labels are the scenario's Chinese labels.
            assert row["start"].date() == session.start
            assert row["end"].date() == session.last_day
            assert row["course_label"] == COURSE_LABELS[session.course]
            attendees = sum(1 for _, s in expected if s == session.id)
            assert (row["attendees"], row["capacity"]) == (attendees, session.capacity)


def _rows(sheet: Worksheet, header_row: int, lang: str = "en") -> list[dict[str, Any]]:
    """A sheet's rows under the column ids its headers translate."""
    column_of = {
        text[LANGUAGES.index(lang)]: key.removeprefix("column.")
        for key, text in CATALOGUE.items()
        if key.startswith("column.")
    }
    values = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header = [column_of[str(name)] for name in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def _roster_pairs(workbook: Workbook) -> set[tuple[str, str]]:
    """Each roster sheet, reached by the calendar's link, names its session in its title."""
    pairs = set()
    for cell in workbook["Calendar"]["N"][1:]:
        if cell.hyperlink is None:
            continue
        sheet = workbook[cell.hyperlink.location.split("!")[0].strip("'")]
        session_id = sheet["A1"].value.split(" · ")[0]
        assert sheet.freeze_panes == "A3"
        pairs |= {(row["member_id"], session_id) for row in _rows(sheet, header_row=2)}
    return pairs


def _unit_pairs(workbook: Workbook, units: list[str]) -> set[tuple[str, str]]:
    pairs = set()
    for unit in units:
        rows = _rows(workbook[f"Unit {unit}"], header_row=2)
        pairs |= {(row["member_id"], row["session_id"]) for row in rows}
    return pairs


def test_xlsx_sheets_have_frozen_headers_and_fitted_widths(solved: Plan, tmp_path: Path) -> None:
    [path] = write_timetables(solved.scenario, solved.pairs, tmp_path, years=[2026])
    workbook = load_workbook(path)
    assert workbook.sheetnames[:5] == ["Calendar", "Coverage", "Unit U1", "Unit U2", "Unit U3"]
    assert workbook["Calendar"].freeze_panes == "A2"
    assert workbook["Coverage"].freeze_panes == "A2"
    assert workbook["Calendar"]["E2"].number_format == "yyyy-mm-dd"
    # The course label column fits 党员集中轮训班: seven wide characters, two columns each.
    assert workbook["Calendar"].column_dimensions["D"].width >= 14
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_sheet_names_are_excel_safe_and_unique() -> None:
    names = SheetNames()
    assert names.claim("Calendar") == "Calendar"
    assert names.claim("calendar") == "calendar~2"  # Excel ignores case
    assert names.claim("a/b:c*d?e[f]g\\h") == "a_b_c_d_e_f_g_h"
    assert names.claim("History") == "History_"  # Excel's own
    long = "第一党支部" * 10
    first, second = names.claim(long), names.claim(long)
    assert len(first) == len(second) == 31 and first != second
    assert names.claim("'quoted'") == "quoted"


# -- coverage ----------------------------------------------------------------------------


def test_coverage_counts_due_planned_and_still_due() -> None:
    # Three general members and one secretary must attend the rotation once in 2025-2026.
    # A goes in 2025, B and the secretary S in 2026, C never. In 2025 all four are due,
    # A is planned, B, C and S are still due; in 2026 B, C and S are due, B and S planned,
    # C still due.
    scenario = load_scenario(
        {
            "version": 1,
            "horizon": {"start": "2025-01-01", "end": "2026-12-31"},
            "members": [
                {"id": m, "tier": "grassroots", "unit": "U1", "category": c}
                for m, c in (("A", "general"), ("B", "general"), ("C", "general"))
            ]
            + [{"id": "S", "tier": "grassroots", "unit": "U2", "category": "branch_secretary"}],
            "courses": [{"id": "rotation", "hours": 24}],
            "sessions": [
                {"id": "R25", "course": "rotation", "start": "2025-05-06", "capacity": 5},
                {"id": "R26", "course": "rotation", "start": "2026-05-06", "capacity": 5},
            ],
            "requirements": [{"id": "rotate", "courses": ["rotation"], "label": "轮训"}],
        }
    )
    pairs = [("A", "R25"), ("B", "R26"), ("S", "R26")]

    def counts(year: int, unit: str | None = None) -> dict[str, list[int]]:
        frame = build_timetable(scenario, pairs, year, unit).coverage
        return {
            row["category"]: [row["members"], row["due"], row["planned"], row["still_due"]]
            for row in frame.to_dict("records")
        }

    assert counts(2025) == {"general": [3, 3, 1, 2], "branch_secretary": [1, 1, 0, 1]}
    assert counts(2026) == {"general": [3, 2, 1, 1], "branch_secretary": [1, 1, 1, 0]}
    assert counts(2026, unit="U2") == {"branch_secretary": [1, 1, 1, 0]}
    assert list(build_timetable(scenario, pairs, 2026).coverage["requirement_label"]) == [
        "轮训",
        "轮训",
    ]


# -- one unit, and refusals ---------------------------------------------------------------


def test_unit_timetable_holds_only_that_unit(solved: Plan) -> None:
    timetable = build_timetable(solved.scenario, solved.pairs, 2026, unit="U2")
    members = solved.scenario.member_by_id
    expected = {(m, s) for m, s in _year_pairs(solved, 2026) if members[m].unit == "U2"}
    assert (
        set(zip(timetable.rosters["member_id"], timetable.rosters["session_id"], strict=True))
        == expected
    )
    assert set(timetable.units["unit"]) == {"U2"}
    assert set(timetable.calendar["session_id"]) == {s for _, s in expected}
    for row in timetable.calendar.to_dict("records"):
        assert row["unit_attendees"] == sum(1 for _, s in expected if s == row["session_id"])
        assert row["unit_attendees"] <= row["attendees"]
    assert timetable.stem == "timetable-2026-U2"


def test_refuses_years_units_and_plans_the_scenario_does_not_have(solved: Plan) -> None:
    with pytest.raises(TimetableError, match="outside the plan's horizon"):
        build_timetable(solved.scenario, solved.pairs, 2031)
    with pytest.raises(TimetableError, match="unit 'U9'"):
        build_timetable(solved.scenario, solved.pairs, 2026, unit="U9")
    with pytest.raises(TimetableError, match="another scenario"):
        build_timetable(solved.scenario, [*solved.pairs, ("M99", "ROT-2026-03")], 2026)
    with pytest.raises(TimetableError, match="unknown format"):
        write_timetables(solved.scenario, solved.pairs, Path("unused"), formats=("pdf",))


# -- CSV ---------------------------------------------------------------------------------


def test_csv_tables_start_with_a_bom_and_round_trip_chinese(solved: Plan, tmp_path: Path) -> None:
    [folder] = write_timetables(
        solved.scenario, solved.pairs, tmp_path, years=[2026], formats=("csv",)
    )
    assert folder == tmp_path / "timetable-2026"
    names = sorted(p.name for p in folder.iterdir() if p.name != ".rotaplan.json")
    assert names == ["calendar.csv", "coverage.csv", "rosters.csv", "units.csv"]
    for name in names:
        assert (folder / name).read_bytes().startswith(b"\xef\xbb\xbf")
    rosters = pd.read_csv(folder / "rosters.csv", encoding="utf-8-sig", dtype=str)
    assert set(zip(rosters["member_id"], rosters["session_id"], strict=True)) == _year_pairs(
        solved, 2026
    )
    members = solved.scenario.member_by_id
    for row in rosters.to_dict("records"):
        assert row["member_name"] == members[row["member_id"]].name
        assert row["course_label"] == COURSE_LABELS[row["course"]]
    coverage = pd.read_csv(folder / "coverage.csv", encoding="utf-8-sig")
    assert "书记每年党务培训" in set(coverage["requirement_label"])


# -- ICS ---------------------------------------------------------------------------------


def _events(folder: Path) -> dict[str, list]:
    calendars = {}
    for path in sorted(folder.glob("*.ics")):
        calendar = Calendar.from_ical(path.read_bytes())
        calendars[path.stem] = list(calendar.walk("VEVENT"))
    return calendars


def test_member_calendars_parse_back_to_the_same_events(solved: Plan, tmp_path: Path) -> None:
    [folder] = write_timetables(
        solved.scenario, solved.pairs, tmp_path, years=[2026], formats=("ics",)
    )
    expected = _year_pairs(solved, 2026)
    calendars = _events(folder)
    assert set(calendars) == {f"member-{m}" for m, _ in expected}
    sessions = solved.scenario.session_by_id
    for name, events in calendars.items():
        member_id = name.removeprefix("member-")
        mine = sorted((sessions[s] for m, s in expected if m == member_id), key=lambda s: s.start)
        assert len(events) == len(mine)
        events.sort(key=lambda e: e.decoded("dtstart"))
        for event, session in zip(events, mine, strict=True):
            # All-day events: DTEND is the day after the session's last day.
            assert event.decoded("dtstart") == session.start
            assert event.decoded("dtend") == session.last_day + dt.timedelta(days=1)
            assert str(event["summary"]) == COURSE_LABELS[session.course]
            assert str(event.get("location", "")) == (session.location or "")
    uids = [str(e["uid"]) for events in calendars.values() for e in events]
    assert len(uids) == len(set(uids)) == len(expected)
    # UIDs are stable: a rewrite updates events in calendar programs instead of adding copies.
    write_timetables(solved.scenario, solved.pairs, tmp_path, years=[2026], formats=("ics",))
    again = [str(e["uid"]) for events in _events(folder).values() for e in events]
    assert sorted(again) == sorted(uids)


def test_unit_calendars_have_one_event_per_session_the_unit_attends(
    solved: Plan, tmp_path: Path
) -> None:
    [folder] = write_timetables(
        solved.scenario, solved.pairs, tmp_path, years=[2026], formats=("ics",), per="unit"
    )
    assert folder == tmp_path / "calendars-2026-by-unit"
    members = solved.scenario.member_by_id
    calendars = _events(folder)
    assert set(calendars) == {"unit-U1", "unit-U2", "unit-U3"}
    for name, events in calendars.items():
        unit = name.removeprefix("unit-")
        attended = {s for m, s in _year_pairs(solved, 2026) if members[m].unit == unit}
        assert len(events) == len(attended)
        for event in events:
            assert "Attendees (" in str(event["description"])


# -- atomic writing and the command line ----------------------------------------------------


@pytest.mark.slow
def test_rewriting_replaces_files_whole_and_leaves_no_temporaries(
    solved: Plan, tmp_path: Path
) -> None:
    formats = ("xlsx", "csv", "ics")
    write_timetables(solved.scenario, solved.pairs, tmp_path, years=[2025], formats=formats)
    before = (tmp_path / "timetable-2025" / "calendar.csv").stat().st_ino
    write_timetables(solved.scenario, solved.pairs, tmp_path, years=[2025], formats=formats)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".rotaplan.json") == [
        "calendars-2025",
        "timetable-2025",
        "timetable-2025.xlsx",
    ]
    assert (tmp_path / "timetable-2025" / "calendar.csv").stat().st_ino != before


def test_rewriting_keeps_a_planners_file_and_refuses(solved: Plan, tmp_path: Path) -> None:
    write_timetables(solved.scenario, solved.pairs, tmp_path, years=[2025], formats=("csv",))
    (tmp_path / "timetable-2025" / "notes.csv").write_text("mine")
    with pytest.raises(OutputFolderError, match=r"notes\.csv"):
        write_timetables(solved.scenario, solved.pairs, tmp_path, years=[2025], formats=("csv",))
    assert (tmp_path / "timetable-2025" / "notes.csv").read_text() == "mine"


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "scenario.yaml"
    path.write_text(yaml.safe_dump(rotation_scenario(), allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.slow
def test_solve_writes_every_years_timetables(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    args = ["solve", str(scenario_file), "--out", str(out), "--time-limit", "10", "--workers", "2"]
    result = CliRunner().invoke(main, [*args, "--quiet", "--timetables", "xlsx,csv,ics"])
    assert result.exit_code == 0, result.output
    scenario = load_scenario(scenario_file)
    assert check_plan(scenario, read_assignments(out)).violations == []
    names = sorted(p.name for p in (out / "timetables").iterdir() if p.name != ".rotaplan.json")
    assert names == sorted(
        [f"timetable-{y}.xlsx" for y in YEARS]
        + [f"timetable-{y}" for y in YEARS]
        + [f"calendars-{y}" for y in YEARS]
    )
    bad = CliRunner().invoke(main, [*args, "--timetables", "xlsx,pdf"])
    assert bad.exit_code == 2 and "unknown timetable format(s) pdf" in bad.output


def test_timetable_command_finds_the_scenario(
    solved: Plan, scenario_file: Path, tmp_path: Path
) -> None:
    plan_dir = write_plan(solved, tmp_path / "plan")
    summary = json.loads((plan_dir / "summary.json").read_text(encoding="utf-8"))
    summary.pop("scenario_path", None)
    (plan_dir / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    runner = CliRunner()
    missing = runner.invoke(main, ["timetable", str(plan_dir), "--year", "2026"])
    assert missing.exit_code == 2 and "give --scenario" in missing.output

    given = ["--scenario", str(scenario_file), "--out", str(tmp_path / "mine.xlsx")]
    result = runner.invoke(main, ["timetable", str(plan_dir), "--year", "2026", *given])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "mine.xlsx").sheetnames[0] == "Calendar"

    summary["scenario_path"] = str(scenario_file.resolve())
    (plan_dir / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    args = ["timetable", str(plan_dir), "--year", "2027", "--unit", "U3", "--format", "ics"]
    result = runner.invoke(main, [*args, "--per", "unit"])
    assert result.exit_code == 0, result.output
    assert [
        p.name
        for p in (plan_dir / "timetables" / "calendars-2027-U3-by-unit").iterdir()
        if p.name != ".rotaplan.json"
    ] == ["unit-U3.ics"]
    outside = runner.invoke(main, ["timetable", str(plan_dir), "--year", "2031"])
    assert outside.exit_code == 2 and "outside the plan's horizon" in outside.output
