"""Why a scenario has no plan: a small set of hard rules that conflict, in a planner's words.

When the engine proves a scenario infeasible, the planner has to know which rules to relax
and for whom. Rules come here in *groups* a planner can change one at a time: each pinned
row, the strict rule of each requirement window, each together group, each team's away cap,
each limit field of each member, each session's capacity and minimum size, and each mix
rule of a course. A group is *dropped* by editing a copy of the scenario (the row removed,
the cap raised out of reach); a strict window is dropped by not holding its shortfall at 0.
The rules no planner edits (eligibility, one away session a day, non-repeatable courses)
are never dropped.

The modules: ``rule_groups`` (the groups and dropping them), ``variants`` (the CP-SAT
check of a variant), ``conflict_search`` (the search) and ``conflict_sentences`` (the
words).

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

from typing import TYPE_CHECKING

from models import Scenario

from .conflict_search import ConflictBudget, ConflictSearch

if TYPE_CHECKING:
    from ..engine import SolveOptions


def find_conflicts(
    scenario: Scenario, options: SolveOptions, budget: ConflictBudget | None = None
) -> list[str]:
    """A small set of conflicting hard rules, one plain sentence each.

    Parameters
    ----------
    scenario
        A loaded scenario that has no plan.
    options
        The solve's options: their worker count is used for the checks, their engine
        settings for the least-unmet solve of a strict scenario.
    budget
        Time for the whole search and for each check (default 30 s and 5 s).

    Returns
    -------
    list[str]
        The sentences in English, with a last one saying so when the set is not proven
        minimal; empty when the scenario has a plan after all. Each is a ``NoteText``:
        its ``note`` renders the same sentence in another language.
    """
    search = ConflictSearch(scenario, options.threads, budget or ConflictBudget(), options.settings)
    sentences: list[str] = [*search.sentences()]  # strings for ``Plan.conflicts``
    return sentences
