"""A plan folder's timetables (``solver.output.timetable_folder``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import RotaplanError, load_scenario
from solver.output import (
    recorded_scenario,
    timetable_formats,
    timetable_pairs,
    write_year_timetable,
)

MINI = Path(__file__).parent.parent / "data" / "mini"


def test_formats_are_read_as_a_planner_writes_them():
    assert timetable_formats(" XLSX, ics,,xlsx ") == ("xlsx", "ics")  # each once, in order
    assert timetable_formats("") == ()
    with pytest.raises(RotaplanError) as raised:
        timetable_formats("xlsx,pdf,odt")
    assert raised.value.lines() == ["unknown timetable format(s) pdf, odt; use xlsx, csv, ics"]


@pytest.mark.parametrize("summary", [None, "[1, 2]", '{"status": "OPTIMAL"}', "not json"])
def test_a_folder_that_records_no_scenario_asks_for_one(tmp_path, summary):
    if summary is not None:
        (tmp_path / "summary.json").write_text(summary, encoding="utf-8")
    with pytest.raises(RotaplanError) as raised:
        recorded_scenario(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'summary.json'} records no scenario_path: give --scenario SCENARIO"
    )


def test_the_recorded_scenario_is_the_path_in_the_summary(tmp_path):
    summary = {"status": "OPTIMAL", "scenario_path": "units/north.yaml"}
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    assert recorded_scenario(tmp_path) == "units/north.yaml"


def test_a_replanned_folder_shows_the_past_the_scenario_still_lists(tmp_path):
    scenario = load_scenario(MINI / "scenario.yaml")
    (tmp_path / "assignments.csv").write_text(
        "member_id,session_id\nE01,ROT-09\n", encoding="utf-8"
    )
    # ROT-04 is a session of the scenario; OLD-1 was cancelled since.
    (tmp_path / "history.csv").write_text(
        "member_id,session_id,course\nE02,ROT-04,rotation\nE03,OLD-1,rotation\n",
        encoding="utf-8",
    )
    assert timetable_pairs(scenario, tmp_path) == [("E01", "ROT-09"), ("E02", "ROT-04")]
    (tmp_path / "history.csv").unlink()
    assert timetable_pairs(scenario, tmp_path) == [("E01", "ROT-09")]


def test_one_year_goes_to_a_workbook_path_or_into_a_folder(tmp_path):
    scenario = load_scenario(MINI / "scenario.yaml")
    pairs = [("E01", "ROT-04"), ("E02", "ROT-09")]
    workbook = tmp_path / "year.xlsx"
    assert write_year_timetable(scenario, pairs, 2026, workbook) == [workbook]
    assert workbook.is_file()
    folder = tmp_path / "calendars"
    written = write_year_timetable(scenario, pairs, 2026, folder, "ics", per="unit", lang="zh")
    assert written == [folder / "calendars-2026-by-unit"]
    assert written[0].is_dir()
