"""What ``rotaplan explain`` prints, section by section (``solver.explain.explanation``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import load_scenario
from solver.explain import Explainer, SuggestOptions, explanation_lines, read_plan

MINI = Path(__file__).parent.parent / "data" / "mini"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(MINI / "scenario.yaml")


def _sections(lines: list[str]) -> list[str]:
    """The first line of each section: the plan's status, then each one after a blank."""
    return [lines[0], *(lines[i + 1] for i, line in enumerate(lines) if line == "")]


def test_without_a_question_every_requirement_is_explained(mini):
    lines = list(explanation_lines(Explainer(mini)))
    # No plan, so no status line: the first section is the first requirement's.
    assert _sections(lines) == [
        "Requirement rotate (1 of rotation, weight 10)",
        "Requirement hours (32 class hours, weight 1)",
        "Requirement skills (1 of party_affairs, weight 5)",
        "Requirement orient (1 of mentoring, weight 1)",
    ]


def test_a_member_and_a_requirement_come_in_that_order_after_the_status(mini):
    explainer = Explainer(mini, read_plan(MINI / "plan-good.csv"))
    lines = list(explanation_lines(explainer, "E07", "rotate"))
    # The member's section follows the status line; the requirement's, a blank line.
    assert lines[0] == f"Plan {MINI / 'plan-good.csv'}: status unknown"
    assert lines[1].startswith("Member E07: tier grassroots")
    assert _sections(lines)[1:] == ["Requirement rotate (1 of rotation, weight 10)"]


def test_no_suggestions_without_a_plan(mini):
    asked = list(
        explanation_lines(Explainer(mini), requirement_id="rotate", suggest=SuggestOptions())
    )
    assert asked == list(explanation_lines(Explainer(mini), requirement_id="rotate"))
    assert not any(line.startswith("Suggestions") for line in asked)
