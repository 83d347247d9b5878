"""A solve as the planner watches it: its progress, then the plan written, then its story.

``solve`` and ``replan`` show progress while the engine runs and close with the plan's
status, each term's proof and where the plan went (the words are
``solver.explain.closing``'s). The plan is written before a word of that is printed, so a
reader who closes the pipe early (``| head``) does not cost the planner the plan.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..explain.closing import no_plan_line, status_lines, timetables_line, written_lines
from .terminal import NoPlanError
from .timetable import write_timetables
from .writer import write_plan

if TYPE_CHECKING:
    from ..engine import Plan, SolveOptions


@contextlib.contextmanager
def showing_progress(options: SolveOptions, quiet: bool, lang: str = "en") -> Iterator[None]:
    """Give ``options`` a progress display for the solve run inside the ``with``.

    A live line on a terminal, log lines on any other standard error, nothing when
    ``quiet``.
    """
    from .progress import LiveProgress, LogProgress  # rich, only when progress is shown

    if quiet:
        yield
    elif sys.stderr.isatty():
        with LiveProgress(lang=lang) as live:
            options.progress = live
            yield
    else:
        options.progress = LogProgress(lang=lang)
        yield


def write_and_tell(
    plan: Plan,
    out_dir: str,
    say: Callable[[str], object],
    write: Callable[[str], Path | str] | None = None,
    lang: str = "en",
) -> None:
    """Write the plan, then ``say`` its status, each term's proof and where it went.

    Parameters
    ----------
    plan
        What the solve returned.
    out_dir
        The plan folder to write.
    say
        Prints one line (the command line's ``click.echo``).
    write
        Writes the plan into ``out_dir`` and returns where; default ``write_plan``.
    lang
        ``en`` or ``zh``.

    Raises
    ------
    NoPlanError
        When the solve found no plan: nothing is written, and its line says why.
    """
    written = None
    if plan.has_plan:
        written = write(out_dir) if write else write_plan(plan, Path(out_dir), lang)
    for line in status_lines(plan, lang):
        say(line)
    if written is None:
        raise NoPlanError(no_plan_line(plan, lang))
    for line in written_lines(plan, written, lang):
        say(line)


def write_plan_timetables(plan: Plan, out_dir: str, formats: tuple[str, ...], lang: str) -> str:
    """Write every year's timetables into ``OUT/timetables`` and return the line that says so."""
    folder = Path(out_dir) / "timetables"
    written = write_timetables(plan.scenario, plan.pairs, folder, formats=formats, lang=lang)
    return timetables_line(plan, len(written), folder, lang)
