"""/api/v1/: the integration API. Names live in the "api" namespace (api:filing-list …)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from companies.api import views

app_name = "api"

router = SimpleRouter()
router.register("filings", views.FilingViewSet, basename="filing")
router.register("uploads", views.UploadViewSet, basename="upload")

urlpatterns = [
    # A file name, so no trailing slash; the router's routes end in one.
    path("uploads/<int:pk>/errors.csv", views.UploadErrorReportView.as_view(), name="upload-errors-csv"),
    *router.urls,
]
