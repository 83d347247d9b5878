"""Why a scenario has no plan: a small set of hard rules that conflict, in a planner's words.

When the engine proves a scenario infeasible, the planner has to know which rules to relax
and for whom. Rules come here in *groups* a planner can change one at a time: each pinned
row, the strict rule of each requirement window, each together group, each team's away cap,
each limit field of each member, each session's capacity and minimum size, and each mix
rule of a course. A group is *dropped* by editing a copy of the scenario (the row removed,
the cap raised out of reach); a strict window is dropped by not holding its shortfall at 0.
The rules no planner edits (eligibility, one away session a day, non-repeatable courses)
are never dropped.

A set of groups *conflicts* when CP-SAT proves the scenario infeasible with every other
group dropped; members no group left holds to anything are left out of that check, which
keeps each check small. A deletion filter shrinks a conflicting set until each group left
is needed: dropping any one of them gives a plan. It starts from the groups that touch the
pinned members and sessions and the windows a non-strict plan leaves short (everything,
if those alone have a plan); each group left is then described with the day, members,
sessions and cap involved.

The search is bounded: each check gets a few seconds and the whole search half a minute.
A check that runs out of time counts as "may have a plan", which keeps its groups: the set
still conflicts, but is then not proven minimal, and the last line says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from checker import UnmetWindow, check_plan
from models import Scenario, Session, ineligibility, team_rules
from models.scenario import LIMIT_FIELDS, Course, Limit, TeamLimit
from models.selector import Selector

from ..construct import construct
from ..instance import Instance, build_instance, days_by_month
from ..model import RotaModel
from ..plan_loads import Eligibility
from .reasons import explain_unmet
from .suggest import _forget_lookups

if TYPE_CHECKING:
    from ..engine import SolveOptions

KINDS = ("pinned", "strict", "together", "team_cap", "limit", "capacity", "min_size", "mix")
CROWD_KINDS = ("min_size", "mix")  # rules that may need other members to fill a session
MOST_LINES = 12

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


@dataclass
class ConflictBudget:
    """How long the search for conflicting rules may take, in all and per CP-SAT check."""

    total_seconds: float = 30.0
    check_seconds: float = 5.0


def find_conflicts(
    scenario: Scenario, options: SolveOptions, budget: ConflictBudget | None = None
) -> list[str]:
    """A small set of conflicting hard rules, one plain sentence each.

    Parameters
    ----------
    scenario
        A loaded scenario that has no plan.
    options
        The solve's options: their worker count is used for the checks.
    budget
        Time for the whole search and for each check (default 30 s and 5 s).

    Returns
    -------
    list[str]
        The sentences, with a last one saying so when the set is not proven minimal;
        empty when the scenario has a plan after all.
    """
    return ConflictSearch(scenario, options.threads, budget or ConflictBudget()).sentences()


# -- dropping rule groups from a scenario -----------------------------------------------------


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
    _forget_lookups(variant)
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


# -- the feasibility checks -------------------------------------------------------------------


def window_key(instance: Instance, w: int) -> tuple[str, ...]:
    """A requirement window as (member, requirement, start), the same in every variant."""
    window = instance.windows[w]
    scenario = instance.scenario
    return (
        scenario.members[window.member].id,
        scenario.requirements[window.requirement].id,
        window.start.isoformat(),
    )


@dataclass
class Variant:
    """The CP-SAT model of a scenario variant, with its windows by key."""

    rota: RotaModel
    windows: dict[tuple[str, ...], int]

    @classmethod
    def build(
        cls,
        scenario: Scenario,
        dropped: Iterable[RuleGroup],
        strict: Iterable[RuleGroup],
        members: set[str] | None = None,
    ) -> Variant:
        """The scenario without ``dropped`` (and other members), ``strict`` windows met."""
        rota = RotaModel(build_instance(drop_rules(scenario, dropped, members)))
        windows = {window_key(rota.instance, w): w for w in rota.vars.shortfall}
        for group in strict:
            rota.model.add(rota.vars.shortfall[windows[group.key]] == 0)
        return cls(rota, windows)

    def pairs(self, chosen: Iterable[int]) -> list[tuple[str, str]]:
        """Pair indices as (member, session) ids."""
        instance = self.rota.instance
        scenario = instance.scenario
        return [
            (
                scenario.members[int(instance.pair_member[p])].id,
                scenario.sessions[int(instance.pair_session[p])].id,
            )
            for p in chosen
        ]

    def solution(self, solver: cp_model.CpSolver) -> list[tuple[str, str]]:
        """The solver's assignments as (member, session) ids."""
        return self.pairs(p for p, var in self.rota.vars.attend.items() if solver.value(var))


