"""Bad input: every problem is reported, one line each, naming where it is.

Each test takes the small valid scenario of ``tests/data/loader/``, breaks one thing in
a private copy, and asserts the exact place: the file and the row as a spreadsheet shows
it (the header is row 1), or the key path inside the scenario file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import cli
from models import ScenarioError, load_scenario

DATA = Path(__file__).parent / "data" / "loader"
SCENARIO, MEMBERS, SESSIONS = "scenario.yaml", "members.csv", "sessions.csv"


class Folder:
    """A private copy of the small scenario with a one-line edit applied."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(DATA, root)

    @property
    def scenario(self) -> Path:
        return self.root / SCENARIO

    def edit(self, name: str, old: str, new: str) -> Folder:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return self

    def problems(self) -> list[str]:
        """The error lines loading reports (the scenario must not load)."""
        with pytest.raises(ScenarioError) as caught:
            load_scenario(self.scenario)
        return [str(problem) for problem in caught.value.errors]


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    return Folder(tmp_path / "scenario")


def test_the_unbroken_scenario_loads_without_warnings(folder: Folder) -> None:
    assert load_scenario(folder.scenario).warnings == []


# -- the scenario file: keys and syntax ------------------------------------------------


def test_unknown_top_level_key(folder: Folder) -> None:
    folder.edit(SCENARIO, "closed:", "closd:")
    assert folder.problems() == [
        "scenario.yaml: closd: unknown key 'closd'; did you mean 'closed'?"
    ]


def test_missing_top_level_key(folder: Folder) -> None:
    folder.edit(SCENARIO, "sessions: sessions.csv\n", "")
    assert folder.problems() == ["scenario.yaml: missing required key 'sessions'"]


def test_unknown_key_in_a_course(folder: Folder) -> None:
    folder.edit(SCENARIO, "hours: 8, away: false", "hours: 8, awy: false")
    assert folder.problems() == [
        "scenario.yaml: courses[1] (elearn).awy: unknown key (value False); did you mean 'away'?"
    ]


def test_invalid_yaml_names_the_line(folder: Folder) -> None:
    folder.edit(SCENARIO, "name: 加载测试", "name: 加载: 测试")  # line 4 of the file
    problems = folder.problems()
    assert len(problems) == 1
    assert problems[0].startswith("scenario.yaml line 4: not valid YAML: ")


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "scenario")
    path = tmp_path / "scenario" / "scenario.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"closed": [', '"closed": [,'), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert [str(p) for p in caught.value.errors] == [
        "scenario.json line 5: not valid JSON: Expecting value"
    ]


# -- table rows -----------------------------------------------------------------------


def test_member_without_tier(folder: Folder) -> None:
    folder.edit(MEMBERS, "A02,王芳,grassroots,", "A02,王芳,,")
    assert folder.problems() == ["members.csv row 3 (A02), column tier: missing required field"]


def test_member_without_tier_in_xlsx(folder: Folder) -> None:
    members = pd.read_csv(folder.root / MEMBERS, dtype=str, keep_default_na=False)
    members.loc[2, "tier"] = ""
    members.to_excel(folder.root / "members.xlsx", index=False)
    folder.edit(SCENARIO, "members: members.csv", "members: members.xlsx")
    assert folder.problems() == ["members.xlsx row 4 (A03), column tier: missing required field"]


def test_bad_date_in_a_row(folder: Folder) -> None:
    folder.edit(SESSIONS, "ROT-10,rotation,2026-10-20", "ROT-10,rotation,2026-13-20")
    assert folder.problems() == [
        "sessions.csv row 3 (ROT-10), column start: '2026-13-20' is not a real date (month must be in 1..12)"
    ]


def test_date_in_another_format(folder: Folder) -> None:
    folder.edit(MEMBERS, "2025-11-01", "01.11.2025")
    assert folder.problems() == [
        "members.csv row 3 (A02), column joined: '01.11.2025' is not a date in the form YYYY-MM-DD"
    ]


def test_range_ending_before_it_starts(folder: Folder) -> None:
    folder.edit(MEMBERS, "2026-09-01/2026-09-05", "2026-09-05/2026-09-01")
    assert folder.problems() == [
        "members.csv row 3 (A02), column unavailable: range 2026-09-05/2026-09-01 ends before it starts"
    ]


def test_session_ending_before_it_starts(folder: Folder) -> None:
    folder.edit(SESSIONS, "2026-10-20,2026-10-22", "2026-10-22,2026-10-20")
    assert folder.problems() == [
        "sessions.csv row 3 (ROT-10): end 2026-10-20 is before start 2026-10-22"
    ]


