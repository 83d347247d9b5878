"""Plain reasons for unmet requirement windows, found from the data and the plan.

For an unmet window, the sessions that could count in it (those of the requirement's
courses, or any counted course for ``min_hours``, that start in the window) are sorted
into: attended, closed to the member (``closures``), blocked by the plan (``blockers``),
or open. The window's cause follows: ``no_session``, ``ineligible``, the dominant blocker,
or ``open`` (nothing blocks a session, so the plan is not optimal for unmet).

Every check reads ``PlanLoads``, computed once per plan, so thousands of windows are cheap.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from checker import UnmetWindow
from models import DateRange, Member, Requirement, Scenario, Session

from ..engine import PlanLoads, Unmet
from . import messages as msg
from .blockers import Blockers
from .closures import Closures
from .crowds import Crowds, Partners
from .member_blocks import MemberBlocks
from .messages import Items, Note, Renderer, note
from .verdicts import BLOCKERS, CLOSURES, Block, SessionVerdict, WindowFinding
from .window_cuts import with_cut

MOST_DETAILS = 4

_m, _s = msg.member, msg.session


class Reasoner:
    """Answers, for one plan, why a member cannot attend a session and why a window is short.

    Parameters
    ----------
    loads
        The plan's loads.
    proven
        Whether the plan is proven optimal, when known; only sharpens the wording for
        windows that a session could still serve.
    """

    def __init__(self, loads: PlanLoads, proven: bool | None = None):
        self.loads = loads
        self.scenario = loads.scenario
        self.proven = proven
        self._closures = Closures(loads)
        member_blocks = MemberBlocks(loads)
        partners = Partners(loads)
        self._crowds = Crowds(loads, partners, member_blocks)
        self._blockers = Blockers(loads, self._closures, member_blocks, partners, self._crowds)

    def closures(self, member: Member, session: Session) -> list[Block]:
        """Why the member may never attend the session, whatever the plan; empty if eligible."""
        return self._closures.of(member, session)

    def blockers(self, member: Member, session: Session) -> list[Block]:
        """Why the plan cannot add an eligible member to the session, first blocker first."""
        return self._blockers.of(member, session)

    def crowd(self, member: Member, session: Session) -> list[Member]:
        """Others free to join with whom a session that does not run yet could run."""
        return self._crowds.crowd(member, session)

    # -- sessions and windows ---------------------------------------------------------

    def verdict(self, member: Member, session: Session, detail: bool = True) -> SessionVerdict:
        """Where the session stands for the member in this plan.

        Without ``detail`` a closed session carries only its closure code, not the words.
        """
        if (member.id, session.id) in self.loads.attending:
            return SessionVerdict(session, "attends")
        closure = self.loads.eligibility.closure(member.id, session)
        if closure:
            blocks = self.closures(member, session) if detail else []
            return SessionVerdict(session, "closed", blocks, closure)
        blocks = self.blockers(member, session)
        return SessionVerdict(session, "blocked" if blocks else "open", blocks)

    def window_verdicts(
        self, member: Member, requirement: Requirement, window: DateRange, detail: bool = True
    ) -> list[SessionVerdict]:
        """The sessions that count in the window, judged in date order.

        Without ``detail``, judging stops at the first open session: that alone decides
        the window's cause.
        """
        verdicts = []
        for session in self.loads.sessions_starting(window.start, window.end, requirement.courses):
            verdicts.append(self.verdict(member, session, detail))
            if not detail and verdicts[-1].state == "open":
                break
        return verdicts

    def done_in(self, member_id: str, requirement: Requirement, window: DateRange) -> float:
        """Completions (or class hours) counted in the window: the plan's and history's."""
        done = 0.0
        for session in self.loads.taken.get(member_id, ()):
            if window.start <= session.start <= window.end and requirement.counts_course(
                session.course
            ):
                done += self.scenario.session_hours(session) if requirement.is_hours else 1
        for row in self.loads.history_of(member_id):
            if window.start <= row.date <= window.end and requirement.counts_course(row.course):
                done += self.scenario.course_by_id[row.course].hours if requirement.is_hours else 1
        return done

    def window_finding(
        self,
        member_id: str,
        requirement: Requirement,
        window: DateRange,
        shortfall: int,
        detail: bool = True,
    ) -> WindowFinding:
        """Why the member's window stays short: a cause code and a note in plain words."""
        member = self.scenario.member_by_id[member_id]
        verdicts = self.window_verdicts(member, requirement, window, detail)
        done = self.done_in(member_id, requirement, window)
        finding = WindowFinding(member_id, requirement, window, shortfall, done, verdicts)
        finding.cause, reason = self._cause(member, requirement, window, verdicts, done)
        if requirement.is_hours and verdicts:
            reason = note(
                "window.hours",
                planned=done,
                needed=requirement.min_hours,
                window=window,
                then=reason,
            )
        finding.note = with_cut(reason, self.scenario, requirement, member, window)
        return finding

    def _cause(
        self,
        member: Member,
        requirement: Requirement,
        window: DateRange,
        verdicts: list[SessionVerdict],
        done: float,
    ) -> tuple[str, Note]:
        courses = _courses(requirement)
        hours = requirement.is_hours
        who = msg.member(member.id)
        if not verdicts:
            if hours and requirement.courses is None:
                return "no_session", note("window.no_session_hours", window=window)
            return "no_session", note("window.no_session", courses=courses, window=window)
        others = [v for v in verdicts if v.state != "attends"]
        if not others:
            if hours:
                return "no_session", note("hours.all_attended", member=who)
            return "no_session", note(
                "window.all_attended",
                member=who,
                courses=courses,
                window=window,
                done=done,
                needed=requirement.needed,
            )
        open_ = [v for v in others if v.state == "open"]
        if open_:
            return "open", self._open_note(member, open_[0].session)
        blocked = [v for v in others if v.state == "blocked"]
        closed = [v for v in others if v.state == "closed"]
        told = {"courses": courses, "window": window, "member": who}  # a window's words
        if not blocked:
            parts = self._closure_parts(member, closed)
            if hours:
                return "ineligible", note(
                    "hours.ineligible", count=len(closed), member=who, parts=parts
                )
            return "ineligible", note("window.ineligible", count=len(closed), **told, parts=parts)
        cause, details = _blocked_details(blocked)
        if closed:
            details = Items(
                [
                    details,
                    note(
                        "window.also_closed",
                        count=len(closed),
                        parts=self._closure_parts(member, closed),
                    ),
                ],
                major=True,
            )
        if hours:
            return cause, note("hours.blocked", count=len(blocked), details=details)
        return cause, note("window.blocked", count=len(blocked), **told, details=details)

    def _closure_parts(self, member: Member, closed: list[SessionVerdict]) -> Items:
        """How many sessions each closure shuts, with the words of an example."""
        counts = Counter(v.closure for v in closed)
        words: dict[str, list[Note]] = defaultdict(list)
        for verdict in closed:
            if len(words[verdict.closure]) < 2:
                blocks = verdict.blocks or self.closures(member, verdict.session)
                if blocks[0].note not in words[verdict.closure]:
                    words[verdict.closure].append(blocks[0].note)
        parts = []
        for code in (c for c in CLOSURES if c in counts):
            if len(words[code]) == 1:  # every session shut for the same stated reason
                parts.append(note("part.count", count=counts[code], why=words[code][0]))
            else:
                name = note(f"closure.{code}")
                parts.append(
                    note("part.count_eg", count=counts[code], name=name, why=words[code][0])
                )
        return Items(parts, major=True)

    def _open_note(self, member: Member, session: Session) -> Note:
        """A session open to the member: with whom it would run, and why the plan has it not."""
        crowd = self.crowd(member, session)
        params = {"session": _s(session.id), "member": _m(member.id), "why": self._why_open()}
        if not crowd:
            return note("window.open", **params)
        who = msg.shortened([_m(m.id) for m in crowd], 3)
        return note("window.open_crowd", count=len(crowd), who=who, **params)

    def _why_open(self) -> Note:
        objective = self.scenario.objective
        if "unmet" not in objective:
            return note("why.no_unmet_term")
        first = objective.index("unmet")
        if first > 0:
            return note("why.objective_order", terms=Items(objective[:first]))
        if self.proven is False:
            return note("why.not_proven")
        return note("why.not_optimal")


