"""The pinned rows of a conflicting set, and which of them a sentence has told already.

Pinned rows are told inside the sentence of the rule they break; whatever no sentence
told is listed last, member by member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from models import Scenario, Session

from . import messages as msg
from .conflict_words import and_, when
from .messages import Note, note
from .rule_groups import RuleGroup


class PinnedRows:
    """The ``(member, session)`` keys of the pinned groups of a conflicting set.

    Parameters
    ----------
    scenario
        The scenario the rows are pinned in.
    core
        The conflicting set of rule groups; its ``pinned`` groups are the rows.
    """

    def __init__(self, scenario: Scenario, core: list[RuleGroup]):
        self.scenario = scenario
        self.rows = [g.key for g in core if g.kind == "pinned"]
        self.told: set[tuple[str, ...]] = set()

    def of_member(self, member_id: str) -> list[Session]:
        """The sessions a member is pinned to, in the rows' order."""
        return [self.scenario.session_by_id[s] for m, s in self.rows if m == member_id]

    def to_session(self, session_id: str) -> list[str]:
        """The members pinned to a session, in the rows' order."""
        return [m for m, s in self.rows if s == session_id]

    def tell(self, member_id: str, sessions: Iterable[Session]) -> None:
        """Mark a member's rows on these sessions as told by a sentence."""
        self.told |= {(member_id, s.id) for s in sessions}

    def tell_all(self, member_ids: Iterable[str], session: Session) -> None:
        """Mark these members' rows on one session as told by a sentence."""
        self.told |= {(m, session.id) for m in member_ids}

    def left(self) -> list[Note]:
        """One line per member whose rows no sentence told, naming their sessions."""
        left: dict[str, list[str]] = defaultdict(list)
        for member_id, session_id in self.rows:
            if (member_id, session_id) not in self.told:
                left[member_id].append(session_id)
        lines = []
        for member_id, session_ids in left.items():
            sessions = [self.scenario.session_by_id[s] for s in session_ids]
            listed = and_(
                [
                    note("conflict.session_when", session=msg.session(s.id), when=when(s))
                    for s in sessions
                ]
            )
            lines.append(note("conflict.pins_left", member=msg.member(member_id), sessions=listed))
        return lines
