"""The admin's list of second-factor devices in Chinese: django-otp writes its fieldsets, search help and
QR-code column as plain English strings, which no catalogue translates, so its ModelAdmin is registered
again here with Chinese ones (the field names and help come from `core.thirdparty_apps.TOTP_FIELDS`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

FIELDSET_NAMES = {"Identity": "设备", "Timestamps": "时间", "Configuration": "配置", "State": "状态",
                  "Throttling": "失败限制"}


class TotpDeviceAdmin(TOTPDeviceAdmin):
    search_help_text = "按用户名或电子邮箱搜索"

    def get_fieldsets(self, request: Any, obj: Any = None) -> list[Any]:
        return [(FIELDSET_NAMES.get(name, name) if name else name, options)
                for name, options in super().get_fieldsets(request, obj)]

    def config_view(self, request: Any, pk: int) -> Any:
        response = super().config_view(request, pk)
        response.template_name = "accounts/totp_config.html"  # its own page says "Install segno or qrcode"
        return response

    @admin.display(description="二维码")
    def qrcode_link(self, device: TOTPDevice) -> str:
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, "二维码")


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TotpDeviceAdmin)
