"""An upload's progress (polled by the progress bar) and its error report, for whoever may see its filing."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from companies.models import FilingUpload, UploadStatus
from companies.services.uploads import upload_waiting_note, uploads_fail_stale


def _visible_upload(request: HttpRequest, pk: int) -> FilingUpload:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(FilingUpload.objects.visible_to(request.user), pk=pk)


def upload_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the progress bar while a file is processed: a file whose worker died is failed here at once,
    and one no worker has taken yet says so."""
    upload = _visible_upload(request, pk)
    if upload.status == UploadStatus.VALIDATING and uploads_fail_stale(filing=upload.filing):
        upload.refresh_from_db()
    return JsonResponse({
        "status": upload.status, "status_label": upload.get_status_display(), "finished": upload.is_finished,
        "rows_validated": upload.rows_validated, "rows_loaded": upload.rows_loaded,
        "error_count": upload.error_count, "rows_expected": upload.rows_expected, "percent": upload.percent_done,
        "note": upload_waiting_note(upload=upload),
    })


@require_safe
def upload_errors_csv(request: HttpRequest, pk: int) -> FileResponse:
    upload = _visible_upload(request, pk)
    if not upload.error_file:
        raise Http404("This upload has no error report.")
    return FileResponse(upload.error_file.open("rb"), as_attachment=True,
                        filename=f"upload-{upload.pk}-errors.csv", content_type="text/csv")
