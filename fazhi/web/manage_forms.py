"""Forms of the administration pages (units, users and their roles, year-end close)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from fazhi.core.models import OrgUnit, OrgUnitKind, PeriodCloseScope, Role


def _set_units(form: forms.Form, name: str, units: QuerySet[OrgUnit]) -> None:
    # self.fields is typed as plain Field; the field declared under `name` is a ModelChoiceField.
    cast("forms.ModelChoiceField[OrgUnit]", form.fields[name]).queryset = units


class UnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=OrgUnitKind.choices)
    parent: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(label="上级单位", queryset=None)
    division_code = forms.RegexField(label="行政区划代码", regex=r"^(\d{6}|\d{9}|\d{12})$", required=False,
                                     error_messages={"invalid": "应为6、9或12位数字"})
    population = forms.IntegerField(label="常住人口", min_value=0, required=False)

    def __init__(self, *args: Any, parents: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_units(self, "parent", parents)


class UnitEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    division_code = forms.RegexField(label="行政区划代码", regex=r"^(\d{6}|\d{9}|\d{12})$", required=False,
                                     error_messages={"invalid": "应为6、9或12位数字"})
    population = forms.IntegerField(label="常住人口", min_value=0, required=False)


class UserCreateForm(forms.Form):
    username = forms.RegexField(label="用户名", max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": "只能包含字母、数字和 @/./+/-/_"})
    full_name = forms.CharField(label="姓名", max_length=150)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput)
    role = forms.ModelChoiceField(label="角色", queryset=Role.objects.order_by("name"))
    org_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(label="单位", queryset=None)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_units(self, "org_unit", units)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)


class MembershipGrantForm(forms.Form):
    role = forms.ModelChoiceField(label="角色", queryset=Role.objects.order_by("name"))
    org_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(label="单位", queryset=None)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_units(self, "org_unit", units)


class PeriodCloseForm(forms.Form):
    org_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(label="单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    scope = forms.ChoiceField(label="范围", choices=PeriodCloseScope.choices)
    code = forms.ChoiceField(label="登记簿或数据集", required=False)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_units(self, "org_unit", units)
        cast(forms.ChoiceField, self.fields["code"]).choices = [("", "——")] + codes


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class HolidayNoticeForm(forms.Form):
    """The State Council's holiday notice, pasted as published (国务院办公厅关于某年部分节假日安排的通知)."""

    notice = forms.CharField(label="通知全文", max_length=20000, widget=forms.Textarea(attrs={"rows": 12}),
                             help_text="从中国政府网复制“国务院办公厅关于××××年部分节假日安排的通知”的全文粘贴在此。")
