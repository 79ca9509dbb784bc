"""The first escalation policy: the defaults of docs/DESIGN.md §4.3 (every number is a field's default)."""

import datetime as dt

from django.db import migrations


def create(apps, schema_editor):
    EscalationPolicy = apps.get_model("penalties", "EscalationPolicy")
    if not EscalationPolicy.objects.exists():
        EscalationPolicy.objects.create(version=1, effective_from=dt.date(2000, 1, 1),
                                        note="The default numbers of docs/DESIGN.md §4.3.")


class Migration(migrations.Migration):
    dependencies = [("penalties", "0001_escalation_policy_and_cases")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
