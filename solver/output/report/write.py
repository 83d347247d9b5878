"""Writing the report of a plan folder: what ``rotaplan report`` and ``--report`` do."""

from __future__ import annotations

from pathlib import Path

from models import Problem, Scenario, ScenarioError, load_scenario

from .data import build_report
from .plan_folder import read_plan_folder
from .render import write_report

REPORT_NAME = "report.html"


def report_plan_folder(
    plan_dir: str | Path,
    out: str | Path | None = None,
    lang: str = "en",
    scenario: Scenario | str | Path | None = None,
) -> Path:
    """Write the report of a plan folder and return its path.

    Parameters
    ----------
    plan_dir
        A folder that ``solve``, ``replan`` or ``batch`` wrote.
    out
        The HTML file to write; default ``PLAN_DIR/report.html``.
    lang
        ``en`` or ``zh``.
    scenario
        The plan's scenario (loaded, or its path); default the one the folder records.

    Raises
    ------
    ScenarioError
        When the folder or the scenario cannot be read, one problem per file.
    """
    folder = read_plan_folder(plan_dir)
    if scenario is None:
        scenario = folder.scenario_file
        if scenario is None:
            raise ScenarioError(
                [Problem(str(folder.path / "summary.json"), "records no scenario_path")]
            )
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    target = Path(out) if out is not None else folder.path / REPORT_NAME
    return write_report(build_report(folder, loaded), target, lang)
