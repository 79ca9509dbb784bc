from django.contrib import admin
from django.urls import include, path

from core.views import healthz

admin.site.site_header = "Takedown Compliance Portal administration"

urlpatterns = [
    path("", include("regulator.urls")),
    path("", include("companies.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
