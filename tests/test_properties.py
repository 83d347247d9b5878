"""Properties over random scenarios: loading fails only with ScenarioError; plans check.

The scenarios come from ``scenario_strategies``: random documents and tables built from
the format (with the mistakes planners make mixed in), and small valid scenarios. Each
property runs a bounded number of examples with short solves; the ``slow`` variants
run many more.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_strategies import (
    ROW_FIELDS,
    as_csv_text,
    as_yaml_text,
    documents,
    rows,
    valid_documents,
)

from checker import check_plan
from models import LoadedScenario, ScenarioError, load_scenario
from solver import SolveOptions, solve

TABLES = ("members", "sessions", "history", "pinned")
# The quick runs are the same examples every time (a failure there is never luck); the
# slow runs draw new ones each time.
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=True,
)
MANY = settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def _load_or_scenario_error(path: Path) -> LoadedScenario | None:
    """Load; a ScenarioError is a fine answer, any other exception fails the test."""
    try:
        return load_scenario(path)
    except ScenarioError as error:
        assert error.errors, "a ScenarioError names at least one error"
        assert all(p.where and p.message and "\n" not in str(p) for p in error.problems)
        return None


def _written(folder: Path, document: dict[str, Any], as_files: list[str], form: str) -> Path:
    """The document as a scenario file in ``folder``, the tables named in ``as_files`` as CSV."""
    document = dict(document)
    for key in as_files:
        if isinstance(document.get(key), list):
            text = as_csv_text(document[key], None if document[key] else ROW_FIELDS[key])
            (folder / f"{key}.csv").write_text(text, encoding="utf-8")
            document[key] = f"{key}.csv"
    if form == "json":
        path = folder / "scenario.json"
        path.write_text(json.dumps(document, default=str, ensure_ascii=False), encoding="utf-8")
    else:
        path = folder / "scenario.yaml"
        path.write_text(as_yaml_text(document), encoding="utf-8")
    return path


def _check_loading(document: dict[str, Any], as_files: list[str], form: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _load_or_scenario_error(_written(Path(folder), document, as_files, form))


document_cases = st.tuples(
    documents(), st.lists(st.sampled_from(TABLES), unique=True), st.sampled_from(["yaml", "json"])
)


@FAST
@given(document_cases)
def test_loading_a_random_document_raises_only_scenario_error(
    case: tuple[dict[str, Any], list[str], str],
) -> None:
    _check_loading(*case)


@pytest.mark.slow
@MANY
@given(document_cases)
def test_loading_many_random_documents_raises_only_scenario_error(
    case: tuple[dict[str, Any], list[str], str],
) -> None:
    _check_loading(*case)


@FAST
@given(
    st.sampled_from(TABLES).flatmap(
        lambda key: st.tuples(st.just(key), st.lists(rows(key), max_size=4))
    ),
    st.binary(max_size=60),
    st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_a_random_table_file_raises_only_scenario_error(
    table: tuple[str, list[dict[str, Any]]], noise: bytes, encoding: str
) -> None:
    """Table files as planners save them: other encodings, stray bytes, ragged rows."""
    key, table_rows = table
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        text = as_csv_text(table_rows) if table_rows else ",".join(ROW_FIELDS[key]) + "\n"
        data = text.encode(encoding, errors="replace") + noise
        (folder / f"{key}.csv").write_bytes(data)
        document = {
            "version": 1,
            "horizon": {"start": "2026-01-01", "end": "2026-12-31"},
            "members": [{"id": "A", "tier": "grassroots", "unit": "U1"}],
            "courses": [{"id": "rotation", "hours": 8}],
            "sessions": [{"id": "S1", "course": "rotation", "start": "2026-03-02", "capacity": 2}],
            key: f"{key}.csv",
        }
        path = folder / "scenario.yaml"
        path.write_text(as_yaml_text(document), encoding="utf-8")
        _load_or_scenario_error(path)


def _solve_checked(document: dict[str, Any]) -> None:
    """Load (without pinned rows if they are not eligible), solve briefly, check the plan."""
    try:
        scenario = load_scenario(document)
    except ScenarioError:
        document = {k: v for k, v in document.items() if k != "pinned"}
        scenario = load_scenario(document)  # the strategy keeps every other rule
    plan = solve(scenario, SolveOptions(time_limit=2, workers=1))
    assert plan.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN")
    if not scenario.strict and not scenario.pinned:
        # Pinned rows may clash with a hard rule (a mix rule, a cap): INFEASIBLE, with
        # reasons, is then the answer. Without them, a plan that leaves out whatever
        # cannot be met keeps every rule, and the engine must find one.
        assert plan.has_plan, f"no plan for a scenario that is not strict: {plan.status}"
    if plan.has_plan:
        report = check_plan(scenario, plan.pairs)
        assert [str(v) for v in report.violations] == []
        assert report.objective == plan.objective


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=True,
)
@given(valid_documents())
def test_every_plan_of_a_valid_random_scenario_checks(document: dict[str, Any]) -> None:
    _solve_checked(document)


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(valid_documents())
def test_every_plan_of_many_valid_random_scenarios_checks(document: dict[str, Any]) -> None:
    _solve_checked(document)


@FAST
@given(valid_documents(), st.lists(st.sampled_from(TABLES), min_size=1, unique=True))
def test_a_valid_scenario_reads_the_same_from_csv_tables(
    document: dict[str, Any], as_files: list[str]
) -> None:
    document = {k: v for k, v in document.items() if k != "pinned"}
    inline = load_scenario(document).model_dump(exclude={"source", "warnings"})
    with tempfile.TemporaryDirectory() as folder:
        path = _written(Path(folder), document, as_files, "yaml")
        from_files = load_scenario(path).model_dump(exclude={"source", "warnings"})
    assert from_files == inline
