"""Notes on assessments are kept as written: PostgreSQL refuses UPDATE and DELETE on them."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION regulator_assessmentnote_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'regulator_assessmentnote is append-only: % refused', TG_OP
        USING HINT = 'Add a new note instead of changing or removing one.';
END;
$$;

CREATE TRIGGER regulator_assessmentnote_append_only
    BEFORE UPDATE OR DELETE ON regulator_assessmentnote
    FOR EACH ROW EXECUTE FUNCTION regulator_assessmentnote_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS regulator_assessmentnote_append_only ON regulator_assessmentnote;
DROP FUNCTION IF EXISTS regulator_assessmentnote_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("regulator", "0004_assessment_notes")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
