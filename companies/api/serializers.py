"""What the API reads and returns. Serializers check the shape of a request; services do the rest.

Items in a batch are not validated here: the service runs the same validator as file
uploads (docs/DESIGN.md §5), so a batch and a file accept exactly the same rows and word their
errors the same way. ``TakedownItemSerializer`` exists to document the item in the schema.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies import filing_format as ff
from companies.models import Filing, FilingUpload, ReportingPeriod

# --- the item format, for the schema --------------------------------------------------------------


def _item_field(spec: ff.Field) -> serializers.Field:
    """One field of the filing format as a schema-only serializer field."""
    options: dict[str, Any] = {"help_text": f"{spec.description} Required: {spec.required}.",
                               "required": spec.required == "yes"}
    if spec.required != "yes":
        options["allow_null"] = True
    if spec.kind == "bool":
        return serializers.BooleanField(**options)
    if spec.kind == "enum":
        return serializers.ChoiceField(choices=spec.choices, allow_blank=spec.required != "yes", **options)
    if spec.kind == "timestamp":
        return serializers.DateTimeField(**options)
    if spec.kind == "date":
        return serializers.DateField(**options)
    return serializers.CharField(max_length=spec.max_length, allow_blank=spec.required != "yes", **options)


TakedownItemSerializer = type("TakedownItemSerializer", (serializers.Serializer,), {
    "__doc__": "One notice or order and its handling (docs/DESIGN.md §5); the same fields as a file's columns.",
    "__module__": __name__,
    **{spec.name: _item_field(spec) for spec in ff.FIELDS},
})


@extend_schema_field(TakedownItemSerializer(many=True))
class ItemListField(serializers.Field):
    """The batch's items, handed whole to the service, which validates every field of every item."""

    default_error_messages = {"not_a_list": "Send the items as a JSON list of objects, not {input_type}."}

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return data

    def to_representation(self, value: list[Any]) -> list[Any]:
        return value


# --- filings ------------------------------------------------------------------------------------


class FilingSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Filing
        fields = [
            "id", "company", "period", "version", "status", "correction_reason", "created_at",
            "measures_taken", "automated_tools", "areas_for_improvement", "moderation_staff", "is_nil_return",
            "item_count", "totals", "submitted_at", "attestation_text", "source_sha256", "days_late",
            "reviewed_at", "review_reason", "superseded_at",
        ]
        read_only_fields = fields


class FilingCreateSerializer(serializers.Serializer):
    period = serializers.SlugRelatedField(
        slug_field="code", queryset=ReportingPeriod.objects.all(),
        help_text="The quarter, written like 2026-Q3.",
        error_messages={"does_not_exist": "There is no reporting period {value}; write it like 2026-Q3."},
    )
    correction_reason = serializers.CharField(
        allow_blank=True, default="", help_text="Required for a second or later version: what it corrects."
    )


class FilingNarrativeSerializer(serializers.Serializer):
    measures_taken = serializers.CharField(required=False, allow_blank=True,
                                           help_text="Measures taken, including automated tools.")
    automated_tools = serializers.CharField(required=False, allow_blank=True)
    areas_for_improvement = serializers.CharField(required=False, allow_blank=True)
    moderation_staff = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                                help_text="Moderators on this content, full-time equivalent.")


class SubmitSerializer(serializers.Serializer):
    nil_return = serializers.BooleanField(
        default=False, help_text="True to declare that no notices or orders were received in the period."
    )


# --- uploads ------------------------------------------------------------------------------------


class UploadErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row of the file (1 is the first row after the header); 0: the file.")
    field = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


ERROR_KEYS = ("row", "field", "value", "message")


class UploadSerializer(serializers.ModelSerializer):
    errors = serializers.SerializerMethodField(help_text="The first errors found; the CSV report lists them all.")
    error_csv_url = serializers.SerializerMethodField()

    class Meta:
        model = FilingUpload
        fields = [
            "id", "filing", "format", "original_name", "size_bytes", "sha256", "status", "created_at",
            "started_at", "finished_at", "rows_validated", "rows_loaded", "first_row_no", "error_count",
            "errors", "error_csv_url",
        ]
        read_only_fields = fields

    @extend_schema_field(UploadErrorSerializer(many=True))
    def get_errors(self, upload: FilingUpload) -> list[dict[str, Any]]:
        # Stored as [row, field, value, message] lists to keep the row small.
        return [dict(zip(ERROR_KEYS, error, strict=False)) for error in upload.errors]

    def get_error_csv_url(self, upload: FilingUpload) -> str | None:
        if not upload.error_file:
            return None
        path = reverse("api:upload-errors-csv", kwargs={"pk": upload.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class UploadCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (.csv) or JSON Lines (.jsonl) in the filing format.")


# --- item batches -------------------------------------------------------------------------------


class BatchSerializer(serializers.Serializer):
    items = ItemListField(help_text="Up to 1,000 items; stored all together or not at all.")


class ExistingItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the batch, from 0.")
    external_id = serializers.CharField()
    item = serializers.IntegerField(help_text="The item number it already has in the filing.")


class BatchErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the batch, from 0.")
    field = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


class BatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Items added by this request.")
    existing = ExistingItemSerializer(many=True, help_text="Items already in the filing: reported, not repeated.")
    errors = BatchErrorSerializer(many=True, help_text="Problems by item; when any, nothing was stored.")
    error_count = serializers.IntegerField()


class ItemExistsSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    item = serializers.IntegerField(help_text="The item number in the filing.")
