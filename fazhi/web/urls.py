from django.urls import path

from . import indicator_views, report_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("registers/<slug:register>/", views.record_list, name="record_list"),
    path("registers/<slug:register>/new/", views.record_new, name="record_new"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/<slug:transition>/", views.record_transition_view, name="record_transition"),
    path("indicators/", indicator_views.indicator_overview, name="indicators"),
    path("indicators/freeze/", indicator_views.snapshot_freeze_view, name="snapshot_freeze"),
    path("indicators/<slug:code>/", indicator_views.indicator_detail, name="indicator"),
    path("report/", report_views.report_draft, name="report"),
    path("report/download/<slug:fmt>/", report_views.report_download, name="report_download"),
    path("report/<slug:action>/", report_views.report_action, name="report_action"),
]
