"""What identifies a scenario's content: the scenario file and the tables it names."""

from __future__ import annotations

from pathlib import Path

from solver.batch import scenario_digest

SCENARIO = "version: 1\nmembers: members.csv\nsessions: sessions.xlsx#2026\n"


def test_a_changed_table_changes_the_digest(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "members.csv").write_text("id,tier\nM1,middle\n", encoding="utf-8")
    before = scenario_digest(scenario)
    assert before == scenario_digest(scenario)
    (tmp_path / "members.csv").write_text("id,tier\nM1,grassroots\n", encoding="utf-8")
    changed = scenario_digest(scenario)
    assert changed != before
    (tmp_path / "sessions.xlsx").write_bytes(b"a workbook")  # the sheet name is left off
    assert scenario_digest(scenario) != changed


def test_a_scenario_that_does_not_parse_is_identified_by_its_bytes(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("members: [unclosed\n", encoding="utf-8")
    first = scenario_digest(scenario)
    assert first.startswith("sha256:")
    scenario.write_text("members: [other\n", encoding="utf-8")
    assert scenario_digest(scenario) != first
