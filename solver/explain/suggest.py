"""What-if suggestions: for each group of unmet members, the smallest change that serves them.

A group is the plan's unmet windows of one requirement with one cause. For each group a few
candidate changes are drawn from what blocks its members (one more seat where sessions are
only full, a limit entry raised where only the member's own cap binds, a team's away cap
raised by one where only the team cap binds, one more session of a course in the month that
suits most of them); each is applied to a copy of the scenario and solved with the engine,
and the windows of the group that the variant's plan meets are counted as served.

Every variant starts from the plan it changes: each change only relaxes a rule, so the
plan holds in the variant too and is handed to the engine as its first plan. A variant is
therefore never reported worse than the plan; should its solve come back worse all the
same, the plan itself stands as the variant's answer. Each variant gets a time that grows
with the scenario (``variant_seconds``), and a variant not solved to a proof says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from checker import CheckReport, check_plan
from models import DateRange, Member, Requirement, Scenario, Session
from models.scenario import TeamLimit

from ..plan_loads import PlanLoads
from . import messages as msg
from .messages import Note, Renderer, note
from .reasons import Reasoner
from .verdicts import CAUSES, SessionVerdict, WindowFinding

WindowKey = tuple[str, str, dt.date]
SAMPLE = 40  # members of a group scored when placing a new session
# Seconds per what-if: one per PAIRS_PER_SECOND candidate (member, session) pairs, within
# these ends. The shipped company (204,000 pairs) gets 60 s: with 10 s a variant of it
# stopped far short of its plan; with 60 s the same change took unmet from 425 to 378.
PAIRS_PER_SECOND = 3_400
VARIANT_SECONDS = (5.0, 120.0)

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
KIND_ORDER = ("seats", "limit", "team_cap", "session")


@dataclass
class Change:
    """One what-if change to a scenario, described for planners and applied to a copy."""

    kind: str  # seats, limit, team_cap or session
    note: Note
    edit: Callable[[Scenario], None]

    def apply(self, scenario: Scenario) -> Scenario:
        """A changed deep copy; the scenario itself is left as it is."""
        variant = scenario.model_copy(deep=True)
        variant.forget_lookups()
        self.edit(variant)
        variant.forget_lookups()
        return variant


@dataclass
class Trial:
    """A change solved: which of the group's windows its plan meets, and the unmet term."""

    change: Change
    status: str
    served: list[WindowKey] = field(default_factory=list)
    unmet: int | None = None
    seconds: float = 0.0  # the variant's time limit
    kept_plan: bool = False  # the solve came back worse: the plan itself is the answer

    @property
    def proven(self) -> bool:
        """Whether the variant was solved to a conclusion (proven optimal)."""
        return self.status == "OPTIMAL"

    @property
    def served_members(self) -> list[str]:
        return list(dict.fromkeys(member for member, _, _ in self.served))


@dataclass
class UnmetGroup:
    """A plan's unmet windows of one requirement with one cause, and what was tried."""

    requirement: Requirement
    cause: str
    findings: list[WindowFinding]
    changes: list[Change] = field(default_factory=list)
    trials: list[Trial] = field(default_factory=list)

    @cached_property
    def keys(self) -> list[WindowKey]:
        return [(f.member_id, self.requirement.id, f.window.start) for f in self.findings]

    @property
    def weighted(self) -> int:
        return sum(f.shortfall for f in self.findings) * self.requirement.weight

    @property
    def useful(self) -> list[Trial]:
        """The trials that serve at least one of the group's windows."""
        return [t for t in self.trials if t.served]

    @property
    def best(self) -> Trial | None:
        """The trial that serves most; of equals, the lower unmet, then the smallest change."""
        if not self.useful:
            return None
        return max(
            self.useful,
            key=lambda t: (len(t.served), -(t.unmet or 0), -KIND_ORDER.index(t.change.kind)),
        )


@dataclass
class SuggestOptions:
    """How much work the suggestions may do: variants in all, and each variant's solve.

    ``time_limit`` is seconds per variant; None gives ``variant_seconds`` of the scenario.
    """

    max_variants: int = 6
    time_limit: float | None = None
    workers: int = 0
    seed: int = 0


def variant_seconds(scenario: Scenario) -> float:
    """Seconds for one what-if solve: more for a scenario with more candidate pairs."""
    from ..instance import build_instance

    low, high = VARIANT_SECONDS
    return float(min(high, max(low, round(build_instance(scenario).num_pairs / PAIRS_PER_SECOND))))


