from django.urls import path

from . import (
    cockpit_views,
    correction_views,
    indicator_views,
    manage_views,
    report_views,
    section_views,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("cockpit/", cockpit_views.cockpit, name="cockpit"),
    path("registers/<slug:register>/", views.record_list, name="record_list"),
    path("registers/<slug:register>/new/", views.record_new, name="record_new"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/correct/<slug:action>/", correction_views.record_correct, name="record_correct"),
    path("records/<int:pk>/<slug:transition>/", views.record_transition_view, name="record_transition"),
    path("indicators/", indicator_views.indicator_overview, name="indicators"),
    path("indicators/freeze/", indicator_views.snapshot_freeze_view, name="snapshot_freeze"),
    path("indicators/<slug:code>/", indicator_views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/records/", indicator_views.indicator_records_view, name="indicator_records"),
    path("report/", report_views.report_draft, name="report"),
    path("report/sections/", section_views.section_list, name="sections"),
    path("report/sections/assign/", section_views.section_assign_view, name="section_assign"),
    path("report/sections/<int:pk>/", section_views.section_detail, name="section"),
    path("report/sections/<int:pk>/<slug:action>/", section_views.section_action, name="section_action"),
    path("report/download/<slug:fmt>/", report_views.report_download, name="report_download"),
    path("report/<slug:action>/", report_views.report_action, name="report_action"),
    path("manage/units/", manage_views.unit_list, name="manage_units"),
    path("manage/units/<int:pk>/", manage_views.unit_edit, name="manage_unit"),
    path("manage/users/", manage_views.user_list, name="manage_users"),
    path("manage/users/<int:pk>/", manage_views.user_detail, name="manage_user"),
    path("manage/periods/", manage_views.period_list, name="manage_periods"),
    path("manage/periods/<int:pk>/reopen/", manage_views.period_reopen_view, name="manage_period_reopen"),
    path("manage/corrections/", manage_views.correction_list, name="manage_corrections"),
]
