"""Named test personas used by every permission test.

    city ─ 东洲区 ─┬─ 区司法局                (review_officer, legal_aid_staff)
           │       ├─ 哈达镇 ─ 哈达镇司法所   (town_clerk, mediator; correction_officer at the 司法所)
           │       └─ 新屯街道                 (other_mediator)
           └─ 西市区 ─ 西城街道               (outsider: 西市区's administrator)
district_admin and leader (read-only) hold 东洲区.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from fazhi.core.models import OrgUnit, OrgUnitKind, Role
from fazhi.core.services import membership_grant, orgunit_create


@dataclass
class Personas:
    city: OrgUnit
    district: OrgUnit
    justice_bureau: OrgUnit
    town: OrgUnit
    town_office: OrgUnit
    street: OrgUnit
    other_district: OrgUnit
    other_street: OrgUnit
    superuser: object
    district_admin: object
    leader: object
    town_clerk: object
    mediator: object
    other_mediator: object
    review_officer: object
    legal_aid_staff: object
    correction_officer: object
    outsider: object

    def all_users(self) -> dict[str, object]:
        return {
            name: getattr(self, name)
            for name in ("district_admin", "leader", "town_clerk", "mediator", "other_mediator",
                         "review_officer", "legal_aid_staff", "correction_officer", "outsider")
        }


def personas_build() -> Personas:
    def unit(name, kind, parent=None, **kw):
        return orgunit_create(acting_user=None, name=name, kind=kind, parent=parent, **kw)

    city = unit("测试市", OrgUnitKind.CITY)
    district = unit("东洲区", OrgUnitKind.DISTRICT, city, division_code="210403", population=200000)
    justice_bureau = unit("区司法局", OrgUnitKind.DEPARTMENT, district)
    town = unit("哈达镇", OrgUnitKind.TOWN, district, population=21000)
    town_office = unit("哈达镇司法所", OrgUnitKind.OFFICE, town)
    street = unit("新屯街道", OrgUnitKind.STREET, district, population=46000)
    other_district = unit("西市区", OrgUnitKind.DISTRICT, city, population=180000)
    other_street = unit("西城街道", OrgUnitKind.STREET, other_district)

    User = get_user_model()

    def user(username, role, org_unit):
        u = User.objects.create_user(username=username, password="pw-" + username, first_name=username)
        membership_grant(acting_user=None, user=u, role=Role.objects.get(code=role), org_unit=org_unit)
        return u

    return Personas(
        city=city, district=district, justice_bureau=justice_bureau, town=town, town_office=town_office,
        street=street, other_district=other_district, other_street=other_street,
        superuser=User.objects.create_superuser("root", password="pw-root"),
        district_admin=user("district_admin", "district_admin", district),
        leader=user("leader", "leader", district),
        town_clerk=user("town_clerk", "clerk", town),
        mediator=user("mediator", "mediator", town),
        other_mediator=user("other_mediator", "mediator", street),
        review_officer=user("review_officer", "review_officer", justice_bureau),
        legal_aid_staff=user("legal_aid_staff", "legal_aid_staff", justice_bureau),
        correction_officer=user("correction_officer", "correction_officer", town_office),
        outsider=user("outsider", "district_admin", other_district),
    )
