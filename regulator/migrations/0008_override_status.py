"""An override has a status (waiting, confirmed, rejected); only a confirmed one counts."""

from django.conf import settings
from django.db import migrations, models


def status_from_confirmation(apps, schema_editor):
    MetricResult = apps.get_model("regulator", "MetricResult")
    overridden = MetricResult.objects.filter(override_value__isnull=False)
    overridden.filter(override_confirmed_by__isnull=False).update(override_status="confirmed")
    overridden.filter(override_confirmed_by__isnull=True).update(override_status="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("regulator", "0007_default_rulebook_note"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="metricresult", name="override_status",
            field=models.CharField(choices=[("none", "No override"), ("pending", "Waiting for a supervisor"),
                                            ("confirmed", "Confirmed"), ("rejected", "Rejected")],
                                   default="none", max_length=10),
        ),
        migrations.AddField(
            model_name="metricresult", name="override_rejected_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="+",
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="metricresult", name="override_rejected_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="metricresult", name="override_rejection_reason",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(status_from_confirmation, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="metricresult",
            constraint=models.CheckConstraint(
                condition=models.Q(override_rejected_by__isnull=True)
                | ~models.Q(override_rejected_by=models.F("override_by")),
                name="metric_override_rejected_by_second_person"),
        ),
        migrations.AddConstraint(
            model_name="metricresult",
            constraint=models.CheckConstraint(
                condition=(models.Q(override_status="none") & models.Q(override_value__isnull=True))
                | (~models.Q(override_status="none") & models.Q(override_value__isnull=False)),
                name="metric_override_status_matches_value"),
        ),
        migrations.AddConstraint(
            model_name="metricresult",
            constraint=models.CheckConstraint(
                condition=~models.Q(override_status="rejected") | ~models.Q(override_rejection_reason=""),
                name="metric_override_rejection_has_reason"),
        ),
    ]
