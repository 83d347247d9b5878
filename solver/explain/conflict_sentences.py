"""The conflicting rules in a planner's words: one sentence per rule group.

Each sentence names the day, members, sessions and cap involved; pinned rows are told
inside the sentence of the rule they break. Sentences are notes of the message catalogue
(``catalogue/conflicts.toml``), handed out as ``NoteText``: English strings that keep their
note, so a planner reads them in the language of ``--lang``. The sentences of caps (a
team's away cap, a member's limits) are in ``conflict_caps``; the pinned rows, and which of
them a sentence has told, in ``conflict_pins``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from checker import UnmetWindow
from models import Session

from . import messages as msg
from .conflict_caps import CapSentences
from .conflict_pins import PinnedRows
from .conflict_words import and_, cannot_attend, count, is_, when
from .messages import Items, Note, NoteText, note
from .reasons import find_reasons
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
        self.pins = PinnedRows(self.scenario, core)
        self.eligibility = search.eligibility
        caps = CapSentences(self.scenario, self.instance, self.pins)
        # One sentence maker per kind of rule group; pinned rows are told in the others.
        self._sentence_of: dict[str, Callable[[RuleGroup], Note]] = {
            "strict": self._strict,
            "together": self._together,
            "team_cap": caps.team_cap,
            "limit": caps.limit,
            "capacity": self._capacity,
            "min_size": self._min_size,
            "mix": self._mix,
        }

    def sentences(self) -> list[NoteText]:
        """The sentences, at most ``MOST_LINES`` and a count of the rules left untold."""
        return [NoteText(line, self.scenario) for line in self.notes()]

    def notes(self) -> list[Note]:
        """The sentences as catalogue notes, in the order ``sentences`` gives them."""
        lines = self._clashes()
        others = [g for g in self.core if g.kind != "pinned"]
        told = others[: max(0, MOST_LINES - len(lines))]
        lines += [self._sentence_of[group.kind](group) for group in told]
        untold = len(others) - len(told)
        pins = self.pins.left()
        room = max(0, MOST_LINES - len(lines))
        lines += pins[:room]
        untold += len(pins[room:])
        if untold:
            lines.append(count(untold, "conflict.more_rule", "conflict.more_rules"))
        return lines

    # -- shared look-ups ----------------------------------------------------------------

    def _cannot_attend(self, member_id: str, session: Session) -> Note | None:
        """Why a member may not attend a session by the data alone, or None."""
        history = self.eligibility.closure(member_id, session) == "history"
        return cannot_attend(self.scenario, self.eligibility, member_id, session, history)

    # -- pinned rows that clash with each other -----------------------------------------

    def _clashes(self) -> list[Note]:
        """Rows of one member on sessions sharing a day, or on one non-repeatable course."""
        lines = []
        members = dict.fromkeys(m for m, _ in self.pins.rows)
        for member_id in members:
            sessions = self.pins.of_member(member_id)
            for i, first in enumerate(sessions):
                for second in sessions[i + 1 :]:
                    line = self._clash(member_id, first, second)
                    if line:
                        lines.append(line)
                        self.pins.tell(member_id, (first, second))
        return lines

    def _clash(self, member_id: str, first: Session, second: Session) -> Note | None:
        scenario = self.scenario
        pinned = note(
            "conflict.pinned_pair",
            member=_m(member_id),
            first=_s(first.id),
            second=_s(second.id),
        )
        if first.course == second.course and not scenario.course_of(first).repeatable:
            return note("conflict.once", pinned=pinned, course=_c(first.course))
        if scenario.is_away(first) and scenario.is_away(second):
            day = max(first.start, second.start)
            if day <= min(first.last_day, second.last_day):
                return note("conflict.both_away", pinned=pinned, day=day)
        return None

    # -- one sentence per rule group ----------------------------------------------------

    def _capacity(self, group: RuleGroup) -> Note:
        session = self.scenario.session_by_id[group.key[0]]
        pinned = self.pins.to_session(session.id)
        self.pins.tell_all(pinned, session)
        members = and_([_m(m) for m in pinned]) if pinned else ""
        if len(pinned) > session.capacity:
            return note(
                "conflict.capacity_over",
                session=_s(session.id),
                capacity=session.capacity,
                count=len(pinned),
                members=members,
            )
        line = note(
            "conflict.capacity",
            session=_s(session.id),
            when=when(session),
            capacity=session.capacity,
        )
        if not pinned:
            return line
        return note("conflict.capacity_pinned", line=line, members=members, is_=is_(pinned))

    def _min_size(self, group: RuleGroup) -> Note:
        session = self.scenario.session_by_id[group.key[0]]
        pinned = self.pins.to_session(session.id)
        can = len(self.eligibility.eligible(session))
        self.pins.tell_all(pinned, session)
        if not pinned:
            return note(
                "conflict.min_size", session=_s(session.id), min_size=session.min_size, can=can
            )
        line = note(
            "conflict.min_size_pinned",
            session=_s(session.id),
            min_size=session.min_size,
            members=and_([_m(m) for m in pinned]),
            is_=is_(pinned),
        )
        return note("conflict.min_size_few", line=line, can=can) if can < session.min_size else line

    def _mix(self, group: RuleGroup) -> Note:
        course_id, index = group.key
        rule = self.scenario.course_by_id[course_id].mix[int(index)]
        bounds = []
        if rule.min_share is not None and rule.min_share > 0:
            bounds.append(note("conflict.at_least", share=f"{rule.min_share:.0%}"))
        if rule.max_share is not None and rule.max_share < 1:
            bounds.append(note("conflict.at_most", share=f"{rule.max_share:.0%}"))
        shares: Note | str = ""  # a mix rule that bounds nothing makes no group
        if len(bounds) == 2:
            shares = note("conflict.bounds", first=bounds[0], second=bounds[1])
        elif bounds:
            shares = bounds[0]
        line = note("conflict.mix", course=_c(course_id), bounds=shares, who=str(rule.who))
        sessions = [
            s
            for s in self.scenario.sessions
            if s.course == course_id and self.pins.to_session(s.id)
        ]
        if not sessions:
            return line
        session = sessions[0]
        pinned = self.pins.to_session(session.id)
        self.pins.tell_all(pinned, session)
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
        kind = note("conflict.mix_who_matches" if too_few else "conflict.mix_who_does_not")
        return note(
            "conflict.mix_pinned",
            line=line,
            members=and_([_m(m) for m in pinned]),
            is_=is_(pinned),
            session=_s(session.id),
            matching=len(matching),
            capacity=session.capacity,
            others=count(len(others), "conflict.other_member", "conflict.other_members"),
            kind=kind,
        )

    def _together(self, group: RuleGroup) -> Note:
        together = self.scenario.together[int(group.key[0])]
        line = note(
            "conflict.together",
            members=and_([_m(m) for m in together.members]),
            course=_c(together.course),
        )
        for member_id in together.members:
            for session in self.pins.of_member(member_id):
                if session.course != together.course:
                    continue
                self.pins.tell(member_id, [session])
                for partner in together.members:
                    why = self._cannot_attend(partner, session)
                    if why:
                        return note(
                            "conflict.together_partner",
                            line=line,
                            member=_m(member_id),
                            session=_s(session.id),
                            partner=_m(partner),
                            why=why,
                        )
                return note(
                    "conflict.together_pinned",
                    line=line,
                    member=_m(member_id),
                    session=_s(session.id),
                )
        sessions = [s for s in self.scenario.sessions if s.course == together.course]
        blocked = []
        for session in sessions:
            why = next(
                (
                    note("conflict.together_blocked", partner=_m(p), session=_s(session.id), why=w)
                    for p in together.members
                    if (w := self._cannot_attend(p, session))
                ),
                None,
            )
            if why is None:
                return note("conflict.together_or_none", line=line)
            blocked.append(why)
        if not blocked:
            return note("conflict.together_no_session", line=line, course=_c(together.course))
        return note(
            "conflict.together_none_admits", line=line, blocked=Items(blocked[:3], major=True)
        )

    def _strict(self, group: RuleGroup) -> Note:
        member_id, requirement_id, _ = group.key
        window = self.instance.windows[self.search.windows[group.key]]
        line = note(
            "conflict.strict",
            member=_m(member_id),
            requirement=msg.requirement(requirement_id),
            window=f"{window.start}/{window.end}",
        )
        found = self.search.plan_leaving_short(group, self.core)
        if found is None:
            return line
        pairs, short = found
        unmet = UnmetWindow(
            member_id, requirement_id, window.start, window.end, short, window.weight
        )
        reason = find_reasons(self.scenario, pairs, [unmet])[0].note
        return note("conflict.strict_short", line=line, reason=reason) if reason else line


_m, _s, _c = msg.member, msg.session, msg.course
