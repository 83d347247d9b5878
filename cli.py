"""rotaplan's command line: a thin layer over ``models``, ``checker`` and ``solver``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import click

from models import RotaplanError, ScenarioError, load_scenario
from models.errors import EXIT_BAD_INPUT, EXIT_NO_PLAN
from models.loader import LoadedScenario

if TYPE_CHECKING:
    from pathlib import Path

    from checker import SurplusAudit
    from models import Scenario
    from solver import Plan, SolveOptions


def _exit_code(error: Exception) -> int | None:
    """The exit code an error of rotaplan's means, or None for any other error."""
    if isinstance(error, RotaplanError):
        return error.exit_code
    return None


def _fail(error: Exception, code: int) -> NoReturn:
    lines = error.lines() if isinstance(error, RotaplanError) else str(error).splitlines()
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


class _ReaderMayLeave:
    """Standard output that a reader may close early (``rotaplan solve ... | head``).

    The command goes on and finishes its work (the plan, its timetables, its report);
    only what it would still print goes nowhere.
    """

    def __init__(self, stream: Any):
        self._stream = stream

    def _gone(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            self._gone()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._gone()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Rotaplan(click.Group):
    """The command group: the one place where rotaplan's errors become messages and codes."""

    def invoke(self, ctx: click.Context) -> object:
        if not isinstance(sys.stdout, _ReaderMayLeave):
            sys.stdout = _ReaderMayLeave(sys.stdout)
        try:
            return super().invoke(ctx)
        except Exception as error:
            code = _exit_code(error)
            if code is None:
                raise
            _fail(error, code)


@click.group(cls=_Rotaplan, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rotaplan")
def main() -> None:
    """rotaplan: plan who trains when, with every rule held and reasons for what is unmet.

    Example: rotaplan solve scenarios/company/scenario.yaml --out plan
    """


def _bad_input(error: ScenarioError) -> NoReturn:
    """Report invalid input and exit 2, for a caller that must stop where it is."""
    _fail(error, error.exit_code)


def _load(path: str, strict_values: bool = False) -> LoadedScenario:
    scenario = load_scenario(path, strict_values=strict_values)
    for warning in scenario.warnings:
        click.echo(str(warning), err=True)
    return scenario


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


scenario_argument = click.argument("scenario", type=click.Path(dir_okay=False))
lang_choice = click.Choice(["en", "zh"])


def report_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--report``: write the plan's HTML report beside it, in the command's ``--lang``."""
    return click.option(
        "--report",
        "with_report",
        is_flag=True,
        help="Also write the plan's report, an HTML file, as report.html in the plan folder.",
    )(command)


def _write_report(plan_dir: str | Path, lang: str, scenario: Scenario | str | None = None) -> None:
    """Write a plan folder's report and say where."""
    from solver.output.report import report_plan_folder

    written = report_plan_folder(plan_dir, lang=lang, scenario=scenario)
    click.echo(f"report written to {written}")


def _option_set(*options: Callable[[Callable[..., None]], Callable[..., None]]) -> Callable:
    """One decorator that applies several click options, in the order given."""

    def apply(command: Callable[..., None]) -> Callable[..., None]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def out_option(text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The required ``--out`` folder of a command that writes one."""
    return click.option(
        "--out", "out_dir", required=True, type=click.Path(file_okay=False), help=text
    )


workers_option = click.option(
    "--workers", default=0, show_default=True, help="CP-SAT workers; 0 uses every core."
)


def plan_scenario_option(default: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--scenario``: the scenario a plan folder was solved from, when it cannot be found."""
    return click.option(
        "--scenario",
        "scenario_path",
        type=click.Path(dir_okay=False),
        default=None,
        help=f"The plan's scenario [default: {default}].",
    )


def lang_option(text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--lang``: English or Chinese for what the command writes for planners."""
    return click.option(
        "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help=text
    )


# How a command that solves may spend its time, and whether it shows progress.
solve_options = _option_set(
    click.option(
        "--time-limit", default=120.0, show_default=True, help="Seconds for the whole solve."
    ),
    workers_option,
    click.option("--seed", default=0, show_default=True, help="Random seed of the search."),
    click.option("--quiet", is_flag=True, help="No progress display."),
)


@main.command()
@scenario_argument
@click.option(
    "--strict-values",
    is_flag=True,
    help="A member value that looks like a typo of a name the rules use is an error.",
)
def validate(scenario: str, strict_values: bool) -> None:
    """Check a scenario and show what was loaded.

    A member value that no rule names but that is close to one a rule names (a tier
    'middel' beside 'middle') is a warning; with --strict-values (or strict_values: true
    in the scenario) it is an error.

    Example: rotaplan validate scenarios/tutorial/scenario.yaml --strict-values
    """
    from models.overview import overview

    loaded = _load(scenario, strict_values)
    view = overview(loaded)
    click.echo(f"{loaded.name or scenario}: horizon {loaded.horizon.start} to {loaded.horizon.end}")
    click.echo(f"\n{len(loaded.members)} members by tier and category:")
    tiers: dict[str, Counter[str]] = defaultdict(Counter)
    for (tier, category), count in view.members_by_tier_category.items():
        tiers[tier][category] = count
    for tier, categories in tiers.items():
        parts = ", ".join(f"{c} {n}" for c, n in sorted(categories.items()))
        click.echo(f"  {tier:<12} {sum(categories.values()):>6}  ({parts})")
    low, high = view.members_per_unit
    click.echo(f"\n{_count(view.units, 'unit')} ({low}-{high} members), ", nl=False)
    click.echo(f"{_count(view.teams, 'team')} ", nl=False)
    low, high = view.members_per_team
    click.echo(f"({low}-{high} members)")
    click.echo(f"\n{len(loaded.sessions)} sessions of {len(loaded.courses)} courses by year:")
    years = sorted({year for year, _ in view.sessions_by_year_course})
    click.echo("  " + f"{'course':<24}" + "".join(f"{y:>7}" for y in years))
    for course in loaded.courses:
        counts = [view.sessions_by_year_course.get((y, course.id), 0) for y in years]
        click.echo(
            f"  {course.id:<24}" + "".join(f"{n:>7}" for n in counts) + f"  {course.label or ''}"
        )
    click.echo(f"\n{len(loaded.requirements)} requirements:")
    for requirement in loaded.requirements:
        members, windows = view.requirement_reach[requirement.id]
        what = (
            f"{requirement.min_hours:g} hours"
            if requirement.min_hours is not None
            else f"{requirement.needed} of {', '.join(requirement.courses or [])}"
        )
        window = (
            requirement.window if isinstance(requirement.window, str) else str(requirement.window)
        )
        click.echo(
            f"  {requirement.id:<16} {what} per {window}: {_count(members, 'member')}, "
            f"{_count(windows, 'window')}"
        )
    click.echo("\nThe scenario is valid.")


@main.command()
@scenario_argument
@click.argument("plan_dir", type=click.Path(exists=True))
@click.option("--limit", default=200, show_default=True, help="Most violations to print.")
def check(scenario: str, plan_dir: str, limit: int) -> None:
    """Check a plan against every rule and print its objective terms.

    Exits 0 only when every hard rule holds. PLAN_DIR is a plan folder or an
    assignments CSV file (hand-edited plans are welcome).

    Example: rotaplan check scenarios/tutorial/scenario.yaml plan
    """
    from checker import check_plan, read_assignments

    loaded = _load(scenario)
    pairs = read_assignments(plan_dir)
    report = check_plan(loaded, pairs)
    for violation in report.violations[:limit]:
        click.echo(f"VIOLATION {violation}")
    if len(report.violations) > limit:
        click.echo(f"... and {len(report.violations) - limit} more violations")
    terms = ", ".join(f"{term} {report.objective[term]}" for term in loaded.objective)
    others = [t for t in report.objective if t not in loaded.objective]
    if others:
        terms += " (not optimised: " + ", ".join(f"{t} {report.objective[t]}" for t in others) + ")"
    click.echo(f"objective: {terms}")
    click.echo(_surplus_line(report.audit))
    if report.violations:
        rules = Counter(v.rule for v in report.violations)
        click.echo(
            f"{_count(len(report.violations), 'violation')}: "
            + ", ".join(f"{r} {n}" for r, n in rules.most_common())
        )
        sys.exit(EXIT_NO_PLAN)
    click.echo(f"every hard rule holds ({len(set(pairs))} assignments)")


def _surplus_line(audit: SurplusAudit) -> str:
    """``check``'s over-training line: surplus assignments, by course, and jointly."""
    if not audit.count:
        return "surplus 0: every assignment serves a requirement or a rule"
    courses = ", ".join(f"{course} {n}" for course, n in list(audit.by_course.items())[:8])
    more = ", ..." if len(audit.by_course) > 8 else ""
    return (
        f"surplus {audit.count} (by course: {courses}{more}); "
        f"{audit.jointly} of them can be dropped together"
    )


@main.command()
@scenario_argument
@out_option("Plan folder to write.")
@solve_options
@lang_option(
    "Language of the closing lines, unmet.csv's reasons, the timetable workbooks and the report."
)
@click.option(
    "--timetables",
    default="",
    help="Also write every year's timetables into OUT/timetables: formats such as xlsx,csv,ics.",
)
@report_options
def solve(
    scenario: str,
    out_dir: str,
    time_limit: float,
    workers: int,
    seed: int,
    quiet: bool,
    lang: str,
    timetables: str,
    with_report: bool,
) -> None:
    """Solve a scenario and write the plan folder.

    Writes assignments.csv, summary.json, sessions.csv and members.csv, all at once.
    Ctrl-C stops the search and writes the best plan found so far. With --timetables,
    the annual timetables of every year follow in OUT/timetables; with --report, the
    plan's report in OUT/report.html.

    Example: rotaplan solve scenarios/company/scenario.yaml --out plan --timetables xlsx,ics
    """
    from solver import SolveOptions
    from solver import solve as run_solve
    from solver.output.folder import ensure_ours

    formats = _timetable_formats(timetables)
    ensure_ours(out_dir)  # before minutes of solving, not after
    loaded = _load(scenario)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    with _showing_progress(options, quiet, lang):
        plan = run_solve(loaded, options)
    _report_plan(plan, out_dir, lang=lang)
    if formats:
        from pathlib import Path

        from solver.output.timetable import write_timetables

        folder = Path(out_dir) / "timetables"
        written = write_timetables(plan.scenario, plan.pairs, folder, formats=formats, lang=lang)
        from solver.explain.closing import timetables_line

        click.echo(timetables_line(plan, len(written), folder, lang))
    if with_report:
        _write_report(out_dir, lang, plan.scenario)


@contextlib.contextmanager
def _showing_progress(options: SolveOptions, quiet: bool, lang: str = "en") -> Iterator[None]:
    """A live display on a terminal, log lines elsewhere, nothing with --quiet."""
    from solver.output.progress import LiveProgress, LogProgress

    if quiet:
        yield
    elif sys.stderr.isatty():
        with LiveProgress(lang=lang) as live:
            options.progress = live
            yield
    else:
        options.progress = LogProgress(lang=lang)
        yield


def _timetable_formats(text: str) -> tuple[str, ...]:
    """``xlsx,csv,ics`` as a tuple; an unknown format is bad input (exit 2)."""
    from solver.output.timetable import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RotaplanError(
            f"unknown timetable format(s) {', '.join(unknown)}; use {', '.join(FORMATS)}"
        )
    return formats


def _report_plan(
    plan: Plan, out_dir: str, write: Callable[[str], Path | str] | None = None, lang: str = "en"
) -> None:
    """Print the plan's status and each term's proof, and write it (``write(out_dir)`` if given)."""
    from pathlib import Path

    from solver.explain.closing import no_plan_line, status_lines, written_lines
    from solver.output import write_plan

    # The plan is written before a word is printed: a reader that closes the pipe early
    # (``| head``) must not cost the planner the plan.
    written = (
        (write or (lambda out: write_plan(plan, Path(out), lang)))(out_dir)
        if plan.has_plan
        else None
    )
    for line in status_lines(plan, lang):
        click.echo(line)
    if written is None:
        click.echo(no_plan_line(plan, lang), err=True)
        sys.exit(EXIT_NO_PLAN)
    for line in written_lines(plan, written, lang):
        click.echo(line)


STRUCTURE_OPTIONS = (
    ("seat_supply", "F", "Seats of classes, trips and activities per seat needed (1: as drawn)."),
    ("class_size", "N", "Most seats of a rotation, thematic, party-affairs or activist class."),
    ("min_size_share", "F", "Share of away sessions that need half their seats to run."),
    ("team_size", "MIN-MAX", "Fewest and most members of a work team, e.g. 5-15."),
    ("away_share", "F", "Share of a team that may be away on one day."),
    ("leave", "F", "Share of members with a long leave or secondment."),
    ("blackout_share", "F", "Share of non-operations teams with a blackout of their own."),
    ("joiners", "F", "Share of members who transfer in during the horizon."),
    ("leavers", "F", "Share of members who transfer out during the horizon."),
    ("regions", "N", "Regions that hold their own classes (1: none)."),
)


def structure_options(command: Callable) -> Callable:
    """The structure knobs of ``generate``, each overriding the family's value.

    They are read as text and checked by ``models.families``, so that a bad value is one
    line and exit code 2 like every other invalid input.
    """
    for name, metavar, text in reversed(STRUCTURE_OPTIONS):
        flag = "--" + name.replace("_", "-")
        command = click.option(flag, name, metavar=metavar, default=None, help=text)(command)
    return command


@main.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option(
    "--family",
    default="company",
    show_default=True,
    help="Scenario family: company, unit, tight-teams, small-classes, churn, scarce-seats.",
)
@click.option(
    "--members", default=None, metavar="N", help="Members (at least 30) [default: the family's]."
)
@click.option("--years", default=None, metavar="N", help="Calendar years [default: the family's].")
@click.option("--seed", required=True, type=int, help="Random seed: same seed, same files.")
@click.option("--start-year", default=2025, show_default=True, help="First year of the horizon.")
@click.option("--name", default=None, help="Scenario name (default: a Chinese title).")
@structure_options
def generate(
    out: str,
    family: str,
    members: str | None,
    years: str | None,
    seed: int,
    start_year: int,
    name: str | None,
    **structure: str | None,
) -> None:
    """Write a realistic scenario of a power-supply company into the folder OUT.

    Writes scenario.yaml, members.csv, sessions.csv, history.csv and teams.csv. A family
    sets the company's structure and size; each option given overrides it (the families
    and what each option does: docs/generate.md). A bad value exits with code 2.

    \b
    Example: rotaplan generate scenarios/company --members 2024 --years 5 --seed 2025
    Example: rotaplan generate units/u1 --family unit --seed 1 --team-size 3-6
    """
    from pathlib import Path

    from models.families import settings_for
    from models.generate import generate_scenario
    from solver.output.folder import staged_folder

    try:
        settings = settings_for(family, members, years, structure)
        # Generated files are rotaplan's: the folder must be new, empty or generated before.
        with staged_folder(out, "scenario") as staging:
            written = generate_scenario(
                staging,
                settings.members,
                settings.years,
                seed,
                start_year,
                name,
                settings.structure,
            )
    except (ValueError, OSError) as error:
        raise RotaplanError(f"Error: {error}") from None  # a bad argument: exit 2
    click.echo(f"scenario written to {Path(out).resolve() / written.name}")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(), metavar="INPUT...")
@out_option("Batch folder.")
@click.option("--workers", type=int, default=None, help="Units at once [default: cores // T].")
@click.option("--scheduler", default=None, help="Dask scheduler address: run on that cluster.")
@click.option("--time-limit", default=120.0, show_default=True, help="Seconds per unit.")
@click.option(
    "--threads-per-unit",
    type=int,
    default=None,
    help="CP-SAT threads T per unit [default: 1; on Dask: the workers' threads resource].",
)
@click.option("--seed", default=0, show_default=True, help="Random seed of every search.")
@click.option(
    "--timetables", default="xlsx", show_default=True, help="Formats, e.g. xlsx,csv,ics, or none."
)
@click.option("--redo-feasible", is_flag=True, help="Solve again units not proven optimal.")
@lang_option("Language of the units' reports.")
@report_options
def batch(
    inputs: tuple[str, ...],
    out_dir: str,
    workers: int | None,
    scheduler: str | None,
    time_limit: float,
    threads_per_unit: int | None,
    seed: int,
    timetables: str,
    redo_feasible: bool,
    lang: str,
    with_report: bool,
) -> None:
    """Plan many units: one scenario each, on this machine or a Dask cluster.

    INPUT is scenario files or folders of them (one level of subfolders too; a file
    named scenario.* takes its folder's name). Writes OUT/<unit>/plan, OUT/<unit>/timetables
    and OUT/batch-summary.csv (with --report, OUT/<unit>/plan/report.html too). Rerunning
    skips units already planned. Exit 0 when every
    unit has a plan, 1 when some has none, 2 when the inputs are bad.

    Example: rotaplan batch units/ --out plans --scheduler tcp://scheduler:8786
    """
    from pathlib import Path

    from rich.console import Console

    from solver import batch as batching
    from solver.output.folder import ensure_ours

    ensure_ours(out_dir)
    formats = tuple(f.strip() for f in timetables.split(",") if f.strip() not in ("", "none"))
    options = batching.BatchOptions(
        out_dir=Path(out_dir),
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        threads_per_unit=threads_per_unit,
        scheduler=scheduler,
        timetables=formats,
        redo_feasible=redo_feasible,
    )
    if (workers is not None and workers < 1) or (threads_per_unit or 1) < 1:
        raise batching.BatchInputError(["--workers and --threads-per-unit must be at least 1"])
    units = batching.find_units(inputs, skip=Path(out_dir))
    if sys.stderr.isatty():
        with batching.RichBatchProgress() as bar:
            result = batching.run_batch(units, options, bar)
    else:
        result = batching.run_batch(units, options, batching.LogBatchProgress())
    # Off a terminal, rich would squeeze the table into 80 columns.
    Console(width=None if sys.stdout.isatty() else 200).print(batching.summary_table(result.rows))
    click.echo(
        f"{len(result.planned)} of {len(result.rows)} units planned in {result.seconds:.1f}s"
        + (" (interrupted)" if result.interrupted else "")
        + f"; summary written to {result.summary_path}"
    )
    if with_report:
        for row in result.planned:
            _write_report(Path(out_dir) / row["unit"] / "plan", lang, row["scenario"])
    sys.exit(result.exit_code)


@main.command()
@click.argument("plan_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--year", type=int, required=True, help="Calendar year of the timetable.")
@click.option("--unit", default=None, help="Only this unit's members and their sessions.")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["xlsx", "csv", "ics"]),
    default="xlsx",
    show_default=True,
    help="A workbook, CSV tables, or iCalendar files.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(),
    default=None,
    help="Folder to write into [default: PLAN_DIR/timetables]; for xlsx also a .xlsx file.",
)
@plan_scenario_option("scenario_path in PLAN_DIR/summary.json")
@click.option(
    "--per",
    type=click.Choice(["member", "unit"]),
    default="member",
    show_default=True,
    help="For ics: one calendar per member or per unit.",
)
@lang_option("Language of the workbook's sheet names, titles and headers.")
def timetable(
    plan_dir: str,
    year: int,
    unit: str | None,
    kind: str,
    out_path: str | None,
    scenario_path: str | None,
    per: str,
    lang: str,
) -> None:
    """Write one year's timetable of a plan: calendar, rosters, unit lists and coverage.

    xlsx writes timetable-YEAR.xlsx, csv the folder timetable-YEAR/ and ics the folder
    calendars-YEAR/ (calendars-YEAR-by-unit/ with --per unit); with --unit, -UNIT follows
    the year. Each appears whole or not at all.

    Example: rotaplan timetable plan --year 2026 --lang zh
    """
    from pathlib import Path

    from solver.output.timetable import build_timetable, write_timetables
    from solver.output.timetable_xlsx import write_xlsx

    plan = Path(plan_dir)
    loaded = _load(scenario_path or _recorded_scenario(plan))
    pairs = _timetable_pairs(loaded, plan)
    out = Path(out_path) if out_path else plan / "timetables"
    if kind == "xlsx" and out.suffix.lower() == ".xlsx":
        written = [write_xlsx(build_timetable(loaded, pairs, year, unit), out, lang)]
    else:
        written = write_timetables(
            loaded, pairs, out, years=[year], unit=unit, formats=(kind,), per=per, lang=lang
        )
    for path in written:
        click.echo(f"timetable written to {path}")


@main.command()
@click.argument("plan_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="HTML file to write [default: PLAN_DIR/report.html].",
)
@click.option(
    "--lang", type=lang_choice, default="en", show_default=True, help="Language of the labels."
)
@plan_scenario_option("PLAN_DIR/scenario.json, else summary.json's scenario_path")
def report(plan_dir: str, out_path: str | None, lang: str, scenario_path: str | None) -> None:
    """Write a plan's report: one HTML file that opens offline in any browser.

    It shows the headline terms, coverage per requirement, category, year and unit, the
    sessions over the horizon, the work-study load per team and week, the unmet windows
    with their reasons, a ledger per member and, for a re-plan, what changed.

    Example: rotaplan report plans/company --lang zh --out company.html
    """
    from solver.output.report import report_plan_folder

    scenario = _load(scenario_path) if scenario_path else None
    try:
        written = report_plan_folder(plan_dir, out=out_path, lang=lang, scenario=scenario)
    except OSError as error:
        click.echo(f"{out_path or plan_dir}: {error.strerror}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"report written to {written}")


def _recorded_scenario(plan_dir: Path) -> str:
    """The scenario path a plan folder's summary.json records; exit 2 when there is none."""
    import json

    summary = plan_dir / "summary.json"
    try:
        recorded = json.loads(summary.read_text(encoding="utf-8")).get("scenario_path")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if not recorded:
        raise RotaplanError(f"{summary} records no scenario_path: give --scenario SCENARIO")
    return str(recorded)


def _timetable_pairs(scenario: Scenario, plan_dir: Path) -> list[tuple[str, str]]:
    """The plan's assignments, and, in a re-planned folder, the past attendances it kept."""
    from checker import read_assignments

    pairs = read_assignments(plan_dir)
    history = plan_dir / "history.csv"
    if history.is_file():
        # Past sessions the scenario still lists belong in their year's timetable.
        pairs += [p for p in read_assignments(history) if p[1] in scenario.session_by_id]
    return pairs


@main.command()
@scenario_argument
@click.option(
    "--previous",
    "previous_dir",
    required=True,
    type=click.Path(exists=True),
    help="The published plan folder (or its assignments.csv).",
)
@click.option(
    "--from", "from_text", required=True, help="First day the plan may change (YYYY-MM-DD)."
)
@click.option(
    "--completed",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="CSV member_id,session_id,status (attended or missed) of past sessions.",
)
@out_option("Folder to write.")
@solve_options
@lang_option("Language of the closing lines, unmet.csv's reasons and the report.")
@report_options
def replan(
    scenario: str,
    previous_dir: str,
    from_text: str,
    completed: str | None,
    out_dir: str,
    time_limit: float,
    workers: int,
    seed: int,
    quiet: bool,
    lang: str,
    with_report: bool,
) -> None:
    """Re-plan from a date, keeping what happened and moving as little as possible.

    Sessions starting before --from count as they happened (or as --completed says) and
    close; from that day on, the plan changes only where rules and requirements need it.
    SCENARIO is the new scenario: members may have joined, left or changed category,
    sessions may be cancelled or added. Writes the plan with changes.csv, history.csv and
    scenario.json (the scenario as solved: rotaplan check OUT/scenario.json OUT); with
    --report, OUT/report.html shows the new plan and what changed.

    Example: rotaplan replan scenario.yaml --previous plan-2025 --from 2026-01-01 --out plan-2026
    """
    from checker import read_assignments
    from models.dates import parse_date
    from solver import SolveOptions
    from solver import replan as replanning
    from solver.output.folder import ensure_ours

    ensure_ours(out_dir)  # before minutes of solving, not after
    try:
        from_date = parse_date(from_text)
    except ValueError as error:
        raise RotaplanError(f"--from: {error}") from None
    loaded = _load(scenario)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    previous = read_assignments(previous_dir)
    sessions = replanning.read_previous_sessions(previous_dir)
    rows = replanning.read_completed(completed) if completed else None
    with _showing_progress(options, quiet, lang):
        plan, report = replanning.replan(
            loaded, previous, from_date, rows, options, previous_sessions=sessions
        )
    _report_plan(plan, out_dir, lambda out: replanning.write_replan(plan, report, out, lang), lang)
    counts = report.counts()
    click.echo(
        f"changes from {from_date}: "
        + ", ".join(f"{kind} {n}" for kind, n in counts.items())
        + f"; {len(report.history)} past attendance(s) kept as history, {report.missed} missed"
    )
    for note in report.notes:
        click.echo(f"note: {note}")
    if with_report:
        # The folder's scenario.json is the scenario as re-planned: the report reads it.
        _write_report(out_dir, lang)


@main.command()
@scenario_argument
@click.option("--member", "member_id", help="Explain one member's requirement windows.")
@click.option("--requirement", "requirement_id", help="Explain who one requirement leaves unmet.")
@click.option(
    "--plan",
    "plan_dir",
    type=click.Path(exists=True),
    help="Plan folder (or assignments CSV) to explain; without it, what the data alone says.",
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--suggest", is_flag=True, help="Solve what-if changes for the unmet (needs --plan).")
@click.option("--max-variants", default=6, show_default=True, help="Most what-if solves.")
@click.option(
    "--variant-time",
    type=float,
    default=None,
    help="Seconds per what-if solve [default: grows with the scenario, 5 to 120].",
)
@workers_option
def explain(
    scenario: str,
    member_id: str | None,
    requirement_id: str | None,
    plan_dir: str | None,
    lang: str,
    suggest: bool,
    max_variants: int,
    variant_time: float | None,
    workers: int,
) -> None:
    """Explain why members are or are not served, and what change would serve them.

    --member: every requirement window of the member, the sessions that could
    serve it, and why each other session cannot (with --plan: chosen, full, caps,
    team cap, gap). --requirement: who is unmet, grouped by cause (with --plan),
    or which windows no session can serve (without). Neither: every requirement.
    --suggest solves what-if variants (a seat, a session, a limit, a team cap).

    Example: rotaplan explain scenario.yaml --requirement rotate --plan plan --suggest --lang zh
    """
    from solver.explain import Explainer, read_plan, suggestion_lines
    from solver.explain.suggestions import SuggestOptions

    if suggest and plan_dir is None:
        raise click.UsageError("--suggest needs --plan")
    loaded = _load(scenario)
    plan = read_plan(plan_dir) if plan_dir else None
    explainer = Explainer(loaded, plan, lang)
    sections = []
    if member_id is not None:
        sections.append(explainer.member_lines(member_id))
    if requirement_id is not None or member_id is None:
        wanted = [requirement_id] if requirement_id else list(loaded.requirement_by_id)
        sections += [explainer.requirement_lines(r) for r in wanted]
    if plan is not None and suggest:
        options = SuggestOptions(max_variants, variant_time, workers)
        sections.append(suggestion_lines(loaded, plan, options, lang, member_id, requirement_id))
    for line in explainer.plan_lines():
        click.echo(line)
    for index, lines in enumerate(sections):
        if index:
            click.echo("")
        for line in lines:
            click.echo(line)


if __name__ == "__main__":
    main()
