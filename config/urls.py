from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.forms import SignInForm
from core.views import healthz, two_factor

admin.site.site_header = "Takedown Compliance Portal administration"

# Under /api/ every error is JSON, also those raised before a view of the API runs (core/views.py).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("", include("regulator.urls")),
    path("", include("companies.urls")),
    path("accounts/two-factor/", two_factor, name="two-factor"),
    # Before Django's own: the sign-in form asks for the e-mail address and ignores its capitals.
    path("accounts/login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("companies.api.urls")),
    path("api/v1/", include("regulator.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]
