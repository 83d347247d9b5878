"""The names of the company's bodies, teams, places and people, in Chinese."""

from __future__ import annotations

import random
from collections.abc import Sequence

from .text import numeral

# A body's teams as (name, kind), in the order a unit is cut into them.
TeamCatalogue = Sequence[tuple[str, str]]

HEAD_OFFICE = (
    "办公室",
    "党委党建部",
    "人力资源部",
    "财务资产部",
    "发展策划部",
    "安全监察部",
    "设备管理部",
    "营销服务部",
    "建设部",
    "物资部",
    "纪委办公室",
    "科技数字化部",
    "审计部",
    "工会",
    "法律合规部",
    "后勤服务中心",
)
HEAD_OFFICE_TEAMS = (("综合组", "office"), ("专业一组", "office"), ("专业二组", "office"))
# Operations centres come first so that even a small company has teams under peak blackouts.
CENTRES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "变电运维中心",
        (
            ("变电运维一班", "ops"),
            ("变电运维二班", "ops"),
            ("变电检修班", "ops"),
            ("技术室", "office"),
        ),
    ),
    (
        "电力调度控制中心",
        (("调度运行班", "dispatch"), ("调度监控班", "dispatch"), ("方式计划班", "office")),
    ),
    (
        "配电运检中心",
        (("配电抢修班", "ops"), ("配电运维班", "ops"), ("电缆运检班", "ops"), ("技术室", "office")),
    ),
    (
        "输电运检中心",
        (("输电运检班", "ops"), ("带电作业班", "ops"), ("线路巡视班", "ops"), ("技术室", "office")),
    ),
    (
        "客户服务中心",
        (
            ("95598服务班", "dispatch"),
            ("计量班", "ops"),
            ("营业班", "office"),
            ("综合室", "office"),
        ),
    ),
    ("信息通信分公司", (("信通调度班", "dispatch"), ("运维检修班", "ops"), ("数据中心", "office"))),
    ("物资供应中心", (("仓储配送班", "office"), ("采购管理室", "office"))),
    (
        "建设管理中心",
        (("项目管理一室", "office"), ("项目管理二室", "office"), ("安全质量室", "office")),
    ),
)
COUNTY_OFFICE_TEAMS = (
    ("综合组", "office"),
    ("安全生产组", "office"),
    ("营销组", "office"),
    ("调控分中心", "dispatch"),
)
COUNTY_MAINTENANCE_TEAMS = (("变电运维班", "ops"), ("线路运检班", "ops"), ("综合组", "office"))
STATION_TEAMS = (("营业班", "office"), ("配电运维班", "ops"), ("抢修班", "ops"))
TEAM_KIND_LABELS = {
    "office": "综合管理",
    "ops": "运维检修（迎峰度夏、度冬不脱产）",
    "dispatch": "调控值班",
}
PLACE_FIRST = "东西南北清安永长平新丰宁富兴泰顺临广"
PLACE_SECOND = "山河江阳城安宁平源川丰溪"
TOWN_FIRST = "东西南北上下新古石柳桃杏梅竹松枫龙凤金银"
TOWN_SECOND = "岭桥湾塘坪口集庄堡店埠渡屯铺关溪"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国文辉力鹏宇浩凯晨欣婷雪琳玲峰波斌宁"
    "海龙林东红梅颖博思佳雨晓云志俊新春亮成飞鑫健松彬帆"
)


def branch_name(body: str, repeat: int) -> str:
    """``body党支部``, or ``body第二党支部`` when a body has more than one branch."""
    if repeat == 0:
        return f"{body}党支部"
    return f"{body}第{numeral(repeat + 1)}党支部"


def person_name(rng: random.Random) -> str:
    """A surname and a given name of one or two characters."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given
