"""Data-set pages: the grid keeps what was typed on error, steps, completeness, and 404 outside one's jurisdiction."""

import pytest
from django.urls import reverse

from fazhi.datasets.models import DataSetReport, DataValue, ReportStatus

from .conftest import START

pytestmark = pytest.mark.urls("tests.datasets.urls")
DS = "legal_publicity"


def entry_url(unit, period="2024"):
    return reverse("datasets:entry", args=[DS, unit.pk, period])


def step_url(unit, step, period="2024"):
    return reverse("datasets:step", args=[DS, unit.pk, period, step])


def login(client, user):
    client.force_login(user)
    return client


def test_index_lists_the_users_units(client, personas):
    page = login(client, personas.town_clerk).get(reverse("datasets:index") + "?period=2024").content.decode()
    assert "普法宣传" in page and "哈达镇" in page
    assert "新屯街道" not in page


def test_outsider_sees_no_unit(client, personas):
    client = login(client, personas.outsider)
    assert "哈达镇" not in client.get(reverse("datasets:index")).content.decode()
    assert client.get(entry_url(personas.town)).status_code == 404
    assert client.post(entry_url(personas.town), {"materials|": "3"}).status_code == 404
    url = reverse("datasets:completeness", args=[DS, "2024"]) + f"?unit={personas.district.pk}"
    assert client.get(url).status_code == 404


def test_clerk_saves_the_grid(client, personas):
    client = login(client, personas.town_clerk)
    response = client.post(entry_url(personas.town), {
        "events|": "10", "events|venue=school": "4", "materials|": "500", "people_reached|": "1,200",
        "consultations|": "",
    })
    assert response.status_code == 302
    values = {(v.element, v.disaggregation): v.value for v in DataValue.objects.filter(org_unit=personas.town)}
    assert values == {("events", ""): 10, ("events", "venue=school"): 4, ("materials", ""): 500,
                      ("people_reached", ""): 1200}
    page = client.get(entry_url(personas.town)).content.decode()
    assert 'value="1200"' in page


