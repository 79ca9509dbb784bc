"""The first rulebook: the default thresholds of DESIGN §4.1."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("order_1h_rate", "gte", "0.95", "3", "core"),
    ("notice_24h_rate", "gte", "0.90", "2", "core"),
    ("median_hours_to_action", "lte", "24", "1", "core"),
    ("preservation_rate", "gte", "0.99", "2", "core"),
    ("complaint_14d_rate", "gte", "0.90", "1", "core"),
    ("filing_on_time", "gte", "1", "1", "core"),
]


def create(apps, schema_editor) -> None:
    Rulebook = apps.get_model("regulator", "Rulebook")
    Threshold = apps.get_model("regulator", "Threshold")
    if Rulebook.objects.exists():
        return
    rulebook = Rulebook.objects.create(version=1, effective_from=dt.date(2000, 1, 1),
                                       note="Default thresholds of the design of record (DESIGN §4.1).")
    for metric, comparator, value, weight, kind in DEFAULTS:
        Threshold.objects.create(rulebook=rulebook, metric=metric, comparator=comparator, value=Decimal(value),
                                 weight=Decimal(weight), kind=kind, tiers="ABC")


class Migration(migrations.Migration):
    dependencies = [("regulator", "0001_rulebooks_and_assessments")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
