"""Background work of the companies app (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def process_upload(upload_id: int) -> int:
    """Validate and load one uploaded file; returns the rows loaded (0 when rejected)."""
    from companies.services.filings import upload_process

    return upload_process(upload_id=upload_id).rows_loaded
