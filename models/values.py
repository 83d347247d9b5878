"""Table values that are probably typos: close to a name the rules use, used by none.

A member's ``category: branch_secretery`` is valid on its own, but no selector names it,
so the member silently drops out of every rule meant for branch secretaries. Such a
value, when it is close to a name that some selector, audience, limit or requirement
uses, gets a "did you mean" (a warning, or an error with ``strict_values``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .near import Names
from .problems import Problem, Severity

if TYPE_CHECKING:
    from .scenario import Member, Scenario
    from .selector import Selector

# A member's field and the selector key that names its values.
NAMED_BY = {
    "tier": "tiers",
    "track": "tracks",
    "category": "categories",
    "unit": "units",
    "team": "teams",
}
SHOWN_ROWS = 3


def selectors(scenario: Scenario) -> Iterator[tuple[str, Selector]]:
    """Every selector of the scenario, with where it is written."""
    for course in scenario.courses:
        yield course.at("audience"), course.audience
        for i, rule in enumerate(course.mix):
            yield course.at(f"mix[{i}].who"), rule.who
    for session in scenario.sessions:
        yield session.at("audience"), session.audience
    for requirement in scenario.requirements:
        yield requirement.at("who"), requirement.who
    for limit in scenario.limits:
        yield limit.at("who"), limit.who


def named_values(scenario: Scenario) -> dict[str, set[str]]:
    """For each member field, the values that some rule names."""
    named: dict[str, set[str]] = defaultdict(set)
    for _, selector in selectors(scenario):
        for field, key in NAMED_BY.items():
            named[field].update(getattr(selector, key) or ())
    for entry in scenario.team_limits:
        named["team"].update(entry.teams or ())
        named["unit"].update(entry.units or ())
    return named


def value_typos(scenario: Scenario, strict: bool) -> Iterator[Problem]:
    """One problem per member value that no rule names and that is close to one named.

    A value is only suspect when it has no more holders than the name it is close to
    (or nobody holds that name): one member in ``midle`` beside six in ``middle`` is a
    typo, and so is one ``party_afairs`` beside one ``party_affairs`` (a tie is where a
    typo hides best); a value most members hold is the scenario's own spelling.
    """
    named = named_values(scenario)
    severity: Severity = "error" if strict else "warning"
    for field in NAMED_BY:
        holders: dict[str, list[Member]] = defaultdict(list)
        for member in scenario.members:
            value = getattr(member, field)
            # A team left empty is the unit: not a value the planner typed.
            if value is not None and not (field == "team" and value == member.unit):
                holders[value].append(member)
        counts = Counter({value: len(members) for value, members in holders.items()})
        names = Names(named[field])
        for value, members in holders.items():
            if value in named[field]:
                continue
            meant = names.near(value)
            if meant is None or (counts[meant] and counts[meant] < len(members)):
                continue
            more = members[1:]
            also = ""
            if more:
                shown = ", ".join(m.id for m in more[:SHOWN_ROWS])
                rest = f" and {len(more) - SHOWN_ROWS} more" if len(more) > SHOWN_ROWS else ""
                also = f" (also {shown}{rest})"
            yield Problem(
                members[0].at(field),
                f"{field} {value!r} is named by no selector, audience, limit or requirement; "
                f"did you mean {meant!r}?{also}",
                severity,
            )
