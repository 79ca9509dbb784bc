"""The integration API's endpoints. Each declares its queryset, serializers and the role a
write needs, then calls one service or selector; errors map to HTTP in core/api/exceptions.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from companies import access, item_table
from companies.api.authentication import CompanyAPIKeyAuthentication
from companies.api.serializers import (
    BatchResultSerializer,
    BatchSerializer,
    FilingCreateSerializer,
    FilingNarrativeSerializer,
    FilingSerializer,
    ItemExistsSerializer,
    SubmitSerializer,
    UploadCreateSerializer,
    UploadSerializer,
)
from companies.filters import FilingFilter, FilingUploadFilter
from companies.models import Company, Filing, FilingUpload, MemberRole
from companies.services import filings as filing_services
from companies.services import uploads as upload_services
from core.api.base import ERROR, INVALID, PortalAPIMixin
from core.api.exceptions import PayloadTooLarge
from core.api.renderers import CSVRenderer


class CompanyAPIMixin(PortalAPIMixin):
    """The companies' API: a key or a signed-in session; members write what their role allows."""

    authentication_classes = [CompanyAPIKeyAuthentication, SessionAuthentication]
    # The role a write needs, by the view's action (officer when it names none).
    write_roles: dict[str, str] = {}

    def caller_may(self, request: Request) -> bool:
        """Members read their company's objects; a write needs the role the action names (the refusal says
        which); callers who belong to no company get nothing."""
        if access.membership_for(user=request.user) is None:
            return False
        if request.method in SAFE_METHODS:
            return True
        role = self.write_roles.get(getattr(self, "action", None), MemberRole.OFFICER)
        return access.api_write_allowed(request.user, role)

    def own_company(self) -> Company:
        """The caller's company; ``caller_may`` has already refused callers without one."""
        return access.membership_for(user=self.request.user).company


