"""Member values that look like typos of names the rules use: warned, or errors if strict."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cli
from models import ScenarioError, load_scenario
from models.near import near_miss

TUTORIAL = Path(__file__).parents[1] / "scenarios" / "tutorial"


@pytest.mark.parametrize(
    ("word", "candidates", "meant"),
    [
        ("ID", ["id", "tier"], "id"),
        ("middel", ["middle", "grassroots"], "middle"),
        ("branch_secretery", ["branch_secretary", "party_affairs"], "branch_secretary"),
        ("Branch-Secretary", ["branch_secretary"], "branch_secretary"),
        ("category", ["categories", "tiers"], "categories"),
        ("awy", ["away", "audience"], "away"),
        ("U02", ["U01", "U03"], None),
        ("ROT-2604", ["ROT-2605"], None),
        ("ops", ["opz"], None),
        ("team-b", ["team-a"], None),
        ("运维二班", ["运维一班"], None),
        ("运维检修部", ["运维检修", "调度"], "运维检修"),
        ("office", ["ops", "dispatch", "service"], None),
    ],
)
def test_near_miss(word: str, candidates: list[str], meant: str | None) -> None:
    assert near_miss(word, candidates) == meant


def _tutorial_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    folder = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, folder)
    members = folder / "members.csv"
    text = members.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    members.write_text(text, encoding="utf-8")
    return folder / "scenario.yaml"


TYPOS = (
    (
        "M09,周永强,middle,technical,branch_secretary,",
        "M09,周永强,middle,technical,branch_secretery,",
    ),
    ("M15,曹勇,middle,", "M15,曹勇,middel,"),
    (
        "M20,沈伟,middle,technical,branch_secretary,dispatch,dispatch-shift,",
        "M20,沈伟,middle,technical,branch_secretary,dispatch,dispatch-shfit,",
    ),
)
WARNINGS = [
    "warning: members.csv row 10 (M09), column category: category 'branch_secretery' is named "
    "by no selector, audience, limit or requirement; did you mean 'branch_secretary'?",
    "warning: members.csv row 16 (M15), column tier: tier 'middel' is named by no selector, "
    "audience, limit or requirement; did you mean 'middle'?",
    "warning: members.csv row 21 (M20), column team: team 'dispatch-shfit' is named by no "
    "selector, audience, limit or requirement; did you mean 'dispatch-shift'?",
]


def test_the_shipped_scenarios_have_no_suspect_values() -> None:
    for name in ("tutorial", "company"):
        scenario = Path(__file__).parents[1] / "scenarios" / name / "scenario.yaml"
        assert [str(w) for w in load_scenario(scenario).warnings] == []


def test_typos_in_member_rows_are_warnings_with_did_you_mean(tmp_path: Path) -> None:
    loaded = load_scenario(_tutorial_with(tmp_path, *TYPOS))
    assert sorted(str(w) for w in loaded.warnings) == sorted(WARNINGS)


def test_strict_values_makes_them_errors(tmp_path: Path) -> None:
    scenario = _tutorial_with(tmp_path, *TYPOS)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario, strict_values=True)
    assert sorted(str(p) for p in caught.value.errors) == sorted(
        w.removeprefix("warning: ") for w in WARNINGS
    )


def test_the_scenario_key_strict_values_makes_them_errors(tmp_path: Path) -> None:
    scenario = _tutorial_with(tmp_path, TYPOS[1])
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("strict: false", "strict: false\nstrict_values: true"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario)
    assert [str(p) for p in caught.value.errors] == [WARNINGS[1].removeprefix("warning: ")]


def test_validate_strict_values_exits_2(tmp_path: Path) -> None:
    scenario = str(_tutorial_with(tmp_path, TYPOS[0]))
    warned = CliRunner().invoke(cli.main, ["validate", scenario])
    assert warned.exit_code == 0
    assert WARNINGS[0] in warned.stderr.splitlines()
    strict = CliRunner().invoke(cli.main, ["validate", "--strict-values", scenario])
    assert strict.exit_code == 2
    assert strict.stderr.splitlines() == [
        WARNINGS[0].removeprefix("warning: "),
        "1 problem found; nothing was written.",
    ]


def _members(*rows: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "horizon": {"start": "2026-01-01", "end": "2026-12-31"},
        "members": [{"tier": "grassroots", "unit": "U1", **row} for row in rows],
        "courses": [{"id": "c", "hours": 8}],
        "sessions": [],
        "requirements": [{"id": "r", "who": {"teams": ["team-a"]}, "courses": ["c"]}],
    }


def test_numbered_or_more_common_values_are_not_suspect() -> None:
    scenario = _members(
        *({"id": f"A{i}", "team": "team-a"} for i in range(3)),
        *({"id": f"B{i}", "team": "team-b"} for i in range(3)),
    )
    assert load_scenario(scenario).warnings == []
    commoner = _members(
        {"id": "A0", "team": "team-a"}, *({"id": f"T{i}", "team": "taem-a"} for i in range(2))
    )
    assert load_scenario(commoner).warnings == []


def test_a_typo_as_common_as_the_name_is_suspect() -> None:
    # One member in the rule's team, one in a misspelt one: the tie is where a typo hides.
    scenario = _members({"id": "A0", "team": "team-a"}, {"id": "B0", "team": "taem-a"})
    assert [str(w) for w in load_scenario(scenario).warnings] == [
        "warning: scenario: members[1] (B0).team: team 'taem-a' is named by no selector, "
        "audience, limit or requirement; did you mean 'team-a'?"
    ]


def test_a_rare_value_beside_a_common_named_one_is_suspect() -> None:
    scenario = _members(
        *({"id": f"A{i}", "team": "team-a"} for i in range(3)), {"id": "B0", "team": "taem-a"}
    )
    assert [str(w) for w in load_scenario(scenario).warnings] == [
        "warning: scenario: members[3] (B0).team: team 'taem-a' is named by no selector, "
        "audience, limit or requirement; did you mean 'team-a'?"
    ]


def test_a_selector_value_no_member_has_suggests_the_member_value() -> None:
    scenario = _members({"id": "A0", "team": "taem-a"})
    assert [str(w) for w in load_scenario(scenario).warnings] == [
        "warning: scenario: requirements[0] (r).who: teams team-a match no member "
        "(team-a: did you mean taem-a?)",
        "warning: scenario: members[0] (A0).team: team 'taem-a' is named by no selector, "
        "audience, limit or requirement; did you mean 'team-a'?",
    ]
