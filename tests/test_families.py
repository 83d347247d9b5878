"""Scenario families: each loads and validates, is deterministic, and shapes what it says."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from models import load_scenario
from models.families import FAMILIES, Structure, settings_for
from models.generate import generate_scenario
from models.loader import LoadedScenario

FILES = ("scenario.yaml", "members.csv", "sessions.csv", "history.csv", "teams.csv")


def _generate(folder: Path, family: str, members: int = 150, years: int = 2, seed: int = 3) -> Path:
    structure = FAMILIES[family].structure
    return generate_scenario(folder, members, years, seed, structure=structure)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def _away_share(scenario: LoadedScenario) -> float:
    general = [entry for entry in scenario.team_limits if entry.teams is None]
    return general[0].max_away_share or 0.0


def _min_size_share(scenario: LoadedScenario) -> float:
    away = [s for s in scenario.sessions if scenario.is_away(s)]
    return sum(1 for s in away if s.min_size) / len(away)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, LoadedScenario]:
    """Every family at 150 members over two years, same seed, generated once."""
    folder = tmp_path_factory.mktemp("families")
    return {name: load_scenario(_generate(folder / name, name)) for name in FAMILIES}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_family_loads_without_problems(
    loaded: dict[str, LoadedScenario], family: str
) -> None:
    scenario = loaded[family]
    assert len(scenario.members) == 150
    assert scenario.warnings == []
    assert scenario.sessions and scenario.requirements


@pytest.mark.parametrize("family", ["tight-teams", "small-classes", "churn"])
def test_same_seed_same_files(tmp_path: Path, family: str) -> None:
    first = _generate(tmp_path / "a", family).parent
    second = _generate(tmp_path / "b", family).parent
    assert _bytes(first) == _bytes(second)


def test_company_family_is_the_generator_default(tmp_path: Path) -> None:
    plain = generate_scenario(tmp_path / "plain", 150, 2, seed=3).parent
    family = _generate(tmp_path / "family", "company").parent
    assert _bytes(plain) == _bytes(family)


def test_tight_teams_have_smaller_teams_and_lower_caps(loaded: dict[str, LoadedScenario]) -> None:
    company, tight = loaded["company"], loaded["tight-teams"]
    sizes = Counter(m.team for m in tight.members)
    assert max(sizes.values()) <= 8
    assert len(sizes) > len({m.team for m in company.members})
    assert _away_share(tight) < _away_share(company)
    own_blackouts = [e for e in tight.team_limits if e.blackout and e.teams and len(e.teams) == 1]
    assert own_blackouts
    assert not [e for e in company.team_limits if e.blackout and e.teams and len(e.teams) == 1]


def test_small_classes_are_small_and_mostly_need_a_minimum(
    loaded: dict[str, LoadedScenario],
) -> None:
    company, small = loaded["company"], loaded["small-classes"]
    rotation = [s for s in small.sessions if s.course == "rotation"]
    assert max(s.capacity for s in rotation) <= 16
    assert len(rotation) > len([s for s in company.sessions if s.course == "rotation"])
    # 70 % of the away sessions drawn with a minimum size, against the company's few.
    assert 0.55 <= _min_size_share(small) <= 0.85
    assert _min_size_share(company) < 0.3
    assert all(s.min_size <= s.capacity for s in small.sessions)


def test_churn_has_more_joiners_leavers_and_leave(loaded: dict[str, LoadedScenario]) -> None:
    def counts(scenario: LoadedScenario) -> tuple[int, int, int]:
        start, end = scenario.horizon.start, scenario.horizon.end
        joiners = sum(1 for m in scenario.members if m.available_from and m.available_from > start)
        leavers = sum(1 for m in scenario.members if m.available_until and m.available_until < end)
        leave = sum(1 for m in scenario.members if m.unavailable)
        return joiners, leavers, leave

    company, churn = counts(loaded["company"]), counts(loaded["churn"])
    assert all(c > p for c, p in zip(churn, company, strict=True)), (churn, company)


def test_scarce_seats_offer_fewer_rotation_seats_than_members(
    loaded: dict[str, LoadedScenario],
) -> None:
    def seats(scenario: LoadedScenario) -> int:
        return sum(s.capacity for s in scenario.sessions if s.course == "rotation")

    assert seats(loaded["company"]) >= 150
    assert seats(loaded["scarce-seats"]) < 0.85 * seats(loaded["company"])


def test_regions_split_a_company_into_its_own_classes(tmp_path: Path) -> None:
    path = generate_scenario(tmp_path, 400, 2, seed=3, structure=Structure(regions=2))
    scenario = load_scenario(path)
    assert scenario.warnings == []
    prefixes = {s.id[:4] for s in scenario.sessions if s.course == "rotation"}
    assert prefixes == {"R01-", "R02-"}


def test_options_override_the_family() -> None:
    settings = settings_for("tight-teams", "120", None, {"away_share": "0.5", "leave": None})
    assert settings.members == 120 and settings.years == FAMILIES["tight-teams"].years
    assert settings.structure.away_share == 0.5
    assert settings.structure.team_size == (3, 8)


def test_the_file_header_names_the_options(
    loaded: dict[str, LoadedScenario], tmp_path: Path
) -> None:
    text = _generate(tmp_path, "small-classes").read_text(encoding="utf-8")
    assert "--class-size 16 --min-size-share 0.7" in text.splitlines()[1]


def test_cli_family_with_override(tmp_path: Path) -> None:
    out = tmp_path / "unit"
    args = ["generate", str(out), "--family", "unit", "--seed", "1", "--team-size", "3-6"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    scenario = load_scenario(out / "scenario.yaml")
    assert len(scenario.members) == FAMILIES["unit"].members
    assert max(Counter(m.team for m in scenario.members).values()) <= 6


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--family", "huge", "--family 'huge' is not a family"),
        ("--team-size", "9", "--team-size must be MIN-MAX"),
        ("--team-size", "9-4", "--team-size must be MIN-MAX with 1 <= MIN <= MAX <= 40"),
        ("--seat-supply", "lots", "--seat-supply must be a number"),
        ("--away-share", "0", "--away-share must be above 0"),
        ("--min-size-share", "1.5", "--min-size-share must be between 0 and 1"),
        ("--regions", "9", "--regions must be between 1 and 1 for 150 members"),
        ("--members", "ten", "--members must be a whole number"),
    ],
)
def test_cli_bad_option_is_one_line_and_exit_2(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    out = tmp_path / "bad"
    args = ["generate", str(out), "--members", "150", "--seed", "1", option, value]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert not out.exists()
