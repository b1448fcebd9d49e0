"""Administration pages: org units, users and their roles, year-end close and the corrections after
close. Thin: reads here are scoped by core.access, every write goes through a core service (which
checks again and writes the audit row). A user or unit outside what one administers is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.calendarsource import entries_differences, package_entries
from fazhi.core.closing import ClosingError
from fazhi.core.errors import CoreErrorCode
from fazhi.core.holidaynotice import NoticeError, holiday_notice_read
from fazhi.core.models import CalendarDay, LateCorrection, Membership, OrgUnit, PeriodClose, PeriodCloseScope
from fazhi.core.services import (
    CoreError,
    calendar_year_set,
    membership_grant,
    membership_revoke,
    orgunit_create,
    orgunit_update,
    period_close,
    period_reopen,
    user_administrable,
    user_create,
    user_deactivate,
    user_password_reset,
)
from fazhi.datasets.registry import dataset_definitions
from fazhi.registers.registry import register_definitions

from .manage_forms import (
    HolidayNoticeForm,
    MembershipGrantForm,
    PasswordResetForm,
    PeriodCloseForm,
    ReasonForm,
    UnitEditForm,
    UnitForm,
    UserCreateForm,
)


def _administered_units(user):
    return access.units_where(user, Perm.UNIT_ADMIN).order_by("depth", "name")


def _refusal(request, exc: Exception) -> None:
    messages.error(request, getattr(exc, "message", None) or str(exc))


@perm_required(Perm.UNIT_ADMIN)
def unit_list(request):
    units = list(_administered_units(request.user))
    form = UnitForm(request.POST or None, parents=_administered_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access.require(request.user, Perm.UNIT_ADMIN, data["parent"])
            if OrgUnit.objects.filter(parent=data["parent"], name=data["name"].strip()).exists():
                raise CoreError(CoreErrorCode.UNIT_NAME_TAKEN, f"“{data['parent'].name}”下已有名为“{data['name'].strip()}”的单位")
            unit = orgunit_create(acting_user=request.user, name=data["name"].strip(), kind=data["kind"],
                                  parent=data["parent"], division_code=data["division_code"] or "",
                                  population=data["population"])
        except (CoreError, access.AccessDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, f"已新建单位“{unit.name}”")
            return redirect("web:manage_units")
    # Indent by depth below the shallowest administered unit; children follow their parent.
    by_parent: dict[int | None, list[OrgUnit]] = {}
    ids = {u.pk for u in units}
    for u in units:
        by_parent.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    tree: list[tuple[int, OrgUnit]] = []

    def walk(parent: int | None, level: int) -> None:
        for child in by_parent.get(parent, []):
            tree.append((level, child))
            walk(child.pk, level + 1)

    walk(None, 0)
    return render(request, "web/manage_units.html", {"tree": tree, "form": form})


@perm_required(Perm.UNIT_ADMIN)
def unit_edit(request, pk: int):
    unit = _administered_units(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404("没有这个单位，或不在您的管理范围内")
    form = UnitEditForm(request.POST or None, initial={"name": unit.name, "division_code": unit.division_code,
                                                      "population": unit.population})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            orgunit_update(acting_user=request.user, unit=unit, name=data["name"].strip(),
                           division_code=data["division_code"] or "", population=data["population"])
        except (CoreError, access.AccessDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, f"已保存“{unit.name}”")
            return redirect("web:manage_units")
    return render(request, "web/manage_unit.html", {"unit": unit, "form": form})


def _users_administered(user):
    User = get_user_model()
    if user.is_superuser:
        return User.objects.order_by("username")
    units = access.units_where(user, Perm.USER_ADMIN).values("pk")
    inside = Membership.objects.filter(org_unit_id__in=units).values("user_id")
    outside = Membership.objects.exclude(org_unit_id__in=units).values("user_id")
    return (User.objects.filter(pk__in=inside, is_superuser=False).exclude(pk__in=outside)
            .exclude(pk=user.pk).order_by("username"))


def _user_or_404(request, pk: int):
    target = get_user_model().objects.filter(pk=pk).first()
    if target is None or not user_administrable(request.user, target) or target.pk == request.user.pk:
        raise Http404("没有这个用户，或不在您的管理范围内")
    return target


@perm_required(Perm.USER_ADMIN)
def user_list(request):
    units = access.units_where(request.user, Perm.USER_ADMIN).order_by("depth", "name")
    form = UserCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = user_create(acting_user=request.user, username=data["username"], password=data["password"],
                                  full_name=data["full_name"].strip(), role=data["role"], org_unit=data["org_unit"])
        except (CoreError, access.AccessDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, f"已新建用户 {created.username}")
            return redirect("web:manage_user", pk=created.pk)
    users = list(_users_administered(request.user)[:500])
    roles: dict[int, list[Membership]] = {}
    for m in Membership.objects.filter(user__in=users).select_related("role", "org_unit"):
        roles.setdefault(m.user_id, []).append(m)
    rows = [(u, roles.get(u.pk, [])) for u in users]
    return render(request, "web/manage_users.html", {"rows": rows, "form": form})


@perm_required(Perm.USER_ADMIN)
def user_detail(request, pk: int):
    target = _user_or_404(request, pk)
    units = _administered_units(request.user)
    grant_form = MembershipGrantForm(units=units)
    password_form = PasswordResetForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "grant":
                grant_form = MembershipGrantForm(request.POST, units=units)
                if grant_form.is_valid():
                    membership_grant(acting_user=request.user, user=target, role=grant_form.cleaned_data["role"],
                                     org_unit=grant_form.cleaned_data["org_unit"])
                    messages.success(request, "已授予角色")
                    return redirect("web:manage_user", pk=target.pk)
            elif action == "revoke":
                membership_id = request.POST.get("membership", "")
                membership = (Membership.objects.filter(user=target, pk=int(membership_id))
                              .select_related("role", "org_unit", "user").first()
                              if membership_id.isdigit() else None)
                if membership is None:
                    raise Http404("没有这项任职")
                membership_revoke(acting_user=request.user, membership=membership)
                messages.success(request, f"已撤销“{membership.org_unit.name}”的{membership.role.name}")
                return redirect("web:manage_user", pk=target.pk)
            elif action == "password":
                password_form = PasswordResetForm(request.POST)
                if password_form.is_valid():
                    user_password_reset(acting_user=request.user, user=target,
                                        password=password_form.cleaned_data["password"])
                    messages.success(request, "已重置密码")
                    return redirect("web:manage_user", pk=target.pk)
            elif action in ("deactivate", "activate"):
                user_deactivate(acting_user=request.user, user=target, active=action == "activate")
                messages.success(request, "已启用" if action == "activate" else "已停用")
                return redirect("web:manage_user", pk=target.pk)
            else:
                messages.error(request, "未知的操作")
        except (CoreError, access.AccessDenied) as exc:
            _refusal(request, exc)
    memberships = Membership.objects.filter(user=target).select_related("role", "org_unit").order_by("pk")
    return render(request, "web/manage_user.html", {
        "target": target, "memberships": memberships, "grant_form": grant_form, "password_form": password_form,
    })


def _close_codes() -> list[tuple[str, str]]:
    return ([(d.code, f"登记簿：{d.name}") for d in register_definitions()]
            + [(d.code, f"数据集：{d.name}") for d in dataset_definitions()])


@perm_required(Perm.PERIOD_CLOSE)
def period_list(request):
    units = access.units_where(request.user, Perm.PERIOD_CLOSE).order_by("depth", "name")
    form = PeriodCloseForm(request.POST or None, units=units, codes=_close_codes())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registers = {d.code for d in register_definitions()}
        datasets = {d.code for d in dataset_definitions()}
        code = data["code"] if data["scope"] != PeriodCloseScope.ALL else ""
        if (data["scope"] == PeriodCloseScope.REGISTER and code not in registers) or (
                data["scope"] == PeriodCloseScope.DATASET and code not in datasets):
            messages.error(request, "所选登记簿或数据集与关账范围不符")
        else:
            try:
                period_close(acting_user=request.user, org_unit=data["org_unit"], year=data["year"],
                             scope=data["scope"], code=code)
            except (ClosingError, access.AccessDenied) as exc:
                _refusal(request, exc)
            else:
                messages.success(request, f"{data['year']}年已关账")
                return redirect("web:manage_periods")
    closes = PeriodClose.objects.filter(org_unit__in=units).select_related("org_unit", "closed_by").order_by(
        "-year", "org_unit__name")
    return render(request, "web/manage_periods.html", {"form": form, "closes": closes})


@require_POST
@perm_required(Perm.PERIOD_CLOSE)
def period_reopen_view(request, pk: int):
    units = access.units_where(request.user, Perm.PERIOD_CLOSE)
    close = PeriodClose.objects.filter(pk=pk, org_unit__in=units).select_related("org_unit").first()
    if close is None:
        raise Http404("没有这项关账")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "重新开账须写明理由")
        return redirect("web:manage_periods")
    try:
        period_reopen(acting_user=request.user, org_unit=close.org_unit, year=close.year, scope=close.scope,
                      code=close.code, reason=form.cleaned_data["reason"])
    except (ClosingError, access.AccessDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"{close.year}年已重新开账")
    return redirect("web:manage_periods")


@perm_required(Perm.UNIT_READ)
def correction_list(request):
    """Every correction after close in the reader's jurisdiction, newest first."""
    year = request.GET.get("year", "")
    corrections = access.scope_queryset(request.user, LateCorrection.objects.select_related("org_unit", "actor"))
    if year:
        if not (year.isdigit() and len(year) == 4):
            from django.core.exceptions import BadRequest

            raise BadRequest("年度参数无效")
        corrections = corrections.filter(year=int(year))
    return render(request, "web/manage_corrections.html", {"corrections": corrections[:500], "year": year})


