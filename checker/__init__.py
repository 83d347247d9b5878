"""Checks a plan against every rule of SPEC.md, from the plan alone.

Shares no code with the solver: it reads the scenario through ``models`` and recomputes
every hard rule and every objective term from the assignments.
"""

from .check import check_plan as check_plan
from .plan_file import read_assignments as read_assignments
from .report import CheckReport as CheckReport
from .report import UnmetWindow as UnmetWindow
from .report import Violation as Violation
from .surplus import SurplusAudit as SurplusAudit
from .surplus import audit_surplus as audit_surplus
from .terms import plan_terms as plan_terms
