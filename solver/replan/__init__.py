"""Re-planning from a date: what happened stays, the rest moves as little as it must.

The previous plan's assignments to sessions that start before the date stay assignments of
the new plan (unless the completed-sessions file says the member missed them; attended rows
the plan did not have are added): each such session stays in the derived scenario, open
only to the members who attended it, and each attendance is pinned. So the past counts
toward every day, hour and session limit, every gap and every team cap of the new plan,
and the ``changes`` term sees it as kept. A past attendance that cannot be an assignment
any more (the scenario no longer lists the session, the member is no longer eligible, or
the past alone would break a rule of the scenario as it is now) becomes a ``history`` row.
From the date on, the previous plan is the ``previous`` of the derived scenario and
``changes`` is optimised right after ``unmet``. Requirements are recomputed from the new
scenario, so new members, members who left or changed category, and sessions cancelled or
added need no edit of the previous plan.

The modules, one job each: ``inputs`` reads the previous plan's sessions and the
completed-sessions file, ``past`` sorts the past attendances, ``notes`` says how the past
entered the plan, ``derive`` builds the scenario to solve, ``solve`` re-plans, ``compare``
finds the assignments that changed, ``report`` holds the ``ChangeReport`` and ``folder``
writes the re-planned folder.
"""

from .compare import compare as compare
from .derive import changes_after_unmet as changes_after_unmet
from .derive import derive_scenario as derive_scenario
from .derive import scenario_document as scenario_document
from .folder import write_replan as write_replan
from .inputs import STATUSES as STATUSES
from .inputs import Completion as Completion
from .inputs import SessionInfo as SessionInfo
from .inputs import read_completed as read_completed
from .inputs import read_previous_sessions as read_previous_sessions
from .past import past_clashes as past_clashes
from .report import CHANGE_COLUMNS as CHANGE_COLUMNS
from .report import CHANGE_KINDS as CHANGE_KINDS
from .report import HISTORY_COLUMNS as HISTORY_COLUMNS
from .report import AssignmentChange as AssignmentChange
from .report import Attendance as Attendance
from .report import ChangeReport as ChangeReport
from .report import HistoryEntry as HistoryEntry
from .solve import replan as replan
from .terminal import PreviousPlan as PreviousPlan
from .terminal import change_lines as change_lines
from .terminal import first_day as first_day
from .terminal import read_previous_plan as read_previous_plan
from .terminal import replan_previous as replan_previous
