"""The what-if changes worth trying for a group of unmet windows, smallest change first.

A cause suggests its changes (``CHANGES_FOR``): a full session more seats, a member's cap a
higher limit, a team's away cap a higher cap, and any cause a new session placed where the
group's members could attend it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

from models import DateRange, Member, Scenario, Session
from models.scenario import TeamLimit

from . import messages as msg
from .messages import note
from .reasons import Reasoner
from .verdicts import SessionVerdict, WindowFinding
from .what_if import Change, UnmetGroup

SAMPLE = 40  # members of a group scored when placing a new session

# Candidate changes per cause, smallest change first.
CHANGES_FOR: dict[str, tuple[str, ...]] = {
    "full": ("seats", "session"),
    "member_caps": ("limit", "session"),
    "team_cap": ("team_cap", "session"),
    "no_session": ("session",),
    "ineligible": ("session",),
    "overlap": ("session",),
    "min_gap": ("session",),
    "together": ("session",),
    "mix": ("session",),
    "min_size": ("session",),
}


def candidate_changes(scenario: Scenario, reasoner: Reasoner, group: UnmetGroup) -> list[Change]:
    """The changes worth solving for a group, smallest first; none for repeat and open."""
    builders = {
        "seats": _seat_change,
        "limit": _limit_change,
        "team_cap": _team_cap_change,
        "session": _session_change,
    }
    changes = []
    for kind in CHANGES_FOR.get(group.cause, ()):
        change = builders[kind](scenario, reasoner, group)
        if change is not None:
            changes.append(change)
    return changes


def _only(verdict: SessionVerdict, cause: str) -> bool:
    """The session is blocked for this one cause and nothing else."""
    return verdict.state == "blocked" and all(b.cause == cause for b in verdict.blocks)


def _seat_change(scenario: Scenario, reasoner: Reasoner, group: UnmetGroup) -> Change | None:
    """More seats in the session that is only full for most of the group."""
    counts: Counter[str] = Counter()
    for finding in group.findings:
        counts.update({v.session.id for v in finding.verdicts if _only(v, "full")})
    if not counts:
        return None
    session_id, seats = counts.most_common(1)[0]
    before = scenario.session_by_id[session_id].capacity

    def edit(variant: Scenario) -> None:
        variant.session_by_id[session_id].capacity = before + seats

    words = note(
        "change.seats",
        seats=seats,
        session=msg.session(session_id),
        before=before,
        after=before + seats,
    )
    return Change("seats", words, edit)


def _limit_change(scenario: Scenario, reasoner: Reasoner, group: UnmetGroup) -> Change | None:
    """Raise the limit entry that binds most of the group, by the least that frees a session."""
    excess: dict[tuple[int, str], list[float]] = defaultdict(list)
    for finding in group.findings:
        member = scenario.member_by_id[finding.member_id]
        least: dict[tuple[int, str], float] = {}
        for verdict in finding.verdicts:
            if not _only(verdict, "member_caps"):
                continue  # other blocks carry no cap
            caps = {b.data["cap"] for b in verdict.blocks}
            if len(caps) != 1:
                continue
            cap = caps.pop()
            entry = _limit_entry(scenario, member, cap)
            over = max(b.data["excess"] for b in verdict.blocks)
            if entry is not None:
                least[(entry, cap)] = min(least.get((entry, cap), over), over)
        for key, over in least.items():
            excess[key].append(over)
    if not excess:
        return None
    (entry, cap), overs = max(excess.items(), key=lambda kv: (len(kv[1]), -kv[0][0]))
    before = getattr(scenario.limits[entry], cap)
    raise_by = max(1, math.ceil(min(overs) - 1e-9))
    after = before + raise_by

    def edit(variant: Scenario) -> None:
        setattr(variant.limits[entry], cap, after)

    words = note(
        "change.limit",
        cap_name=note(f"cap.{cap}"),
        entry=entry + 1,
        before=before,
        after=after,
    )
    return Change("limit", words, edit)


def _limit_entry(scenario: Scenario, member: Member, cap: str) -> int | None:
    """The index of the ``limits`` entry that gives the member this cap: the last that sets it."""
    found = None
    for index, entry in enumerate(scenario.limits):
        if entry.who.matches(member) and getattr(entry, cap) is not None:
            found = index
    return found


def _team_cap_change(scenario: Scenario, reasoner: Reasoner, group: UnmetGroup) -> Change | None:
    """Raise by one the away cap of the team that binds most of the group."""
    teams: Counter[str] = Counter()
    caps: dict[str, int] = {}
    for finding in group.findings:
        bound = set()
        for verdict in finding.verdicts:
            if _only(verdict, "team_cap"):
                for block in verdict.blocks:
                    bound.add(block.data["team"])
                    caps[block.data["team"]] = block.data["cap"]
        teams.update(bound)
    if not teams:
        return None
    team = teams.most_common(1)[0][0]
    before = caps[team]

    def edit(variant: Scenario) -> None:
        # Last matching values win; a share of 1 leaves the new max_away the binding cap.
        variant.team_limits.append(TeamLimit(teams=[team], max_away=before + 1, max_away_share=1))

    words = note("change.team_cap", team=team, before=before, after=before + 1)
    return Change("team_cap", words, edit)


def _session_change(scenario: Scenario, reasoner: Reasoner, group: UnmetGroup) -> Change | None:
    """One more session of a course, copied from one of its sessions, in the best month.

    Every course that counts and every month of the group's windows is scored by how many
    of the group (a sample) the new session would be open to and not blocked for; for
    class hours, only where the session's hours cover the member's shortfall.
    """
    requirement = group.requirement
    courses = requirement.courses or [c.id for c in scenario.courses]
    findings = group.findings[:SAMPLE]
    best: tuple[int, float, Session, Session] | None = None
    for course_id in courses:
        template = _template(scenario, course_id, findings)
        if template is None:
            continue
        hours = scenario.session_hours(template)
        for month in _months(scenario, findings):
            start = _start_in_month(scenario, month, template)
            if start is None:
                continue
            candidate = template.model_copy(
                update={
                    "id": _new_id(scenario, template, start),
                    "start": start,
                    "end": start + dt.timedelta(days=template.days - 1),
                }
            )
            score = sum(
                1
                for f in findings
                if f.window.start <= start <= f.window.end
                and (not requirement.is_hours or hours >= f.shortfall)
                and reasoner.verdict(scenario.member_by_id[f.member_id], candidate).state == "open"
            )
            score = min(score, template.capacity)
            if score and (best is None or (score, hours) > (best[0], best[1])):
                best = (score, hours, candidate, template)
    if best is None:
        return None
    new, template = best[2], best[3]

    def edit(variant: Scenario) -> None:
        variant.sessions.append(new.model_copy(deep=True))

    words = note(
        "change.session",
        course=msg.course(new.course),
        dates=DateRange(new.start, new.last_day),
        template=msg.session(template.id),
        capacity=new.capacity,
    )
    return Change("session", words, edit)


def _template(scenario: Scenario, course_id: str, findings: list[WindowFinding]) -> Session | None:
    """The course's session whose own audience admits most of the group."""
    members = [scenario.member_by_id[f.member_id] for f in findings]
    sessions = [s for s in scenario.sessions if s.course == course_id]
    if not sessions:
        return None
    return max(sessions, key=lambda s: sum(1 for m in members if s.audience.matches(m)))


