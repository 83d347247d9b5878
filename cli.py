"""rotaplan's command line: a thin layer over ``models``, ``checker`` and ``solver``.

Each command reads its options, calls into the packages and prints what they return.
Errors are mapped to messages and exit codes in one place, ``_Rotaplan.invoke``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import solver
from models import RotaplanError, load_scenario
from models.loader import LoadedScenario

# Both load their modules on first use: a command loads only what it calls (and
# ``timetable``, ``report`` and ``explain`` never load CP-SAT).
from solver import explain as explaining
from solver import output

if TYPE_CHECKING:
    from models import Scenario


class _Rotaplan(click.Group):
    """The command group: the one place where rotaplan's errors become messages and codes."""

    def invoke(self, ctx: click.Context) -> object:
        if not isinstance(sys.stdout, output.ReaderMayLeave):
            sys.stdout = output.ReaderMayLeave(sys.stdout)
        try:
            return super().invoke(ctx)
        except RotaplanError as error:
            for line in error.lines():
                click.echo(line, err=True)
            sys.exit(error.exit_code)


@click.group(cls=_Rotaplan, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rotaplan")
def main() -> None:
    """rotaplan: plan who trains when, with every rule held and reasons for what is unmet.

    Example: rotaplan solve scenarios/company/scenario.yaml --out plan
    """


def _load(path: str, strict_values: bool = False) -> LoadedScenario:
    """Load a scenario and print its warnings (invalid input raises ``ScenarioError``)."""
    scenario = load_scenario(path, strict_values=strict_values)
    for warning in scenario.warnings:
        click.echo(str(warning), err=True)
    return scenario


def _say(lines: Iterable[str]) -> None:
    """Print each line on standard output."""
    for line in lines:
        click.echo(line)


def _write_report(plan_dir: str | Path, lang: str, scenario: Scenario | str | None = None) -> None:
    """Write a plan folder's report and say where."""
    from solver.output.report import report_plan_folder

    click.echo(f"report written to {report_plan_folder(plan_dir, lang=lang, scenario=scenario)}")


# -- the option sets several commands share ---------------------------------------------------

Decorator = Callable[[Callable[..., None]], Callable[..., None]]


def _option_set(*options: Decorator) -> Decorator:
    """One decorator that applies several click options, in the order given."""

    def apply(command: Callable[..., None]) -> Callable[..., None]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


scenario_argument = click.argument("scenario", type=click.Path(dir_okay=False))
plan_dir_argument = click.argument("plan_dir", type=click.Path(exists=True, file_okay=False))
workers_option = click.option(
    "--workers", default=0, show_default=True, help="CP-SAT workers; 0 uses every core."
)
# ``--report``: write the plan's HTML report beside it, in the command's ``--lang``.
report_options = click.option(
    "--report",
    "with_report",
    is_flag=True,
    help="Also write the plan's report, an HTML file, as report.html in the plan folder.",
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


def out_option(text: str) -> Decorator:
    """The required ``--out`` folder of a command that writes one."""
    return click.option(
        "--out", "out_dir", required=True, type=click.Path(file_okay=False), help=text
    )


def plan_scenario_option(default: str) -> Decorator:
    """``--scenario``: the scenario a plan folder was solved from, when it cannot be found."""
    return click.option(
        "--scenario",
        "scenario_path",
        type=click.Path(dir_okay=False),
        default=None,
        help=f"The plan's scenario [default: {default}].",
    )


def lang_option(text: str | None = None) -> Decorator:
    """``--lang``: English or Chinese for what the command writes for planners."""
    return click.option(
        "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help=text
    )


# -- the commands -----------------------------------------------------------------------------


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
    _say(output.overview_lines(_load(scenario, strict_values), scenario))


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
    _say(output.check_lines(loaded, report, len(set(pairs)), limit))
    if report.violations:
        raise output.NoPlanError()  # the lines above said why


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
    quiet: bool,
    lang: str,
    timetables: str,
    with_report: bool,
    **run: Any,
) -> None:
    """Solve a scenario and write the plan folder.

    Writes assignments.csv, summary.json, sessions.csv and members.csv, all at once.
    Ctrl-C stops the search and writes the best plan found so far. With --timetables,
    the annual timetables of every year follow in OUT/timetables; with --report, the
    plan's report in OUT/report.html.

    Example: rotaplan solve scenarios/company/scenario.yaml --out plan --timetables xlsx,ics
    """
    formats = output.timetable_formats(timetables)
    output.ensure_ours(out_dir)  # before minutes of solving, not after
    loaded = _load(scenario)
    options = solver.SolveOptions(**run)  # --time-limit, --workers, --seed
    with output.showing_progress(options, quiet, lang):
        plan = solver.solve(loaded, options)
    output.write_and_tell(plan, out_dir, click.echo, lang=lang)
    if formats:
        click.echo(output.write_plan_timetables(plan, out_dir, formats, lang))
    if with_report:
        _write_report(out_dir, lang, plan.scenario)


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


# The structure knobs of ``generate``, each overriding the family's value. They are read as
# text and checked by ``models.families``, so that a bad value is one line and exit code 2
# like every other invalid input.
structure_options = _option_set(
    *(
        click.option("--" + name.replace("_", "-"), name, metavar=metavar, default=None, help=text)
        for name, metavar, text in STRUCTURE_OPTIONS
    )
)


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
    timetables: str,
    lang: str,
    with_report: bool,
    **fields: object,
) -> None:
    """Plan many units: one scenario each, on this machine or a Dask cluster.

    INPUT is scenario files or folders of them (one level of subfolders too; a file
    named scenario.* takes its folder's name). Writes OUT/<unit>/plan, OUT/<unit>/timetables
    and OUT/batch-summary.csv (with --report, OUT/<unit>/plan/report.html too). Rerunning
    skips units already planned. Exit 0 when every
    unit has a plan, 1 when some has none, 2 when the inputs are bad.

    Example: rotaplan batch units/ --out plans --scheduler tcp://scheduler:8786
    """
    from solver import batch as batching

    output.ensure_ours(out_dir)
    # --workers, --scheduler, --time-limit, --threads-per-unit, --seed, --redo-feasible
    options = batching.batch_options(out_dir, timetables, **fields)
    units = batching.find_units(inputs, skip=options.out_dir)
    result = batching.run_batch_shown(units, options)
    batching.show_summary(result)
    click.echo(batching.closing_line(result))
    if with_report:
        for row in result.planned:
            _write_report(options.out_dir / row["unit"] / "plan", lang, row["scenario"])
    if result.exit_code:
        raise output.NoPlanError()  # the summary said which units have none


