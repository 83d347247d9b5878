"""Finding a batch's units: files and folders, names, clashes and empty inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from batch_units import tiny_scenario, write_units
from click.testing import CliRunner

from cli import main
from solver.batch import BatchInputError, find_units


def test_units_are_files_and_folders_named_by_stem_or_folder(tmp_path: Path) -> None:
    inputs = write_units(tmp_path / "units")
    (inputs / ".hidden.yaml").write_text("version: 1\n", encoding="utf-8")
    (inputs / "notes.txt").write_text("not a scenario\n", encoding="utf-8")
    extra = tmp_path / "west.json"
    extra.write_text(json.dumps(tiny_scenario(2)), encoding="utf-8")
    units = find_units([inputs, extra, inputs / "north.yaml"])  # north given twice: once
    assert [u.name for u in units] == ["broken", "east", "north", "south", "vanished", "west"]
    assert units[1].scenario == (inputs / "east" / "scenario.yaml").resolve()


def test_clashing_names_and_empty_inputs_are_bad_input(tmp_path: Path) -> None:
    inputs = write_units(tmp_path / "units")
    (inputs / "east.yaml").write_text(yaml.safe_dump(tiny_scenario(2)), encoding="utf-8")
    with pytest.raises(BatchInputError, match="unit name 'east' is given by 2 scenarios"):
        find_units([inputs])
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchInputError) as raised:
        find_units([tmp_path / "empty", tmp_path / "missing"])
    assert len(raised.value.problems) == 2
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "unit name 'east'" in result.output
    assert not (tmp_path / "out").exists()
