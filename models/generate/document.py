"""``scenario.yaml``: the scenario document, its comments saying where each rule comes from."""

from __future__ import annotations

from typing import Any

from .company import Company
from .courses import courses
from .requirements import limits, requirements, team_limits
from .text import flow, span_text


def scenario_yaml(company: Company, title: str, members: int, years: int, seed: int) -> str:
    """The scenario document, with comments that say where each rule comes from."""
    start_year = company.horizon[0].year
    lines = [
        f"# {title}",
        f"# rotaplan generate OUT --members {members} --years {years} --seed {seed} "
        f"--start-year {start_year}{company.structure.flags()}",
        "# 单位、班组名称见 teams.csv（仅供查阅）；成员、场次、培训记录见同目录 CSV 文件。",
        *_region_comments(company),
        "version: 1",
        f"name: {flow(title)}",
        f"horizon: {{start: {company.horizon[0]}, end: {company.horizon[1]}}}",
        "# 春节、劳动节、国庆节不安排培训",
        "closed:",
        *(f"  - {span_text(span)}  # {label}" for span, label in company.closed),
        "members: members.csv",
        "sessions: sessions.csv",
        "history: history.csv",
        "courses:",
        *_items(courses()),
        "# 国家标准：党员每年集中学习培训不少于32学时，支部书记和委员不少于56学时；5年内全员轮训",
        "requirements:",
        *_items(requirements(years)),
        "# 工学矛盾与过度培训：每人每年、每月脱产天数上限，两次脱产培训至少间隔14天",
        "limits:",
        *_items(limits()),
        "team_limits:",
    ]
    for comment, entry in team_limits(company):
        lines.append(f"  # {comment}")
        lines.extend(_items([entry]))
    lines.append("# 传帮带：临近退休党员与新进毕业生、青年积极分子结对，同场参加")
    lines.append("together:" if company.pairs else "together: []")
    lines.extend(_items([{"course": "mentoring", "members": list(pair)} for pair in company.pairs]))
    lines.append("objective: [unmet, changes, imbalance, attendances, cost, avoid]")
    return "\n".join(lines) + "\n"


def _region_comments(company: Company) -> list[str]:
    """Which branches each region holds, for a province cut into regions."""
    if not company.split:
        return []
    lines = [
        f"# 全省分{len(company.regions)}个分公司（区域），各自为本区域党员办班，"
        "场次编号以区域开头（如 R01-ROT-）；网络大学远程课程全省统一。"
    ]
    for region in company.regions:
        first, last = region.units[0].id, region.units[-1].id
        lines.append(
            f"# {region.prefix.rstrip('-')} {region.company_name}：{first}-{last}，"
            f"{len(region.units)}个党支部，{len(region.people)}人"
        )
    return lines


def _items(entries: list[dict[str, Any]]) -> list[str]:
    """List items, one flow mapping a line, or a key a line when that would be too long."""
    lines = []
    for entry in entries:
        text = flow(entry)
        short_lists = all(len(v) <= 8 for v in entry.values() if isinstance(v, list))
        if len(text) <= 160 and short_lists:
            lines.append(f"  - {text}")
            continue
        for index, (key, value) in enumerate(entry.items()):
            lead = "  - " if index == 0 else "    "
            lines.extend(_wrapped(f"{lead}{key}: ", value))
    return lines


def _wrapped(lead: str, value: Any) -> list[str]:
    """``key: value`` in flow style, a long list of names wrapped over several lines."""
    line = lead + flow(value)
    if len(line) <= 100 or not isinstance(value, list):
        return [line]
    lines, current = [], lead + "["
    for index, item in enumerate(value):
        text = flow(item) + ("]" if index == len(value) - 1 else ",")
        if len(current) + len(text) > 100 and not current.endswith("["):
            lines.append(current.rstrip())
            # Flow content continues on lines indented deeper than the mapping's keys.
            current = " " * 6
        current += text + " "
    lines.append(current.rstrip())
    return lines
