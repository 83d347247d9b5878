"""Explanations for planners: why a member is or is not served, and who a requirement leaves
unmet and why; the data alone, or a plan.

``Explainer`` answers for one scenario and, optionally, one plan; its ``member_lines`` and
``requirement_lines`` render in English or Chinese through the message catalogue.
``suggestion_lines`` reports the what-if changes of ``solver.explain.suggest``.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from checker import CheckReport, check_plan, read_assignments
from models import DateRange, Member, Requirement, Scenario, presence, requirement_windows
from models.errors import RotaplanError
from models.scenario import LIMIT_FIELDS, Session

from ..plan_loads import PlanLoads
from . import messages as msg
from .messages import Items, Note, Renderer, note
from .reasons import Reasoner
from .suggest import SuggestOptions, suggest
from .verdicts import CAUSES, CLOSURES, SessionVerdict, WindowFinding
from .what_if import Trial, UnmetGroup

EPSILON = 1e-9
MOST_MEMBERS = 8
GROUP_FROM = 3  # sessions sharing one reason that go on one line


class ExplainError(RotaplanError):
    """A question explain cannot answer, such as an unknown member or requirement.

    It means invalid input (exit code 2): the question names what the plan lacks.
    """


@dataclass
class PlanInput:
    """A plan read from disk: its assignments and, when it has a summary, its status."""

    pairs: list[tuple[str, str]]
    status: str | None = None
    label: str = "plan"

    @property
    def proven(self) -> bool | None:
        return None if self.status is None else self.status == "OPTIMAL"


def read_plan(path: str | Path) -> PlanInput:
    """Read a plan folder (or an assignments CSV); the status comes from ``summary.json``."""
    path = Path(path)
    pairs = read_assignments(path)
    summary = path / "summary.json"
    status = None
    if path.is_dir() and summary.is_file():
        status = json.loads(summary.read_text(encoding="utf-8")).get("status")
    return PlanInput(pairs, status, str(path))


@dataclass
class WindowView:
    """One requirement window of one member: what counts in it, and where each session stands."""

    requirement: Requirement
    window: DateRange
    done: float
    shortfall: int
    verdicts: list[SessionVerdict]
    finding: WindowFinding | None = None  # with a plan, for a window left short


@dataclass
class DataGroup:
    """Windows that no session can serve, by the data alone, for one reason."""

    key: str  # no_session, or the closure that shuts most of the window's sessions
    windows: list[tuple[str, DateRange]]


class Explainer:
    """Explains one scenario, with or without a plan.

    Parameters
    ----------
    scenario
        The loaded scenario.
    plan
        A plan to explain, or None to report what the data alone says.
    lang
        ``en`` or ``zh``.
    """

    def __init__(self, scenario: Scenario, plan: PlanInput | None = None, lang: str = "en"):
        self.scenario = scenario
        self.plan = plan
        self.text = Renderer(scenario, lang)
        self.loads = PlanLoads(scenario, plan.pairs if plan else [])
        self.reasoner = Reasoner(self.loads, plan.proven if plan else None)
        self.report: CheckReport | None = check_plan(scenario, plan.pairs) if plan else None
        self.unmet = {
            (w.member, w.requirement, w.window_start): w
            for w in (self.report.unmet if self.report else [])
        }

    # -- members ------------------------------------------------------------------------

    def member_windows(self, member_id: str) -> list[WindowView]:
        """Every requirement window that applies to the member, judged."""
        member = self._member(member_id)
        views = []
        for requirement in self.scenario.requirements:
            if not requirement.who.matches(member):
                continue
            for window in requirement_windows(self.scenario, requirement, member):
                views.append(self._window_view(member, requirement, window))
        return views

    def _window_view(
        self, member: Member, requirement: Requirement, window: DateRange
    ) -> WindowView:
        done = self.reasoner.done_in(member.id, requirement, window)
        if self.plan is None:
            sessions = self.loads.sessions_starting(window.start, window.end, requirement.courses)
            verdicts = [self._data_verdict(member, s) for s in sessions]
            return WindowView(requirement, window, done, _shortfall(requirement, done), verdicts)
        short = self.unmet.get((member.id, requirement.id, window.start))
        if short is None:
            verdicts = self.reasoner.window_verdicts(member, requirement, window)
            return WindowView(requirement, window, done, 0, verdicts)
        finding = self.reasoner.window_finding(member.id, requirement, window, short.shortfall)
        return WindowView(requirement, window, done, short.shortfall, finding.verdicts, finding)

    def _data_verdict(self, member: Member, session: Session) -> SessionVerdict:
        closed = self.reasoner.closures(member, session)
        if closed:
            return SessionVerdict(session, "closed", closed, closed[0].cause)
        return SessionVerdict(session, "open")

    def member_lines(self, member_id: str) -> Iterator[str]:
        """A member's situation: limits, loads, and every requirement window, in words."""
        member = self._member(member_id)
        text = self.text
        here = presence(self.scenario, member)
        who = msg.member(member.id)
        if here is None:
            yield text(note("member.absent", member=who))
            return
        yield text(
            note(
                "member.header",
                member=who,
                tier=member.tier,
                category=member.category,
                unit=member.unit,
                team=member.team,
                presence=here,
            )
        )
        yield text(self._limits_note(member))
        yield text(self._team_note(member))
        for year in self.scenario.years if self.plan else ():
            load = self.loads.year_load(member.id, year)
            yield text(
                note(
                    "member.year_load",
                    year=year,
                    sessions=load.sessions,
                    days=load.days,
                    hours=float(load.hours),
                )
            )
        rows = self.loads.history_of(member.id)
        if rows:
            done = [f"{r.date.isoformat()} {text(msg.course(r.course))}" for r in rows]
            yield text(note("member.history", rows=Items(done)))
        views = self.member_windows(member_id)
        if not views:
            yield text(note("member.no_requirement", member=who))
        current = None
        for view in views:
            if view.requirement is not current:
                current = view.requirement
                yield text(_requirement_note(current))
            yield from self._window_lines(member, view)

    def _window_lines(self, member: Member, view: WindowView) -> Iterator[str]:
        text = self.text
        needed = _needed(view.requirement)
        if self.plan is None:
            open_count = sum(1 for v in view.verdicts if v.state == "open")
            state = note("state.data_only", done=view.done, needed=needed, open=open_count)
        elif view.shortfall == 0:
            state = note("state.met", done=view.done, needed=needed)
        else:
            assert view.finding is not None
            state = note(
                "state.short",
                shortfall=view.shortfall,
                cause_name=note(f"cause.{view.finding.cause}"),
                cause=view.finding.cause,
            )
        yield text(note("window.line", window=view.window, state=state))
        if view.finding is not None and view.finding.note is not None:
            yield text(note("window.reason", reason=view.finding.note))
        if not view.verdicts:
            yield text(note("session.none"))
        single, groups = self._sorted_sessions(view)
        for verdict in single:
            yield text(
                note(
                    "session.line",
                    session=msg.session(verdict.session.id),
                    dates=DateRange(verdict.session.start, verdict.session.last_day),
                    state=self._session_state(member, view, verdict),
                )
            )
        yield from (text(line) for line in groups)

    def _sorted_sessions(self, view: WindowView) -> tuple[list[SessionVerdict], list[Note]]:
        """Sessions to show one by one, and notes for many that share one reason.

        Sessions closed by the same rule, and (in a window already met) sessions blocked
        for the same cause, go on one line, with an example, once there are
        ``GROUP_FROM`` of them: a five-year plan would otherwise list a hundred joint
        sessions of other units one by one.
        """
        closed: dict[str, list[SessionVerdict]] = defaultdict(list)
        blocked: dict[str, list[SessionVerdict]] = defaultdict(list)
        for verdict in view.verdicts:
            if verdict.state == "closed":
                closed[verdict.blocks[0].note.key].append(verdict)
            elif verdict.state == "blocked" and view.shortfall == 0:
                blocked[str(verdict.cause)].append(verdict)
        grouped = [g for g in [*closed.values(), *blocked.values()] if len(g) >= GROUP_FROM]
        in_groups = {id(v) for g in grouped for v in g}
        notes = []
        for group in grouped:
            sessions = msg.shortened([msg.session(v.session.id) for v in group], 6)
            first = group[0]
            if first.state == "closed":
                notes.append(
                    note(
                        "session.closed_group",
                        count=len(group),
                        closure=note(f"closure.{first.cause}"),
                        example=first.blocks[0].note,
                        sessions=sessions,
                    )
                )
            else:
                notes.append(
                    note(
                        "session.blocked_group",
                        count=len(group),
                        cause=str(first.cause),
                        example=first.blocks[0].about(first.session),
                        sessions=sessions,
                    )
                )
        return [v for v in view.verdicts if id(v) not in in_groups], notes

    def _session_state(self, member: Member, view: WindowView, verdict: SessionVerdict) -> Note:
        if verdict.state == "attends":
            also = self._also_counts(member, view, verdict.session)
            extra = note("session.chosen_also", requirements=Items(also)) if also else ""
            return note("session.chosen", also=extra)
        if verdict.state == "closed":
            return note("session.closed", why=Items([b.note for b in verdict.blocks], major=True))
        if verdict.state == "blocked":
            return note("session.blocked", why=Items([b.note for b in verdict.blocks], major=True))
        if self.plan is not None and view.shortfall == 0:
            return note("session.open_unneeded")
        crowd = self.reasoner.crowd(member, verdict.session) if self.plan is not None else []
        if crowd:
            who = msg.shortened([msg.member(m.id) for m in crowd], 3)
            return note("session.open_crowd", count=len(crowd), who=who)
        return note("session.open")

    def _also_counts(self, member: Member, view: WindowView, session: Session) -> list[msg.Ref]:
        """The member's other requirements whose windows the session also counts in."""
        found = []
        for requirement in self.scenario.requirements:
            if requirement is view.requirement or not requirement.who.matches(member):
                continue
            if not requirement.counts_course(session.course):
                continue
            windows = requirement_windows(self.scenario, requirement, member)
            if any(w.start <= session.start <= w.end for w in windows):
                found.append(msg.requirement(requirement.id))
        return found

    def _limits_note(self, member: Member) -> Note:
        limits = self.loads.limits(member.id)
        values = [
            note("cap.value", cap_name=note(f"cap.{name}"), value=getattr(limits, name))
            for name in LIMIT_FIELDS
            if getattr(limits, name) is not None
        ]
        if not values:
            return note("member.no_limits")
        return note("member.limits", limits=Items(values))

    def _team_note(self, member: Member) -> Note:
        rule = self.loads.rules[member.team]
        blackout = note("member.blackout", ranges=Items(rule.blackout)) if rule.blackout else ""
        cap = self.loads.team_cap(member.team)
        if cap is None:
            return note("member.team_uncapped", team=member.team, size=rule.size, blackout=blackout)
        return note("member.team", team=member.team, size=rule.size, cap=cap, blackout=blackout)

    def plan_lines(self) -> Iterator[str]:
        """The plan's status, and a warning when it breaks rules (say, edited by hand)."""
        if self.plan is None or self.report is None:
            return
        yield self.text(
            note("plan.status", plan=self.plan.label, status=self.plan.status or "unknown")
        )
        if self.report.violations:
            yield self.text(note("plan.violations", count=len(self.report.violations)))

    # -- requirements ---------------------------------------------------------------------

    def requirement_findings(self, requirement_id: str) -> list[WindowFinding]:
        """The plan's unmet windows of the requirement, each with its cause and reason."""
        requirement = self._requirement(requirement_id)
        return [
            self.reasoner.window_finding(
                w.member,
                requirement,
                DateRange(w.window_start, w.window_end),
                w.shortfall,
                detail=False,
            )
            for w in (self.report.unmet if self.report else [])
            if w.requirement == requirement_id
        ]

    def data_groups(self, requirement_id: str) -> list[DataGroup]:
        """Windows that no plan can meet, by the data alone, grouped by reason.

        A window with no session, or none open to the member, is grouped by the rule that
        shuts most of its sessions; one whose open sessions, all taken, still fall short
        (class hours, or a count above the courses a member may take) is ``short_offer``.
        Limits, caps and seats are not counted: what is reported here is short for sure.
        """
        requirement = self._requirement(requirement_id)
        eligibility = self.loads.eligibility
        groups: dict[str, list[tuple[str, DateRange]]] = defaultdict(list)
        for member in self.scenario.members:
            if not requirement.who.matches(member):
                continue
            for window in requirement_windows(self.scenario, requirement, member):
                done = self.reasoner.done_in(member.id, requirement, window)
                if _shortfall(requirement, done) == 0:
                    continue
                sessions = self.loads.sessions_starting(
                    window.start, window.end, requirement.courses
                )
                closures = [eligibility.closure(member.id, s) for s in sessions]
                if "" in closures:
                    open_ = [s for s, c in zip(sessions, closures, strict=True) if not c]
                    if _shortfall(requirement, done + self._most_on_offer(requirement, open_)):
                        groups["short_offer"].append((member.id, window))
                    continue
                counts = Counter(closures)
                key = (
                    max(counts, key=lambda c: (counts[c], -CLOSURES.index(c)))
                    if counts
                    else "no_session"
                )
                groups[key].append((member.id, window))
        order = ["no_session", *CLOSURES, "short_offer"]
        return [DataGroup(k, groups[k]) for k in order if k in groups]

    def _most_on_offer(self, requirement: Requirement, sessions: list[Session]) -> float:
        """Completions (or class hours) the sessions give at most, all taken: a
        non-repeatable course counts once, with its longest session."""
        best: dict[str, float] = {}
        total = 0.0
        for session in sessions:
            gain = self.scenario.session_hours(session) if requirement.is_hours else 1.0
            if self.scenario.course_of(session).repeatable:
                total += gain
            else:
                best[session.course] = max(best.get(session.course, 0.0), gain)
        return total + sum(best.values())

    def requirement_lines(self, requirement_id: str) -> Iterator[str]:
        """Who the requirement leaves unmet and why (with a plan), or what the data rules out."""
        requirement = self._requirement(requirement_id)
        text = self.text
        yield text(_requirement_note(requirement))
        reach = [
            (m.id, w)
            for m in self.scenario.members
            if requirement.who.matches(m)
            for w in requirement_windows(self.scenario, requirement, m)
        ]
        members = len({m for m, _ in reach})
        yield "  " + text(note("req.reach", members=members, windows=len(reach)))
        if self.plan is None:
            yield from self._data_lines(requirement_id)
            return
        findings = self.requirement_findings(requirement_id)
        yield "  " + text(
            note(
                "req.plan",
                met=len(reach) - len(findings),
                unmet=len(findings),
                shortfall=sum(f.shortfall for f in findings),
                weighted=sum(f.shortfall for f in findings) * requirement.weight,
            )
        )
        for cause, group in group_findings(findings):
            yield text(
                note(
                    "req.group",
                    cause=note(f"cause.{cause}"),
                    code=cause,
                    count=len(group),
                    members=_members_of(group),
                )
            )
            first = group[0]
            assert first.note is not None
            yield text(
                note(
                    "req.example",
                    member=msg.member(first.member_id),
                    window=first.window,
                    reason=first.note,
                )
            )

    def _data_lines(self, requirement_id: str) -> Iterator[str]:
        groups = self.data_groups(requirement_id)
        count = sum(len(g.windows) for g in groups)
        if not count:
            yield "  " + self.text(note("req.data_ok"))
            return
        yield "  " + self.text(note("req.data_header", count=count))
        for group in groups:
            if group.key in ("no_session", "short_offer"):
                label = note(f"req.{group.key}")
            else:
                label = note("req.closed_by", closure=note(f"closure.{group.key}"))
            members = list(dict.fromkeys(m for m, _ in group.windows))
            yield self.text(
                note(
                    "req.data_group",
                    cause=label,
                    count=len(group.windows),
                    members=msg.shortened([msg.member(m) for m in members], MOST_MEMBERS),
                )
            )

    # -- look-ups -----------------------------------------------------------------------

    def _member(self, member_id: str) -> Member:
        member = self.scenario.member_by_id.get(member_id)
        if member is None:
            raise ExplainError(self.text(note("req.unknown_member", member=member_id)))
        return member

    def _requirement(self, requirement_id: str) -> Requirement:
        requirement = self.scenario.requirement_by_id.get(requirement_id)
        if requirement is None:
            raise ExplainError(
                self.text(note("req.unknown_requirement", requirement=requirement_id))
            )
        return requirement


