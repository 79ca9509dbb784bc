"""Create the database cache table (settings.CACHES) as part of migrating, so no environment forgets it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditevent_append_only")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
