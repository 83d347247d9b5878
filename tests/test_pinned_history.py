"""A pinned row on a non-repeatable course already completed in the horizon is bad input."""

import pytest

from models import ScenarioError, load_scenario


def test_pinned_row_repeating_a_course_done_in_history_names_the_row() -> None:
    scenario = {
        "version": 1,
        "horizon": {"start": "2026-01-01", "end": "2026-12-31"},
        "members": [{"id": "A", "tier": "grassroots", "unit": "U1"}],
        "courses": [{"id": "rotation", "hours": 24}],
        "sessions": [{"id": "S1", "course": "rotation", "start": "2026-05-04", "capacity": 5}],
        "history": [{"member": "A", "course": "rotation", "date": "2026-02-01"}],
        "pinned": [{"member": "A", "session": "S1"}],
    }
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario)
    lines = [str(p) for p in caught.value.errors]
    # The only problem: the pinned row (pinned[0]) repeats rotation, done on 2026-02-01.
    assert lines == [
        "scenario: pinned[0] (A, S1): A is pinned to S1 of course rotation, which is not repeatable "
        "and is already completed in history inside the horizon"
    ]