def group_findings(findings: list[WindowFinding]) -> list[tuple[str, list[WindowFinding]]]:
    """Findings by cause, the largest group first (ties in the order of ``CAUSES``)."""
    groups: dict[str, list[WindowFinding]] = defaultdict(list)
    for finding in findings:
        groups[finding.cause].append(finding)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), CAUSES.index(kv[0])))


def _members_of(findings: list[WindowFinding]) -> object:
    members = list(dict.fromkeys(f.member_id for f in findings))
    return msg.shortened([msg.member(m) for m in members], MOST_MEMBERS)


def _needed(requirement: Requirement) -> float:
    return requirement.min_hours if requirement.min_hours is not None else requirement.needed


def _shortfall(requirement: Requirement, done: float) -> int:
    """SPEC.md's shortfall: ``count - completions``, or ``ceil(min_hours - hours)``."""
    if requirement.min_hours is not None:
        return max(0, math.ceil(requirement.min_hours - done - EPSILON))
    return max(0, requirement.needed - int(done))


def _requirement_note(requirement: Requirement) -> Note:
    ref = msg.requirement(requirement.id)
    if requirement.min_hours is not None:
        courses = (
            note("requirement.hours_courses", courses=[msg.course(c) for c in requirement.courses])
            if requirement.courses
            else ""
        )
        return note(
            "requirement.hours",
            requirement=ref,
            hours=requirement.min_hours,
            courses=courses,
            weight=requirement.weight,
        )
    return note(
        "requirement.courses",
        requirement=ref,
        count=requirement.needed,
        courses=[msg.course(c) for c in requirement.courses or ()],
        weight=requirement.weight,
    )


