"""The takedown item table, by hand: Django cannot declare partitioning.

- LIST-partitioned by period_id; every new reporting period gets its partition from
  a trigger, so no code path can insert into a period without one.
- Columns ordered widest first so rows pack without alignment padding; enumerations
  are smallint codes (companies/filing_format.py).
- One index, the primary key (filing_id, external_id, period_id). It serves
  "does external_id X exist in filing F" (API) and "the items of filing F" (metrics,
  totals, exports). It is DEFERRABLE so a bulk COPY with a duplicate does not stop at
  the first one: the loader finds every duplicate in one query and rolls back, and
  the constraint still guards any path that forgets (checked at commit).
- No foreign keys: the filing row is locked while items load, and period/company
  follow from the filing; FK checks would cost a lookup per row on billions of rows.
"""

from django.db import migrations

FORWARD = """
CREATE TABLE companies_takedownitem (
    filing_id bigint NOT NULL,
    received_at timestamptz NOT NULL,
    actioned_at timestamptz,
    appeal_received_at timestamptz,
    appeal_decided_at timestamptz,
    period_id integer NOT NULL,
    company_id integer NOT NULL,
    row_no integer NOT NULL,
    preserved_until date,
    source_type smallint NOT NULL,
    category smallint NOT NULL,
    content_type smallint NOT NULL,
    action smallint NOT NULL,
    decision_ground smallint,
    automated_decision smallint NOT NULL,
    appeal_outcome smallint,
    automated_detection boolean NOT NULL,
    preserved boolean NOT NULL,
    law_enforcement_notified boolean NOT NULL,
    reinstated boolean,
    external_id varchar(500) COLLATE "C" NOT NULL,  -- byte order: same on every server, cheaper compares
    order_reference text,
    preservation_ref text,
    content_sha256 bytea,
    CONSTRAINT takedownitem_pkey PRIMARY KEY (filing_id, external_id, period_id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT takedownitem_actioned_after_received CHECK (actioned_at IS NULL OR actioned_at >= received_at),
    CONSTRAINT takedownitem_sha256_length CHECK (content_sha256 IS NULL OR octet_length(content_sha256) = 32)
) PARTITION BY LIST (period_id);

CREATE FUNCTION companies_item_partition_for_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS %I PARTITION OF companies_takedownitem FOR VALUES IN (%s)',
        'companies_takedownitem_p' || NEW.id, NEW.id
    );
    RETURN NEW;
END;
$$;

CREATE TRIGGER companies_reportingperiod_item_partition
    AFTER INSERT ON companies_reportingperiod
    FOR EACH ROW EXECUTE FUNCTION companies_item_partition_for_period();

DO $$
DECLARE p record;
BEGIN
    FOR p IN SELECT id FROM companies_reportingperiod LOOP
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF companies_takedownitem FOR VALUES IN (%s)',
            'companies_takedownitem_p' || p.id, p.id
        );
    END LOOP;
END;
$$;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS companies_reportingperiod_item_partition ON companies_reportingperiod;
DROP FUNCTION IF EXISTS companies_item_partition_for_period();
DROP TABLE IF EXISTS companies_takedownitem;
"""


class Migration(migrations.Migration):
    dependencies = [("companies", "0002_filings")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