def test_horizon_ending_before_it_starts(folder: Folder) -> None:
    folder.edit(SCENARIO, "end: 2026-12-31}", "end: 2025-12-31}")
    assert folder.problems() == [
        "scenario.yaml: horizon: horizon ends (2025-12-31) before it starts (2026-01-01)"
    ]


def test_fixed_window_ending_before_it_starts(folder: Folder) -> None:
    folder.edit(
        SCENARIO,
        "window: {joining_days: 180}",
        "window: {from: 2026-06-30, to: 2026-03-01}",
    )
    assert folder.problems() == [
        "scenario.yaml: requirements[2] (orient).window: window ends (2026-03-01) before it starts "
        "(2026-06-30)"
    ]


# -- ids and references ---------------------------------------------------------------


def test_duplicate_member_id(folder: Folder) -> None:
    folder.edit(MEMBERS, "A03,李强", "A01,李强")
    problems = folder.problems()
    assert (
        problems[0]
        == "members.csv row 4 (A01): duplicate member id 'A01' (first at members.csv row 2)"
    )


def test_duplicate_session_id(folder: Folder) -> None:
    folder.edit(SESSIONS, "EL-06,", "ROT-04,")
    assert folder.problems() == [
        "sessions.csv row 4 (ROT-04): duplicate session id 'ROT-04' (first at sessions.csv row 2)"
    ]


@pytest.mark.parametrize(
    ("name", "old", "new", "problem"),
    [
        (
            SESSIONS,
            "EL-06,elearn",
            "EL-06,elearning",
            "sessions.csv row 4 (EL-06): unknown course 'elearning'",
        ),
        (
            SCENARIO,
            "courses: [rotation], weight",
            "courses: [rotaton], weight",
            "scenario.yaml: requirements[0] (rotate): unknown course 'rotaton'; did you mean 'rotation'?",
        ),
        (
            SCENARIO,
            "{member: A01, session: ROT-04}",
            "{member: A09, session: ROT-04}",
            "scenario.yaml: pinned[0] (A09, ROT-04): unknown member 'A09'",
        ),
        (
            SCENARIO,
            "{member: A01, session: ROT-04}",
            "{member: A01, session: ROT-05}",
            "scenario.yaml: pinned[0] (A01, ROT-05): unknown session 'ROT-05'",
        ),
        (
            SCENARIO,
            "{member: A02, course: elearn",
            "{member: B02, course: elearn",
            "scenario.yaml: history[0] (B02, elearn): unknown member 'B02'",
        ),
        (
            SCENARIO,
            "{member: A02, course: elearn",
            "{member: A02, course: elarn",
            "scenario.yaml: history[0] (A02, elarn): unknown course 'elarn'; did you mean 'elearn'?",
        ),
        (
            SCENARIO,
            "members: [A01, A02]",
            "members: [A01, A07]",
            "scenario.yaml: together[0] (rotation): unknown member 'A07'",
        ),
        (
            SCENARIO,
            "{course: rotation, members",
            "{course: rotaton, members",
            "scenario.yaml: together[0] (rotaton): unknown course 'rotaton'; did you mean 'rotation'?",
        ),
    ],
    ids=[
        "session-course",
        "requirement-course",
        "pinned-member",
        "pinned-session",
        "history-member",
        "history-course",
        "together-member",
        "together-course",
    ],
)
def test_reference_to_something_unknown(
    folder: Folder, name: str, old: str, new: str, problem: str
) -> None:
    folder.edit(name, old, new)
    assert folder.problems() == [problem]


# -- sessions -------------------------------------------------------------------------


def test_session_outside_the_horizon(folder: Folder) -> None:
    folder.edit(SESSIONS, "EL-06,elearn,2026-06-12", "EL-06,elearn,2027-01-12")
    assert folder.problems() == [
        "sessions.csv row 4 (EL-06): 2027-01-12/2027-01-12 lies outside the horizon "
        "2026-01-01/2026-12-31"
    ]


def test_session_on_a_closed_day(folder: Folder) -> None:
    folder.edit(SESSIONS, "2026-10-20,2026-10-22", "2026-09-30,2026-10-02")
    assert folder.problems() == [
        "sessions.csv row 3 (ROT-10): runs on closed days 2026-10-01/2026-10-07"
    ]


def test_min_size_above_capacity(folder: Folder) -> None:
    folder.edit(SESSIONS, "2026-10-22,10,2", "2026-10-22,10,12")
    assert folder.problems() == ["sessions.csv row 3 (ROT-10): min_size 12 is above capacity 10"]


