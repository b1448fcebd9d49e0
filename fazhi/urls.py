from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fazhi.web import public_views

admin.site.site_header = "法治政府建设管理平台"
admin.site.site_title = "fazhi 管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("fazhi.accounts.urls")),
    path("api/", include("fazhi.api.urls")),
    path("datasets/", include("fazhi.datasets.urls")),
    path("imports/", include("fazhi.imports.urls")),
    path("public/", public_views.public_home, name="public_home"),
    path("public/reports/", public_views.public_reports, name="public_reports"),
    path("public/reports/<int:pk>/", public_views.public_report, name="public_report"),
    path("public/reports/<int:pk>/v<int:number>.docx", public_views.public_report_version,
         name="public_report_version"),
    path("favicon.ico", public_views.FaviconView.as_view(), name="favicon"),
    path("", include("fazhi.web.urls")),
]
