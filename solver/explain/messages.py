"""The message catalogue of reasons and explanations, in English and Chinese.

Reasons are built as ``Note`` values (a message id and its parameters) and rendered only
at the end, so the same finding prints in either language. Parameters that name scenario
objects are ``Ref`` values: English prints their ids, Chinese prints the scenario's labels
(course label, member name, requirement label) where they exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from string import Formatter
from typing import TYPE_CHECKING, Any

from models.dates import DateRange

from .labels import REPORT_LABELS

if TYPE_CHECKING:
    from models import Scenario

LANGUAGES = ("en", "zh")

# Message id -> (English, Chinese). Placeholders are the same in both.
CATALOGUE: dict[str, tuple[str, str]] = {
    # -- why a member may not attend a session (closures) --------------------------
    "closed.course_audience": (
        "not in the audience of course {course} ({who})",
        "不在课程{course}的参训对象内（{who}）",
    ),
    "closed.session_audience": (
        "not in the audience of session {session} ({who})",
        "不在班次{session}的参训对象内（{who}）",
    ),
    "closed.presence": (
        "outside the member's presence ({presence})",
        "不在该党员的在岗期间内（{presence}）",
    ),
    "closed.absent": (
        "the member is not present in the horizon",
        "该党员在规划期内不在岗",
    ),
    "closed.unavailable": (
        "during the member's leave {leave}",
        "在该党员的请假期间{leave}内",
    ),
    "closed.blackout": (
        "in team {team}'s blackout {blackout}",
        "在班组{team}的禁训期{blackout}内",
    ),
    "closed.history": (
        "non-repeatable course {course} already completed on {date} (history)",
        "不可重复课程{course}已于{date}完成（历史记录）",
    ),
    # -- why the plan cannot add an eligible member to a session (blockers) --------
    "block.full": (
        "{session} is full ({size} of {capacity})",
        "{session}已满（{size}/{capacity}人）",
    ),
    "block.seats": (
        "{session} has {free} free seat(s) but {members} need {need}",
        "{session}只剩{free}个座位，{members}需要{need}个",
    ),
    "block.cap": (
        "{session} would exceed {cap_name} {cap} in {period} ({used} used by {sessions})",
        "{session}会超出{period}的{cap_name}{cap}（已用{used}：{sessions}）",
    ),
    "block.cap_unused": (
        "{session} alone exceeds {cap_name} {cap} in {period} (it needs {need})",
        "{session}本身就超出{period}的{cap_name}{cap}（需要{need}）",
    ),
    "block.overlap": ("{session} shares days with {other}", "{session}与{other}日期重叠"),
    "block.min_gap": (
        "{session} leaves {free} free day(s) to {other}, fewer than min_gap_days {gap}",
        "{session}与{other}之间只隔{free}天，少于最小间隔{gap}天",
    ),
    "block.team_cap": (
        "team {team} may have {cap} away on {day} and already has {used} ({who})",
        "班组{team}在{day}最多{cap}人离岗，已有{used}人（{who}）",
    ),
    "block.team_cap_group": (
        "team {team} may have {cap} away on {day}, has {used} ({who}) and {members} would add {add}",
        "班组{team}在{day}最多{cap}人离岗，已有{used}人（{who}），{members}还会增加{add}人",
    ),
    "block.together": (
        "partner {partner} cannot attend {session}: {why}",
        "结对成员{partner}不能参加{session}：{why}",
    ),
    "block.mix_min": (
        "{session} would have {share} of {size} attendees matching {who}, below min_share {limit}",
        "{session}将有{size}人中{share}人符合{who}，低于最低比例{limit}",
    ),
    "block.mix_max": (
        "{session} would have {share} of {size} attendees matching {who}, above max_share {limit}",
        "{session}将有{size}人中{share}人符合{who}，高于最高比例{limit}",
    ),
    "block.min_size": (
        "{session} does not run: it needs {min_size} attendees and only {joinable} could join",
        "{session}未开班：至少需要{min_size}人，只有{joinable}人能参加",
    ),
    "block.repeat": (
        "{member} already attends {other} of non-repeatable course {course}",
        "{member}已参加不可重复课程{course}的{other}",
    ),
    "away.who": ("{member} in {session}", "{member}参加{session}"),
    "cap.max_days_per_year": ("max_days_per_year", "每年离岗天数上限"),
    "cap.max_days_per_month": ("max_days_per_month", "每月离岗天数上限"),
    "cap.max_hours_per_year": ("max_hours_per_year", "每年学时上限"),
    "cap.max_sessions_per_year": ("max_sessions_per_year", "每年参训次数上限"),
    "cap.min_gap_days": ("min_gap_days", "两次脱产培训最小间隔天数"),
    "cap.value": ("{cap_name} {value}", "{cap_name}{value}"),
    # -- why a requirement window stays short ---------------------------------------
    "window.no_session": (
        "no session of {courses} starts in {window}",
        "{window}内没有{courses}的班次开班",
    ),
    "window.no_session_hours": (
        "no session that counts toward class hours starts in {window}",
        "{window}内没有可计学时的班次开班",
    ),
    "window.all_attended": (
        "{member} attends every session of {courses} in {window} ({done} of {needed})",
        "{member}已参加{window}内{courses}的全部班次（完成{done}/{needed}）",
    ),
    "window.ineligible": (
        "all {count} session(s) of {courses} in {window} are closed to {member}: {parts}",
        "{window}内{courses}的{count}个班次都不对{member}开放：{parts}",
    ),
    "window.blocked": (
        "{count} session(s) of {courses} in {window} are open to {member} but the plan cannot add them: {details}",
        "{window}内{courses}的{count}个班次对{member}开放，但计划无法安排：{details}",
    ),
    "window.open": (
        "{session} is open to {member} and adding it breaks no rule: {why}",
        "{session}对{member}开放且安排它不违反任何规则：{why}",
    ),
    "window.open_crowd": (
        "{session} does not run yet, but {member} and {count} others free to join (such as {who}) can run it without breaking a rule: {why}",
        "{session}尚未开班，但{member}与{count}名可参加的人员（如{who}）即可开班且不违反任何规则：{why}",
    ),
    "cut.reason": ("{reason}; {cut}", "{reason}；{cut}"),
    "cut.window": (
        "the window is shorter than {span}: {cuts}",
        "窗口短于{span}：{cuts}",
    ),
    "cut.joins": (
        "it starts on {date}, when {member} joins",
        "从{date}开始，即{member}入党、到岗之日",
    ),
    "cut.arrives": (
        "it starts on {date}, when {member}'s presence begins (available_from)",
        "从{date}开始，即{member}开始在岗之日（available_from）",
    ),
    "cut.leaves": (
        "it ends on {date}, when {member} leaves (available_until)",
        "到{date}结束，即{member}离岗之日（available_until）",
    ),
    "window.hours": (
        "{planned} of {needed} class hours planned in {window}; {then}",
        "{window}内已安排{planned}/{needed}学时；{then}",
    ),
    "hours.all_attended": (
        "{member} attends every session that counts",
        "{member}已参加全部可计学时的班次",
    ),
    "hours.ineligible": (
        "the other {count} session(s) that count are closed to {member}: {parts}",
        "其余{count}个可计学时的班次不对{member}开放：{parts}",
    ),
    "hours.blocked": (
        "{count} session(s) could add hours but are blocked: {details}",
        "{count}个班次可增加学时但被阻挡：{details}",
    ),
    "window.also_closed": ("{count} more closed: {parts}", "另有{count}个不开放：{parts}"),
    "window.more": ("and {count} more ({causes})", "另有{count}个（{causes}）"),
    "part.count": ("{count} {why}", "{count}个{why}"),
    "part.count_eg": ("{count} {name} (e.g. {why})", "{count}个{name}（如{why}）"),
    "part.session": ("{session}: {why}", "{session}：{why}"),
    "why.objective_order": (
        "the objective ranks {terms} above unmet",
        "目标把{terms}排在未满足之前",
    ),
    "why.no_unmet_term": ("the objective does not include unmet", "目标中没有未满足这一项"),
    "why.not_proven": (
        "the plan is not optimal for unmet: the solve stopped before it was proven optimal",
        "计划对未满足项不是最优：求解在证明最优之前就停止了",
    ),
    "why.not_optimal": (
        "the plan is not optimal for unmet (the solve stopped early, or the plan was edited by hand)",
        "计划对未满足项不是最优（求解提前停止，或计划被手工修改过）",
    ),
    # -- cause names, for grouping ----------------------------------------------------
    "cause.no_session": ("no session in the window", "窗口内没有班次"),
    "cause.ineligible": ("every session is closed to the member", "所有班次都不对其开放"),
    "cause.full": ("sessions are full", "班次已满"),
    "cause.member_caps": ("the member's own limits are used", "本人的离岗或学时上限已用完"),
    "cause.overlap": ("overlaps the member's other sessions", "与本人其他班次重叠"),
    "cause.min_gap": ("too close to the member's other sessions", "与本人其他班次间隔太近"),
    "cause.team_cap": ("the team's away cap binds", "班组离岗人数上限已满"),
    "cause.together": ("the together partner cannot attend", "结对成员不能参加"),
    "cause.mix": ("the session's mix share", "班次人员结构比例"),
    "cause.min_size": ("the session does not run", "班次人数不足未开班"),
    "cause.repeat": ("already attends the non-repeatable course", "已参加该不可重复课程"),
    "cause.open": ("open, not proven optimal", "仍可安排（未证明最优）"),
    "closure.audience": ("outside the audience", "不在参训对象内"),
    "closure.presence": ("outside presence", "不在岗期间"),
    "closure.unavailable": ("during leave", "在请假期间"),
    "closure.blackout": ("in a team blackout", "在班组禁训期"),
    "closure.history": ("done in history", "历史已完成"),
    # -- explain: members -------------------------------------------------------------
    "member.header": (
        "Member {member}: tier {tier}, category {category}, unit {unit}, team {team}; present {presence}",
        "党员{member}：层级{tier}，类别{category}，单位{unit}，班组{team}；在岗{presence}",
    ),
    "member.absent": (
        "Member {member} is not present in the horizon: no requirement applies",
        "党员{member}在规划期内不在岗：没有适用的要求",
    ),
    "member.limits": ("Limits: {limits}", "上限：{limits}"),
    "member.no_limits": ("Limits: none", "上限：无"),
    "member.team": (
        "Team {team}: {size} members, at most {cap} away a day{blackout}",
        "班组{team}：{size}人，每天最多{cap}人离岗{blackout}",
    ),
    "member.team_uncapped": (
        "Team {team}: {size} members, no daily away cap{blackout}",
        "班组{team}：{size}人，无每日离岗上限{blackout}",
    ),
    "member.blackout": ("; blackout {ranges}", "；禁训期{ranges}"),
    "member.year_load": (
        "Plan {year}: {sessions} session(s), {days} day(s) away, {hours} class hours",
        "{year}年计划：{sessions}个班次，离岗{days}天，{hours}学时",
    ),
    "member.no_requirement": ("No requirement applies to {member}.", "没有适用于{member}的要求。"),
    "member.history": ("History: {rows}", "历史记录：{rows}"),
    "requirement.courses": (
        "Requirement {requirement} ({count} of {courses}, weight {weight})",
        "要求{requirement}（完成{courses}共{count}次，权重{weight}）",
    ),
    "requirement.hours": (
        "Requirement {requirement} ({hours} class hours{courses}, weight {weight})",
        "要求{requirement}（{hours}学时{courses}，权重{weight}）",
    ),
    "requirement.hours_courses": (" from {courses}", "，计入{courses}"),
    "window.line": ("  window {window}: {state}", "  窗口{window}：{state}"),
    "state.met": ("met ({done} of {needed})", "已满足（{done}/{needed}）"),
    "state.short": (
        "short by {shortfall}: {cause_name} [{cause}]",
        "差{shortfall}：{cause_name} [{cause}]",
    ),
    "state.data_only": (
        "{done} of {needed} from history; {open} session(s) could serve it",
        "历史已完成{done}/{needed}；{open}个班次可安排",
    ),
    "window.reason": ("    reason: {reason}", "    原因：{reason}"),
    "session.line": ("    {session} {dates}: {state}", "    {session} {dates}：{state}"),
    "session.chosen": ("chosen{also}", "已安排{also}"),
    "session.chosen_also": (" (also counts for {requirements})", "（同时计入{requirements}）"),
    "session.history": ("completed {date} (history)", "已于{date}完成（历史记录）"),
    "session.open": ("open", "可参加"),
    "session.open_crowd": (
        "open; it runs once {count} more join (such as {who})",
        "可参加；再有{count}人参加即可开班（如{who}）",
    ),
    "session.open_unneeded": ("open, not needed", "可参加，无需安排"),
    "session.closed": ("closed: {why}", "不开放：{why}"),
    "session.blocked": ("blocked: {why}", "被阻挡：{why}"),
    "session.closed_group": (
        "    {count} session(s) closed, {closure} (e.g. {example}): {sessions}",
        "    {count}个班次不开放，{closure}（如{example}）：{sessions}",
    ),
    "session.blocked_group": (
        "    {count} session(s) not needed and blocked [{cause}], e.g. {example}: {sessions}",
        "    {count}个班次无需安排且被阻挡 [{cause}]，如{example}：{sessions}",
    ),
    "session.none": (
        "    no session of these courses starts in the window",
        "    窗口内没有这些课程的班次",
    ),
    # -- explain: requirements ----------------------------------------------------------
    "req.reach": (
        "applies to {members} member(s) in {windows} window(s)",
        "适用于{members}名党员的{windows}个窗口",
    ),
    "req.plan": (
        "plan: {met} window(s) met, {unmet} unmet (shortfall {shortfall}, weighted {weighted})",
        "计划：{met}个窗口已满足，{unmet}个未满足（差额{shortfall}，加权{weighted}）",
    ),
    "req.group": (
        "  {cause} [{code}]: {count} window(s): {members}",
        "  {cause} [{code}]：{count}个窗口：{members}",
    ),
    "req.example": ("    e.g. {member} {window}: {reason}", "    例如{member} {window}：{reason}"),
    "req.data_header": (
        "from the data alone (no plan): {count} window(s) cannot be met by any plan",
        "仅按数据（无计划）：{count}个窗口无论怎样安排都无法满足",
    ),
    "req.data_ok": (
        "from the data alone (no plan): every window has enough open sessions to be met",
        "仅按数据（无计划）：每个窗口都有足够的可参加班次",
    ),
    "req.no_session": ("no session in the window", "窗口内没有班次"),
    "req.short_offer": (
        "the open sessions fall short even if all are taken",
        "可参加的班次全部参加也不够",
    ),
    "req.closed_by": (
        "every session is closed to them: {closure}",
        "所有班次都不对其开放：{closure}",
    ),
    "req.data_group": (
        "  {cause}: {count} window(s): {members}",
        "  {cause}：{count}个窗口：{members}",
    ),
    "req.unknown_member": ("unknown member {member}", "未知党员{member}"),
    "req.unknown_requirement": ("unknown requirement {requirement}", "未知要求{requirement}"),
    "plan.status": ("Plan {plan}: status {status}", "计划{plan}：状态{status}"),
    "plan.violations": (
        "warning: the plan breaks {count} rule(s); run rotaplan check",
        "警告：该计划违反{count}条规则；请运行 rotaplan check",
    ),
    "list.more": ("{shown} and {count} more", "{shown}等，另有{count}个"),
    # -- progress while a solve runs ----------------------------------------------------
    "progress.stage": (
        "stage {index}/{count}: minimising {term} (up to {budget}s)",
        "第{index}/{count}阶段：最小化{term}（最多{budget}秒）",
    ),
    "progress.improved": (
        "  {term} = {value}, bound {bound}, gap {gap}",
        "  {term} = {value}，下界{bound}，差距{gap}",
    ),
    "progress.finished": (
        "  {term}: {status} {value} (bound {bound}) in {seconds}s",
        "  {term}：{status} {value}（下界{bound}），用时{seconds}秒",
    ),
    "progress.none": ("none", "无"),
    "progress.none_yet": ("none yet", "暂无"),
    "progress.live_stage": ("stage {index}/{count} {term}", "第{index}/{count}阶段 {term}"),
    "progress.searching": (
        "{stage}: searching (up to {budget}s)",
        "{stage}：搜索中（最多{budget}秒）",
    ),
    "progress.live": (
        "{stage}: best {value}  bound {bound}  gap {gap}  stage {elapsed}s  total {total}s",
        "{stage}：当前{value}  下界{bound}  差距{gap}  本阶段{elapsed}秒  共{total}秒",
    ),
    # -- the closing lines of solve and replan -------------------------------------------
    "term.unmet": ("unmet", "未满足"),
    "term.changes": ("changes", "变动"),
    "term.imbalance": ("imbalance", "不均衡"),
    "term.attendances": ("attendances", "参训人次"),
    "term.cost": ("cost", "费用"),
    "term.avoid": ("avoid", "避开日期参训"),
    "close.status": ("status {status}: {terms}", "状态 {status}：{terms}"),
    "close.status_only": ("status {status}", "状态 {status}"),
    "close.term": ("{term} {value}", "{term} {value}"),
    "close.proven": (
        "  {term} {value}: proven optimal{stage}",
        "  {term} {value}：已证明最优{stage}",
    ),
    "close.proven_given": (
        "  {term} {value}: proven optimal with the terms before it held where they are{stage}",
        "  {term} {value}：在前面各项保持现值的前提下已证明最优{stage}",
    ),
    "close.gap": (
        "  {term} {value}: not proven optimal; no plan goes below {bound}, so it is at most {gap} above the best{stage}",
        "  {term} {value}：未证明最优；任何计划都不低于{bound}，最多比最优高{gap}{stage}",
    ),
    "close.no_bound": (
        "  {term} {value}: not proven optimal; no bound above 0 is proven{stage}",
        "  {term} {value}：未证明最优；尚未证明大于0的下界{stage}",
    ),
    "close.least": ("  {term} {value}: the least possible", "  {term} {value}：已是最小可能值"),
    "close.fixed": (
        "  {term} {value}: the same in every plan",
        "  {term} {value}：任何计划都相同",
    ),
    "close.not_optimised": (
        "  {term} {value}: not optimised: the solve ended before its stage",
        "  {term} {value}：未优化：求解在该项的阶段之前结束",
    ),
    "close.stage_value": (
        " ({stage} when its stage ended; later stages lowered it, holding it never higher)",
        "（该项阶段结束时为{stage}；之后各阶段在不升高它的前提下又降低了它）",
    ),
    "close.interrupted": (
        "interrupted: the plan is the best found before the stop",
        "已中断：计划是停止前找到的最好方案",
    ),
    "close.conflict": ("conflict: {reason}", "冲突：{reason}"),
    "close.infeasible": ("no plan: the rules conflict", "无计划：规则相互冲突"),
    "close.no_plan": ("no plan found in time", "规定时间内未找到计划"),
    "close.unmet": (
        "{count} requirement windows unmet: {causes}",
        "{count}个要求窗口未满足：{causes}",
    ),
    "close.cause": ("{cause} {count}", "{cause}（{count}个）"),
    "close.surplus": (
        "surplus {count}: attendances no requirement or rule needs",
        "多余参训{count}人次：不为任何要求或规则所需",
    ),
    "status.OPTIMAL": ("OPTIMAL", "最优（OPTIMAL）"),
    "status.FEASIBLE": ("FEASIBLE", "可行（FEASIBLE）"),
    "status.INFEASIBLE": ("INFEASIBLE", "无解（INFEASIBLE）"),
    "status.UNKNOWN": ("UNKNOWN", "未知（UNKNOWN）"),
    "close.written": (
        "plan written to {path} in {seconds}s",
        "计划已写入{path}，用时{seconds}秒",
    ),
    "close.timetables": (
        "{count} timetable file(s) and folder(s) written to {path}",
        "{count}个时间表文件或文件夹已写入{path}",
    ),
    # -- timetable workbooks: sheet names, titles, column headers and cell words ------
    "sheet.calendar": ("Calendar", "日历"),
    "sheet.coverage": ("Coverage", "完成情况"),
    "sheet.unit": ("Unit {unit}", "单位{unit}"),
    "sheet.unit_named": ("{unit} {name}", "{unit} {name}"),
    "title.unit": (
        "Unit {unit}: {count} assignment(s) in {year}",
        "{unit}：{year}年共{count}人次",
    ),
    "cell.runs": ("runs", "开班"),
    "cell.cancelled": ("cancelled", "取消"),
    "cell.yes": ("yes", "是"),
    "cell.no": ("no", "否"),
    "column.month": ("Month", "月份"),
    "column.session_id": ("Session", "班次编号"),
    "column.course": ("Course", "课程"),
    "column.course_label": ("Course name", "课程名称"),
    "column.start": ("Start", "开始日期"),
    "column.end": ("End", "结束日期"),
    "column.days": ("Days", "天数"),
    "column.hours": ("Class hours", "学时"),
    "column.location": ("Location", "地点"),
    "column.attendees": ("Attendees", "参训人数"),
    "column.unit_attendees": ("Attendees of the unit", "本单位参训人数"),
    "column.capacity": ("Seats", "座位数"),
    "column.status": ("Status", "状态"),
    "column.away": ("Away from work", "是否脱产"),
    "column.roster": ("Roster", "名单"),
    "column.member_id": ("Member", "党员编号"),
    "column.member_name": ("Name", "姓名"),
    "column.unit": ("Unit", "单位"),
    "column.unit_name": ("Unit name", "单位名称"),
    "column.team": ("Team", "班组"),
    "column.team_name": ("Team name", "班组名称"),
    "column.tier": ("Tier", "层级"),
    "column.category": ("Category", "类别"),
    "column.requirement": ("Requirement", "要求"),
    "column.requirement_label": ("Requirement name", "要求名称"),
    "column.members": ("Members", "人数"),
    "column.due": ("Due this year", "本年应完成"),
    "column.planned": ("Planned this year", "本年已安排"),
    "column.still_due": ("Still due after the year", "年末仍未完成"),
    # -- suggestions --------------------------------------------------------------------
    "suggest.header": (
        "Suggestions (each change solved as a what-if that starts from the plan, up to {seconds} s each):",
        "建议（每项改动都从现有计划出发作为假设方案求解，每项最多{seconds}秒）：",
    ),
    "suggest.group": (
        "  {requirement} [{cause}]: {count} window(s) of {members}",
        "  {requirement} [{cause}]：{members}的{count}个窗口",
    ),
    "suggest.result": (
        "    - {change}: serves {served} of {count}{who}; unmet {before} -> {after}{open}",
        "    - {change}：可满足{count}个中的{served}个{who}；未满足 {before} -> {after}{open}",
    ),
    "suggest.not_proven": (
        " (not solved to a conclusion in {seconds} s: more time may serve more)",
        "（{seconds}秒内未求解到最优：更长时间可能满足更多）",
    ),
    "suggest.none_served": (
        "    {count} change(s) tried, none serves these windows{open}",
        "    已尝试{count}项改动，都不能满足这些窗口{open}",
    ),
    "suggest.none_open": (
        " (not every what-if was solved to a conclusion in {seconds} s)",
        "（并非每个假设方案都在{seconds}秒内求解到最优）",
    ),
    "suggest.none": (
        "    no change rotaplan tries fits this cause",
        "    没有适合这一原因的改动可试",
    ),
    "suggest.skipped": (
        "    {count} change(s) not tried: the limit of {limit} what-if variants is used",
        "    {count}项改动未尝试：假设方案数已达上限{limit}",
    ),
    "suggest.nothing": ("No unmet windows: nothing to suggest.", "没有未满足的窗口：无需建议。"),
    "suggest.best": ("    best: {change}", "    最佳：{change}"),
    "change.session": (
        "one more session of {course} on {dates} (copy of {template}, {capacity} seats)",
        "在{dates}增开一期{course}（复制{template}，{capacity}个座位）",
    ),
    "change.seats": (
        "{seats} more seat(s) in {session} ({before} -> {after})",
        "{session}增加{seats}个座位（{before} -> {after}）",
    ),
    "change.limit": (
        "raise {cap_name} of limits entry {entry} from {before} to {after}",
        "把上限第{entry}条的{cap_name}从{before}提高到{after}",
    ),
    "change.team_cap": (
        "raise team {team}'s away cap from {before} to {after}",
        "把班组{team}的离岗上限从{before}提高到{after}",
    ),
    "suggest.who": (" ({members})", "（{members}）"),
}

# The plan report's labels live in a module beside this one and belong to this catalogue.
CATALOGUE.update(REPORT_LABELS)

_SEPARATORS = {"en": ("; ", ", "), "zh": ("；", "、")}


@dataclass(frozen=True)
class Ref:
    """A scenario object named in a message: ``kind`` is member, course, session or requirement."""

    kind: str
    id: str


@dataclass
class Note:
    """A message id with its parameters; render it with a ``Renderer``."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Items:
    """A list parameter: ``major`` lists join with ``;``, the others with ``,``."""

    values: Sequence[Any]
    major: bool = False


