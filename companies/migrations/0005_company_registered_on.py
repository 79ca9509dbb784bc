"""Companies record the day they were registered: they file for the periods that end on or after it."""

from django.db import migrations, models
from django.utils import timezone


def from_created_at(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    for company in Company.objects.all().only("pk", "created_at"):
        Company.objects.filter(pk=company.pk).update(registered_on=timezone.localtime(company.created_at).date())


class Migration(migrations.Migration):
    dependencies = [("companies", "0004_reminders")]

    operations = [
        migrations.AddField(
            model_name="company",
            name="registered_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(from_created_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="company",
            name="registered_on",
            field=models.DateField(
                help_text="The day the regulator registered the company. It files for every period that ends on "
                          "or after this day (docs/DESIGN.md §4.2), and for none before."),
        ),
    ]
