from django.urls import path

from companies import views, views_api_keys, views_filings

urlpatterns = [
    path("register/", views.registration_create, name="registration-create"),
    path("register/thanks/", views.registration_thanks, name="registration-thanks"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("company/members/", views.member_list, name="member-list"),
    path("company/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("company/api-keys/", views_api_keys.api_key_list, name="api-key-list"),
    path("company/api-keys/<str:prefix>/rotate/", views_api_keys.api_key_rotate, name="api-key-rotate"),
    path("company/api-keys/<str:prefix>/revoke/", views_api_keys.api_key_revoke, name="api-key-revoke"),
    path("filing-format/", views_filings.data_dictionary, name="data-dictionary"),
    path("filing-format/template.csv", views_filings.template_csv, name="filing-template"),
    path("company/filings/", views_filings.filing_list, name="filing-list"),
    path("company/filings/<int:pk>/", views_filings.filing_detail, name="filing-detail"),
    path("company/filings/<int:pk>/upload/", views_filings.filing_upload, name="filing-upload"),
    path("company/filings/<int:pk>/narrative/", views_filings.filing_narrative, name="filing-narrative"),
    path("company/filings/<int:pk>/submit/", views_filings.filing_submit, name="filing-submit"),
    path("company/filings/<int:pk>/abandon/", views_filings.filing_abandon, name="filing-abandon"),
    path("uploads/<int:pk>/progress/", views_filings.upload_progress, name="upload-progress"),
    path("uploads/<int:pk>/errors.csv", views_filings.upload_errors_csv, name="upload-errors"),
]
