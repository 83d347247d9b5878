"""One tiny scenario per hard rule of SPEC.md, with its results worked out by hand.

Each ``Case`` is a scenario, a plan that breaks that rule and nothing else, and a plan
that keeps every rule. The checker's tests (``tests/test_check_rules.py``) hold that the
checker names exactly the rule broken and nothing in the good plan; the engine's
(``tests/engine/test_rule_cases.py``) that the engine's plan keeps every rule and is no
worse, term by term, than the good plan.

A case of a rule that can leave a window short also says why (``Why``): with its
requirements added, the reasons' tests (``tests/explain/test_reasons.py``) hold that the
one unmet window gets that cause and those words, and the conflicts' tests
(``tests/explain/test_conflicts.py``) that the scenario made strict has no plan and its
conflict tells the same words and names the rule. A case whose bad plan, pinned, leaves
the scenario without a plan gives that conflict (``conflict_if_pinned``), which the
conflicts' tests hold too.

The cases sit in one module per rule family, named as the checker's module of that family
(``plan_rows``, ``eligibility``, ``session_rules``, ``member_rules``, ``group_rules``). A
new rule gets its case in the module of its family.
"""

from __future__ import annotations

from . import eligibility, group_rules, member_rules, plan_rows, session_rules
from .case import EXPLAINED_RULES as EXPLAINED_RULES
from .case import NON_AWAY as NON_AWAY
from .case import REPEATABLE as REPEATABLE
from .case import RULES as RULES
from .case import Case as Case
from .case import Pairs as Pairs
from .case import Why as Why
from .case import session as session

# By rule family, as the checker's modules are.
CASES: list[Case] = [
    *plan_rows.CASES,
    *eligibility.CASES,
    *session_rules.CASES,
    *member_rules.CASES,
    *group_rules.CASES,
]