def suggestion_lines(
    scenario: Scenario,
    plan: PlanInput,
    options: SuggestOptions,
    lang: str = "en",
    member_id: str | None = None,
    requirement_id: str | None = None,
) -> Iterator[str]:
    """Solve what-if variants for the plan's unmet groups and say what each would serve.

    Lines come as each variant is solved, so a planner watches the work progress.
    """
    text = Renderer(scenario, lang)
    before = check_plan(scenario, plan.pairs).objective["unmet"]
    finished: list[tuple[UnmetGroup, Trial]] = []
    groups = suggest(
        scenario,
        plan.pairs,
        options,
        plan.proven,
        member_id,
        requirement_id,
        on_trial=lambda group, trial: finished.append((group, trial)),
    )
    if not groups:
        yield text(note("suggest.nothing"))
        return
    yield text(note("suggest.header", seconds=options.time_limit))
    for group in groups:
        yield text(
            note(
                "suggest.group",
                requirement=msg.requirement(group.requirement.id),
                cause=group.cause,
                count=len(group.findings),
                members=_members_of(group.findings),
            )
        )
        if not group.changes:
            yield text(note("suggest.none"))
        # A change that serves none of the group is no suggestion: it is only counted.
        for trial in group.useful:
            yield text(_trial_note(group, trial, before))
        idle = [t for t in group.trials if not t.served]
        if idle:
            open_ = "" if all(t.proven for t in idle) else _not_proven(idle, "suggest.none_open")
            yield text(note("suggest.none_served", count=len(idle), open=open_))
        untried = len(group.changes) - len(group.trials)
        if untried:
            yield text(note("suggest.skipped", count=untried, limit=options.max_variants))
        best = group.best
        if best is not None and len(group.useful) > 1:
            yield text(note("suggest.best", change=best.change.note))


def _not_proven(trials: list[Trial], key: str) -> Note:
    return note(key, seconds=max(t.seconds for t in trials))


def _trial_note(group: UnmetGroup, trial: Trial, before: int) -> Note:
    served = trial.served_members
    who = (
        note("suggest.who", members=msg.shortened([msg.member(m) for m in served], MOST_MEMBERS))
        if served
        else ""
    )
    return note(
        "suggest.result",
        change=trial.change.note,
        served=len(trial.served),
        count=len(group.findings),
        who=who,
        before=before,
        after=trial.unmet,
        open="" if trial.proven else _not_proven([trial], "suggest.not_proven"),
    )
