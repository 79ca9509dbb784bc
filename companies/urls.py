from django.urls import path

from companies.views import api_keys, filings, members, registration, uploads

urlpatterns = [
    path("register/", registration.registration_create, name="registration-create"),
    path("register/thanks/", registration.registration_thanks, name="registration-thanks"),
    path("invitations/<str:token>/", registration.invitation_accept, name="invitation-accept"),
    path("company/members/", members.member_list, name="member-list"),
    path("company/members/<int:pk>/remove/", members.member_remove, name="member-remove"),
    path("company/api-keys/", api_keys.api_key_list, name="api-key-list"),
    path("company/api-keys/<str:prefix>/rotate/", api_keys.api_key_rotate, name="api-key-rotate"),
    path("company/api-keys/<str:prefix>/revoke/", api_keys.api_key_revoke, name="api-key-revoke"),
    path("filing-format/", filings.data_dictionary, name="data-dictionary"),
    path("filing-format/template.csv", filings.template_csv, name="filing-template"),
    path("company/filings/", filings.filing_list, name="filing-list"),
    path("company/filings/<int:pk>/", filings.filing_detail, name="filing-detail"),
    path("company/filings/<int:pk>/upload/", filings.filing_upload, name="filing-upload"),
    path("company/filings/<int:pk>/narrative/", filings.filing_narrative, name="filing-narrative"),
    path("company/filings/<int:pk>/submit/", filings.filing_submit, name="filing-submit"),
    path("company/filings/<int:pk>/abandon/", filings.filing_abandon, name="filing-abandon"),
    path("uploads/<int:pk>/progress/", uploads.upload_progress, name="upload-progress"),
    path("uploads/<int:pk>/errors.csv", uploads.upload_errors_csv, name="upload-errors"),
]
