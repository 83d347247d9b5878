"""The scenario generator: deterministic, valid, realistic, and fast at company scale."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from models import LoadedScenario, load_scenario
from models.families import FAMILIES
from models.generate import CATEGORIES, REGION_SIZE, draw_company, generate_scenario
from models.scenario import Scenario

COMPANY = Path(__file__).parent.parent / "scenarios" / "company"
FILES = ("scenario.yaml", "members.csv", "sessions.csv", "history.csv", "teams.csv")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mid-sized company over three years, generated once for the module."""
    return generate_scenario(tmp_path_factory.mktemp("gen"), 600, 3, seed=11)


@pytest.fixture(scope="module")
def scenario(generated: Path) -> LoadedScenario:
    return load_scenario(generated)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate_scenario(tmp_path / "a", 300, 2, seed=5).parent
    second = generate_scenario(tmp_path / "b", 300, 2, seed=5).parent
    assert _bytes(first) == _bytes(second)


def test_different_seeds_give_different_files(tmp_path: Path) -> None:
    first = generate_scenario(tmp_path / "a", 300, 2, seed=5).parent
    second = generate_scenario(tmp_path / "b", 300, 2, seed=6).parent
    assert (first / "members.csv").read_bytes() != (second / "members.csv").read_bytes()
    assert (first / "sessions.csv").read_bytes() != (second / "sessions.csv").read_bytes()


def test_loads_without_errors_or_warnings(scenario: LoadedScenario) -> None:
    assert len(scenario.members) == 600
    assert scenario.horizon.start == dt.date(2025, 1, 1)
    assert scenario.horizon.end == dt.date(2027, 12, 31)
    assert scenario.warnings == []


def test_every_tier_and_category_is_present(scenario: LoadedScenario) -> None:
    tiers = Counter(member.tier for member in scenario.members)
    categories = {member.category for member in scenario.members}
    assert set(tiers) == {"leadership", "middle", "grassroots"}
    # 3% and 17% of 600.
    assert tiers["leadership"] == 18
    assert tiers["middle"] == 102
    assert categories == {*CATEGORIES, "general"}
    assert {member.track for member in scenario.members} == {"management", "technical"}


def test_units_and_teams_have_realistic_sizes(scenario: LoadedScenario) -> None:
    units = Counter(member.unit for member in scenario.members)
    teams = Counter(member.team for member in scenario.members)
    assert all(15 <= size <= 40 for size in units.values())
    assert all(5 <= size <= 15 for size in teams.values())
    # Every branch has its secretary.
    secretaries = Counter(m.unit for m in scenario.members if m.category == "branch_secretary")
    assert set(secretaries) == set(units)


def test_operations_teams_black_out_the_peaks(scenario: LoadedScenario) -> None:
    blackouts = [entry for entry in scenario.team_limits if entry.blackout]
    assert len(blackouts) == 1 and blackouts[0].teams
    days = {day for span in blackouts[0].blackout for day in span.each_day()}
    for year in (2025, 2026, 2027):
        assert dt.date(year, 7, 15) in days  # summer peak
        assert dt.date(year, 1, 20) in days  # winter peak
        assert dt.date(year, 4, 15) not in days
    shifts = [entry for entry in scenario.team_limits if entry.max_away == 1]
    assert len(shifts) == 1 and shifts[0].teams
    general = [entry for entry in scenario.team_limits if entry.teams is None]
    assert general and 0.2 <= (general[0].max_away_share or 0) <= 0.34


def test_members_join_leave_and_take_leave(scenario: LoadedScenario) -> None:
    start, end = scenario.horizon.start, scenario.horizon.end
    joiners = [m for m in scenario.members if m.available_from and m.available_from > start]
    leavers = [m for m in scenario.members if m.available_until and m.available_until < end]
    assert joiners and all(m.joined == m.available_from for m in joiners)
    assert leavers
    assert any(m.unavailable for m in scenario.members)
    assert any(m.avoid for m in scenario.members)