def test_bad_cell_shows_error_and_keeps_what_was_typed(client, personas):
    client = login(client, personas.town_clerk)
    response = client.post(entry_url(personas.town), {
        "events|": "10", "events|venue=school": "-4", "materials|": "五百", "people_reached|": "1200",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "“普法宣传活动（活动场所：学校）”不能为负数" in page
    assert "“发放宣传材料”须填写数字，不能是“五百”" in page
    assert 'value="五百"' in page and 'value="-4"' in page and 'value="1200"' in page
    assert not DataValue.objects.exists()


def test_parts_exceeding_total_is_shown_on_the_row(client, personas):
    client = login(client, personas.town_clerk)
    response = client.post(entry_url(personas.town), {"events|": "3", "events|venue=school": "4"})
    assert response.status_code == 400
    assert "分列之和 4 超过合计 3" in response.content.decode()


def test_clerk_cannot_open_another_street(client, personas):
    client = login(client, personas.town_clerk)
    assert client.get(entry_url(personas.street)).status_code == 404
    assert client.post(entry_url(personas.street), {"materials|": "3"}).status_code == 404
    assert not DataValue.objects.exists()


def test_leader_reads_without_inputs(client, personas):
    login(client, personas.town_clerk).post(entry_url(personas.town), {"materials|": "7"})
    client = login(client, personas.leader)
    page = client.get(entry_url(personas.town)).content.decode()
    # The figures as text: no form is offered to who cannot save it.
    assert '<span class="cell-value">7</span>' in page and "<input class=\"cell" not in page
    assert "保存</button>" not in page and "报送</button>" not in page
    assert client.post(entry_url(personas.town), {"materials|": "8"}).status_code == 403
    client.post(step_url(personas.town, "approve"))
    assert DataValue.objects.get(element="materials").value == 7


def test_submit_return_approve_through_pages(client, personas):
    p = personas
    clerk = login(client, p.town_clerk)
    clerk.post(entry_url(p.town), {"events|": "2", "materials|": "0", "people_reached|": "30"})
    clerk.post(step_url(p.town, "submit"))
    assert DataSetReport.objects.get(org_unit=p.town).status == ReportStatus.SUBMITTED
    assert "已报送" in clerk.get(entry_url(p.town)).content.decode()
    admin = login(client, p.district_admin)
    admin.post(step_url(p.town, "return"), {"reason": "请补充受众人数"})
    report = DataSetReport.objects.get(org_unit=p.town)
    assert report.status == ReportStatus.DRAFT and report.returned_reason == "请补充受众人数"
    assert "请补充受众人数" in admin.get(entry_url(p.town)).content.decode()
    login(client, p.town_clerk).post(step_url(p.town, "submit"))
    admin = login(client, p.district_admin)
    admin.post(step_url(p.town, "approve"))
    admin.post(step_url(p.town, "lock"))
    report = DataSetReport.objects.get(org_unit=p.town)
    assert report.status == ReportStatus.APPROVED and report.locked


def test_refused_step_is_a_message_not_a_change(client, personas):
    client = login(client, personas.town_clerk)
    response = client.post(step_url(personas.town, "submit"), follow=True)
    assert "尚未填报" in response.content.decode()
    assert not DataSetReport.objects.exists()


def test_completeness_page(client, personas):
    p = personas
    login(client, p.town_clerk).post(entry_url(p.town), {"events|": "2", "materials|": "0"})
    client = login(client, p.district_admin)
    url = reverse("datasets:completeness", args=[DS, "2024"]) + f"?unit={p.district.pk}"
    page = client.get(url).content.decode()
    for name in ("区司法局", "哈达镇", "新屯街道", "逾期未报", "66%"):
        assert name in page
    assert "哈达镇司法所" not in page


def test_unknown_dataset_or_wrong_period_is_404(client, personas):
    client = login(client, personas.district_admin)
    assert client.get(reverse("datasets:entry", args=["nope", personas.town.pk, "2024"])).status_code == 404
    assert client.get(entry_url(personas.town, "2024Q1")).status_code == 404
    assert client.get(entry_url(personas.town_office)).status_code == 404


def test_values_saved_start_a_draft(personas, client):
    login(client, personas.town_clerk).post(entry_url(personas.town), {"materials|": "1"})
    assert DataSetReport.objects.get().period_start == START


def test_save_and_submit_keeps_the_typed_figures(client, personas):
    """报送 without 保存 threw the typed figures away: the grid's own button saves, then submits."""
    client = login(client, personas.town_clerk)
    page = client.get(entry_url(personas.town)).content.decode()
    assert 'name="then" value="submit"' in page and "保存并报送" in page
    assert step_url(personas.town, "submit") not in page  # no submit button outside the grid while editable
    response = client.post(entry_url(personas.town), {"events|": "2", "materials|": "0", "people_reached|": "30",
                                                      "then": "submit"}, follow=True)
    assert DataValue.objects.get(element="events").value == 2
    assert DataSetReport.objects.get(org_unit=personas.town).status == ReportStatus.SUBMITTED
    assert "已报送" in response.content.decode()


def test_save_and_submit_saves_even_when_the_submission_is_refused(client, personas):
    client = login(client, personas.town_clerk)
    response = client.post(entry_url(personas.town), {"materials|": "5", "then": "submit"}, follow=True)
    assert DataValue.objects.get(element="materials").value == 5  # kept
    assert DataSetReport.objects.get(org_unit=personas.town).status == ReportStatus.DRAFT
    assert "必填数据项尚未填写" in response.content.decode()


def test_refused_cells_are_not_submitted(client, personas):
    client = login(client, personas.town_clerk)
    response = client.post(entry_url(personas.town), {"events|": "两个", "then": "submit"})
    assert response.status_code == 400 and 'value="两个"' in response.content.decode()
    assert not DataSetReport.objects.filter(status=ReportStatus.SUBMITTED).exists()
