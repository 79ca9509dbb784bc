from django.urls import path

from regulator import views, views_assessments, views_filings, views_public, views_rulebooks

urlpatterns = [
    path("", views.home, name="home"),
    path("methodology/", views_public.methodology, name="methodology"),
    path("regulator/registrations/", views.registration_list, name="registration-list"),
    path("regulator/registrations/<int:pk>/", views.registration_detail, name="registration-detail"),
    path("regulator/registrations/<int:pk>/approve/", views.registration_approve, name="registration-approve"),
    path("regulator/registrations/<int:pk>/reject/", views.registration_reject, name="registration-reject"),
    path("regulator/companies/", views.company_list, name="staff-company-list"),
    path("regulator/companies/<slug:slug>/", views.company_detail, name="staff-company-detail"),
    path("regulator/companies/<slug:slug>/metrics.csv", views.company_metrics_csv, name="staff-company-metrics-csv"),
    path("regulator/assessments/", views_assessments.overview, name="assessment-overview"),
    path("regulator/assessments/run/", views_assessments.run, name="assessment-run"),
    path("regulator/assessments/overview.csv", views_assessments.overview_csv, name="assessment-overview-csv"),
    path("regulator/assessments/<int:pk>/finalise/", views_assessments.finalise, name="assessment-finalise"),
    path("regulator/assessments/<int:pk>/notes/", views_assessments.note_add, name="assessment-note-add"),
    path("assessments/<int:pk>/", views_assessments.detail, name="assessment-detail"),
    path("assessments/<int:pk>/report.pdf", views_assessments.report_pdf, name="assessment-pdf"),
    path("regulator/results/<int:pk>/override/", views_assessments.override, name="result-override"),
    path("regulator/results/<int:pk>/confirm/", views_assessments.override_confirm, name="result-override-confirm"),
    path("company/assessments/", views_assessments.company_list, name="company-assessments"),
    path("regulator/rulebooks/", views_rulebooks.rulebook_list, name="rulebook-list"),
    path("regulator/rulebooks/new/", views_rulebooks.rulebook_new, name="rulebook-new"),
    path("regulator/rulebooks/<int:version>/", views_rulebooks.rulebook_detail, name="rulebook-detail"),
    path("regulator/filings/", views_filings.queue, name="staff-filing-queue"),
    path("regulator/filings/<int:pk>/", views_filings.detail, name="staff-filing-detail"),
    path("regulator/filings/<int:pk>/accept/", views_filings.accept, name="staff-filing-accept"),
    path("regulator/filings/<int:pk>/return/", views_filings.return_, name="staff-filing-return"),
]
