"""Demo org trees, people and users. Deterministic: the same seed gives the same data."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from .access import ActingUser
from .identity import credit_code_check_digit, id_number_check_digit
from .models import OrgUnit, OrgUnitKind, Role
from .services import membership_grant, orgunit_create, persons_bulk_create, user_create

if TYPE_CHECKING:
    # Aliased: demo_users_build names the model class `User` locally (get_user_model()).
    from django.contrib.auth.models import User as AuthUser

DEMO_PASSWORD = "fazhi-demo-2024"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏辉玲建华红梅飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳悦晨阳雪琳婷倩颖洁莉娅楠"

# 东洲区 and 西市区 are the districts of the two seed reports; the trees below are plausible, not real.
DISTRICTS: dict[str, dict[str, Any]] = {
    "东洲区": {
        "division_code": "210403",
        "population": 202000,
        "departments": ["区司法局", "区营商局", "区审计局", "区交通局", "区妇联", "区人力资源和社会保障局", "公安东洲分局"],
        "towns": [
            ("哈达镇", OrgUnitKind.TOWN, 21000),
            ("章党镇", OrgUnitKind.TOWN, 18000),
            ("新屯街道", OrgUnitKind.STREET, 46000),
            ("搭连街道", OrgUnitKind.STREET, 39000),
            ("万新街道", OrgUnitKind.STREET, 41000),
            ("龙凤街道", OrgUnitKind.STREET, 37000),
        ],
    },
    "西市区": {
        "division_code": "210804",
        "population": 186000,
        "departments": ["区司法局", "区营商局", "区人力资源和社会保障局"],
        "towns": [
            ("西城街道", OrgUnitKind.STREET, 52000),
            ("河东街道", OrgUnitKind.STREET, 48000),
            ("滨港街道", OrgUnitKind.STREET, 44000),
            ("清河镇", OrgUnitKind.TOWN, 42000),
        ],
    },
}

# The city's other districts and counties: no tree and no users, only the figures the city collects from
# them (e.g. 矛盾纠纷排查化解 for the ranking of 十万人口矛盾化解比). Invented names; (name, division code,
# population).
PEER_DISTRICTS = [("南台区", "210402", 312000), ("北山区", "210404", 245000), ("清源县", "210423", 268000),
                  ("新河县", "210422", 301000)]

# (user name, display name, role, district or None for the city, unit name or None for the district itself)
DEMO_USERS = [
    ("fs_leader", "抚顺市（示例）法治建设领导", "leader", None, None),
    ("dz_admin", "东洲区依法治区办", "district_admin", "东洲区", None),
    ("dz_leader", "东洲区领导", "leader", "东洲区", None),
    ("dz_review", "东洲区复议办", "review_officer", "东洲区", "区司法局"),
    ("dz_legalaid", "东洲区法援中心", "legal_aid_staff", "东洲区", "区司法局"),
    ("hd_clerk", "哈达镇联络员", "clerk", "东洲区", "哈达镇"),
    ("hd_mediator", "哈达镇调解员", "mediator", "东洲区", "哈达镇"),
    ("xt_mediator", "新屯街道调解员", "mediator", "东洲区", "新屯街道"),
    ("dz_mediator", "东洲区调解员", "mediator", "东洲区", None),
    ("xs_admin", "西市区依法治区办", "district_admin", "西市区", None),
]


_ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 组织机构代码 check digit


def demo_credit_code(rng: random.Random, region: str, *, kind: str = "1") -> str:
    """A well-formed 统一社会信用代码 (GB 32100) registered in `region` (a 6-digit division code) with the
    市场监管 registration authority (9) and `kind` 1 企业, 2 个体工商户 or 3 农民专业合作社."""
    body = "MA" + "".join(rng.choice(_ORG_CODE_CHARS[:-5] if i else "0123") for i in range(6))
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    org_check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    first17 = f"9{kind}{region}{body}{org_check}"
    return first17 + credit_code_check_digit(first17)


@dataclass
class DemoContext:
    rng: random.Random
    city: OrgUnit | None = None
    districts: dict[str, OrgUnit] = field(default_factory=dict)
    peers: dict[str, OrgUnit] = field(default_factory=dict)  # the city's other districts (PEER_DISTRICTS)
    users: dict[str, AuthUser] = field(default_factory=dict)
    id_serial: int = 0

    def unit(self, district: str, name: str | None = None) -> OrgUnit:
        root = self.districts[district]
        if name is None:
            return root
        return OrgUnit.objects.get(name=name, pk__in=_subtree_ids(root))

    def line_rng(self, line: str) -> random.Random:
        """A random stream of the line's own, derived from the shared one without advancing it: adding or
        changing one line's demo data then leaves every other line's data (and the drafted reports) as
        they were."""
        copy = random.Random()
        copy.setstate(self.rng.getstate())
        return random.Random(f"{line}:{copy.random()}")

    @contextmanager
    def own_rng(self, line: str) -> Iterator[random.Random]:
        """Within the block, `rng` (and so dates(), people(), name()) is the line's own stream."""
        shared = self.rng
        self.rng = self.line_rng(line)
        try:
            yield self.rng
        finally:
            self.rng = shared

    def name(self) -> str:
        """A plausible Chinese personal name."""
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def _identity(self, region: str) -> tuple[str, str, str]:
        name = self.name()
        born = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365 * 55))
        self.id_serial = (self.id_serial + 1) % 1000
        first17 = f"{region}{born:%Y%m%d}{self.id_serial:03d}"
        phone = "13" + "".join(str(self.rng.randrange(10)) for _ in range(9))
        return name, first17 + id_number_check_digit(first17), phone

    def people(self, *, org_unit: OrgUnit, count: int, acting_user: ActingUser = None) -> list[int]:
        """Ids of `count` new plausible people registered in bulk (valid, masked 身份证号)."""
        region = self.districts_code(org_unit)
        people = [self._identity(region) for _ in range(count)]
        return [p.pk for p in persons_bulk_create(acting_user=acting_user, org_unit=org_unit, people=people)]

    def dates(self, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
        """`count` dates spread at random over [start, end], sorted."""
        span = (end - start).days
        return sorted(start + dt.timedelta(days=self.rng.randrange(span + 1)) for _ in range(count))

    def districts_code(self, unit: OrgUnit) -> str:
        for root in self.districts.values():
            if unit.pk in _subtree_ids(root):
                return root.division_code
        return "210400"


def _subtree_ids(root: OrgUnit) -> list[int]:
    from .models import OrgUnitClosure

    return list(OrgUnitClosure.objects.filter(ancestor=root).values_list("descendant_id", flat=True))


def _unit(name: str, kind: str, parent: OrgUnit | None, *, division_code: str = "", population: int | None = None
          ) -> OrgUnit:
    existing = OrgUnit.objects.filter(name=name, parent=parent).first()
    return existing or orgunit_create(acting_user=None, name=name, kind=kind, parent=parent,
                                      division_code=division_code, population=population)


def demo_orgs_build(ctx: DemoContext) -> None:
    city = ctx.city = _unit("抚顺市（示例）", OrgUnitKind.CITY, None, division_code="210400")
    for district, spec in DISTRICTS.items():
        root = _unit(district, OrgUnitKind.DISTRICT, city, division_code=spec["division_code"],
                     population=spec["population"])
        ctx.districts[district] = root
        for dept in spec["departments"]:
            _unit(dept, OrgUnitKind.DEPARTMENT, root)
        for town, kind, population in spec["towns"]:
            t = _unit(town, kind, root, population=population)
            _unit(f"{town}司法所", OrgUnitKind.OFFICE, t)
            _unit(f"{town}人民调解委员会", OrgUnitKind.OFFICE, t)
            for i in range(1, 3):
                _unit(f"{town[:2]}第{i}社区", OrgUnitKind.COMMUNITY, t)
    for name, division_code, population in PEER_DISTRICTS:
        ctx.peers[name] = _unit(name, OrgUnitKind.DISTRICT, city, division_code=division_code, population=population)


def demo_users_build(ctx: DemoContext) -> None:
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, first_name="系统管理员")
    ctx.users["admin"] = admin
    for username, display, role_code, district, unit_name in DEMO_USERS:
        user = User.objects.filter(username=username).first() or user_create(
            acting_user=None, username=username, password=DEMO_PASSWORD, full_name=display
        )
        unit = ctx.city if district is None else ctx.unit(district, unit_name)
        assert unit is not None, "demo_orgs_build runs first"
        membership_grant(acting_user=None, user=user, role=Role.objects.get(code=role_code), org_unit=unit)
        ctx.users[username] = user
