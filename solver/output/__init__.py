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
    from .solve_display import showing_progress as showing_progress
    from .solve_display import write_and_tell as write_and_tell
    from .solve_display import write_plan_timetables as write_plan_timetables
    from .tables import assignments_table as assignments_table
    from .tables import members_table as members_table
    from .tables import sessions_table as sessions_table
    from .tables import unmet_table as unmet_table
    from .terminal import NoPlanError as NoPlanError
    from .terminal import ReaderMayLeave as ReaderMayLeave
    from .terminal import check_lines as check_lines
    from .terminal import overview_lines as overview_lines
    from .terminal import surplus_line as surplus_line
    from .timetable import FORMATS as FORMATS
    from .timetable import build_timetable as build_timetable
    from .timetable import write_timetables as write_timetables
    from .timetable_data import TimetableError as TimetableError
    from .timetable_folder import recorded_scenario as recorded_scenario
    from .timetable_folder import timetable_formats as timetable_formats
    from .timetable_folder import timetable_pairs as timetable_pairs
    from .timetable_folder import write_year_timetable as write_year_timetable
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
        "solve_display": ("showing_progress", "write_and_tell", "write_plan_timetables"),
        "tables": ("assignments_table", "members_table", "sessions_table", "unmet_table"),
        "timetable": (
            "FORMATS",
            "build_timetable",
            "write_timetables",
        ),
        "terminal": (
            "NoPlanError",
            "ReaderMayLeave",
            "check_lines",
            "overview_lines",
            "surplus_line",
        ),
        "timetable_data": ("TimetableError",),
        "timetable_folder": (
            "recorded_scenario",
            "timetable_formats",
            "timetable_pairs",
            "write_year_timetable",
        ),
        "writer": ("plan_summary", "write_plan"),
    },
)
