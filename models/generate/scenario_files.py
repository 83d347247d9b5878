"""``generate_scenario``: draw a company and write its scenario files."""

from __future__ import annotations

from pathlib import Path

from models.families import Structure, check_structure

from .document import scenario_yaml
from .draw import draw_company
from .table_files import write_tables
from .text import numeral

MIN_MEMBERS = 30


def generate_scenario(
    out_dir: Path,
    members: int,
    years: int,
    seed: int,
    start_year: int = 2025,
    name: str | None = None,
    structure: Structure | None = None,
) -> Path:
    """Draw a company and its training offer, and write the scenario files into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder to write ``scenario.yaml``, ``members.csv``, ``sessions.csv``,
        ``history.csv`` and ``teams.csv`` (unit and team names, for the planner's eye) into;
        created when missing, files in it are overwritten.
    members
        Number of members and activists (at least 30). Above 3,000 the scenario is a
        province of regions of about 2,000 members, each holding its own classes.
    years
        Calendar years the plan covers, from 1 January of ``start_year``.
    seed
        Seed of every random draw: the same arguments give byte-identical files.
    start_year
        First year of the horizon.
    name
        Scenario name; default a Chinese title with the years.
    structure
        How the company is shaped (``models.families``); default the ``company`` family.

    Returns
    -------
    Path
        The written ``scenario.yaml``.
    """
    _check_arguments(members, years, start_year)
    structure = structure or Structure()
    check_structure(members, structure)
    company = draw_company(members, years, seed, start_year, structure)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    title = name or _default_name(years, start_year, company.split)
    write_tables(out_dir, company)
    scenario_path = out_dir / "scenario.yaml"
    text = scenario_yaml(company, title, members, years, seed)
    scenario_path.write_text(text, encoding="utf-8", newline="\n")
    return scenario_path


def _check_arguments(members: int, years: int, start_year: int) -> None:
    if members < MIN_MEMBERS:
        raise ValueError(f"--members must be at least {MIN_MEMBERS} (got {members})")
    if years < 1:
        raise ValueError(f"--years must be at least 1 (got {years})")
    if not 1900 <= start_year <= 9000 - years:
        raise ValueError(f"--start-year {start_year} is out of range")


def _default_name(years: int, start_year: int, province: bool) -> str:
    owner = "某省电力公司" if province else "某供电公司"
    return f"{owner}党员教育培训{numeral(years)}年规划 {start_year}-{start_year + years - 1}"
