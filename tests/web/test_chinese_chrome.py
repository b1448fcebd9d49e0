"""Pages show only Chinese chrome (issue 13 acceptance): the English a zh-hans user saw before is gone.

Before: the admin index listed "Axes · Access attempts", "Knox · Auth tokens", "Otp_Totp · TOTP devices",
"Tasks Database Backend · Task Results" and the headers "Model name / Add link"; form labels ended with
the ASCII colon (编号:) and the data-set entry page said 状态: 未填报."""

from __future__ import annotations

import re

import pytest

ENGLISH_BEFORE = ["Axes", "Access attempts", "Access failures", "Access logs", "Knox", "Auth tokens", "Otp_Totp",
                  "TOTP devices", "Tasks Database Backend", "Task Results", "Model name", "Add link",
                  "Change or view list link"]
PAGES = ["/", "/workbench/", "/registers/people_mediation/", "/indicators/", "/report/", "/report/sections/",
         "/datasets/", "/checker/", "/cockpit/"]


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("persona", ["district_admin", "town_clerk", "mediator", "leader"])
def test_main_pages_show_no_english_chrome(client, personas, persona):
    client.force_login(getattr(personas, persona))
    for path in PAGES:
        response = client.get(path)
        if response.status_code != 200:
            continue  # pages the persona may not open are tested elsewhere
        text = _text(response.content.decode())
        assert [w for w in ENGLISH_BEFORE if w in text] == [], path
        assert not re.search(r"[\u4e00-\u9fff]:", text), path  # no ASCII colon after Chinese


def test_the_admin_index_names_third_party_apps_in_chinese(client, personas):
    client.force_login(personas.superuser)
    text = _text(client.get("/admin/").content.decode())
    assert [w for w in ENGLISH_BEFORE if w in text] == []
    for name in ("登录失败锁定", "登录失败计数", "接口令牌", "动态口令设备", "后台任务结果"):
        assert name in text
    attempts = _text(client.get("/admin/axes/accessattempt/").content.decode())
    assert "Attempt Time" not in attempts and "Locked Out" not in attempts and "尝试时间" in attempts


def test_form_labels_end_with_the_full_width_colon(client, personas):
    client.force_login(personas.mediator)
    page = client.get("/registers/people_mediation/new/").content.decode()
    labels = re.findall(r"<label[^>]*>(.*?)</label>", page, flags=re.S)
    assert labels and all(_text(label).endswith("：") for label in labels if "<input" not in label)
    assert not any(_text(label).endswith(":") for label in labels)


# Before: the admin's device list said "Search by user's username or email", "Name Created at Last used at
# Confirmed QR Code", its page "Identity / Timestamps / Configuration / State / Throttling" with django-otp's
# English help texts, and the QR page "Install segno or qrcode"; /datasets/ showed the office the code
# "law_enforcement" in a data set's description.
OTP_ENGLISH_BEFORE = ["Search by", "Created at", "Last used at", "Confirmed", "QR Code", "qrcode", "Identity",
                      "Timestamps", "Configuration", "Throttling", "Tolerance", "Drift", "Digits",
                      "The user that this device belongs to", "human-readable", "Install"]


def test_the_second_factor_pages_and_device_list_are_chinese(client, personas):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=personas.town_clerk, name="身份验证器", confirmed=True)
    client.force_login(personas.superuser)
    for path in ("/admin/otp_totp/totpdevice/", f"/admin/otp_totp/totpdevice/{device.pk}/change/",
                 f"/admin/otp_totp/totpdevice/{device.pk}/config/"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = _text(response.content.decode())
        assert [w for w in OTP_ENGLISH_BEFORE if w in text] == [], path
    listing = _text(client.get("/admin/otp_totp/totpdevice/").content.decode())
    for name in ("用户", "名称", "创建时间", "最近使用时间", "已确认", "二维码"):
        assert name in listing
    change = _text(client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode())
    assert "此设备所属的用户" in change and "失败限制" in change
    client.force_login(personas.district_admin)
    for path in ("/account/otp/", "/account/tokens/", "/account/password/"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = _text(response.content.decode())
        assert [w for w in ENGLISH_BEFORE + OTP_ENGLISH_BEFORE if w in text] == [], path


@pytest.mark.parametrize("persona", ["district_admin", "town_clerk", "leader"])
def test_the_data_sets_page_shows_no_definition_code(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get("/datasets/")
    assert response.status_code == 200
    text = _text(response.content.decode()).replace(persona, "")  # the personas' names are their codes
    assert re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", text) == []  # law_enforcement, people_mediation …


@pytest.mark.django_db
def test_translating_third_party_names_needs_no_migration_in_their_packages():
    # Chinese names given to django-otp's fields must not change its models' state (a migration would be
    # written into site-packages); `makemigrations --check` exits non-zero on any missing migration.
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
