"""The integration API's endpoints. Each declares its queryset, serializers and the role a
write needs, then calls one service or selector; errors map to HTTP in exceptions.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api.authentication import CompanyAPIKeyAuthentication
from companies.api.exceptions import PayloadTooLarge, api_exception_handler
from companies.api.permissions import CompanyRole
from companies.api.renderers import CSVRenderer
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
from companies.api.throttling import APIKeyRateThrottle
from companies.filters import FilingFilter, FilingUploadFilter
from companies.models import Company, Filing, FilingUpload, MemberRole
from companies.selectors import membership_for
from companies.services import filings as filing_services


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERROR = OpenApiResponse(ErrorSerializer, description="The reason, in words.")
INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Field name → list of messages; `non_field_errors` for the request as a whole."
)


class PortalAPIMixin:
    """What every endpoint shares: key or session sign-in, role checks, the per-key rate limit, JSON."""

    authentication_classes = [CompanyAPIKeyAuthentication, SessionAuthentication]
    permission_classes = [CompanyRole]
    throttle_classes = [APIKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    write_roles: dict[str, str] = {}

    def get_exception_handler(self):
        return api_exception_handler

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return self.queryset.none()
        return self.queryset.all().visible_to(self.request.user)

    def validated(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def own_company(self) -> Company:
        """The caller's company; CompanyRole has already refused callers without one."""
        return membership_for(user=self.request.user).company


@extend_schema_view(
    list=extend_schema(summary="List filings",
                       description="Your company's filings, every version (regulator staff: every company's)."),
    retrieve=extend_schema(summary="Read a filing", description="Status, totals and attestation of one version."),
)
class FilingViewSet(PortalAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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
        if self.action == "uploads" and filing_services.upload_limit_exceeded(request.META.get("CONTENT_LENGTH")):
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
        upload = filing_services.upload_create(actor=request.user, filing=filing, file=file, name=file.name)
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
        result = filing_services.batch_add(actor=request.user, company=self.own_company(), filing=filing,
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
        found = filing_services.existing_items(filing=filing, external_ids=[external_id])
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
class UploadViewSet(PortalAPIMixin, viewsets.ReadOnlyModelViewSet):
    queryset = FilingUpload.objects.all()
    serializer_class = UploadSerializer
    filterset_class = FilingUploadFilter
    lookup_value_regex = r"[0-9]+"


class UploadErrorReportView(PortalAPIMixin, GenericAPIView):
    """Every error of a rejected file as CSV (row, field, value, message); cells are spreadsheet-safe."""

    queryset = FilingUpload.objects.all()
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(summary="Download the error report", operation_id="uploads_errors_csv",
                   responses={(200, "text/csv"): OpenApiTypes.BINARY, 404: ERROR})
    def get(self, request: Request, pk: str) -> FileResponse:
        upload = self.get_object()
        if not upload.error_file:
            raise NotFound("This upload has no error report; only a rejected file has one.")
        return FileResponse(upload.error_file.open("rb"), as_attachment=True, content_type="text/csv",
                            filename=f"upload-{upload.pk}-errors.csv")
