"""The conflicting rules in a planner's words: one sentence per rule group.

Each sentence names the day, members, sessions and cap involved; pinned rows are told
inside the sentence of the rule they break.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence, Sized
from typing import TYPE_CHECKING

from checker import UnmetWindow
from models import Session, ineligibility

from ..instance import days_by_month
from .reasons import explain_unmet
from .rule_groups import RuleGroup

if TYPE_CHECKING:
    from .conflict_search import ConflictSearch

MOST_LINES = 12


class ConflictSentences:
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
        # One sentence maker per kind of rule group; pinned rows are told in the others.
        self._sentence_of: dict[str, Callable[[RuleGroup], str]] = {
            "strict": self._strict,
            "together": self._together,
            "team_cap": self._team_cap,
            "limit": self._limit,
            "capacity": self._capacity,
            "min_size": self._min_size,
            "mix": self._mix,
        }

    def sentences(self) -> list[str]:
        """The sentences, at most ``MOST_LINES`` and a count of the rules left untold."""
        lines = self._clashes()
        others = [g for g in self.core if g.kind != "pinned"]
        told = others[: max(0, MOST_LINES - len(lines))]
        lines += [self._sentence_of[group.kind](group) for group in told]
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
