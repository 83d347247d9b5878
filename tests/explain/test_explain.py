"""``explain``: members and requirements, with and without a plan, in English and Chinese;
what-if suggestions that, applied and solved, serve the members they promise.

Every plan goes through the ``solve_checked`` fixture, so it passes the independent checker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from models import load_scenario
from solver.explain import Explainer, PlanInput, catalogue, read_plan
from solver.explain.catalogue import PARTS
from solver.explain.messages import CATALOGUE, Renderer, note, placeholders
from solver.explain.suggestions import SuggestOptions, suggest
from solver.output import write_plan

QUICK = SuggestOptions(max_variants=6, time_limit=5, workers=1)


def needs(course: str, **fields: object) -> dict[str, object]:
    """A requirement (everyone, whole horizon) of one completion of ``course``."""
    return {"id": f"need_{course}", "courses": [course], **fields}


@pytest.fixture
def branch_raw(scenario_dict):
    """Four members of one branch with Chinese names; rotation (labelled) and e-learning.

    OPS may send one person a day, so of the three OPS members only one can take the
    single rotation session; 王芳 is on leave when it runs. Everyone needs rotation and
    16 class hours.
    """
    return scenario_dict(
        members=[
            {"id": "E01", "name": "张伟", "team": "DESK"},
            {
                "id": "E02",
                "name": "王芳",
                "team": "OPS",
                "unavailable": ["2026-04-01/2026-04-30"],
            },
            {"id": "E03", "name": "李强", "team": "OPS"},
            {"id": "E04", "name": "刘洋", "team": "OPS"},
        ],
        courses=[
            {"id": "rotation", "label": "党员集中轮训班", "hours": 16},
            {"id": "elearn", "label": "远程教育", "away": False, "repeatable": True},
        ],
        sessions=[
            {"id": "ROT-04", "course": "rotation", "start": "2026-04-13", "end": "2026-04-14"},
            {"id": "EL-05", "course": "elearn", "start": "2026-05-15"},
            {"id": "EL-08", "course": "elearn", "start": "2026-08-14"},
        ],
        team_limits=[{"teams": ["OPS"], "max_away": 1}],
        requirements=[
            needs("rotation", weight=10, label="五年内全员轮训"),
            {"id": "hours", "min_hours": 16},
        ],
    )


@pytest.fixture
def branch(branch_raw):
    return load_scenario(branch_raw)


@pytest.fixture
def branch_plan(branch, solve_checked):
    # Optimum: E01 and one of E03/E04 rotate (16 h each); the two others take both
    # e-learning sessions (16 h). Unmet: 2 rotations x weight 10 = 20.
    plan = solve_checked(branch)
    assert plan.objective["unmet"] == 20
    return PlanInput(plan.pairs, plan.status.value)


def test_member_from_the_data_alone(branch):
    lines = list(Explainer(branch).member_lines("E02"))
    text = "\n".join(lines)
    assert lines[0].startswith("Member E02: tier grassroots")
    assert "Team OPS: 3 members, at most 1 away a day" in text
    assert "  window 2026-01-01/2026-12-31: 0 of 1 from history; 0 session(s) could serve it" in (
        text
    )
    assert (
        "    ROT-04 2026-04-13/2026-04-14: closed: during the member's leave 2026-04-01/2026-04-30"
        in lines
    )
    assert "    EL-05 2026-05-15: open" in lines


def test_member_with_a_plan_says_chosen_and_blocked(branch, branch_plan):
    rotated = next(m for m, s in branch_plan.pairs if s == "ROT-04" and m in ("E03", "E04"))
    left_out = "E04" if rotated == "E03" else "E03"
    lines = list(Explainer(branch, branch_plan).member_lines(left_out))
    assert "  window 2026-01-01/2026-12-31: short by 1: the team's away cap binds [team_cap]" in (
        lines
    )
    assert (
        f"    ROT-04 2026-04-13/2026-04-14: blocked: team OPS may have 1 away on 2026-04-13 "
        f"and already has 1 ({rotated} in ROT-04)"
    ) in lines
    assert "    EL-05 2026-05-15: chosen" in lines
    rotated_lines = list(Explainer(branch, branch_plan).member_lines(rotated))
    assert "    ROT-04 2026-04-13/2026-04-14: chosen (also counts for hours)" in rotated_lines
    assert "    EL-05 2026-05-15: open, not needed" in rotated_lines


def test_member_in_chinese_uses_names_and_labels(branch, branch_plan):
    text = "\n".join(Explainer(branch, branch_plan, "zh").member_lines("E02"))
    assert "党员王芳（E02）：层级grassroots" in text
    assert "要求五年内全员轮训（完成党员集中轮训班共1次，权重10）" in text
    assert "ROT-04 2026-04-13/2026-04-14：不开放：在该党员的请假期间2026-04-01/2026-04-30内" in text
    assert "EL-05 2026-05-15：已安排" in text
    assert "Requirement" not in text and "window" not in text


def test_requirement_with_a_plan_groups_the_unmet_by_cause(branch, branch_plan):
    explainer = Explainer(branch, branch_plan)
    causes = sorted((f.member_id, f.cause) for f in explainer.requirement_findings("need_rotation"))
    left_out = next(m for m, c in causes if c == "team_cap")
    assert causes == sorted([("E02", "ineligible"), (left_out, "team_cap")])
    lines = list(explainer.requirement_lines("need_rotation"))
    assert lines[0] == "Requirement need_rotation (1 of rotation, weight 10)"
    assert "  applies to 4 member(s) in 4 window(s)" in lines
    assert "  plan: 2 window(s) met, 2 unmet (shortfall 2, weighted 20)" in lines
    assert (
        f"  the team's away cap binds [team_cap]: 1 window(s): {left_out}" in lines
        and "  every session is closed to the member [ineligible]: 1 window(s): E02" in lines
    )


def test_requirement_in_chinese(branch, branch_plan):
    text = "\n".join(Explainer(branch, branch_plan, "zh").requirement_lines("need_rotation"))
    assert "要求五年内全员轮训" in text
    assert "计划：2个窗口已满足，2个未满足（差额2，加权20）" in text
    assert "所有班次都不对其开放 [ineligible]：1个窗口：王芳（E02）" in text


def test_requirement_from_the_data_alone_groups_by_reason(scenario_dict):
    scenario = load_scenario(
        scenario_dict(
            members=[
                "A",
                {"id": "B", "unavailable": ["2026-03-01/2026-03-31"]},
                {"id": "C", "joined": "2026-09-01"},
                {"id": "D", "unavailable": ["2026-03-01/2026-03-31"]},
            ],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-03-02"}],
            requirements=[needs("c", window={"joining_days": 60})],
        )
    )
    # Only C has joined; its window (Sept-Oct) holds no session. The others have no window.
    groups = Explainer(scenario).data_groups("need_c")
    assert [(g.key, [m for m, _ in g.windows]) for g in groups] == [("no_session", ["C"])]
    scenario = load_scenario(
        scenario_dict(
            members=["A", {"id": "B", "unavailable": ["2026-03-01/2026-03-31"]}],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-03-02"}],
            requirements=[needs("c")],
        )
    )
    lines = list(Explainer(scenario).requirement_lines("need_c"))
    assert "  from the data alone (no plan): 1 window(s) cannot be met by any plan" in lines
    assert "  every session is closed to them: during leave: 1 window(s): B" in lines


def test_requirement_from_the_data_alone_finds_too_little_on_offer(scenario_dict):
    scenario = load_scenario(
        scenario_dict(
            members=["A", {"id": "B", "unavailable": ["2026-09-01/2026-09-30"]}],
            courses=[{"id": "elearn", "repeatable": True}, {"id": "rotation", "hours": 24}],
            sessions=[
                {"id": "EL-1", "course": "elearn", "start": "2026-05-15"},
                {"id": "EL-2", "course": "elearn", "start": "2026-09-15"},
                {"id": "ROT-1", "course": "rotation", "start": "2026-04-13"},
                {"id": "ROT-2", "course": "rotation", "start": "2026-10-12"},
            ],
            requirements=[{"id": "hours", "min_hours": 40}],
        )
    )
    # On offer to A: 8 + 8 + one rotation (24, not repeatable) = 40. B's leave takes EL-2
    # away: 32 at most, short of 40 whatever the plan.
    groups = Explainer(scenario).data_groups("hours")
    assert [(g.key, [m for m, _ in g.windows]) for g in groups] == [("short_offer", ["B"])]
    lines = list(Explainer(scenario, lang="zh").requirement_lines("hours"))
    assert "  可参加的班次全部参加也不够：1个窗口：B" in lines


def test_unknown_member_or_requirement_is_an_explain_error(branch):
    from solver.explain import ExplainError

    with pytest.raises(ExplainError, match="unknown member E99"):
        list(Explainer(branch).member_lines("E99"))
    with pytest.raises(ExplainError, match="unknown requirement nope"):
        list(Explainer(branch).requirement_lines("nope"))


# -- suggestions ------------------------------------------------------------------------


def _caps_scenario(scenario_dict):
    # BIG (3 days, weight 5) uses the whole yearly cap of 3 days: SMALL (2 days) stays unmet.
    return load_scenario(
        scenario_dict(
            members=["A"],
            courses=["big", "small"],
            sessions=[
                {"id": "BIG", "course": "big", "start": "2026-06-01", "end": "2026-06-03"},
                {"id": "SMALL", "course": "small", "start": "2026-06-22", "end": "2026-06-23"},
            ],
            requirements=[needs("big", weight=5), needs("small")],
            limits=[{"max_days_per_year": 3}],
        )
    )


def _full_scenario(scenario_dict):
    # One seat for two members who need it.
    return load_scenario(
        scenario_dict(
            members=["A", "B"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-06-01", "capacity": 1}],
            requirements=[needs("c")],
        )
    )


def _team_scenario(scenario_dict):
    # Team T07 may send one a day; A and B both need the one session.
    return load_scenario(
        scenario_dict(
            members=[{"id": "A", "team": "T07"}, {"id": "B", "team": "T07"}],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-05-12"}],
            team_limits=[{"teams": ["T07"], "max_away": 1}],
            requirements=[needs("c")],
        )
    )


def _gap_scenario(scenario_dict):
    # A must do c in June; the only session is in March.
    return load_scenario(
        scenario_dict(
            members=["A"],
            courses=["c"],
            sessions=[{"id": "S1", "course": "c", "start": "2026-03-02"}],
            requirements=[needs("c", window={"from": "2026-06-01", "to": "2026-06-30"})],
        )
    )


@pytest.mark.parametrize(
    ("build", "cause", "words"),
    [
        (_full_scenario, "full", "1 more seat(s) in S1 (1 -> 2)"),
        (_caps_scenario, "member_caps", "raise max_days_per_year of limits entry 1 from 3 to 5"),
        (_team_scenario, "team_cap", "raise team T07's away cap from 1 to 2"),
        (
            _gap_scenario,
            "no_session",
            "one more session of c on 2026-06-01 (copy of S1, 10 seats)",
        ),
    ],
)
def test_suggested_change_serves_the_members_it_promises(
    scenario_dict, solve_checked, build, cause, words
):
    from solver.explain.messages import Renderer

    scenario = build(scenario_dict)
    plan = solve_checked(scenario)
    [group] = suggest(scenario, plan.pairs, QUICK)
    assert group.cause == cause
    best = group.best
    assert best is not None and Renderer(scenario)(best.change.note) == words
    assert len(best.served) == 1
    # Applied to the scenario and solved on its own, the change serves them.
    variant = best.change.apply(scenario)
    after = solve_checked(variant)
    left = {(u.member_id, u.requirement_id, u.window_start) for u in after.unmet}
    assert not left.intersection(best.served)
    assert after.objective["unmet"] < plan.objective["unmet"]
    # The scenario itself is unchanged.
    assert solve_checked(scenario).objective["unmet"] == plan.objective["unmet"]


def test_suggestions_respect_the_variant_budget(branch, branch_plan):
    groups = suggest(branch, branch_plan.pairs, SuggestOptions(max_variants=1, time_limit=5))
    solved = {repr(t.change.note) for g in groups for t in g.trials}
    assert len(solved) == 1
    untried = [g for g in groups if len(g.trials) < len(g.changes)]
    assert untried


# -- command line --------------------------------------------------------------------------


@pytest.fixture
def branch_files(tmp_path, branch_raw, solve_checked):
    """The branch scenario as a YAML file and its solved plan folder."""
    import yaml

    scenario_file = tmp_path / "scenario.yaml"
    scenario_file.write_text(yaml.safe_dump(branch_raw, allow_unicode=True), encoding="utf-8")
    loaded = load_scenario(scenario_file)
    write_plan(solve_checked(loaded), tmp_path / "plan")
    return scenario_file, tmp_path / "plan"


def test_explain_command(branch_files):
    scenario_file, plan_dir = branch_files
    runner = CliRunner()
    result = runner.invoke(main, ["explain", str(scenario_file), "--member", "E02"])
    assert result.exit_code == 0, result.output
    assert "closed: during the member's leave" in result.output
    result = runner.invoke(
        main,
        ["explain", str(scenario_file), "--requirement", "need_rotation", "--plan", str(plan_dir)],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Plan ")
    assert "status OPTIMAL" in result.output
    assert "[team_cap]: 1 window(s)" in result.output
    zh = runner.invoke(main, ["explain", str(scenario_file), "--member", "E03", "--lang", "zh"])
    assert zh.exit_code == 0 and "党员李强（E03）" in zh.output
    assert read_plan(plan_dir).status == "OPTIMAL"


def test_explain_command_suggests(branch_files):
    scenario_file, plan_dir = branch_files
    result = CliRunner().invoke(
        main,
        [
            "explain",
            str(scenario_file),
            "--requirement",
            "need_rotation",
            "--plan",
            str(plan_dir),
            "--suggest",
            "--max-variants",
            "2",
            "--variant-time",
            "5",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "Suggestions (each change solved as a what-if that starts from the plan, up to 5 s each):"
        in result.output
    )
    # Two groups of one window each: E02 (on leave when ROT-04 runs) and the OPS member
    # the team cap leaves out. A second rotation session in January serves both; the
    # raised team cap serves only the second. Two variants cover all three trials.
    assert "  need_rotation [ineligible]: 1 window(s) of E02" in result.output
    assert "  need_rotation [team_cap]: 1 window(s) of" in result.output
    assert "raise team OPS's away cap from 1 to 2: serves 1 of 1" in result.output
    assert (
        "one more session of rotation on 2026-01-05/2026-01-06 (copy of ROT-04, 10 seats): "
        "serves 1 of 1"
    ) in result.output
    assert "not tried" not in result.output


def test_explain_command_bad_input(branch_files):
    scenario_file, _ = branch_files
    runner = CliRunner()
    unknown = runner.invoke(main, ["explain", str(scenario_file), "--member", "E99"])
    assert unknown.exit_code == 2 and "unknown member E99" in unknown.output
    assert "Traceback" not in unknown.output
    no_plan = runner.invoke(main, ["explain", str(scenario_file), "--suggest"])
    assert no_plan.exit_code == 2 and "--suggest needs --plan" in no_plan.output


# -- the catalogue ---------------------------------------------------------------------------


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, (english, chinese) in CATALOGUE.items():
        assert english and chinese, key
        assert placeholders(english) == placeholders(chinese), key


def test_every_catalogue_file_is_read_and_no_message_id_repeats():
    folder = Path(catalogue.__file__).parent
    assert sorted(PARTS) == sorted(path.stem for path in folder.glob("*.toml"))
    ids = [key for part in PARTS for key in catalogue.read_part(part)]
    assert len(ids) == len(set(ids)) == len(CATALOGUE)


def test_the_conflict_messages_render_in_both_languages_with_every_placeholder():
    # Each sentence the conflict search can build is tried by the conflict tests, scenario by
    # scenario; here every conflict message is rendered once with dummy values.
    conflict_ids = [key for key in CATALOGUE if key.startswith("conflict.")]
    assert len(conflict_ids) > 50
    for key in conflict_ids:
        names = placeholders(CATALOGUE[key][0])
        values = {name: f"<{name}>" for name in names}
        for lang in ("en", "zh"):
            text = Renderer(None, lang)(note(key, **values))
            assert all(value in text for value in values.values()), (key, lang)
            assert "{" not in text.replace("{<who>}", ""), (key, lang)
