"""Every hard rule and objective term of SPEC.md, recomputed from a plan's assignments.

The check shares no code with ``solver``, on purpose: it has its own eligibility
(``checker.eligibility``, where the rest of rotaplan uses ``models.Eligibility``) and its
own window shortfall (``checker.terms``, where the solver side uses
``models.window_shortfall``), so that an error in the engine's or the explainer's code
cannot hide in the check as well. It reads the scenario through ``models`` only.

Each rule family has its function, named as the engine's method for the same family
(``solver/engine/model.py``) where the engine has one: the plan's rows
(``checker.plan_rows``), eligibility, a session's size and mix (``checker.session_rules``),
a member's own limits (``checker.member_rules``), team caps and together groups
(``checker.group_rules``).
"""

from __future__ import annotations

from collections.abc import Iterable

from models import Scenario
from models.rules import team_rules

from .eligibility import eligibility
from .group_rules import team_caps, together
from .member_rules import away_overlap_and_gap, member_caps, non_repeatable
from .plan_index import PlanIndex
from .plan_rows import known_rows, pinned
from .report import CheckReport, Violation
from .session_rules import mix_shares, session_size
from .surplus import audit_surplus
from .terms import objective_terms


def check_plan(scenario: Scenario, pairs: Iterable[tuple[str, str]]) -> CheckReport:
    """Check a plan (``(member_id, session_id)`` pairs) against every rule of the scenario."""
    pairs = list(pairs)
    plan = PlanIndex(scenario, pairs)
    rules = team_rules(scenario)
    families = (
        known_rows(scenario, pairs),
        eligibility(plan, rules),
        session_size(plan),
        mix_shares(plan),
        away_overlap_and_gap(plan),
        non_repeatable(plan),
        member_caps(plan),
        team_caps(plan, rules),
        together(plan),
        pinned(plan),
    )
    violations = [v for family in families for v in family]
    objective, unmet = objective_terms(scenario, plan)
    if scenario.strict and objective["unmet"] > 0:
        violations.append(
            Violation(
                "strict", f"the scenario is strict but {len(unmet)} requirement window(s) are unmet"
            )
        )
    return CheckReport(violations, objective, unmet, audit_surplus(scenario, pairs))