def test_sessions_cover_every_course_and_requirement(scenario: LoadedScenario) -> None:
    offered = {session.course for session in scenario.sessions}
    assert offered == set(scenario.course_by_id)
    for requirement in scenario.requirements:
        assert set(requirement.courses or []) <= offered
    joint = [s for s in scenario.sessions if s.course == "joint"]
    assert all(s.audience.units and len(s.audience.units) == 1 for s in joint)
    trips = [s for s in scenario.sessions if s.course == "red_trip"]
    assert all(s.location and s.seat_cost and s.fixed_cost and s.min_size for s in trips)


def test_mentors_are_near_retirement_and_in_another_team(scenario: LoadedScenario) -> None:
    assert scenario.together
    for pair in scenario.together:
        mentor, mentee = (scenario.member_by_id[m] for m in pair.members)
        assert pair.course == "mentoring"
        assert mentor.category == "near_retirement"
        assert mentee.category in ("new_graduate", "young_activist")
        assert mentor.team != mentee.team


def test_history_lies_before_the_horizon(scenario: LoadedScenario) -> None:
    assert scenario.history
    assert all(row.date < scenario.horizon.start for row in scenario.history)


def test_company_scale_session_count(tmp_path: Path) -> None:
    loaded = load_scenario(generate_scenario(tmp_path, 2024, 5, seed=2025))
    assert 600 <= len(loaded.sessions) <= 900
    assert not [p for p in loaded.warnings if p.severity == "error"]


