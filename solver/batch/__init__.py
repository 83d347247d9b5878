"""Batch planning: many units' scenarios solved on a local process pool or a Dask cluster.

A unit is one scenario file. Each task gets plain data (a ``UnitTask``: paths, time limit,
seed, CP-SAT worker count) and returns plain data (a summary row as a ``dict``): solver
objects never cross a process boundary, so the same task runs in a local process pool
and on a Dask cluster.

A unit's folder ``OUT/<unit>/`` holds ``plan/``, ``timetables/`` and ``batch.json``, the
marker written last (atomically) that says the folder is complete. Rerunning a batch
skips a unit whose marker matches the scenario's current content, whose plan is proven
optimal (or feasible, unless asked to redo those) and whose assignments pass
``checker.check_plan``; every other unit is solved again. So an interrupted batch loses
no finished unit, and a changed scenario or a broken plan is redone.

The modules, one job each: ``units`` finds the units, ``digest`` identifies a scenario's
content, ``task`` runs one unit, ``rows`` makes its summary row, ``pool`` and ``cluster``
run the tasks locally or on Dask, ``run`` drives a batch, ``summary`` writes the table
and ``progress`` shows what is happening.
"""

from .cluster import ClusterError as ClusterError
from .digest import scenario_digest as scenario_digest
from .options import BatchOptions as BatchOptions
from .pool import local_cores as local_cores
from .progress import BatchProgress as BatchProgress
from .progress import LogBatchProgress as LogBatchProgress
from .progress import RichBatchProgress as RichBatchProgress
from .progress import describe as describe
from .rows import CANCELLED as CANCELLED
from .rows import CRASH_REPORT as CRASH_REPORT
from .rows import CRASHED as CRASHED
from .rows import INVALID as INVALID
from .rows import PLANNED as PLANNED
from .rows import SUMMARY_COLUMNS as SUMMARY_COLUMNS
from .rows import Row as Row
from .rows import crashed_row as crashed_row
from .rows import failed_row as failed_row
from .run import BatchResult as BatchResult
from .run import run_batch as run_batch
from .summary import SUMMARY_FILE as SUMMARY_FILE
from .summary import summary_table as summary_table
from .summary import write_summary as write_summary
from .task import MARKER as MARKER
from .task import TIMETABLE_FORMATS as TIMETABLE_FORMATS
from .task import TaskRunner as TaskRunner
from .task import UnitTask as UnitTask
from .task import run_unit as run_unit
from .task import write_unit_timetables as write_unit_timetables
from .terminal import batch_options as batch_options
from .terminal import closing_line as closing_line
from .terminal import run_batch_shown as run_batch_shown
from .terminal import show_summary as show_summary
from .units import BatchInputError as BatchInputError
from .units import BatchUnit as BatchUnit
from .units import find_units as find_units
