"""Who may do what: the grant table per persona, the role files, and two guards over the source tree
(no role code outside core/, every URL guarded by a permission)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, path

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.models import OrgUnit, Role
from fazhi.core.roles import ROLES_FILE, role_codes, role_files, role_grants, roles_load
from fazhi.core.services import membership_grant
from fazhi.registers.registry import register_definition

ROOT = Path(__file__).resolve().parents[2] / "fazhi"


@pytest.fixture
def office_staff(personas):
    """The 依法治区办's staff over 东洲区 (not one of the shared personas)."""
    user = get_user_model().objects.create_user(username="office_staff", password="pw")
    membership_grant(acting_user=None, user=user, role=Role.objects.get(code="office_staff"), org_unit=personas.district)
    return user


# Who holds each permission over 哈达镇 (the town). Every Perm must be listed: a new permission
# needs its row here. Without a definition, the permissions definitions give are held only by
# roles whose file grants them.
AT_TOWN: dict[Perm, set[str]] = {
    Perm.UNIT_READ: {"superuser", "district_admin", "office_staff", "leader", "town_clerk", "mediator"},
    Perm.UNIT_WRITE: {"superuser", "district_admin", "office_staff", "town_clerk", "mediator"},
    Perm.UNIT_ADMIN: {"superuser", "district_admin"},
    Perm.PERSONAL_DATA_VIEW: {"superuser", "district_admin"},
    Perm.SNAPSHOT_FREEZE: {"superuser", "district_admin", "office_staff"},
    Perm.REPORT_MANAGE: {"superuser", "district_admin", "office_staff"},
    Perm.REPORT_CHECK: {"superuser", "district_admin", "office_staff", "town_clerk"},
    Perm.SECTION_WRITE: {"superuser", "district_admin", "office_staff", "town_clerk"},
    Perm.DATASET_ENTER: {"superuser", "district_admin"},
    Perm.DATASET_APPROVE: {"superuser", "district_admin"},
    Perm.DATASET_LOCK: {"superuser", "district_admin"},
    Perm.RECORD_CREATE: {"superuser", "district_admin"},
    Perm.RECORD_EDIT: {"superuser", "district_admin"},
    Perm.RECORD_TRANSITION: {"superuser", "district_admin"},
    Perm.RECORD_DELETE: {"superuser", "district_admin"},
    Perm.USER_ADMIN: {"superuser", "district_admin"},
    Perm.PERIOD_CLOSE: {"superuser", "district_admin", "office_staff"},
    Perm.PERIOD_CORRECT: {"superuser", "district_admin"},
    Perm.CALENDAR_MANAGE: {"superuser"},
    Perm.REPORT_APPROVE: {"superuser", "leader"},
    Perm.REMINDER_SEND: {"superuser", "district_admin", "office_staff"},
    Perm.IMPORT_MAPPING: {"superuser", "district_admin", "office_staff"},
}


def _everyone(personas, office_staff) -> dict[str, object]:
    return {**personas.all_users(), "superuser": personas.superuser, "office_staff": office_staff}


def test_the_grant_table_lists_every_permission():
    assert set(AT_TOWN) == set(Perm)


@pytest.mark.parametrize("perm", list(Perm), ids=str)
def test_grant_table_per_persona(personas, office_staff, perm):
    holders = {name for name, user in _everyone(personas, office_staff).items()
               if access.may(user, perm, personas.town)}
    assert holders == AT_TOWN[perm]


def test_who_may_freeze_a_snapshot_of_the_district(personas, office_staff):
    may = {name for name, user in _everyone(personas, office_staff).items()
           if access.may(user, Perm.SNAPSHOT_FREEZE, personas.district)}
    assert may == {"superuser", "district_admin", "office_staff"}
    with pytest.raises(access.AccessDenied, match="东洲区.*冻结指标快照"):
        access.require(personas.leader, Perm.SNAPSHOT_FREEZE, personas.district)


def test_personal_data_is_revealed_to_the_officers_of_their_own_units(personas):
    assert access.may(personas.correction_officer, Perm.PERSONAL_DATA_VIEW, personas.town_office)
    assert access.may(personas.review_officer, Perm.PERSONAL_DATA_VIEW, personas.justice_bureau)
    assert not access.may(personas.review_officer, Perm.PERSONAL_DATA_VIEW, personas.town)
    assert not access.may(personas.mediator, Perm.PERSONAL_DATA_VIEW, personas.town)
    assert not access.may(personas.outsider, Perm.PERSONAL_DATA_VIEW, personas.town)


def test_a_register_gives_its_named_roles_create_and_transition(personas):
    definition = register_definition("people_mediation")
    assert "mediator" in definition.create_roles
    assert access.may(personas.mediator, Perm.RECORD_CREATE, personas.town, definition=definition)
    assert not access.may(personas.other_mediator, Perm.RECORD_CREATE, personas.town, definition=definition)
    assert not access.may(personas.leader, Perm.RECORD_CREATE, personas.town, definition=definition)
    for t in definition.transitions:
        expected = "mediator" in t.roles
        assert access.may(personas.mediator, Perm.RECORD_TRANSITION, personas.town, definition=t) == expected, t.code
    # A register names roles for record.create/edit only; its transitions give record.transition.
    assert not access.may(personas.mediator, Perm.RECORD_TRANSITION, personas.town, definition=definition)


