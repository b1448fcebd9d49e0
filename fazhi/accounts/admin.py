"""The admin's list of second-factor devices in Chinese: django-otp writes its fieldsets, search help and
QR-code column as plain English strings, which no catalogue translates, so its ModelAdmin is registered
again here with Chinese ones (the field names and help come from `core.thirdparty_apps.TOTP_FIELDS`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.filters import BooleanFieldListFilter, DateFieldListFilter, FieldListFilter
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.core.thirdparty_apps import TOTP_FIELDS

FIELDSET_NAMES = {"Identity": "设备", "Timestamps": "时间", "Configuration": "配置", "State": "状态",
                  "Throttling": "失败限制"}


def _titled(base: type[FieldListFilter]) -> type[FieldListFilter]:
    """A list filter titled with the field's Chinese name (the model field keeps django-otp's own)."""

    class Titled(base):  # type: ignore[valid-type,misc]  # a class made from a parameter
        def __init__(self, field: Any, request: Any, params: Any, model: Any, model_admin: Any,
                     field_path: str) -> None:
            super().__init__(field, request, params, model, model_admin, field_path)
            self.title = TOTP_FIELDS[field_path][0]

    return Titled


def _column(code: str) -> Any:
    """A list column showing the device field `code` under its Chinese name, sortable by the field."""

    def show(device: TOTPDevice) -> Any:
        return getattr(device, code)

    if code == "confirmed":
        return admin.display(description=TOTP_FIELDS[code][0], ordering=code, boolean=True)(show)
    return admin.display(description=TOTP_FIELDS[code][0], ordering=code)(show)


class TotpDeviceAdmin(TOTPDeviceAdmin):
    search_help_text = "按用户名或电子邮箱搜索"
    list_display = [_column(code) for code in ("user", "name", "created_at", "last_used_at", "confirmed")]
    list_filter = [("created_at", _titled(DateFieldListFilter)), ("last_used_at", _titled(DateFieldListFilter)),
                   ("confirmed", _titled(BooleanFieldListFilter))]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        for code, field in form.base_fields.items():
            if code in TOTP_FIELDS:
                field.label, field.help_text = TOTP_FIELDS[code]
        return form

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[Any]:
        # Read-only fields are labelled by the model field's name: show the two times as named columns.
        return ["created_at_shown", "last_used_at_shown", "qrcode_link"]

    @admin.display(description=TOTP_FIELDS["created_at"][0])
    def created_at_shown(self, device: TOTPDevice) -> Any:
        return device.created_at

    @admin.display(description=TOTP_FIELDS["last_used_at"][0])
    def last_used_at_shown(self, device: TOTPDevice) -> Any:
        return device.last_used_at

    def get_fieldsets(self, request: Any, obj: Any = None) -> list[Any]:
        shown = {"created_at": "created_at_shown", "last_used_at": "last_used_at_shown"}
        return [(FIELDSET_NAMES.get(name, name) if name else name,
                 {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
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
