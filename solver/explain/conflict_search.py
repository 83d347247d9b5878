"""The search for a small set of conflicting rule groups, within a time budget.

A set of groups *conflicts* when CP-SAT proves the scenario infeasible with every other
group dropped; members no group left holds to anything are left out of that check, which
keeps each check small. A deletion filter (``shrink``) shrinks a conflicting set until
each group left is needed: dropping any one of them gives a plan. It starts from the
groups that touch the pinned members and sessions and the windows a non-strict plan leaves
short (everything, if those alone have a plan).

Each check gets a few seconds and the whole search half a minute. A check that runs out
of time counts as "may have a plan", which keeps its groups: the set still conflicts, but
is then not proven minimal, and the last line says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from checker import check_plan
from models import Eligibility, Scenario, Session
from models.scenario import LIMIT_FIELDS

from ..engine import EngineSettings, build_instance, construct, set_parameters
from .conflict_sentences import ConflictSentences
from .messages import Note, NoteText, note
from .rule_groups import CROWD_KINDS, KINDS, RuleGroup
from .variants import Variant, cp_solver, window_key

# The least time the conflict search gets after a solve that used its whole time limit:
# on generated units of 136-345 members with a strict rule that no plan keeps, it found
# and proved the conflict in 0.8-5 s.
LEAST_CONFLICT_SECONDS = 5.0


@dataclass
class ConflictBudget:
    """How long the search for conflicting rules may take, in all and per CP-SAT check."""

    total_seconds: float = 30.0
    check_seconds: float = 5.0

    @classmethod
    def within(cls, seconds: float) -> ConflictBudget:
        """The budget of a solve with ``seconds`` of its time limit left: those seconds,
        but at least ``LEAST_CONFLICT_SECONDS`` (an infeasible answer without its reason
        leaves the planner nothing to fix) and at most the default half minute."""
        default = cls()
        total = min(default.total_seconds, max(LEAST_CONFLICT_SECONDS, seconds))
        return cls(total, min(default.check_seconds, total))


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


@dataclass
class LeastUnmet:
    """The scenario solved without strict for the least unmet: which windows stay short."""

    pairs: list[tuple[str, str]]
    short: dict[tuple[str, ...], int]  # window key -> shortfall


class ConflictSearch:
    """Finds and describes a small conflicting set of rule groups within a time budget."""

    def __init__(
        self,
        scenario: Scenario,
        workers: int,
        budget: ConflictBudget,
        settings: EngineSettings | None = None,
    ):
        self.scenario = scenario
        self.workers = workers
        self.budget = budget
        self.settings = settings or EngineSettings()
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

    def sentences(self) -> list[NoteText]:
        """Search, then describe; see the module's docstring.

        Each sentence is an English string that keeps its catalogue note (``NoteText``).
        """
        strict: list[RuleGroup] = []
        if self.scenario.strict:
            try:
                strict, self.least = self._strict_windows()
            except KeyboardInterrupt:
                self.interrupted = self.unsure = True
                return [self._said(note("conflict.not_found", stop=self._stop()))]
        self.universe = _ordered(strict + self._rule_groups())
        candidates = next((c for c in self._first_guesses() if self.conflicts(frozenset(c))), None)
        if candidates is None and self.unsure:
            return [self._said(note("conflict.not_found", stop=self._stop()))]
        if candidates is None:
            return []
        core = shrink(self.conflicts, candidates, lambda: self.seconds_left() <= 0.01)
        lines = ConflictSentences(self, core).sentences()
        if self.unsure:
            lines.append(self._said(note("conflict.not_minimal", stop=self._stop())))
        return lines

    def _said(self, found: Note) -> NoteText:
        return NoteText(found, self.scenario)

    def _stop(self) -> Note:
        if self.interrupted:
            return note("conflict.interrupted")
        budget = self.budget
        return note(
            "conflict.stopped",
            total=f"{budget.total_seconds:g}",
            check=f"{budget.check_seconds:g}",
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
        # The engine's parameters for its unmet stage: CP-SAT's defaults at two workers
        # prove no least unmet (no LP-based worker), and the search spent its whole
        # 10 s here on a strict unit of 136 members whose conflict is one member's leave.
        set_parameters(solver, rota.instance.num_pairs, self.workers, self.settings)
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