@extend_schema_view(
    list=extend_schema(summary="List filings",
                       description="Your company's filings, every version (regulator staff: every company's)."),
    retrieve=extend_schema(summary="Read a filing", description="Status, totals and attestation of one version."),
)
class FilingViewSet(CompanyAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Filing.objects.select_related("company", "period")
    serializer_class = FilingSerializer
    filterset_class = FilingFilter
    lookup_value_regex = r"[0-9]+"
    write_roles = {
        "create": MemberRole.SUBMITTER, "partial_update": MemberRole.SUBMITTER, "uploads": MemberRole.SUBMITTER,
        "items": MemberRole.SUBMITTER, "submit": MemberRole.OFFICER,
    }

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # An oversized upload is refused from its Content-Length alone, before sign-in or the
        # CSRF check would make Django read (and store) the whole body.
        if self.action == "uploads" and upload_services.upload_limit_exceeded(request.META.get("CONTENT_LENGTH")):
            raise PayloadTooLarge(
                f"The request is {int(request.META['CONTENT_LENGTH']):,} bytes; files may be at most "
                f"{settings.PORTAL_UPLOAD_MAX_BYTES:,} bytes. Split the items over several files or send them "
                "in batches to the items endpoint."
            )
        super().initial(request, *args, **kwargs)

    @extend_schema(summary="Start a filing", request=FilingCreateSerializer,
                   responses={201: FilingSerializer, 400: INVALID, 403: ERROR},
                   description="Opens a draft: version 1, or a correction of the last version (give a reason). "
                               "Needs a submitter or the officer.")
    def create(self, request: Request) -> Response:
        data = self.validated(FilingCreateSerializer)
        filing = filing_services.filing_start(actor=request.user, company=self.own_company(), period=data["period"],
                                              correction_reason=data["correction_reason"])
        return Response(self.get_serializer(filing).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Write the narrative", request=FilingNarrativeSerializer,
                   responses={200: FilingSerializer, 400: INVALID, 403: ERROR, 404: ERROR},
                   description="Changes the narrative of a draft; send only the fields to change.")
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        filing = self.get_object()
        data = self.validated(FilingNarrativeSerializer)
        filing = filing_services.filing_update_narrative(actor=request.user, filing=filing, data=data)
        return Response(self.get_serializer(filing).data)

    @extend_schema(summary="Upload a file", request={"multipart/form-data": UploadCreateSerializer},
                   responses={202: UploadSerializer, 400: INVALID, 403: ERROR, 404: ERROR, 413: ERROR},
                   description="Stores a CSV or JSON Lines file and queues its validation; poll the upload "
                               "(Location header) until its status is loaded or rejected. A file over the size "
                               "limit is refused with 413 before it is read.")
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def uploads(self, request: Request, pk: str | None = None) -> Response:
        filing = self.get_object()
        file = self.validated(UploadCreateSerializer)["file"]
        upload = upload_services.upload_create(actor=request.user, filing=filing, file=file, name=file.name)
        location = request.build_absolute_uri(reverse("api:upload-detail", kwargs={"pk": upload.pk}))
        return Response(UploadSerializer(upload, context=self.get_serializer_context()).data,
                        status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    @extend_schema(
        summary="Add a batch of items", request=BatchSerializer,
        responses={201: BatchResultSerializer, 200: BatchResultSerializer,
                   400: OpenApiResponse(BatchResultSerializer,
                                        description="Errors by item index; nothing was stored. A malformed "
                                                    "request (no list, over 1,000 items) answers "
                                                    "{\"items\": [message]} instead."),
                   403: ERROR, 404: ERROR},
        description="Adds up to 1,000 items to a draft, all or nothing. Idempotent on external_id: an item "
                    "already in the filing is listed under `existing` with its item number and not added again. "
                    "201 when items were added, 200 when every item was already there.",
    )
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        filing = self.get_object()
        items = self.validated(BatchSerializer)["items"]
        result = upload_services.batch_add(actor=request.user, company=self.own_company(), filing=filing,
                                           items=items)
        if result["errors"]:
            code = status.HTTP_400_BAD_REQUEST
        else:
            code = status.HTTP_201_CREATED if result["created"] else status.HTTP_200_OK
        return Response(result, status=code)

    @extend_schema(
        summary="Does an item exist?",
        parameters=[OpenApiParameter("external_id", str, OpenApiParameter.PATH, description="Your item id.")],
        responses={200: ItemExistsSerializer, 404: ERROR},
        description="Answers from the database, so an item added a moment ago is already found.",
    )
    # Any text up to the next slash, so a malformed id gets this endpoint's JSON 404, not the site's page.
    @action(detail=True, methods=["get"], url_path=r"items/(?P<external_id>[^/]+)", url_name="item")
    def item(self, request: Request, pk: str | None = None, external_id: str = "") -> Response:
        filing = self.get_object()
        found = item_table.existing_items(filing=filing, external_ids=[external_id])
        if external_id not in found:
            raise NotFound(f"No item with external_id {external_id!r} in version {filing.version} of "
                           f"{filing.period}.")
        return Response({"external_id": external_id, "item": found[external_id]})

    @extend_schema(summary="Submit (attest)", request=SubmitSerializer,
                   responses={200: FilingSerializer, 400: INVALID, 403: ERROR, 404: ERROR},
                   description="The compliance officer attests and submits the draft; it cannot change after. "
                               "A key acts as the officer who created it.")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        filing = self.get_object()
        data = self.validated(SubmitSerializer)
        filing = filing_services.filing_submit(actor=request.user, filing=filing, nil_return=data["nil_return"])
        return Response(self.get_serializer(filing).data)


@extend_schema_view(
    list=extend_schema(summary="List uploads", description="Files and batches, newest first, with their status."),
    retrieve=extend_schema(summary="Read an upload",
                           description="Status, progress and validation report of one file or batch."),
)
class UploadViewSet(CompanyAPIMixin, viewsets.ReadOnlyModelViewSet):
    queryset = FilingUpload.objects.all()
    serializer_class = UploadSerializer
    filterset_class = FilingUploadFilter
    lookup_value_regex = r"[0-9]+"


class UploadErrorReportView(CompanyAPIMixin, GenericAPIView):
    """Every error of a rejected file as CSV (row, field, value, message); cells are spreadsheet-safe."""

    queryset = FilingUpload.objects.all()
    renderer_classes = [JSONRenderer, CSVRenderer]
    # A report is only ever read: any other method (OPTIONS too) is a 405 in JSON.
    http_method_names = ["get", "head"]

    @extend_schema(summary="Download the error report", operation_id="uploads_errors_csv",
                   responses={(200, "text/csv"): OpenApiTypes.BINARY, 404: ERROR})
    def get(self, request: Request, pk: str) -> FileResponse:
        upload = self.get_object()
        if not upload.error_file:
            raise NotFound("This upload has no error report; only a rejected file has one.")
        return FileResponse(upload.error_file.open("rb"), as_attachment=True, content_type="text/csv",
                            filename=f"upload-{upload.pk}-errors.csv")