def note(key: str, **params: Any) -> Note:
    """Build a note, checking the id so a typo fails where it is written."""
    if key not in CATALOGUE:
        raise KeyError(f"no message {key!r} in the catalogue")
    return Note(key, params)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class Renderer:
    """Turns notes into text in one language, naming scenario objects as that language wants."""

    def __init__(self, scenario: Scenario | None, lang: str = "en"):
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
        self.scenario = scenario
        self.lang = lang

    def __call__(self, value: Any) -> str:
        return self.text(value)

    def text(self, value: Any) -> str:
        """Render a note, reference, list, date or number."""
        if isinstance(value, Note):
            template = CATALOGUE[value.key][LANGUAGES.index(self.lang)]
            return template.format(**{k: self.text(v) for k, v in value.params.items()})
        if isinstance(value, Ref):
            return self.name(value)
        if isinstance(value, Items):
            major, minor = _SEPARATORS[self.lang]
            return (major if value.major else minor).join(self.text(v) for v in value.values)
        if isinstance(value, DateRange):
            return str(value)
        if isinstance(value, (list, tuple)):
            return _SEPARATORS[self.lang][1].join(self.text(v) for v in value)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:g}"
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def name(self, ref: Ref) -> str:
        """English prints ids; Chinese prints the scenario's label where there is one."""
        if self.lang == "en" or self.scenario is None:
            return ref.id
        label = self._label(ref)
        if not label or label == ref.id:
            return ref.id
        return f"{label}（{ref.id}）" if ref.kind == "member" else label

    def _label(self, ref: Ref) -> str | None:
        scenario = self.scenario
        assert scenario is not None
        if ref.kind == "member" and ref.id in scenario.member_by_id:
            return scenario.member_by_id[ref.id].name
        if ref.kind == "course" and ref.id in scenario.course_by_id:
            return scenario.course_by_id[ref.id].label
        if ref.kind == "requirement" and ref.id in scenario.requirement_by_id:
            return scenario.requirement_by_id[ref.id].label
        return None


def member(member_id: str) -> Ref:
    return Ref("member", member_id)


def course(course_id: str) -> Ref:
    return Ref("course", course_id)


def session(session_id: str) -> Ref:
    return Ref("session", session_id)


def requirement(requirement_id: str) -> Ref:
    return Ref("requirement", requirement_id)


def shortened(values: Sequence[Any], most: int = 5) -> Any:
    """At most ``most`` values, then how many more: keeps long member lists readable."""
    if len(values) <= most:
        return Items(list(values))
    return note("list.more", shown=Items(list(values[:most])), count=len(values) - most)