def _courses(requirement: Requirement) -> Items:
    return Items([msg.course(c) for c in requirement.courses or ()])


def _blocked_details(blocked: list[SessionVerdict]) -> tuple[str, Items]:
    """The dominant blocker, and the blocked sessions in words, dominant cause first."""
    counts = Counter(v.cause for v in blocked)
    dominant = max(counts, key=lambda c: (counts[c], -BLOCKERS.index(str(c))))
    ordered = sorted(
        blocked,
        key=lambda v: (v.cause != dominant, BLOCKERS.index(str(v.cause)), v.session.start),
    )
    shown = [v.blocks[0].about(v.session) for v in ordered[:MOST_DETAILS]]
    rest = ordered[MOST_DETAILS:]
    if rest:
        tally = Counter(str(v.cause) for v in rest)
        shown.append(
            note(
                "window.more",
                count=len(rest),
                causes=Items([f"{c} {n}" for c, n in tally.most_common()]),
            )
        )
    return str(dominant), Items(shown, major=True)


def find_reasons(
    scenario: Scenario,
    pairs: Iterable[tuple[str, str]],
    windows: Iterable[UnmetWindow],
    proven: bool | None = None,
    detail: bool = False,
) -> list[WindowFinding]:
    """A finding (cause, note, judged sessions) for every unmet window of a plan.

    Without ``detail`` (enough for the reasons), closed sessions carry only their
    closure code and judging a window stops at its first open session.
    """
    reasoner = Reasoner(PlanLoads(scenario, pairs), proven)
    return [
        reasoner.window_finding(
            w.member,
            scenario.requirement_by_id[w.requirement],
            DateRange(w.window_start, w.window_end),
            w.shortfall,
            detail,
        )
        for w in windows
    ]


def explain_unmet(
    scenario: Scenario,
    pairs: list[tuple[str, str]],
    windows: list[UnmetWindow],
    proven: bool | None = None,
) -> list[Unmet]:
    """Every unmet window with its reason in plain English and a cause code for grouping.

    Parameters
    ----------
    scenario
        The loaded scenario.
    pairs
        The plan's ``(member_id, session_id)`` assignments.
    windows
        The plan's unmet windows, as ``checker.check_plan`` reports them.
    proven
        Whether the plan is proven optimal, when the caller knows.
    """
    text = Renderer(scenario, "en")
    weights = {w.requirement: w.weight for w in windows}
    return [
        Unmet(
            f.member_id,
            f.requirement.id,
            f.window.start,
            f.window.end,
            f.shortfall,
            text(f.note),
            weights[f.requirement.id],
            f.cause,
            f.note,
        )
        for f in find_reasons(scenario, pairs, windows, proven)
    ]
