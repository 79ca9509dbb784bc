"""Background work of the companies app (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from companies.services.uploads import upload_process


@task()
def process_upload(upload_id: int) -> int:
    """Validate and load one uploaded file; returns the rows loaded (0 when rejected)."""
    return upload_process(upload_id=upload_id).rows_loaded