def _months(scenario: Scenario, findings: list[WindowFinding]) -> list[tuple[int, int]]:
    """Every month that one of the windows touches, inside the horizon."""
    months: set[tuple[int, int]] = set()
    for finding in findings:
        start = max(finding.window.start, scenario.horizon.start)
        end = min(finding.window.end, scenario.horizon.end)
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            months.add((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(months)


def _start_in_month(
    scenario: Scenario, month: tuple[int, int], template: Session
) -> dt.date | None:
    """The first day of the month on the template's weekday (else any day) where a copy of
    the template fits the horizon and touches no closed day."""
    days = template.days
    first = dt.date(month[0], month[1], 1)
    starts = [first + dt.timedelta(days=i) for i in range(31)]
    starts = [d for d in starts if d.month == month[1]]
    fitting = [
        d
        for d in starts
        if scenario.horizon.start <= d
        and d + dt.timedelta(days=days - 1) <= scenario.horizon.end
        and not any(r.touches(d, d + dt.timedelta(days=days - 1)) for r in scenario.closed)
    ]
    same_day = [d for d in fitting if d.weekday() == template.start.weekday()]
    chosen = same_day or fitting
    return chosen[0] if chosen else None


def _new_id(scenario: Scenario, template: Session, start: dt.date) -> str:
    base = f"{template.id}+{start:%Y%m%d}"
    name, n = base, 1
    while name in scenario.session_by_id:
        n += 1
        name = f"{base}-{n}"
    return name
