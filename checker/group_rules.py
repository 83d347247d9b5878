"""The rules over several members at once: a team's away cap and ``together`` groups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from models.dates import each_day
from models.rules import TeamRule

from .plan_index import PlanIndex
from .report import Violation


def team_caps(plan: PlanIndex, rules: dict[str, TeamRule]) -> Iterator[Violation]:
    """``team_cap``: members of a team away on one day, against the team's cap, each day."""
    scenario = plan.scenario
    away: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for member_id, sessions in plan.by_member.items():
        team = scenario.member_by_id[member_id].team
        for session in sessions:
            if scenario.is_away(session):
                for day in each_day(session.start, session.last_day):
                    away[(team, day)].append(f"{member_id} ({session.id})")
    for (team, day), who in sorted(away.items()):
        cap = rules[team].cap
        if cap is not None and len(who) > cap:
            yield Violation(
                "team_cap",
                f"team {team} may have {cap} away on {day} but has {len(who)}: {', '.join(who)}",
                day=day,
            )


def together(plan: PlanIndex) -> Iterator[Violation]:
    """``together``: in each session of the group's course, all its members or none."""
    scenario = plan.scenario
    sessions_of: dict[str, list[str]] = defaultdict(list)
    for session in scenario.sessions:
        sessions_of[session.course].append(session.id)
    for group in scenario.together:
        for session_id in sessions_of[group.course]:
            present = set(plan.by_session.get(session_id, ()))
            inside = [m for m in group.members if m in present]
            if inside and len(inside) < len(group.members):
                missing = [m for m in group.members if m not in present]
                yield Violation(
                    "together",
                    f"{', '.join(inside)} attend {session_id} without {', '.join(missing)}",
                    inside[0],
                    session_id,
                    scenario.session_by_id[session_id].start,
                )
