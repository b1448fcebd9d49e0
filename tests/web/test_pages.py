import datetime as dt

import pytest
from django.urls import reverse

from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample

D = dt.date(2024, 6, 3)


@pytest.fixture
def records(personas):
    mediation = register_definition("people_mediation")
    return {
        "town": create_sample(mediation, user=personas.mediator, unit=personas.town, opened_on=D),
        "street": create_sample(mediation, user=personas.other_mediator, unit=personas.street, opened_on=D),
    }


def test_login_page_is_chinese_and_login_works(client, personas):
    page = client.get(reverse("login"))
    assert "登录" in page.content.decode()
    response = client.post(reverse("login"), {"username": "town_clerk", "password": "pw-town_clerk"})
    assert response.status_code == 302 and response.url == reverse("web:workbench")  # the 待办 workbench
    assert "待办" in client.get(response.url).content.decode()
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert "驾驶舱" in home.content.decode() and "人民调解" in home.content.decode()


def test_wrong_password_shows_a_chinese_error(client, personas):
    page = client.post(reverse("login"), {"username": "town_clerk", "password": "nope"})
    assert "用户名或密码错误" in page.content.decode()


def test_pages_require_login(client, records):
    for url in (reverse("web:home"), reverse("web:record", args=[records["town"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_town_clerk_lists_and_reads_only_own_town(client, personas, records):
    client.force_login(personas.town_clerk)
    listing = client.get(reverse("web:record_list", args=["people_mediation"])).content.decode()
    assert records["town"].external_id in listing
    assert records["street"].external_id not in listing
    assert "已受理" in listing  # statuses are shown by their Chinese names
    assert client.get(reverse("web:record", args=[records["town"].pk])).status_code == 200
    assert client.get(reverse("web:record", args=[records["street"].pk])).status_code == 404


def test_town_clerk_cannot_change_another_towns_record_by_page(client, personas, records):
    client.force_login(personas.town_clerk)
    url = reverse("web:record_transition", args=[records["street"].pk, "start"])
    assert client.post(url, {"on_date": "2024-06-04"}).status_code == 404
    records["street"].refresh_from_db()
    assert records["street"].status == "registered"


def test_mediator_takes_a_transition_through_the_page(client, personas, records):
    client.force_login(personas.mediator)
    detail = client.get(reverse("web:record", args=[records["town"].pk])).content.decode()
    assert "开始调解" in detail and "调解期限" in detail
    url = reverse("web:record_transition", args=[records["town"].pk, "conclude"])
    bad = client.post(url, {"on_date": "2024-06-10", "mediator_name": "甲"})  # no outcome
    assert bad.status_code == 200 and "该字段是必填项" in bad.content.decode()
    assert Record.objects.get(pk=records["town"].pk).status == "registered"
    ok = client.post(url, {"on_date": "2024-06-10", "mediator_name": "甲", "outcome": "success"})
    assert ok.status_code == 302
    record = Record.objects.get(pk=records["town"].pk)
    assert (record.status, record.outcome) == ("concluded", "success")


def test_clerk_sees_no_transition_buttons_reserved_for_mediators(client, personas, records):
    client.force_login(personas.town_clerk)
    detail = client.get(reverse("web:record", args=[records["town"].pk])).content.decode()
    assert "开始调解" not in detail
    url = reverse("web:record_transition", args=[records["town"].pk, "start"])
    page = client.post(url, {"on_date": "2024-06-04"})
    assert "无权" in page.content.decode()
    assert Record.objects.get(pk=records["town"].pk).status == "registered"


def test_create_record_through_the_form_registers_the_person_masked(client, personas):
    client.force_login(personas.mediator)
    url = reverse("web:record_new", args=["people_mediation"])
    form = client.get(url).content.decode()
    assert "调解组织类型" in form
    response = client.post(url, {
        "external_id": "WEB-1", "org_unit": personas.town.pk, "opened_on": "2024-06-03",
        "organization_type": "traffic", "dispute_type": "traffic", "summary": "剐蹭",
        "party__name": "钱七", "party__id_number": "11010519491231002X",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Record.objects.get(external_id="（2024）哈达镇调字第0001号")  # 编号 given by the register's pattern
    detail = client.get(reverse("web:record", args=[record.pk])).content.decode()
    assert "钱七（110105********002X）" in detail
    assert "11010519491231002X" not in detail


def test_create_form_reports_bad_id_number_and_saves_nothing(client, personas):
    client.force_login(personas.mediator)
    response = client.post(reverse("web:record_new", args=["people_mediation"]), {
        "external_id": "WEB-2", "org_unit": personas.town.pk, "opened_on": "2024-06-03",
        "organization_type": "traffic", "dispute_type": "traffic", "summary": "剐蹭",
        "party__name": "钱七", "party__id_number": "110105194912310021",
    })
    assert response.status_code == 200 and "校验位" in response.content.decode()
    assert not Record.objects.filter(external_id="WEB-2").exists()


def test_forms_name_units_by_choice_and_market_entities_by_credit_code(client, personas):
    from fazhi.core.identity import credit_code_check_digit
    from fazhi.core.models import Entity
    from tests.lines.support import line_officer

    first17 = "91210403MA0ABCDE1"
    code = first17 + credit_code_check_digit(first17)
    client.force_login(line_officer(personas))
    url = reverse("web:record_new", args=["business_manager_matches"])
    form = client.get(url).content.decode()
    assert "市场主体统一社会信用代码" in form and f'<option value="{personas.street.pk}">' in form
    base = {"org_unit": personas.district.pk, "registered_on": "2024-06-03", "entity_kind": "enterprise"}
    # An unknown code without a name: refused with the reason, nothing saved.
    page = client.post(url, {**base, "external_id": "管-1", "entity__credit_code": code}).content.decode()
    assert "尚未登记，请同时填写市场主体名称" in page and not Record.objects.filter(external_id="管-1").exists()
    page = client.post(url, {**base, "external_id": "管-1", "entity__credit_code": code[:-1] + "0",
                             "entity__name": "东洲甲公司"}).content.decode()
    assert "校验位" in page and not Entity.objects.exists()
    # The first time with a name registers the entity; the second time the code alone finds it.
    assert client.post(url, {**base, "external_id": "管-1", "entity__credit_code": code.lower(),
                             "entity__name": "东洲甲公司"}).status_code == 302
    assert client.post(url, {**base, "external_id": "管-2", "entity__credit_code": code}).status_code == 302
    entity = Entity.objects.get()
    assert [r.payload["entity"] for r in Record.objects.order_by("external_id")] == [entity.pk, entity.pk]
    # The 匹配管家 step names the 管家's unit from a list; the record page shows names, not ids.
    record = Record.objects.get(external_id="管-1")
    response = client.post(reverse("web:record_transition", args=[record.pk, "match"]), {
        "on_date": "2024-06-05", "manager_name": "王伟", "manager_code": "GJ001",
        "manager_unit": personas.street.pk, "matched_on": "2024-06-05", "note": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    detail = client.get(reverse("web:record", args=[record.pk])).content.decode()
    assert f"东洲甲公司（{code}）" in detail and "新屯街道" in detail


def test_admin_is_closed_to_the_town_clerk_and_read_only_for_the_system_administrator(client, personas, records):
    # A unit role never opens the admin (tests/security/test_admin.py has the whole table).
    client.force_login(personas.town_clerk)
    changelist = client.get(reverse("admin:registers_record_changelist"))
    assert changelist.status_code == 302
    assert records["town"].external_id not in changelist.content.decode()
    # Nothing can be changed through the admin, even by the system administrator: writes go through services.
    client.force_login(personas.superuser)
    assert client.get(reverse("admin:registers_record_changelist")).status_code == 200
    own = reverse("admin:registers_record_change", args=[records["town"].pk])
    client.post(own, {"status": "concluded"})
    assert Record.objects.get(pk=records["town"].pk).status == "registered"


def test_full_id_number_only_on_request_by_entitled_roles_and_each_view_is_audited(client, personas):
    from fazhi.core.models import AuditEvent

    review = create_sample(register_definition("administrative_review"), user=personas.review_officer,
                           unit=personas.justice_bureau, opened_on=D)
    from fazhi.core.services import person_create

    person = person_create(acting_user=None, org_unit=personas.justice_bureau, name="孙八",
                           id_number="11010519491231002X")
    from fazhi.registers.services import record_update

    record_update(acting_user=personas.review_officer, record=review, changes={"applicant": person.pk})
    url = reverse("web:record", args=[review.pk])
    client.force_login(personas.leader)  # reads the district, but is not entitled to personal data
    assert "11010519491231002X" not in client.post(url, {"reveal": "1"}).content.decode()
    client.force_login(personas.review_officer)
    assert "11010519491231002X" not in client.get(url).content.decode()
    before = AuditEvent.objects.filter(action="personal_data.view").count()
    assert "11010519491231002X" in client.post(url, {"reveal": "1"}).content.decode()
    assert AuditEvent.objects.filter(action="personal_data.view", actor=personas.review_officer).count() == before + 1


def test_indicator_pages_show_figures_rules_and_rankings(client, personas, records):
    client.force_login(personas.district_admin)
    page = client.get(reverse("web:indicators"), {"unit": personas.district.pk, "period": "2024"}).content.decode()
    assert "受理纠纷案件" in page and "2件" in page
    assert "暂无数据" in page  # 同比 without a previous year (comparisons.year_on_year), not −100% or blank
    detail = client.get(reverse("web:indicator", args=["mediation_cases"]),
                        {"unit": personas.district.pk, "period": "2024"}).content.decode()
    assert "哈达镇" in detail and "新屯街道" in detail and "2024年6月" in detail
    # The town clerk cannot look at the district (404, as for records), and sees the town by default.
    client.force_login(personas.town_clerk)
    assert client.get(reverse("web:indicators"), {"unit": personas.district.pk, "period": "2024"}).status_code == 404
    page = client.get(reverse("web:indicators"), {"period": "2024"}).content.decode()
    assert "哈达镇 2024年" in page
    ranking = client.get(reverse("web:indicator", args=["mediation_cases"]),
                         {"unit": personas.town.pk, "period": "2024"}).content.decode()
    assert "新屯街道" not in ranking


def test_freezing_a_snapshot_from_the_page(client, personas, records):
    from fazhi.indicators.models import IndicatorSnapshot

    client.force_login(personas.leader)
    client.post(reverse("web:snapshot_freeze"), {"unit": personas.district.pk, "period": "2024"})
    assert not IndicatorSnapshot.objects.exists()
    client.force_login(personas.district_admin)
    response = client.post(reverse("web:snapshot_freeze"), {"unit": personas.district.pk, "period": "2024"})
    assert response.status_code == 302
    assert IndicatorSnapshot.objects.get().org_unit == personas.district


def test_not_found_page_is_chinese(client, personas):
    client.force_login(personas.town_clerk)
    response = client.get("/records/999999/")
    assert response.status_code == 404 and "找不到页面" in response.content.decode()


def test_report_page_links_figures_and_downloads_docx(client, personas, mediation):
    import datetime as dt
    import io

    from docx import Document as Docx

    from fazhi.core.periods import period_parse
    from fazhi.indicators.services import snapshot_freeze

    mediation(personas.town, dt.date(2024, 5, 6), outcome="success")
    client.force_login(personas.district_admin)
    params = {"unit": personas.district.pk, "period": "2024"}
    assert "No snapshot" in client.get(reverse("web:report"), params).content.decode() or \
        "尚未冻结" in client.get(reverse("web:report"), params).content.decode()
    assert client.get(reverse("web:report_download", args=["docx"]), params).status_code == 404  # no snapshot yet
    snapshot_freeze(acting_user=personas.district_admin, org_unit=personas.district, period=period_parse("2024"))
    page = client.get(reverse("web:report"), params).content.decode()
    assert "受理纠纷案件<a class='figure' data-indicator='mediation_cases'" in page
    response = client.get(reverse("web:report_download", args=["docx"]), params)
    assert response.status_code == 200
    assert "2024年东洲区法治政府建设情况报告" in Docx(io.BytesIO(response.content)).paragraphs[0].text
    client.force_login(personas.outsider)
    assert client.get(reverse("web:report"), params).status_code == 404


def test_report_generate_and_advance_from_the_page(client, personas, mediation):
    import datetime as dt

    from fazhi.reports.models import AnnualReport
    from tests.reports.support import sections_complete

    mediation(personas.town, dt.date(2024, 5, 6), outcome="success")
    params = {"unit": personas.district.pk, "period": "2024"}
    client.force_login(personas.leader)
    client.post(reverse("web:report_action", args=["generate"]), params)
    assert not AnnualReport.objects.exists()
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    client.force_login(personas.district_admin)
    client.post(reverse("web:report_action", args=["generate"]), params)
    client.post(reverse("web:report_action", args=["advance"]), params)
    report = AnnualReport.objects.get()
    assert report.status == "reviewing" and report.runs.count() == 1
    page = client.get(reverse("web:report"), params).content.decode()
    assert "审核" in page and "核对通过" in page and reverse("web:report_approve") not in page
    # The office cannot approve what it drafted; the leader sees the 审定 button and approves.
    assert client.post(reverse("web:report_approve"), params).status_code == 403
    client.force_login(personas.leader)
    assert reverse("web:report_approve") in client.get(reverse("web:report"), params).content.decode()
    client.post(reverse("web:report_approve"), params)
    report.refresh_from_db()
    assert report.status == "approved"
    client.force_login(personas.district_admin)
    client.post(reverse("web:report_action", args=["advance"]), params)
    report.refresh_from_db()
    assert report.status == "published" and report.versions.count() == 1
    client.post(reverse("web:report_action", args=["revise"]), {**params, "reason": "更正一处数字"})
    report.refresh_from_db()
    assert report.status == "drafting" and report.revision_reason == "更正一处数字"
    assert client.get(reverse("public_report", args=[report.pk])).status_code == 200  # still shows version 1


def test_every_model_has_an_admin_page_with_a_chinese_name():
    from django.apps import apps
    from django.contrib import admin

    ours = [m for m in apps.get_models() if m.__module__.startswith("fazhi.")]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
    assert missing == []
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(m._meta.verbose_name)) for m in ours)


def test_a_rank_indicator_shows_the_place_not_the_others_values(client, personas):
    import datetime as dt

    from fazhi.datasets.services import datavalues_save

    for unit, population, resolved in ((personas.town, 20000, 300), (personas.street, 50000, 400)):
        unit.population = population
        unit.save(update_fields=["population"])
        datavalues_save(acting_user=personas.district_admin, dataset="dispute_screening", org_unit=unit,
                        period_start=dt.date(2024, 1, 1),
                        values={("screened", None): resolved + 5, ("resolved", None): resolved})
    client.force_login(personas.town_clerk)  # 哈达镇: 1500 per 100,000 against 新屯街道's 800
    page = client.get(reverse("web:indicator", args=["disputes_resolved_per_100k_rank"]),
                      {"unit": personas.town.pk, "period": "2024"}).content.decode()
    assert "第1位（共2个单位参加排名）" in page
    assert "新屯街道" not in page and "800" not in page  # the other town's figures are not the clerk's to see


def test_a_record_written_by_the_system_shows_its_timeline(client, personas):
    """Imports and batch jobs write with no acting user; the record page names the system instead of failing."""
    from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

    record_bulk_import(acting_user=None, register="people_mediation", rows=[ImportRow(
        "SYS-1", personas.town, dt.date(2024, 3, 1),
        {"organization_type": "traffic", "dispute_type": "traffic", "summary": "剐蹭"},
        steps=[ImportStep("start", dt.date(2024, 3, 2))])])
    client.force_login(personas.district_admin)
    page = client.get(reverse("web:record", args=[Record.objects.get(external_id="SYS-1").pk]))
    assert page.status_code == 200 and "系统（导入或批处理）" in page.content.decode()


def test_create_form_registers_parties_and_record_together_or_not_at_all(client, personas):
    """record_new hands the typed-in parties to record_register: a refused record leaves no person behind,
    and an entity of another district found by its credit code is refused at its field."""
    from fazhi.core.identity import credit_code_check_digit
    from fazhi.core.models import Person
    from fazhi.core.services import entity_create

    client.force_login(personas.mediator)
    url = reverse("web:record_new", args=["people_mediation"])
    post = {"org_unit": personas.town.pk, "opened_on": "2024-06-03", "organization_type": "traffic",
            "dispute_type": "traffic", "summary": "剐蹭", "party__name": "钱七"}
    assert client.post(url, post).status_code == 302
    people = Person.objects.count()
    page = client.post(url, {**post, "opened_on": "2999-01-01"}).content.decode()
    assert "晚于今天" in page
    assert Person.objects.count() == people
    first17 = "91210804MA0ABCDE1"
    west = entity_create(acting_user=None, org_unit=personas.other_street, name="西市甲公司",
                         credit_code=first17 + credit_code_check_digit(first17))
    client.force_login(personas.town_clerk)
    url = reverse("web:record_new", args=["business_manager_services"])
    response = client.post(url, {"external_id": "FW-1", "org_unit": personas.town.pk, "served_on": "2024-06-03",
                                 "entity__credit_code": west.credit_code, "manager_name": "王伟", "manner": "visit"})
    assert response.status_code == 200
    assert "“市场主体”引用的对象不存在或不在您的管辖范围内" in response.context["form"].errors["entity__credit_code"]
    assert not Record.objects.filter(external_id="FW-1").exists()


def test_report_page_locks_the_years_data_sets_before_approval(client, personas, mediation):
    import datetime as dt

    from fazhi.datasets.models import DataSetReport
    from fazhi.datasets.services import datavalues_save
    from fazhi.reports.models import AnnualReport
    from tests.reports.support import sections_complete

    mediation(personas.town, dt.date(2024, 5, 6), outcome="success")
    datavalues_save(acting_user=personas.town_clerk, dataset="legal_publicity", org_unit=personas.town,
                    period_start=dt.date(2024, 1, 1), values={("events", None): 3})
    params = {"unit": personas.district.pk, "period": "2024"}
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    client.force_login(personas.district_admin)
    client.post(reverse("web:report_action", args=["generate"]), params)
    client.post(reverse("web:report_action", args=["advance"]), params)
    report = AnnualReport.objects.get()
    client.force_login(personas.leader)
    page = client.get(reverse("web:report"), params).content.decode()
    assert "本年度尚有 1 份数据集报表未锁定" in page
    assert reverse("web:report_lock_datasets") not in page  # a leader approves; locking is the office's
    client.post(reverse("web:report_approve"), params)
    report.refresh_from_db()
    assert report.status == "reviewing"
    assert client.post(reverse("web:report_lock_datasets"), params).status_code == 403
    client.force_login(personas.district_admin)
    assert reverse("web:report_lock_datasets") in client.get(reverse("web:report"), params).content.decode()
    client.post(reverse("web:report_lock_datasets"), params)
    assert DataSetReport.objects.get().locked
    client.force_login(personas.leader)
    assert "未锁定" not in client.get(reverse("web:report"), params).content.decode()
    client.post(reverse("web:report_approve"), params)
    report.refresh_from_db()
    assert report.status == "approved"
