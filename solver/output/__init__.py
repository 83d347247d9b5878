"""Outputs: the plan folder, its tables, the annual timetables, progress and the report.

Every file is written through ``folder`` (the one atomic writer). The names below load
their module on first use, so a command that writes one output loads only what it needs.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .folder import OutputFolderError as OutputFolderError
    from .folder import atomic_file as atomic_file
    from .folder import ensure_ours as ensure_ours
    from .folder import prepare_folder as prepare_folder
    from .folder import replaced_subfolder as replaced_subfolder
    from .folder import staged_folder as staged_folder
    from .progress import LiveProgress as LiveProgress
    from .progress import LogProgress as LogProgress
    from .tables import assignments_table as assignments_table
    from .tables import members_table as members_table
    from .tables import sessions_table as sessions_table
    from .tables import unmet_table as unmet_table
    from .timetable import FORMATS as FORMATS
    from .timetable import build_timetable as build_timetable
    from .timetable import write_timetables as write_timetables
    from .timetable_data import TimetableError as TimetableError
    from .writer import plan_summary as plan_summary
    from .writer import write_plan as write_plan

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "folder": (
            "OutputFolderError",
            "atomic_file",
            "ensure_ours",
            "prepare_folder",
            "replaced_subfolder",
            "staged_folder",
        ),
        "progress": (
            "LiveProgress",
            "LogProgress",
        ),
        "tables": ("assignments_table", "members_table", "sessions_table", "unmet_table"),
        "timetable": (
            "FORMATS",
            "build_timetable",
            "write_timetables",
        ),
        "timetable_data": ("TimetableError",),
        "writer": ("plan_summary", "write_plan"),
    },
)
