"""Rule groups: the hard rules a planner can relax one at a time, and dropping them.

Each pinned row, the strict rule of each requirement window, each together group, each
team's away cap, each limit field of each member, each session's capacity and minimum
size, and each mix rule of a course is a group. A group is dropped by editing a copy of
the scenario (the row removed, the cap raised out of reach). The rules no planner edits
(eligibility, one away session a day, non-repeatable courses) are never dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from models import Scenario, Session, team_rules
from models.scenario import Course, Limit, TeamLimit
from models.selector import Selector

KINDS = ("pinned", "strict", "together", "team_cap", "limit", "capacity", "min_size", "mix")
CROWD_KINDS = ("min_size", "mix")  # rules that may need other members to fill a session

# A limit field set to one of these never binds: no year has more days, no month more.
UNBOUNDED = {
    "max_days_per_year": 366,
    "max_days_per_month": 31,
    "max_hours_per_year": 10**9,
    "max_sessions_per_year": 10**9,
    "min_gap_days": 0,
}


@dataclass(frozen=True)
class RuleGroup:
    """Rules a planner can relax together; ``key`` names them within their ``kind``.

    pinned: (member, session); strict: (member, requirement, window start); together:
    (index,); team_cap: (team,); limit: (member, field); capacity and min_size:
    (session,); mix: (course, rule index).
    """

    kind: str
    key: tuple[str, ...]


def drop_rules(
    scenario: Scenario, dropped: Iterable[RuleGroup], members: set[str] | None = None
) -> Scenario:
    """A copy of the scenario without the rules of ``dropped``, and with strict off.

    Strict windows are not dropped here: a model holds the windows that stay strict.
    With ``members``, only those members stay; every team keeps the away cap it has in
    the whole scenario, so a cap set as a share of the team does not shrink with it.
    """
    by_kind: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for group in dropped:
        by_kind[group.kind].add(group.key)
    team_limits = list(scenario.team_limits)
    if members is not None:
        team_limits += _caps_as_they_were(scenario, members, by_kind["team_cap"])
    team_limits += _uncapped_teams(scenario, by_kind["team_cap"])
    variant = scenario.model_copy(
        update={
            "strict": False,
            "members": scenario.members
            if members is None
            else [m for m in scenario.members if m.id in members],
            "pinned": [
                r for r in scenario.pinned if (r.member, r.session) not in by_kind["pinned"]
            ],
            "together": [
                g for i, g in enumerate(scenario.together) if (str(i),) not in by_kind["together"]
            ],
            "team_limits": team_limits,
            "limits": scenario.limits + _unlimited_members(by_kind["limit"]),
            "sessions": [_relaxed_session(scenario, s, by_kind) for s in scenario.sessions],
            "courses": [_relaxed_course(c, by_kind["mix"]) for c in scenario.courses],
        }
    )
    variant.forget_lookups()
    return variant


def _caps_as_they_were(
    scenario: Scenario, members: set[str], dropped: set[tuple[str, ...]]
) -> list[TeamLimit]:
    teams = {m.team for m in scenario.members if m.id in members}
    rules = team_rules(scenario)
    return [
        TeamLimit(teams=[team], max_away=rules[team].cap, max_away_share=1.0)
        for team in sorted(teams)
        if rules[team].cap is not None and (team,) not in dropped
    ]


def _uncapped_teams(scenario: Scenario, teams: set[tuple[str, ...]]) -> list[TeamLimit]:
    # The last matching entry wins: a cap of everyone is no cap, and no blackout is added.
    if not teams:
        return []
    names = sorted(key[0] for key in teams)
    return [TeamLimit(teams=names, max_away=len(scenario.members), max_away_share=1.0)]


def _unlimited_members(keys: set[tuple[str, ...]]) -> list[Limit]:
    # One entry per field, after every other: the last matching value wins the cascade.
    members_of: dict[str, list[str]] = defaultdict(list)
    for member_id, name in keys:
        members_of[name].append(member_id)
    return [
        Limit.model_validate({"who": Selector(members=tuple(sorted(ids))), name: UNBOUNDED[name]})
        for name, ids in sorted(members_of.items())
    ]


def _relaxed_session(
    scenario: Scenario, session: Session, by_kind: dict[str, set[tuple[str, ...]]]
) -> Session:
    update: dict[str, int] = {}
    if (session.id,) in by_kind["capacity"]:
        update["capacity"] = max(session.capacity, len(scenario.members))
    if (session.id,) in by_kind["min_size"]:
        update["min_size"] = 0
    return session.model_copy(update=update) if update else session


def _relaxed_course(course: Course, dropped: set[tuple[str, ...]]) -> Course:
    if not course.mix:
        return course
    kept = [rule for i, rule in enumerate(course.mix) if (course.id, str(i)) not in dropped]
    return course.model_copy(update={"mix": kept})