@main.command()
@plan_dir_argument
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
    plan_dir: str, out_path: str | None, scenario_path: str | None, **layout: Any
) -> None:
    """Write one year's timetable of a plan: calendar, rosters, unit lists and coverage.

    xlsx writes timetable-YEAR.xlsx, csv the folder timetable-YEAR/ and ics the folder
    calendars-YEAR/ (calendars-YEAR-by-unit/ with --per unit); with --unit, -UNIT follows
    the year. Each appears whole or not at all.

    Example: rotaplan timetable plan --year 2026 --lang zh
    """
    plan = Path(plan_dir)
    loaded = _load(scenario_path or output.recorded_scenario(plan))
    pairs = output.timetable_pairs(loaded, plan)
    out = Path(out_path) if out_path else plan / "timetables"
    # --year, --unit, --format, --per, --lang
    written = output.write_year_timetable(loaded, pairs, out=out, **layout)
    _say([f"timetable written to {path}" for path in written])


@main.command()
@plan_dir_argument
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="HTML file to write [default: PLAN_DIR/report.html].",
)
@lang_option("Language of the labels.")
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
        raise RotaplanError(f"{out_path or plan_dir}: {error.strerror}") from None
    click.echo(f"report written to {written}")


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
    quiet: bool,
    lang: str,
    with_report: bool,
    **run: Any,
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
    from solver import replan as replanning

    output.ensure_ours(out_dir)  # before minutes of solving, not after
    from_date = replanning.first_day(from_text)
    loaded = _load(scenario)
    options = solver.SolveOptions(**run)  # --time-limit, --workers, --seed
    previous = replanning.read_previous_plan(previous_dir, completed)
    with output.showing_progress(options, quiet, lang):
        plan, changes = replanning.replan_previous(loaded, previous, from_date, options)

    def write(out: str) -> Path:
        return replanning.write_replan(plan, changes, out, lang)

    output.write_and_tell(plan, out_dir, click.echo, write, lang)
    _say(replanning.change_lines(changes))
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
@lang_option()
@click.option("--suggest", is_flag=True, help="Solve what-if changes for the unmet (needs --plan).")
@click.option("--max-variants", default=6, show_default=True, help="Most what-if solves.")
@click.option(
    "--variant-time",
    "time_limit",
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
    **what_if: Any,
) -> None:
    """Explain why members are or are not served, and what change would serve them.

    --member: every requirement window of the member, the sessions that could
    serve it, and why each other session cannot (with --plan: chosen, full, caps,
    team cap, gap). --requirement: who is unmet, grouped by cause (with --plan),
    or which windows no session can serve (without). Neither: every requirement.
    --suggest solves what-if variants (a seat, a session, a limit, a team cap).

    Example: rotaplan explain scenario.yaml --requirement rotate --plan plan --suggest --lang zh
    """
    if suggest and plan_dir is None:
        raise click.UsageError("--suggest needs --plan")
    loaded = _load(scenario)
    plan = explaining.read_plan(plan_dir) if plan_dir else None
    explainer = explaining.Explainer(loaded, plan, lang)
    # --max-variants, --variant-time and --workers: how much what-if solving to do
    suggestions = explaining.SuggestOptions(**what_if) if suggest else None
    _say(explaining.explanation_lines(explainer, member_id, requirement_id, suggestions, lang))


if __name__ == "__main__":
    main()
