"""The conflict sentences of caps: a team's away cap and a member's ``limits``.

Each names the cap, where it comes from, and the pinned rows that use it up: the busiest
day of the team, or the year or month a member's rows go over.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

from models import Scenario, Session

from ..engine import Instance, days_by_month
from . import messages as msg
from .conflict_pins import PinnedRows
from .conflict_words import and_, days, g, is_, pinned_row
from .messages import Note, note
from .rule_groups import RuleGroup

_m, _s = msg.member, msg.session


class CapSentences:
    """The sentences of ``team_cap`` and ``limit`` rule groups.

    Parameters
    ----------
    scenario
        The scenario of the conflict.
    instance
        Its index: the teams' rules and the members' limits.
    pins
        The pinned rows of the conflicting set; the rows a sentence names are told.
    """

    def __init__(self, scenario: Scenario, instance: Instance, pins: PinnedRows):
        self.scenario = scenario
        self.instance = instance
        self.pins = pins
        self.member_index = {m.id: i for i, m in enumerate(scenario.members)}

    def team_cap(self, group: RuleGroup) -> Note:
        """A team's away cap, and the busiest day of its pinned away rows."""
        team = group.key[0]
        rule = self.instance.rules[team]
        cap = rule.cap or 0  # only capped teams make groups
        source = (
            note("conflict.source.max_away")
            if rule.max_away is not None and cap == rule.max_away
            else note("conflict.source.share", share=f"{rule.max_away_share:g}", size=rule.size)
        )
        away: dict[dt.date, list[tuple[str, Session]]] = defaultdict(list)
        for member_id, session_id in self.pins.rows:
            session = self.scenario.session_by_id[session_id]
            if self.scenario.member_by_id[member_id].team == team and self.scenario.is_away(
                session
            ):
                for day in days(session):
                    away[day].append((member_id, session))
        line = note("conflict.team_cap", team=team, cap=cap, source=source)
        if not away:
            return line
        # The busiest day, the earliest of equals.
        day, there = max(away.items(), key=lambda item: (len(item[1]), -item[0].toordinal()))
        for member_id, session in there:
            self.pins.tell(member_id, [session])
        each = and_([pinned_row(m, s) for m, s in there])
        if len(there) <= cap:
            return note("conflict.team_cap_pinned", line=line, each=each, is_=is_(there), day=day)
        members = and_([_m(m) for m, _ in there])
        sessions = {s.id for _, s in there}
        both = note("conflict.both" if len(there) == 2 else "conflict.all")
        if len(sessions) == 1:
            doing = note(
                "conflict.team_cap_one",
                members=members,
                both=both,
                session=_s(next(iter(sessions))),
            )
        else:
            doing = note("conflict.team_cap_many", each=each, both=both)
        return note(
            "conflict.team_cap_over", team=team, cap=cap, day=day, source=source, doing=doing
        )

    def limit(self, group: RuleGroup) -> Note:
        """A member's limit field, and the period the member's pinned rows go over."""
        member_id, name = group.key
        value = getattr(self.instance.limits[self.member_index[member_id]], name)
        if name == "min_gap_days":
            return self._gap(member_id, value)
        used: dict[str, list[tuple[Session, float]]] = defaultdict(list)
        for session in self.pins.of_member(member_id):
            for period, amount in self._use(name, session):
                used[period].append((session, amount))
        may = note(f"conflict.may.{name}", value=g(value))
        unit = note(f"conflict.unit.{name}")
        over = [(p, uses) for p, uses in sorted(used.items()) if sum(a for _, a in uses) > value]
        if not over:
            per = note(
                "conflict.per.month" if name == "max_days_per_month" else "conflict.per.year"
            )
            line = note("conflict.limit", member=_m(member_id), may=may, per=per, name=name)
            pinned = [(s, a, p) for p, uses in sorted(used.items()) for s, a in uses]
            if not pinned:
                return line
            self.pins.tell(member_id, [s for s, _, _ in pinned])
            listed = and_(
                [
                    note("conflict.limit_use", session=_s(s.id), amount=g(a), unit=unit, period=p)
                    for s, a, p in pinned
                ]
            )
            return note("conflict.limit_pinned", line=line, listed=listed)
        period, uses = over[0]
        self.pins.tell(member_id, [s for s, _ in uses])
        total = sum(a for _, a in uses)
        listed = and_(
            [
                note("conflict.limit_amount", session=_s(s.id), amount=g(a), unit=unit)
                for s, a in uses
            ]
        )
        return note(
            "conflict.limit_over",
            member=_m(member_id),
            may=may,
            period=period,
            name=name,
            listed=listed,
            total=g(total),
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

    def _gap(self, member_id: str, gap: int) -> Note:
        """``min_gap_days``: the first two pinned away sessions too close to each other."""
        away = sorted(
            (s for s in self.pins.of_member(member_id) if self.scenario.is_away(s)),
            key=lambda s: s.start,
        )
        for earlier, later in itertools.pairwise(away):
            free = (later.start - earlier.last_day).days - 1
            if 0 <= free < gap:
                self.pins.tell(member_id, (earlier, later))
                return note(
                    "conflict.gap_pinned",
                    member=_m(member_id),
                    gap=gap,
                    earlier=_s(earlier.id),
                    ends=earlier.last_day,
                    later=_s(later.id),
                    starts=later.start,
                    free=free,
                )
        return note("conflict.gap", member=_m(member_id), gap=gap)