def test_a_definition_cannot_make_a_read_only_role_act(personas):
    class NamesLeader:
        def roles_for(self, perm):
            return ["leader"]

    assert not access.may(personas.leader, Perm.RECORD_CREATE, personas.town, definition=NamesLeader())


def test_units_where_is_the_subtree_of_the_granting_memberships(personas, office_staff):
    names = set(access.units_where(personas.town_clerk, Perm.SECTION_WRITE).values_list("name", flat=True))
    assert names == {"哈达镇", "哈达镇司法所"}
    assert not access.units_where(personas.leader, Perm.UNIT_WRITE).exists()
    assert not access.units_where(personas.mediator, Perm.SECTION_WRITE).exists()


def test_unit_get_is_the_same_404_for_missing_malformed_and_forbidden(personas):
    assert access.unit_get(personas.town_clerk, personas.town.pk) == personas.town
    assert access.unit_get(personas.town_clerk, str(personas.town_office.pk)) == personas.town_office
    messages = set()
    for pk in (personas.street.pk, 999_999, "abc", None, "-1"):
        with pytest.raises(access.UnitNotFound) as caught:
            access.unit_get(personas.town_clerk, pk)
        messages.add(str(caught.value))
    assert len(messages) == 1
    with pytest.raises(access.UnitNotFound):
        access.unit_get(personas.leader, personas.town.pk, writable=True)  # reads, never writes
    assert access.unit_get(personas.leader, personas.town.pk) == personas.town


def test_recorded_actor_is_none_for_batch_jobs_and_anonymous(personas):
    from django.contrib.auth.models import AnonymousUser

    assert access.recorded_actor(None) is None
    assert access.recorded_actor(AnonymousUser()) is None
    assert access.recorded_actor(personas.leader) == personas.leader


def test_templates_ask_the_same_function(personas, office_staff):
    template = Template('{% load access %}{% may "snapshot.freeze" unit as ok %}{{ ok|yesno:"可,否" }}')
    request = RequestFactory().get("/")
    for user, expected in ((office_staff, "可"), (personas.leader, "否"), (personas.outsider, "否")):
        request.user = user
        assert template.render(Context({"request": request, "unit": personas.district})) == expected
    request.user = personas.mediator
    with pytest.raises(ValueError):  # a misspelt permission is an error, not a silent "no"
        Template('{% load access %}{% may "snapshot.frezee" unit as ok %}').render(
            Context({"request": request, "unit": personas.town}))


# --- the role files -----------------------------------------------------------------------------

def test_roles_in_the_database_are_the_role_files_roles(db):
    """Synced after migrate: the line roles (mediator …) are there without a migration of their own."""
    rows = {r.code: r for r in Role.objects.all()}
    assert role_codes() <= set(rows)
    assert {"mediator", "court_staff", "procurator"} <= role_codes()
    for code in role_codes():
        assert rows[code].read_only == (Perm.UNIT_WRITE not in role_grants(code))
        assert rows[code].sees_personal_data == (Perm.PERSONAL_DATA_VIEW in role_grants(code))


def test_line_roles_live_in_their_lines():
    by_file = {p.parent.name: p for p in role_files() if p != ROLES_FILE}
    assert by_file["people_mediation"].name == "roles.yaml"
    loaded = roles_load()
    assert not loaded.errors
    assert loaded.roles["mediator"].path.parent.name == "people_mediation"
    assert loaded.roles["district_admin"].path == ROLES_FILE


