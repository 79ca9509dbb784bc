"""The default rulebook's published note cites the repository's own design document."""

from django.db import migrations

OLD = "Default thresholds of the design of record (DESIGN §4.1)."
NEW = "The default thresholds (docs/DESIGN.md §4.1)."


def forwards(apps, schema_editor):
    apps.get_model("regulator", "Rulebook").objects.filter(version=1, note=OLD).update(note=NEW)


def backwards(apps, schema_editor):
    apps.get_model("regulator", "Rulebook").objects.filter(version=1, note=NEW).update(note=OLD)


class Migration(migrations.Migration):
    dependencies = [("regulator", "0006_decision_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
