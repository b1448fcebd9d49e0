from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"
urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocs.as_view(), name="docs"),
    path("definitions/", views.DefinitionList.as_view(), name="definitions"),
    path("records/", views.RecordList.as_view(), name="records"),
    path("records/<int:pk>/", views.RecordDetail.as_view(), name="record"),
    path("records/<int:pk>/transition/", views.RecordTransition.as_view(), name="record_transition"),
    path("indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("report-sections/", views.SectionList.as_view(), name="sections"),
    path("report-sections/<int:pk>/", views.SectionDetail.as_view(), name="section"),
    path("imports/", views.ImportCreate.as_view(), name="imports"),
    path("imports/<int:pk>/commit/", views.ImportCommit.as_view(), name="import_commit"),
]