def _write(tmp_path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    path = folder / "roles.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_an_unknown_grant_is_an_error_with_file_line_and_column(tmp_path):
    path = _write(tmp_path, "demo_line", """\
        roles:
          - code: demo_officer
            name: 示例工作人员
            grants: [unit.read, snapshot.frezee]
        """)
    loaded = roles_load([ROLES_FILE, path])
    try:
        assert [str(e) for e in loaded.errors] == [f"{path}:4:25: 角色 demo_officer 的权限 snapshot.frezee 不存在（见 core/perms.py）"]
        assert "demo_officer" not in loaded.roles
    finally:
        roles_load()


def test_a_role_defined_twice_or_without_unit_read_is_refused(tmp_path):
    path = _write(tmp_path, "demo_line", """\
        roles:
          - code: clerk
            name: 又一个联络员
            grants: [unit.read]
          - code: demo_viewer
            name: 示例
            grants: [unit.write]
        """)
    loaded = roles_load([ROLES_FILE, path])
    try:
        messages = [str(e) for e in loaded.errors]
        assert any(m.startswith(f"{path}:7:13: ") and "unit.read" in m for m in messages), messages
        assert not any("重复" in m for m in messages)  # a file with errors contributes nothing
    finally:
        roles_load()
    path.write_text("roles:\n  - {code: clerk, name: 又一个联络员, grants: [unit.read]}\n", encoding="utf-8")
    loaded = roles_load([ROLES_FILE, path])
    try:
        assert [str(e).split(": ", 1)[0] for e in loaded.errors] == [f"{path}:2:12"]
        assert "重复" in str(loaded.errors[0])
        assert loaded.roles["clerk"].name == "联络员"
    finally:
        roles_load()


def test_a_line_folder_brings_its_roles_and_definitions_check_reports_them(tmp_path, settings, capsys):
    from django.core.management import call_command

    _write(tmp_path, "demo_line", """\
        roles:
          - code: demo_officer
            name: 示例工作人员
            grants: [unit.read, unit.write]
        """)
    settings.FAZHI_DEFINITION_DIRS = [str(tmp_path)]
    try:
        assert "demo_officer" in roles_load().roles
        call_command("definitions", "list", "--format", "json")
        assert '"demo_officer"' in capsys.readouterr().out
    finally:
        settings.FAZHI_DEFINITION_DIRS = []
        roles_load()


# --- guards over the source tree ----------------------------------------------------------------

def test_no_role_code_literal_outside_core():
    """Code outside core/ asks for a Perm; only definitions (YAML) and role files name roles."""
    codes = sorted(role_codes(), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, codes))
    literal = re.compile(rf"""["']({alternatives})["']""")
    found = []
    for file in sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]):
        if file.is_relative_to(ROOT / "core") or "tests" in file.relative_to(ROOT).parts:
            continue  # core decides; a line's tests (like tests/) build users holding its roles
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if literal.search(line):
                found.append(f"{file.relative_to(ROOT.parent)}:{n}: {line.strip()}")
    assert found == []
    assert literal.search('require_role(user, unit, ["office_staff"])')  # the check can fail


# Views that need no permission, each with its reason. Keep it short.
PUBLIC = {
    "login": "the login page itself",
    "logout": "ends a session; shows nothing",
    "public_reports": "published annual reports are public by law (政府信息公开) and hold no personal data",
    "public_report": "one published report, as public_reports",
    "public_report_version": "one published version's .docx, as public_reports",
    "public_home": "published reports and their de-identified statistics (snapshot counts, small cells suppressed)",
    "api:schema": "the API's description, no data",
    "favicon": "a redirect to the site icon, a static file",
}
# URL namespaces guarded by their own framework.
GUARDED_ELSEWHERE = {
    "accounts": "one's own sign-in settings (password, tokens, second factor): login required, every service acts "
                "on the signed-in user only, so there is no unit to hold a permission at",
    "admin": "Django admin: is_staff only, querysets scoped by core.access (ScopedAdmin), read-only",
}


def _patterns(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            yield prefix + str(p.pattern), ":".join(filter(None, [namespace, p.name or ""])), p


def _required_perm(pattern: URLPattern):
    callback = pattern.callback
    for holder in (callback, getattr(callback, "cls", None), getattr(callback, "view_class", None)):
        perm = getattr(holder, "required_perm", None)
        if perm is not None:
            return perm
    return None


def unguarded(patterns) -> list[str]:
    """URLs whose view names no Perm and is not allowed to be public."""
    out = []
    for route, name, pattern in _patterns(patterns):
        if name in PUBLIC or name.split(":")[0] in GUARDED_ELSEWHERE:
            continue
        perm = _required_perm(pattern)
        if not isinstance(perm, Perm):
            out.append(f"/{route} ({name or 'unnamed'})")
    return out


def test_every_url_of_web_and_api_is_guarded_by_a_perm():
    from fazhi import urls

    routes = [route for route, _, _ in _patterns(urls.urlpatterns)]
    assert any(r.startswith("api/") for r in routes) and any(r.startswith("datasets/") for r in routes)
    assert unguarded(urls.urlpatterns) == []
    named = {name for _, name, _ in _patterns(urls.urlpatterns)}
    assert set(PUBLIC) <= named  # the allow-list names only views that exist


def test_an_unguarded_view_is_found():
    from fazhi import urls

    def sneaky(request):
        return HttpResponse("everything")

    fake = [*urls.urlpatterns, path("sneaky/", sneaky, name="sneaky")]
    assert unguarded(fake) == ["/sneaky/ (sneaky)"]


def test_a_guarded_page_refuses_who_holds_the_perm_nowhere(client, personas):
    from django.urls import reverse

    client.force_login(personas.leader)
    response = client.post(reverse("web:snapshot_freeze"), {"unit": personas.district.pk, "period": "2024"})
    assert response.status_code == 403
    lonely = get_user_model().objects.create_user(username="lonely", password="pw")  # no role anywhere
    client.force_login(lonely)
    assert client.get(reverse("web:home")).status_code == 403
    assert client.get("/api/records/").status_code == 403
    assert OrgUnit.objects.exists()
