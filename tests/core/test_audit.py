"""The audit log is append-only, enforced by PostgreSQL itself."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core.audit import Action, audit_record
from core.models import AuditEvent
from tests.companies.factories import CompanyFactory


@pytest.fixture
def event(analyst):
    return audit_record(actor=analyst, action=Action.COMPANY_CREATED, obj=CompanyFactory(), after={"x": 1},
                        reason="because")


def test_record_keeps_actor_object_and_values(event, analyst):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == analyst
    assert stored.actor_label == "analyst@regulator.test"
    assert stored.object_type == "companies.company"
    assert stored.after == {"x": 1}
    assert stored.reason == "because"


def test_an_action_outside_the_enumeration_is_refused_before_writing(analyst):
    company = CompanyFactory()
    with pytest.raises(ValueError, match="not a valid Action"):
        audit_record(actor=analyst, action="company.renamed", obj=company)
    assert not AuditEvent.objects.filter(object_id=str(company.pk)).exists()


def test_every_action_has_a_label_history_pages_show(event):
    assert event.action_label == "Company registered"
    assert all(action.label and action.label != action.value for action in Action)


def test_database_refuses_update_through_the_orm(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).reason == "because"


def test_database_refuses_raw_update_and_delete(event):
    for statement in ("UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, action="company.created").exists()


def test_request_ip_is_recorded(client, db):
    from tests.companies.test_registration import registration_post_data

    client.post("/register/", registration_post_data(), REMOTE_ADDR="203.0.113.9")
    event = AuditEvent.objects.get(action="registration.submitted")
    assert event.ip_address == "203.0.113.9"
    assert event.actor is None and event.actor_label == "system"


def test_admin_shows_audit_events_read_only(client, event, db):
    from tests.companies.factories import UserFactory
    from tests.conftest import pass_second_factor

    admin = UserFactory(username="root@regulator.test", is_staff=True, is_superuser=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    pass_second_factor(client, admin)
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200
    assert client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/core/auditevent/add/").status_code == 403
