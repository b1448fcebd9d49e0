"""The project's URLs plus the data-set pages, until fazhi/urls.py includes them itself."""

from django.urls import include, path

from fazhi.urls import urlpatterns as project_urlpatterns

included = any(getattr(p, "namespace", None) == "datasets" for p in project_urlpatterns)
urlpatterns = project_urlpatterns if included else [
    path("datasets/", include("fazhi.datasets.urls")), *project_urlpatterns
]
