"""models.Eligibility, the one eligibility of the engine, the explanations and validation,
against the checker's own: they agree on every member and session."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.eligibility import ineligibility
from models import Eligibility, load_scenario, team_rules

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = [
    ROOT / "tests" / "data" / "mini" / "scenario.yaml",
    ROOT / "scenarios" / "tutorial" / "scenario.yaml",
]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.parent.name)
def test_the_closures_and_the_words_agree_with_the_checker(path: Path) -> None:
    scenario = load_scenario(path)
    rules = team_rules(scenario)
    eligibility = Eligibility(scenario, rules)
    shut = 0
    for session in scenario.sessions:
        codes = eligibility.codes(session)
        for i, member in enumerate(scenario.members):
            words = eligibility.reasons(member, session)
            assert words == ineligibility(scenario, member, session.id, rules)
            closure = eligibility.closure(member.id, session)
            # The closure is the first of the rules that shut the session; history, which
            # the words leave to the caller, comes last.
            assert closure == (words[0][0] if words else closure)
            assert (codes[i] == 0) == (not words and closure != "history")
            shut += bool(words)
    assert shut  # the scenarios shut some sessions to some members
