"""The holiday calendar page: years held, the warning for a missing next year, paste → preview → confirm."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.core.models import CalendarDay

NOTICES = Path(__file__).parents[1] / "core" / "data" / "holiday_notices"
PAGE = "web:manage_calendar"


@pytest.mark.parametrize("name", ["district_admin", "leader", "town_clerk", "outsider"])
def test_only_system_administrators_see_the_page_and_its_link(client, personas, name):
    client.force_login(getattr(personas, name))
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), {"notice": "x", "action": "confirm"}).status_code == 403
    if name == "district_admin":
        assert reverse(PAGE) not in client.get(reverse("web:manage_units")).content.decode()


def test_the_page_lists_years_and_warns_of_a_missing_next_year(client, personas):
    client.force_login(personas.superuser)
    next_year = timezone.localdate().year + 1
    CalendarDay.objects.filter(date__year=next_year).delete()
    page = client.get(reverse(PAGE)).content.decode()
    assert "<td>2025</td>" in page
    assert f"尚未载入{next_year}年的节假日安排" in page
    assert reverse(PAGE) in client.get(reverse("web:manage_units")).content.decode()


def test_paste_preview_then_confirm_loads_the_year(client, personas):
    client.force_login(personas.superuser)
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    CalendarDay.objects.filter(date__year=2026, name="国庆节").delete()
    preview = client.post(reverse(PAGE), {"notice": text, "action": "preview"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2月15日至2月23日，共9天" in page
    # What is stored lacks 国庆节: the preview names the days that will change.
    assert "2026-10-01：现有安排为普通日，通知为法定节假日" in page
    assert "确认载入2026年安排" in page
    assert not CalendarDay.objects.filter(date__year=2026, name="国庆节").exists()
    confirmed = client.post(reverse(PAGE), {"notice": text, "action": "confirm"})
    assert confirmed.status_code == 302
    assert CalendarDay.objects.filter(date__year=2026, name="国庆节").count() == 9


def test_a_mangled_notice_is_refused_at_the_field_and_the_text_is_kept(client, personas):
    client.force_login(personas.superuser)
    before = CalendarDay.objects.count()
    text = (NOTICES / "2017-mangled.txt").read_text(encoding="utf-8")
    response = client.post(reverse(PAGE), {"notice": text, "action": "confirm"})
    page = response.content.decode()
    assert response.status_code == 200 and "六、" in page and "errorlist" in page
    assert "0月1日" in page  # the pasted text is still in the box
    assert CalendarDay.objects.count() == before
