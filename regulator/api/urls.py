"""/api/v1/ read endpoints of the regulator app, in the "regulator-api" namespace."""

from rest_framework.routers import SimpleRouter

from regulator.api import views

app_name = "regulator-api"

router = SimpleRouter()
router.register("rulebooks", views.RulebookViewSet, basename="rulebook")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("results", views.ResultViewSet, basename="result")

urlpatterns = router.urls
