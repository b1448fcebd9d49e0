from django.urls import path

from . import views

app_name = "datasets"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:dataset>/completeness/<str:period>/", views.completeness, name="completeness"),
    path("<slug:dataset>/<int:unit>/<str:period>/", views.entry, name="entry"),
    path("<slug:dataset>/<int:unit>/<str:period>/<slug:step>/", views.report_step, name="step"),
]