@perm_required(Perm.CALENDAR_MANAGE)
def calendar_view(request):
    """The holiday calendar by year, and loading a year from the State Council's notice: paste, preview
    (the days read, and where they differ from what is stored and from the chinesecalendar package), confirm.
    The confirmation reads the pasted text again, so what is stored is what the preview showed."""
    from fazhi.core.workdays import calendar_years_held

    form = HolidayNoticeForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            arrangement = holiday_notice_read(form.cleaned_data["notice"])
        except NoticeError as exc:
            form.add_error("notice", exc.message)
        else:
            if request.POST.get("action") == "confirm":
                try:
                    count = calendar_year_set(acting_user=request.user, arrangement=arrangement)
                except access.AccessDenied as exc:
                    _refusal(request, exc)
                else:
                    messages.success(request, f"已载入{arrangement.year}年节假日安排（{count}天）")
                    return redirect("web:manage_calendar")
            entries = arrangement.entries()
            stored = [(d, k, n) for d, k, n in CalendarDay.objects.filter(date__year=arrangement.year)
                      .values_list("date", "kind", "name")]
            package = package_entries(arrangement.year)
            preview = {
                "arrangement": arrangement,
                "items": [(name, days, arrangement.workdays.get(name, []))
                          for name, days in arrangement.holidays.items()],
                "stored": bool(stored),
                "stored_differences": [d.describe("现有安排", "通知") for d in
                                       entries_differences(stored, entries)] if stored else [],
                "package": bool(package),
                "package_differences": [d.describe("通知", "chinesecalendar ") for d in
                                        entries_differences(entries, package)] if package else [],
            }
    years = calendar_years_held()
    next_year = timezone.localdate().year + 1
    return render(request, "web/manage_calendar.html", {
        "form": form, "preview": preview, "years": years,
        "this_year_missing": next_year - 1 not in years,
        "next_year": next_year, "next_year_missing": next_year not in years,
    })