@pytest.mark.slow
def test_twenty_thousand_members(tmp_path: Path) -> None:
    path = generate_scenario(tmp_path, 20000, 5, seed=1)
    with open(path.parent / "members.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 20000
    assert len({row["id"] for row in rows}) == 20000


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> LoadedScenario:
    """A province of 6,000 members over three years, generated and loaded once."""
    return load_scenario(generate_scenario(tmp_path_factory.mktemp("province"), 6000, 3, seed=7))


def _regions(scenario: Scenario) -> dict[str, set[str]]:
    """The units named by the audiences of each region's sessions, by id prefix (R01, ...)."""
    regions: dict[str, set[str]] = {}
    for session in scenario.sessions:
        if session.course not in ("elearn", "joint"):
            assert re.fullmatch(r"R\d\d-.+", session.id), session.id
            units = set(session.audience.units or ())
            assert units, f"{session.id} is open to the whole province"
            regions.setdefault(session.id[:3], units)
            assert units == regions[session.id[:3]], session.id
    return regions


def _audience_pairs(scenario: Scenario) -> int:
    """Member-session pairs that course and session audiences allow, presence aside.

    Members alike in tier, category and unit are counted together, so a province is quick.
    """
    alike = Counter((m.tier, m.category, m.unit) for m in scenario.members)
    example = {(m.tier, m.category, m.unit): m for m in scenario.members}
    by_unit: dict[str, list[tuple[str, str, str]]] = {}
    for key in alike:
        by_unit.setdefault(key[2], []).append(key)
    total = 0
    for session in scenario.sessions:
        course = scenario.course_by_id[session.course]
        units = session.audience.units
        keys = [key for unit in units for key in by_unit[unit]] if units else list(alike)
        total += sum(
            alike[key]
            for key in keys
            if course.audience.matches(example[key]) and session.audience.matches(example[key])
        )
    return total


@pytest.mark.slow
def test_province_is_split_into_regions_of_whole_units(province: LoadedScenario) -> None:
    assert province.warnings == []
    assert province.name == "某省电力公司党员教育培训三年规划 2025-2027"
    regions = _regions(province)
    assert len(regions) >= 2
    order = sorted({member.unit for member in province.members})
    # Every unit in exactly one region, the regions consecutive in unit order.
    assert sorted(unit for units in regions.values() for unit in units) == order
    assert sorted(order.index(unit) for unit in regions["R01"]) == list(range(len(regions["R01"])))
    for code, units in sorted(regions.items()):
        positions = sorted(order.index(unit) for unit in units)
        assert positions == list(range(positions[0], positions[-1] + 1)), code
        size = sum(1 for member in province.members if member.unit in units)
        assert 0.75 * REGION_SIZE <= size <= 1.25 * REGION_SIZE, code


def test_each_region_holds_every_class_for_its_own_members(province: LoadedScenario) -> None:
    regions = _regions(province)
    regional = {s.course for s in province.sessions} - {"elearn", "joint"}
    for code, units in regions.items():
        sessions = [s for s in province.sessions if s.id.startswith(code)]
        assert {s.course for s in sessions} == regional, code
        assert all(s.location for s in sessions)
        # One rotation seat per member of the region over the horizon.
        seats = sum(s.capacity for s in sessions if s.course == "rotation")
        assert seats >= sum(1 for member in province.members if member.unit in units), code


def test_elearning_stays_one_province_wide_series(province: LoadedScenario) -> None:
    elearning = [s for s in province.sessions if s.course == "elearn"]
    assert len(elearning) == 12 * 3
    assert all(s.audience.is_everyone and s.capacity == 6000 for s in elearning)
    joint = [s for s in province.sessions if s.course == "joint"]
    assert all(s.audience.units and len(s.audience.units) == 1 for s in joint)


def test_mentoring_pairs_share_a_region_and_its_sessions(province: LoadedScenario) -> None:
    assert province.together
    region_of = {unit: code for code, units in _regions(province).items() for unit in units}
    mentoring = [s for s in province.sessions if s.course == "mentoring"]
    for pair in province.together:
        mentor, mentee = (province.member_by_id[m] for m in pair.members)
        assert region_of[mentor.unit] == region_of[mentee.unit], pair.members
        shared = [s for s in mentoring if s.audience.matches(mentor) and s.audience.matches(mentee)]
        assert len(shared) == 2 * 3, pair.members  # both mentoring days of every year


@pytest.mark.slow
def test_province_grows_linearly(province: LoadedScenario, tmp_path: Path) -> None:
    # A member of a province may attend about as many sessions as one of a single company;
    # open to the whole province, each would have twice as many at 6,000 members.
    company = load_scenario(generate_scenario(tmp_path, 2000, 3, seed=7))
    per_member_company = _audience_pairs(company) / len(company.members)
    per_member_province = _audience_pairs(province) / len(province.members)
    assert per_member_province <= 1.15 * per_member_company


@pytest.mark.slow
def test_a_company_of_three_thousand_is_not_split(tmp_path: Path) -> None:
    loaded = load_scenario(generate_scenario(tmp_path, 3000, 2, seed=4))
    assert loaded.name == "某供电公司党员教育培训二年规划 2025-2026"
    assert not [s.id for s in loaded.sessions if s.id.startswith("R0")]
    assert not [s.id for s in loaded.sessions if s.course != "joint" and s.audience.units]


def test_too_few_members_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 30"):
        generate_scenario(tmp_path, 10, 5, seed=1)


def test_draw_company_draws_what_is_written(tmp_path: Path) -> None:
    structure = FAMILIES["tight-teams"].structure
    company = draw_company(300, 2, seed=5, structure=structure)
    folder = generate_scenario(tmp_path, 300, 2, seed=5, structure=structure).parent
    with open(folder / "members.csv", encoding="utf-8", newline="") as handle:
        members = [(row["id"], row["team"]) for row in csv.DictReader(handle)]
    with open(folder / "sessions.csv", encoding="utf-8", newline="") as handle:
        sessions = [(row["id"], row["capacity"]) for row in csv.DictReader(handle)]
    assert members == [(person.id, person.team.id) for person in company.people]
    assert sessions == [(s.id, str(s.capacity)) for s in company.sessions]


def test_committed_company_scenario_is_up_to_date(tmp_path: Path) -> None:
    # Regenerate rather than edit scenarios/company by hand; this catches drift either way.
    fresh = generate_scenario(tmp_path, 2024, 5, seed=2025).parent
    assert _bytes(fresh) == _bytes(COMPANY)


def test_cli_generate(tmp_path: Path) -> None:
    out = tmp_path / "company"
    args = ["generate", str(out), "--members", "200", "--years", "2", "--seed", "3"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert all((out / name).is_file() for name in FILES)
    assert load_scenario(out / "scenario.yaml").name == "某供电公司党员教育培训二年规划 2025-2026"


def test_cli_generate_bad_arguments_are_one_line(tmp_path: Path) -> None:
    args = ["generate", str(tmp_path), "--members", "5", "--years", "2", "--seed", "3"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.strip() == "Error: --members must be at least 30 (got 5)"


def test_cli_generate_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["generate", "--help"])
    assert "Example: rotaplan generate" in result.output