# -- numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "problem"),
    [
        (
            SESSIONS,
            "2026-10-22,10,2",
            "2026-10-22,-1,0",
            "sessions.csv row 3 (ROT-10), column capacity: input should be greater than or equal to 1 "
            "(got '-1')",
        ),
        (
            SESSIONS,
            "2026-10-22,10,2,,300",
            "2026-10-22,10,2,,-300",
            "sessions.csv row 3 (ROT-10), column seat_cost: input should be greater than or equal to 0 "
            "(got '-300')",
        ),
        (
            SCENARIO,
            "weight: 10",
            "weight: -1",
            "scenario.yaml: requirements[0] (rotate).weight: input should be greater than or equal to 1 "
            "(got -1)",
        ),
        (
            SCENARIO,
            "max_days_per_year: 10",
            "max_days_per_year: -3",
            "scenario.yaml: limits[0].max_days_per_year: input should be greater than or equal "
            "to 0 (got -3)",
        ),
    ],
    ids=["capacity", "seat_cost", "weight", "limit"],
)
def test_negative_number(folder: Folder, name: str, old: str, new: str, problem: str) -> None:
    folder.edit(name, old, new)
    assert folder.problems() == [problem]


# -- eligibility and selectors --------------------------------------------------------


def test_pinned_pair_that_is_not_eligible(folder: Folder) -> None:
    # ROT-10 is for unit U1 only; A03 works in U2.
    folder.edit(SCENARIO, "{member: A01, session: ROT-04}", "{member: A03, session: ROT-10}")
    assert folder.problems() == [
        "scenario.yaml: pinned[0] (A03, ROT-10): A03 is pinned to ROT-10 but may not attend it: "
        "not in the audience of session ROT-10 (units: U1)"
    ]


def test_selector_matching_no_member_is_a_warning(folder: Folder) -> None:
    folder.edit(SCENARIO, "who: {tracks: [technical]}", "who: {tracks: [tech]}")
    loaded = load_scenario(folder.scenario)
    assert [str(w) for w in loaded.warnings] == [
        "warning: scenario.yaml: requirements[1] (hours).who: tracks tech match no member"
    ]
    assert loaded.requirement_by_id["hours"].who.tracks == ("tech",)


def test_selector_in_a_csv_cell_matching_no_member_is_a_warning(folder: Folder) -> None:
    folder.edit(SESSIONS, "{units: [U1]}", "{units: [U9]}")
    loaded = load_scenario(folder.scenario)
    assert [str(w) for w in loaded.warnings] == [
        "warning: sessions.csv row 3 (ROT-10), column audience: units U9 match no member"
    ]


# -- all at once ----------------------------------------------------------------------


def test_row_problems_come_together_then_cross_checks(folder: Folder) -> None:
    folder.edit(SESSIONS, "EL-06,elearn", "EL-06,elearning")
    folder.edit(MEMBERS, "A03,李强", "A01,李强")
    folder.edit(SCENARIO, "weight: 10", "weight: 0")
    problems = folder.problems()
    # Checks across rows (ids, references) need every row read, so a row that cannot be
    # read is reported first, alone; once it is fixed, every cross-check problem follows
    # at once. Checking references against half-read tables would report false ones.
    assert problems == [
        "scenario.yaml: requirements[0] (rotate).weight: input should be greater than or equal to 1 (got 0)"
    ]
    folder.edit(SCENARIO, "weight: 0", "weight: 10")
    assert folder.problems() == [
        "members.csv row 4 (A01): duplicate member id 'A01' (first at members.csv row 2)",
        "sessions.csv row 4 (EL-06): unknown course 'elearning'",
    ]


# -- the command line -----------------------------------------------------------------


def _broken(folder: Folder) -> Folder:
    """Three problems in three places."""
    folder.edit(MEMBERS, "A02,王芳,grassroots,", "A02,王芳,,")
    folder.edit(SESSIONS, "ROT-10,rotation,2026-10-20", "ROT-10,rotation,2026-13-20")
    return folder.edit(SCENARIO, "hours: 8, away: false", "hours: 8, awy: false")


EXPECTED_LINES = [
    "scenario.yaml: courses[1] (elearn).awy: unknown key (value False); did you mean 'away'?",
    "members.csv row 3 (A02), column tier: missing required field",
    "sessions.csv row 3 (ROT-10), column start: '2026-13-20' is not a real date (month must be in 1..12)",
]


def test_validate_prints_one_line_per_problem_and_exits_2(folder: Folder) -> None:
    result = CliRunner().invoke(cli.main, ["validate", str(_broken(folder).scenario)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert sorted(lines[:-1]) == sorted(EXPECTED_LINES)
    assert lines[-1] == "3 problems found; nothing was written."
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_solve_on_bad_input_exits_2_and_writes_nothing(folder: Folder, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        cli.main, ["solve", str(_broken(folder).scenario), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 2
    assert sorted(result.stderr.splitlines()[:-1]) == sorted(EXPECTED_LINES)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_validate_on_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.main, ["validate", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nowhere.yaml'}: no such file" in result.stderr
    assert "Traceback" not in result.output
