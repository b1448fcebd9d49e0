from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("definitions/", views.DefinitionList.as_view(), name="definitions"),
    path("records/", views.RecordList.as_view(), name="records"),
    path("records/<int:pk>/", views.RecordDetail.as_view(), name="record"),
    path("indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("report-sections/", views.SectionList.as_view(), name="sections"),
    path("report-sections/<int:pk>/", views.SectionDetail.as_view(), name="section"),
]
