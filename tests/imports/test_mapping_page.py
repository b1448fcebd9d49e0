"""Scope 3: the office saves a source system's mapping from the page (Perm import.mapping) and every import
of the register reuses it, chosen on the upload form."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fazhi.core.access import AccessDenied
from fazhi.core.models import AuditEvent, Role
from fazhi.core.services import membership_grant
from fazhi.imports.models import ImportBatch, ImportMapping
from fazhi.imports.services import mapping_save
from tests.imports.helpers import xlsx

HEADERS = ["案件号", "承办单位", "受理日期", "调解组织类型", "纠纷类别", "纠纷简要情况", "调解员"]
ROW = ["SJ-1", "哈达镇", "2024-03-05", "村调委会", "邻里矛盾", "相邻通行", "张三"]


@pytest.fixture
def office_staff(personas):
    user = get_user_model().objects.create_user(username="office_staff", password="pw")
    membership_grant(acting_user=None, user=user, role=Role.objects.get(code="office_staff"), org_unit=personas.district)
    return user


def _dry_run(client, mapping=""):
    upload = io.BytesIO(xlsx([ROW], HEADERS))
    upload.name = "省系统.xlsx"
    response = client.post(reverse("imports:index"), {"register": "people_mediation", "mode": "all_or_nothing",
                                                      "mapping": mapping, "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1])).summary


def test_the_office_saves_a_mapping_on_the_page_and_an_import_reuses_it(client, personas, office_staff):
    client.force_login(office_staff)
    assert client.get(reverse("imports:mappings")).status_code == 200
    saved = client.post(reverse("imports:mappings"), {
        "register": "people_mediation", "name": "省人民调解系统",
        "columns": "案件号=external_id\n纠纷类别=dispute_type\n", "value_pairs": "dispute_type:邻里矛盾=neighbourhood"})
    assert saved.status_code == 302
    mapping = ImportMapping.objects.get(register="people_mediation", name="省人民调解系统")
    assert (mapping.columns, mapping.values) == ({"案件号": "external_id", "纠纷类别": "dispute_type"},
                                                 {"dispute_type": {"邻里矛盾": "neighbourhood"}})
    assert AuditEvent.objects.filter(action="import.mapping_saved", object_id=str(mapping.pk)).exists()
    assert "省人民调解系统" in client.get(reverse("imports:mappings")).content.decode()

    client.force_login(personas.mediator)
    assert client.get(reverse("imports:mappings")).status_code == 403  # importing is not saving mappings
    page = client.get(reverse("imports:index")).content.decode()
    assert '<option value="省人民调解系统">' in page
    without = _dry_run(client)
    assert without["accepted"] == 0 and without["errors"]
    using = _dry_run(client, "省人民调解系统")
    assert (using["accepted"], using["errors"]) == (1, [])


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"columns": "案件号 external_id"}, "文件列名=字段代码"),
    ({"columns": "案件号=no_such_field"}, "no_such_field"),
    ({"value_pairs": "dispute_type:邻里=no_such_choice"}, "no_such_choice"),
    ({"name": ""}, "映射名称"),
])
def test_a_bad_mapping_is_refused_with_its_reason(client, office_staff, fields, fragment):
    client.force_login(office_staff)
    data = {"register": "people_mediation", "name": "X", "columns": "案件号=external_id", "value_pairs": "", **fields}
    response = client.post(reverse("imports:mappings"), data)
    assert response.status_code == 400 and fragment in response.content.decode()
    assert not ImportMapping.objects.exists()


def test_the_service_asks_the_permission_table(personas, office_staff):
    with pytest.raises(AccessDenied):
        mapping_save(acting_user=personas.mediator, register="people_mediation", name="X", columns={})
    mapping_save(acting_user=office_staff, register="people_mediation", name="X", columns={})
    mapping_save(acting_user=None, register="people_mediation", name="Y", columns={})  # `fazhi import mapping`
    assert ImportMapping.objects.count() == 2
