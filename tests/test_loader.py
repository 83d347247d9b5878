"""The loader reads one scenario the same way whatever form it takes.

``tests/data/loader/`` holds one small scenario as YAML, JSON and TOML (tables in CSV
files) and as YAML with its tables inline; the tests here also write it as CSV with a
byte-order mark and as XLSX, and check that every form loads to the same Scenario.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from models import Scenario, ScenarioError, load_scenario
from models.scenario import JoiningWindow

DATA = Path(__file__).parent / "data" / "loader"
MEMBER_NAMES = {"A01": "张伟", "A02": "王芳", "A03": "李强"}


def content(scenario: Scenario) -> dict[str, Any]:
    """What a scenario says, without where it was read from or what the loader warned."""
    return scenario.model_dump(exclude={"source", "warnings"})


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return content(load_scenario(DATA / "scenario.yaml"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A private copy of the small scenario's folder, free to edit."""
    target = tmp_path / "scenario"
    shutil.copytree(DATA, target)
    return target


def point_at(folder: Path, table: str, path: str) -> Path:
    """Make scenario.yaml read ``table`` from ``path``; returns the scenario file."""
    scenario = folder / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    old = f"{table}: {table}.csv"
    assert old in text
    scenario.write_text(text.replace(old, f"{table}: {path}"), encoding="utf-8")
    return scenario


@pytest.mark.parametrize("name", ["scenario.json", "scenario.toml", "scenario-inline.yaml"])
def test_every_form_loads_to_the_same_scenario(name: str, reference: dict[str, Any]) -> None:
    assert content(load_scenario(DATA / name)) == reference


def test_the_reference_holds_what_the_files_say() -> None:
    # Guards the comparisons above against a loader that loses things in every form.
    loaded = load_scenario(DATA / "scenario.yaml")
    members = loaded.member_by_id
    assert members["A02"].team == "OPS"
    assert members["A01"].team == "U1"  # an empty team is the unit
    assert [str(r) for r in members["A02"].unavailable] == [
        "2026-03-01/2026-03-31",
        "2026-09-01/2026-09-05",
    ]
    sessions = loaded.session_by_id
    assert sessions["EL-06"].hours == 12
    assert sessions["EL-06"].last_day == sessions["EL-06"].start
    assert sessions["ROT-10"].audience.given() == {"units": ("U1",)}
    assert loaded.requirement_by_id["orient"].window == JoiningWindow(joining_days=180)
    assert len(loaded.history) == 1
    assert len(loaded.pinned) == 1


def test_a_mapping_loads_like_the_file(reference: dict[str, Any]) -> None:
    import yaml

    raw = yaml.safe_load((DATA / "scenario.yaml").read_text(encoding="utf-8"))
    assert content(load_scenario(raw, base_dir=DATA)) == reference


def test_csv_with_a_byte_order_mark(folder: Path, reference: dict[str, Any]) -> None:
    # Spreadsheet programs save "CSV UTF-8" with a BOM; the first column must still be `id`.
    for table in ("members.csv", "sessions.csv"):
        path = folder / table
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    loaded = load_scenario(folder / "scenario.yaml")
    assert content(loaded) == reference
    assert loaded.warnings == []


def _frame(csv_file: Path) -> pd.DataFrame:
    return pd.read_csv(csv_file, dtype=str, keep_default_na=False)


def test_xlsx_first_sheet(folder: Path, reference: dict[str, Any]) -> None:
    _frame(folder / "members.csv").to_excel(folder / "members.xlsx", index=False)
    (folder / "members.csv").unlink()
    scenario = point_at(folder, "members", "members.xlsx")
    assert content(load_scenario(scenario)) == reference


def test_xlsx_named_sheet_with_real_dates(folder: Path, reference: dict[str, Any]) -> None:
    sessions = _frame(folder / "sessions.csv")
    # Spreadsheets hold dates as dates and numbers as numbers, not as text.
    for column in ("start", "end"):
        sessions[column] = pd.to_datetime(sessions[column].replace("", None))
    sessions["capacity"] = sessions["capacity"].astype(int)
    with pd.ExcelWriter(folder / "plan.xlsx") as writer:
        pd.DataFrame({"note": ["another sheet comes first"]}).to_excel(
            writer, sheet_name="说明", index=False
        )
        sessions.to_excel(writer, sheet_name="Sessions", index=False)
    scenario = point_at(folder, "sessions", "plan.xlsx#Sessions")
    assert content(load_scenario(scenario)) == reference


def test_chinese_names_and_labels_round_trip() -> None:
    for name in ("scenario.yaml", "scenario.json", "scenario.toml", "scenario-inline.yaml"):
        loaded = load_scenario(DATA / name)
        assert loaded.name == "加载测试"
        assert {m.id: m.name for m in loaded.members} == MEMBER_NAMES
        assert [c.label for c in loaded.courses] == ["党员集中轮训班", "网络大学专题学习"]
        assert loaded.session_by_id["ROT-04"].location == "公司党校"


def test_chinese_names_round_trip_through_xlsx(folder: Path) -> None:
    _frame(folder / "members.csv").to_excel(folder / "members.xlsx", index=False)
    loaded = load_scenario(point_at(folder, "members", "members.xlsx"))
    assert {m.id: m.name for m in loaded.members} == MEMBER_NAMES


@pytest.mark.parametrize("path", ["../outside.csv", "sub/../../outside.csv"])
def test_a_path_outside_the_scenario_folder_is_rejected(folder: Path, path: str) -> None:
    shutil.copy(folder / "sessions.csv", folder.parent / "outside.csv")
    scenario = point_at(folder, "sessions", path)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario)
    assert [str(p) for p in caught.value.errors] == [
        f"scenario.yaml: sessions: {path!r} lies outside the scenario's folder"
    ]


def test_an_absolute_path_outside_the_folder_is_rejected(folder: Path) -> None:
    outside = folder.parent / "outside.csv"
    shutil.copy(folder / "sessions.csv", outside)
    with pytest.raises(ScenarioError, match="lies outside the scenario's folder"):
        load_scenario(point_at(folder, "sessions", str(outside)))


def test_extra_csv_columns_warn_and_are_ignored(folder: Path, reference: dict[str, Any]) -> None:
    members = _frame(folder / "members.csv")
    members["phone"] = ["13800000001", "", "13800000003"]
    members["备注"] = ["支部书记", "", ""]
    members.to_csv(folder / "members.csv", index=False)
    loaded = load_scenario(folder / "scenario.yaml")
    assert content(loaded) == reference
    assert [str(w) for w in loaded.warnings] == [
        "warning: members.csv: columns phone, 备注 are not part of members; kept, not used"
    ]