def unmet_groups(
    scenario: Scenario,
    pairs: list[tuple[str, str]],
    proven: bool | None = None,
    member_id: str | None = None,
    requirement_id: str | None = None,
    report: CheckReport | None = None,
) -> tuple[list[UnmetGroup], Reasoner]:
    """The plan's unmet windows by (requirement, cause), the heaviest group first."""
    report = report or check_plan(scenario, pairs)
    reasoner = Reasoner(PlanLoads(scenario, pairs), proven)
    grouped: dict[tuple[str, str], list[WindowFinding]] = defaultdict(list)
    for window in report.unmet:
        if member_id is not None and window.member != member_id:
            continue
        if requirement_id is not None and window.requirement != requirement_id:
            continue
        requirement = scenario.requirement_by_id[window.requirement]
        finding = reasoner.window_finding(
            window.member,
            requirement,
            DateRange(window.window_start, window.window_end),
            window.shortfall,
        )
        grouped[(requirement.id, finding.cause)].append(finding)
    groups = [
        UnmetGroup(scenario.requirement_by_id[r], cause, found)
        for (r, cause), found in grouped.items()
    ]
    groups.sort(key=lambda g: (-g.weighted, g.requirement.id, CAUSES.index(g.cause)))
    return groups, reasoner


def suggest(
    scenario: Scenario,
    pairs: list[tuple[str, str]],
    options: SuggestOptions | None = None,
    proven: bool | None = None,
    member_id: str | None = None,
    requirement_id: str | None = None,
    on_trial: Callable[[UnmetGroup, Trial], None] | None = None,
) -> list[UnmetGroup]:
    """Draw candidate changes for every unmet group and solve at most ``max_variants`` of them.

    Groups take turns, heaviest first, so that every group gets its smallest change tried
    before any group gets a second; a change drawn for several groups is solved once.
    Every variant starts from ``pairs`` and gets ``options.time_limit`` seconds (when None,
    ``variant_seconds``; ``options`` is updated to say what was used).
    """
    options = options or SuggestOptions()
    report = check_plan(scenario, pairs)
    groups, reasoner = unmet_groups(
        scenario, pairs, proven, member_id, requirement_id, report=report
    )
    if groups and options.time_limit is None:
        options.time_limit = variant_seconds(scenario)
    for group in groups:
        group.changes = candidate_changes(scenario, reasoner, group)
    baseline = _Baseline(scenario, pairs, report)
    solved: dict[str, _Answer] = {}
    for group, change in _take_turns(groups):
        key = Renderer(None)(change.note)  # the same change drawn for two groups is solved once
        if key not in solved:
            if len(solved) >= options.max_variants:
                break
            solved[key] = _solve_variant(change, scenario, baseline, options)
        answer = solved[key]
        served = [k for k in group.keys if k not in answer.left]
        trial = Trial(change, answer.status, served, answer.unmet, answer.seconds)
        trial.kept_plan = answer.kept_plan
        group.trials.append(trial)
        if on_trial is not None:
            on_trial(group, trial)
    return groups


@dataclass
class _Baseline:
    """The plan every variant starts from: its assignments, terms and unmet windows."""

    scenario: Scenario
    pairs: list[tuple[str, str]]
    report: CheckReport

    @cached_property
    def terms(self) -> tuple[int, ...]:
        return tuple(self.report.objective[t] for t in self.scenario.objective)

    @cached_property
    def unmet(self) -> list[WindowKey]:
        return [(w.member, w.requirement, w.window_start) for w in self.report.unmet]


@dataclass
class _Answer:
    """A variant solved: its status, unmet windows and unmet term, and its time limit."""

    status: str
    left: set[WindowKey]
    unmet: int
    seconds: float
    kept_plan: bool = False


def _solve_variant(
    change: Change, scenario: Scenario, baseline: _Baseline, options: SuggestOptions
) -> _Answer:
    """Solve a variant from the plan: what it leaves unmet, and whether that is proven.

    The plan holds in every variant (each change relaxes a rule), so a variant's answer is
    never worse than the plan: when the solve returns a worse plan, or none, the plan stands.
    """
    from ..engine import SolveOptions, solve

    seconds = options.time_limit or VARIANT_SECONDS[0]
    settings = SolveOptions(
        time_limit=seconds, workers=options.workers, seed=options.seed, start=baseline.pairs
    )
    plan = solve(change.apply(scenario), settings)
    terms = tuple(plan.objective.get(t, 0) for t in scenario.objective)
    if not plan.has_plan or terms > baseline.terms:
        status = plan.status.value if plan.status.value != "OPTIMAL" else "FEASIBLE"
        unmet = baseline.report.objective["unmet"]
        return _Answer(status, set(baseline.unmet), unmet, seconds, kept_plan=True)
    left = {(u.member_id, u.requirement_id, u.window_start) for u in plan.unmet}
    return _Answer(plan.status.value, left, plan.objective["unmet"], seconds)


def _take_turns(groups: list[UnmetGroup]) -> Iterator[tuple[UnmetGroup, Change]]:
    """Every group's first change, then every group's second, and so on."""
    most = max((len(g.changes) for g in groups), default=0)
    for turn in range(most):
        yield from ((g, g.changes[turn]) for g in groups if turn < len(g.changes))


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
