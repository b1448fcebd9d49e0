from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.batch, name="batch"),
    path("mappings/", views.mappings, name="mappings"),
    path("dataset/", views.dataset_upload, name="dataset_upload"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/rejected.xlsx", views.rejected, name="rejected"),
    path("template/<slug:register>.xlsx", views.template, name="template"),
    path("export/<slug:register>.<str:fmt>", views.export, name="export"),
    path("export/<slug:kind>/<slug:subject>.<str:fmt>", views.table_export, name="table_export"),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("exports/<int:pk>/progress/", views.export_progress, name="export_progress"),
]