def cp_solver(seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.catch_sigint_signal = False
    return solver


def shrink(
    conflicts: Callable[[frozenset[RuleGroup]], bool],
    candidates: Sequence[RuleGroup],
    out_of_time: Callable[[], bool],
) -> list[RuleGroup]:
    """A subset of ``candidates`` that still conflicts, in which every group is needed.

    A deletion filter that tries to drop whole chunks, halving a chunk that cannot go:
    dropping the groups a conflict does not need costs a few checks, and each needed
    group about log2(len(candidates)) more. Groups are dropped from the end first, so
    the earlier ones are kept where there is a choice.

    ``conflicts(groups)`` must be True only when the groups are proven to conflict, and
    ``candidates`` must conflict. The set in hand conflicts at every step, so when time
    runs out it is returned as it is: it conflicts, but some groups may not be needed.
    """
    needed: list[RuleGroup] = []
    rest = list(candidates)  # needed + rest conflicts, always
    chunk = max(1, len(rest) // 2)
    while rest and not out_of_time():
        part, before = rest[-chunk:], rest[:-chunk]
        if conflicts(frozenset(needed + before)):
            rest = before
            chunk = max(1, min(chunk, len(rest) // 2))
        elif len(part) > 1:
            chunk = max(1, len(part) // 2)
        else:
            needed += part
            rest = before
            chunk = max(1, len(rest) // 2)
    left = set(needed + rest)
    return [g for g in candidates if g in left]


# -- the search -------------------------------------------------------------------------------


@dataclass
class LeastUnmet:
    """The scenario solved without strict for the least unmet: which windows stay short."""

    pairs: list[tuple[str, str]]
    short: dict[tuple[str, ...], int]  # window key -> shortfall


class ConflictSearch:
    """Finds and describes a small conflicting set of rule groups within a time budget."""

    def __init__(self, scenario: Scenario, workers: int, budget: ConflictBudget):
        self.scenario = scenario
        self.workers = workers
        self.budget = budget
        self.deadline = time.monotonic() + budget.total_seconds
        self.instance = build_instance(scenario)
        self.eligibility = Eligibility(scenario, self.instance.rules)
        self.windows = {  # window key -> index, for windows that need something
            window_key(self.instance, w): w
            for w, window in enumerate(self.instance.windows)
            if window.need > 0
        }
        self.least: LeastUnmet | None = None
        self.universe: list[RuleGroup] = []
        self.unsure = False  # some check ran out of time or was stopped
        self.interrupted = False  # Ctrl-C: keep what is proven, check nothing more
        self.checks = 0
        self._answers: dict[frozenset[RuleGroup], bool] = {}

    def sentences(self) -> list[str]:
        """Search, then describe; see the module's docstring."""
        strict: list[RuleGroup] = []
        if self.scenario.strict:
            try:
                strict, self.least = self._strict_windows()
            except KeyboardInterrupt:
                self.interrupted = self.unsure = True
                return [f"the rules conflict, but no small set of them was found: {self._stop()}"]
        self.universe = _ordered(strict + self._rule_groups())
        candidates = next((c for c in self._first_guesses() if self.conflicts(frozenset(c))), None)
        if candidates is None and self.unsure:
            return [f"the rules conflict, but no small set of them was found: {self._stop()}"]
        if candidates is None:
            return []
        core = shrink(self.conflicts, candidates, lambda: self.seconds_left() <= 0.01)
        lines = Describer(self, core).sentences()
        if self.unsure:
            lines.append(
                f"these rules conflict together, but some may not be needed: {self._stop()}"
            )
        return lines

    def _stop(self) -> str:
        if self.interrupted:
            return "the search was interrupted"
        budget = self.budget
        return (
            f"the search stopped at its limit of {budget.total_seconds:g} s "
            f"({budget.check_seconds:g} s a check)"
        )

    def seconds_left(self) -> float:
        """Seconds left of the budget; none once interrupted."""
        return 0.0 if self.interrupted else self.deadline - time.monotonic()

    # -- checks ---------------------------------------------------------------------------

    def conflicts(self, kept: frozenset[RuleGroup]) -> bool:
        """True only when CP-SAT proves no plan keeps the groups with every other dropped."""
        if kept not in self._answers:
            try:
                self._answers[kept] = self._check(kept)
            except KeyboardInterrupt:
                # Stop here: the set in hand still conflicts, so it is still worth telling.
                self.interrupted = self.unsure = True
                return False
        return self._answers[kept]

    def _check(self, kept: frozenset[RuleGroup]) -> bool:
        seconds = min(self.budget.check_seconds, self.seconds_left())
        if seconds <= 0.01:
            self.unsure = True
            return False
        members = self.involved(kept)
        if not members:
            return False  # nobody is held to anything: the empty plan keeps every rule
        self.checks += 1
        variant = self.variant(kept, members)
        status = cp_solver(seconds, self.workers).solve(variant.rota.model)
        if status == cp_model.UNKNOWN:
            self.unsure = True
        return status == cp_model.INFEASIBLE

    def variant(self, kept: Iterable[RuleGroup], members: set[str]) -> Variant:
        """The model with only the ``kept`` groups of the universe, for ``members``."""
        kept = set(kept)
        dropped = [g for g in self.universe if g not in kept]
        return Variant.build(
            self.scenario, dropped, [g for g in kept if g.kind == "strict"], members
        )

    def involved(self, kept: Iterable[RuleGroup]) -> set[str]:
        """The members a plan of only these groups may need: the others can stay home.

        Members held by a pinned row, a strict window, a limit or a together group, and,
        for a minimum size or a mix rule, everyone who may attend those sessions, since
        they may be needed to fill them. Leaving the others out changes no answer: with
        every other group dropped, their attending can only help the rules above.
        """
        scenario = self.scenario
        members: set[str] = set()
        for group in kept:
            if group.kind in ("pinned", "strict", "limit"):
                members.add(group.key[0])
            elif group.kind == "together":
                members |= set(scenario.together[int(group.key[0])].members)
            elif group.kind == "min_size":
                members |= self._may_attend([scenario.session_by_id[group.key[0]]])
            elif group.kind == "mix":
                sessions = [s for s in scenario.sessions if s.course == group.key[0]]
                members |= self._may_attend(sessions)
        return members

    def _may_attend(self, sessions: Iterable[Session]) -> set[str]:
        members = self.scenario.members
        return {members[i].id for s in sessions for i in self.eligibility.eligible(s)}

    # -- the groups -----------------------------------------------------------------------

    def _strict_windows(self) -> tuple[list[RuleGroup], LeastUnmet | None]:
        """The strict rule of every window that needs something, the short ones first.

        The scenario is first solved without strict for the least unmet: if even that has
        no plan, the conflict lies elsewhere and no window takes part in it.
        """
        variant = Variant.build(self.scenario, [], [])
        rota, windows = variant.rota, variant.windows
        rota.model.minimize(rota.terms["unmet"])
        # The engine's quick first plan: a hint, and the fallback when CP-SAT finds none.
        first = construct(rota.instance)
        taken = np.zeros(rota.instance.num_pairs, dtype=bool)
        taken[first] = True
        rota.hint(taken)
        seconds = min(2 * self.budget.check_seconds, self.seconds_left())
        solver = cp_solver(seconds, self.workers)
        status = solver.solve(rota.model)
        if status == cp_model.INFEASIBLE:
            return [], None
        least: LeastUnmet | None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            short = {k: solver.value(rota.vars.shortfall[w]) for k, w in windows.items()}
            least = LeastUnmet(variant.solution(solver), {k: v for k, v in short.items() if v})
        else:
            least = _checked_plan(rota.instance.scenario, variant.pairs(first))
        keys = sorted(windows, key=lambda k: windows[k])
        if least is None:
            self.unsure = True
            return [RuleGroup("strict", k) for k in keys], None
        shorts = least.short
        keys.sort(key=lambda k: k not in shorts)
        return [RuleGroup("strict", k) for k in keys], least

    def _rule_groups(self) -> list[RuleGroup]:
        """Every group of rules the scenario sets, apart from strict windows."""
        scenario, instance = self.scenario, self.instance
        groups = [RuleGroup("pinned", (r.member, r.session)) for r in scenario.pinned]
        groups += [RuleGroup("together", (str(i),)) for i in range(len(scenario.together))]
        groups += [
            RuleGroup("team_cap", (team,))
            for team, rule in instance.rules.items()
            if rule.cap is not None
        ]
        for member, limits in zip(scenario.members, instance.limits, strict=True):
            groups += [
                RuleGroup("limit", (member.id, name))
                for name in LIMIT_FIELDS
                if getattr(limits, name) is not None
            ]
        for session in scenario.sessions:
            groups.append(RuleGroup("capacity", (session.id,)))
            if session.min_size > 1:
                groups.append(RuleGroup("min_size", (session.id,)))
        for course in scenario.courses:
            groups += [RuleGroup("mix", (course.id, str(i))) for i in range(len(course.mix))]
        return list(dict.fromkeys(groups))  # a row pinned twice is one group

    def _first_guesses(self) -> Iterator[list[RuleGroup]]:
        """Sets of groups to start from, cheapest to check first; the last is every group.

        Minimum sizes and mix rules come in only with the second guess: checking them
        brings in everyone who may attend those sessions.
        """
        touching = self._touching()
        yield [g for g in touching if g.kind not in CROWD_KINDS]
        if any(g.kind in CROWD_KINDS for g in touching):
            yield touching
        yield self.universe

    def _touching(self) -> list[RuleGroup]:
        """Groups about the pinned members and sessions and the short windows' members."""
        scenario = self.scenario
        members = {row.member for row in scenario.pinned}
        sessions = {row.session for row in scenario.pinned}
        if self.least is not None:
            members |= {key[0] for key in self.least.short}
            sessions |= self._sessions_of_windows(set(self.least.short))
        together = {
            str(i) for i, g in enumerate(scenario.together) if members.intersection(g.members)
        }
        for i in together:
            members |= set(scenario.together[int(i)].members)
        teams = {scenario.member_by_id[m].team for m in members}
        courses = {scenario.session_by_id[s].course for s in sessions}
        short = self.least.short if self.least is not None else {}
        wanted: dict[str, Callable[[tuple[str, ...]], bool]] = {
            "pinned": lambda k: True,
            "strict": lambda k: k in short,
            "together": lambda k: k[0] in together,
            "team_cap": lambda k: k[0] in teams,
            "limit": lambda k: k[0] in members,
            "capacity": lambda k: k[0] in sessions,
            "min_size": lambda k: k[0] in sessions,
            "mix": lambda k: k[0] in courses,
        }
        return [g for g in self.universe if wanted[g.kind](g.key)]

    def _sessions_of_windows(self, keys: set[tuple[str, ...]]) -> set[str]:
        instance = self.instance
        sessions = instance.scenario.sessions
        return {
            sessions[int(instance.pair_session[p])].id
            for key in keys
            if key in self.windows
            for p in instance.windows[self.windows[key]].pairs
        }

    # -- for the description ----------------------------------------------------------------

    def plan_leaving_short(
        self, window: RuleGroup, core: list[RuleGroup]
    ) -> tuple[list[tuple[str, str]], int] | None:
        """A plan that keeps every other rule of the set and leaves ``window`` short.

        The least-unmet plan serves when it left that window short; otherwise the set
        without the window is solved for the window's least shortfall.
        """
        if self.least is not None and window.key in self.least.short:
            return self.least.pairs, self.least.short[window.key]
        seconds = min(self.budget.check_seconds, self.seconds_left())
        if seconds <= 0.01:
            return None
        try:
            variant = self.variant([g for g in core if g != window], self.involved(core))
            short = variant.rota.vars.shortfall[variant.windows[window.key]]
            variant.rota.model.minimize(short)
            solver = cp_solver(seconds, self.workers)
            if solver.solve(variant.rota.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return None
        except KeyboardInterrupt:
            self.interrupted = self.unsure = True
            return None
        return variant.solution(solver), solver.value(short)


def _checked_plan(scenario: Scenario, pairs: list[tuple[str, str]]) -> LeastUnmet | None:
    """A plan's short windows, if it keeps every hard rule (else None)."""
    report = check_plan(scenario, pairs)
    if report.violations:
        return None
    short: dict[tuple[str, ...], int] = {
        (u.member, u.requirement, u.window_start.isoformat()): u.shortfall for u in report.unmet
    }
    return LeastUnmet(pairs, short)


def _ordered(groups: list[RuleGroup]) -> list[RuleGroup]:
    """Groups by kind in ``KINDS`` order (stable within a kind): ``shrink`` keeps early ones."""
    return sorted(groups, key=lambda g: KINDS.index(g.kind))


# -- describing the conflicting set -----------------------------------------------------------


class Describer:
    """One sentence per group of a conflicting set, naming members, sessions, days and caps.

    Pinned rows are told inside the sentence of the rule they break (the team cap on a day,
    a member's days in a year); rows that clash only with each other (one away session a
    day, a course taken once) get a sentence of their own, and any row left over is listed
    last.
    """

    def __init__(self, search: ConflictSearch, core: list[RuleGroup]):
        self.search = search
        self.scenario = search.scenario
        self.instance = search.instance
        self.core = core
        self.pins = [g.key for g in core if g.kind == "pinned"]
        self.told: set[tuple[str, ...]] = set()
        self.eligibility = search.eligibility
        self.member_index = {m.id: i for i, m in enumerate(self.scenario.members)}

    def sentences(self) -> list[str]:
        """The sentences, at most ``MOST_LINES`` and a count of the rules left untold."""
        lines = self._clashes()
        others = [g for g in self.core if g.kind != "pinned"]
        told = others[: max(0, MOST_LINES - len(lines))]
        lines += [getattr(self, f"_{group.kind}")(group) for group in told]
        untold = len(others) - len(told)
        pins = self._pins_left()
        room = max(0, MOST_LINES - len(lines))
        lines += pins[:room]
        untold += len(pins[room:])
        if untold:
            lines.append(f"and {_count(untold, 'more rule')}")
        return lines

    # -- shared look-ups ----------------------------------------------------------------

    def _pins_of(self, member_id: str) -> list[Session]:
        return [self.scenario.session_by_id[s] for m, s in self.pins if m == member_id]

    def _pinned_to(self, session_id: str) -> list[str]:
        return [m for m, s in self.pins if s == session_id]

    def _tell(self, member_id: str, sessions: Iterable[Session]) -> None:
        self.told |= {(member_id, s.id) for s in sessions}

    def _tell_all(self, member_ids: Iterable[str], session: Session) -> None:
        self.told |= {(m, session.id) for m in member_ids}

    def _cannot_attend(self, member_id: str, session: Session) -> str | None:
        """Why a member may not attend a session by the data alone, or None."""
        member = self.scenario.member_by_id[member_id]
        reasons = ineligibility(self.scenario, member, session.id, self.instance.rules)
        if reasons:
            return reasons[0][1]
        if self.eligibility.closure(member_id, session) == "history":
            return f"{member_id} has already completed course {session.course} (history)"
        return None

    # -- pinned rows that clash with each other -----------------------------------------

    def _clashes(self) -> list[str]:
        """Rows of one member on sessions sharing a day, or on one non-repeatable course."""
        lines = []
        members = dict.fromkeys(m for m, _ in self.pins)
        for member_id in members:
            sessions = self._pins_of(member_id)
            for i, first in enumerate(sessions):
                for second in sessions[i + 1 :]:
                    line = self._clash(member_id, first, second)
                    if line:
                        lines.append(line)
                        self._tell(member_id, (first, second))
        return lines

    def _clash(self, member_id: str, first: Session, second: Session) -> str | None:
        scenario = self.scenario
        pinned = f"{member_id} is pinned to {first.id} and {second.id}"
        if first.course == second.course and not scenario.course_of(first).repeatable:
            return f"{pinned}, but course {first.course} may be taken only once"
        if scenario.is_away(first) and scenario.is_away(second):
            day = max(first.start, second.start)
            if day <= min(first.last_day, second.last_day):
                return (
                    f"{pinned}, which are both away on {day}: "
                    "a member attends one away session a day"
                )
        return None

    # -- one sentence per rule group ----------------------------------------------------

    def _team_cap(self, group: RuleGroup) -> str:
        team = group.key[0]
        rule = self.instance.rules[team]
        cap = rule.cap or 0  # only capped teams make groups
        source = (
            "max_away"
            if rule.max_away is not None and cap == rule.max_away
            else f"max_away_share {rule.max_away_share:g} of {rule.size} members"
        )
        away: dict[dt.date, list[tuple[str, Session]]] = defaultdict(list)
        for member_id, session_id in self.pins:
            session = self.scenario.session_by_id[session_id]
            if self.scenario.member_by_id[member_id].team == team and self.scenario.is_away(
                session
            ):
                for day in _days(session):
                    away[day].append((member_id, session))
        line = f"team {team} may have at most {cap} away on any day ({source})"
        if not away:
            return line
        # The busiest day, the earliest of equals.
        day, there = max(away.items(), key=lambda item: (len(item[1]), -item[0].toordinal()))
        for member_id, session in there:
            self._tell(member_id, [session])
        if len(there) <= cap:
            each = _and([f"{m} ({s.id})" for m, s in there])
            return f"{line}, and pinned {each} {_is(there)} away on {day}"
        members = _and([m for m, _ in there])
        sessions = {s.id for _, s in there}
        both = "both" if len(there) == 2 else "all"
        if len(sessions) == 1:
            doing = f"pinned members {members} {both} attend {next(iter(sessions))}"
        else:
            each = _and([f"{m} ({s.id})" for m, s in there])
            doing = f"pinned members {each} are {both} away that day"
        return f"team {team} may have {cap} away on {day} ({source}), but {doing}"

    def _limit(self, group: RuleGroup) -> str:
        member_id, name = group.key
        value = getattr(self.instance.limits[self.member_index[member_id]], name)
        if name == "min_gap_days":
            return self._gap(member_id, value)
        used: dict[str, list[tuple[Session, float]]] = defaultdict(list)
        for session in self._pins_of(member_id):
            for period, amount in self._use(name, session):
                used[period].append((session, amount))
        what = {
            "max_days_per_year": ("be away at most {v:g} days", "days"),
            "max_days_per_month": ("be away at most {v:g} days", "days"),
            "max_hours_per_year": ("take at most {v:g} class hours", "class hours"),
            "max_sessions_per_year": ("attend at most {v:g} sessions", "sessions"),
        }[name]
        may = what[0].format(v=value)
        over = [(p, uses) for p, uses in sorted(used.items()) if sum(a for _, a in uses) > value]
        if not over:
            per = "a month" if name == "max_days_per_month" else "a year"
            line = f"{member_id} may {may} {per} ({name})"
            pinned = [(s, a, p) for p, uses in sorted(used.items()) for s, a in uses]
            if pinned:
                self._tell(member_id, [s for s, _, _ in pinned])
                listed = _and([f"{s.id} ({a:g} {what[1]} in {p})" for s, a, p in pinned])
                line += f", and is pinned to {listed}"
            return line
        period, uses = over[0]
        self._tell(member_id, [s for s, _ in uses])
        total = sum(a for _, a in uses)
        listed = _and([f"{s.id} ({a:g} {what[1]})" for s, a in uses])
        return (
            f"{member_id} may {may} in {period} ({name}), but is pinned to {listed}, "
            f"{total:g} in all"
        )

    def _use(self, name: str, session: Session) -> list[tuple[str, float]]:
        """What a session counts against a limit field, per year or month."""
        scenario = self.scenario
        if name in ("max_days_per_year", "max_days_per_month"):
            if not scenario.is_away(session):
                return []
            months = days_by_month(session.start, session.last_day)
            if name == "max_days_per_month":
                return [(f"{y}-{m:02d}", n) for (y, m), n in months]
            years: dict[str, float] = defaultdict(float)
            for (y, _), n in months:
                years[str(y)] += n
            return list(years.items())
        year = str(session.start.year)
        if name == "max_hours_per_year":
            return [(year, scenario.session_hours(session))]
        return [(year, 1)]

    def _gap(self, member_id: str, gap: int) -> str:
        away = sorted(
            (s for s in self._pins_of(member_id) if self.scenario.is_away(s)), key=lambda s: s.start
        )
        for earlier, later in itertools.pairwise(away):
            free = (later.start - earlier.last_day).days - 1
            if 0 <= free < gap:
                self._tell(member_id, (earlier, later))
                return (
                    f"{member_id} needs {gap} free days between away sessions (min_gap_days), "
                    f"but is pinned to {earlier.id} ending {earlier.last_day} and {later.id} "
                    f"starting {later.start}: {free} free days"
                )
        return f"{member_id} needs {gap} free days between away sessions (min_gap_days)"

    def _capacity(self, group: RuleGroup) -> str:
        session = self.scenario.session_by_id[group.key[0]]
        pinned = self._pinned_to(session.id)
        self._tell_all(pinned, session)
        if len(pinned) > session.capacity:
            return (
                f"session {session.id} holds {session.capacity}, but {len(pinned)} members "
                f"are pinned to it: {_and(pinned)}"
            )
        line = f"session {session.id} ({_when(session)}) holds at most {session.capacity}"
        return f"{line}, and {_and(pinned)} {_is(pinned)} pinned to it" if pinned else line

    def _min_size(self, group: RuleGroup) -> str:
        session = self.scenario.session_by_id[group.key[0]]
        pinned = self._pinned_to(session.id)
        can = len(self.eligibility.eligible(session))
        line = f"session {session.id} runs only with at least {session.min_size} attendees"
        self._tell_all(pinned, session)
        if pinned:
            line += f" (min_size), but {_and(pinned)} {_is(pinned)} pinned to it"
            return line + (
                f" and only {can} members may attend it" if can < session.min_size else ""
            )
        return line + f" (min_size); {can} members may attend it"

    def _mix(self, group: RuleGroup) -> str:
        course_id, index = group.key
        rule = self.scenario.course_by_id[course_id].mix[int(index)]
        bounds = []
        if rule.min_share is not None and rule.min_share > 0:
            bounds.append(f"at least {rule.min_share:.0%}")
        if rule.max_share is not None and rule.max_share < 1:
            bounds.append(f"at most {rule.max_share:.0%}")
        line = (
            f"course {course_id} needs {' and '.join(bounds)} of each running session "
            f"to be {{{rule.who}}} (mix)"
        )
        sessions = [
            s for s in self.scenario.sessions if s.course == course_id and self._pinned_to(s.id)
        ]
        if not sessions:
            return line
        session = sessions[0]
        pinned = self._pinned_to(session.id)
        self._tell_all(pinned, session)
        member_by_id = self.scenario.member_by_id
        matching = [m for m in pinned if rule.who.matches(member_by_id[m])]
        # The side the pinned attendees break decides which other members could mend it.
        too_few = rule.min_share is not None and len(matching) < rule.min_share * len(pinned)
        others = [
            self.scenario.members[i].id
            for i in self.eligibility.eligible(session)
            if self.scenario.members[i].id not in pinned
            and rule.who.matches(self.scenario.members[i]) == too_few
        ]
        kind = "who matches" if too_few else "who does not match"
        return (
            f"{line}, but {_and(pinned)} {_is(pinned)} pinned to {session.id} and "
            f"{len(matching)} of them match; {session.id} holds {session.capacity}, and "
            f"{_count(len(others), 'other member')} {kind} may attend it"
        )

    def _together(self, group: RuleGroup) -> str:
        together = self.scenario.together[int(group.key[0])]
        line = f"{_and(together.members)} must attend course {together.course} together"
        for member_id in together.members:
            for session in self._pins_of(member_id):
                if session.course != together.course:
                    continue
                self._tell(member_id, [session])
                for partner in together.members:
                    why = self._cannot_attend(partner, session)
                    if why:
                        return (
                            f"{line}, but {member_id} is pinned to {session.id} and {partner} "
                            f"may not attend it: {why}"
                        )
                return f"{line}, and {member_id} is pinned to {session.id}"
        sessions = [s for s in self.scenario.sessions if s.course == together.course]
        blocked = []
        for session in sessions:
            why = next(
                (
                    f"{p} may not attend {session.id}: {w}"
                    for p in together.members
                    if (w := self._cannot_attend(p, session))
                ),
                None,
            )
            if why is None:
                return f"{line} or not at all"
            blocked.append(why)
        if not blocked:
            return f"{line}, but course {together.course} has no session"
        return f"{line}, but no session of it admits them all: {'; '.join(blocked[:3])}"

    def _strict(self, group: RuleGroup) -> str:
        member_id, requirement_id, _ = group.key
        window = self.instance.windows[self.search.windows[group.key]]
        line = (
            f"{member_id} must meet requirement {requirement_id} in "
            f"{window.start}/{window.end} (strict: true)"
        )
        found = self.search.plan_leaving_short(group, self.core)
        if found is None:
            return line
        pairs, short = found
        unmet = UnmetWindow(
            member_id, requirement_id, window.start, window.end, short, window.weight
        )
        reason = explain_unmet(self.scenario, pairs, [unmet])[0].reason
        return f"{line}, but {reason}"

    def _pins_left(self) -> list[str]:
        left: dict[str, list[str]] = defaultdict(list)
        for member_id, session_id in self.pins:
            if (member_id, session_id) not in self.told:
                left[member_id].append(session_id)
        lines = []
        for member_id, session_ids in left.items():
            sessions = [self.scenario.session_by_id[s] for s in session_ids]
            lines.append(
                f"{member_id} is pinned to {_and([f'{s.id} ({_when(s)})' for s in sessions])}"
            )
        return lines


def _days(session: Session) -> list[dt.date]:
    return [session.start + dt.timedelta(days=n) for n in range(session.days)]


def _when(session: Session) -> str:
    if session.start == session.last_day:
        return f"course {session.course}, {session.start}"
    return f"course {session.course}, {session.start}/{session.last_day}"


def _and(items: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _is(items: Sized) -> str:
    return "is" if len(items) == 1 else "are"
