"""Uploads are validated whole: every error reported in one pass, and a bad file stores nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from companies.models import FilingUpload, UploadStatus
from tests.companies.filing_files import csv_bytes, good_rows, jsonl_bytes


def item_count(filing) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM companies_takedownitem WHERE filing_id = %s", [filing.pk])
        return cursor.fetchone()[0]


def upload(client, filing, content: bytes, name: str = "report.csv"):
    return client.post(f"/company/filings/{filing.pk}/upload/", {"file": SimpleUploadedFile(name, content)})


def last_upload(filing) -> FilingUpload:
    return FilingUpload.objects.filter(filing=filing).latest("created_at")


def errors_of(filing) -> list[tuple]:
    return [tuple(error) for error in last_upload(filing).errors]


@pytest.fixture
def submitter(client_as, company_a_submitter):
    return client_as("company_a_submitter")


def test_a_valid_csv_loads_every_row(submitter, draft, period):
    rows = good_rows(period, 50)
    response = upload(submitter, draft, csv_bytes(rows))
    assert response.status_code == 302
    loaded = last_upload(draft)
    assert loaded.status == UploadStatus.LOADED, loaded.errors
    assert (loaded.rows_validated, loaded.rows_loaded, loaded.error_count) == (50, 50, 0)
    assert item_count(draft) == 50
    draft.refresh_from_db()
    assert draft.item_count == 50 and draft.last_row_no == 50
    import hashlib

    assert loaded.sha256 == hashlib.sha256(csv_bytes(rows)).hexdigest()


def test_stored_items_keep_their_values(submitter, draft, period):
    row = good_rows(period, 1)[0] | {"order_reference": "RO/1\tx", "source_type": "REMOVAL_ORDER",
                                      "content_sha256": "AB" * 32}
    upload(submitter, draft, csv_bytes([row]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT external_id, source_type, order_reference, encode(content_sha256, 'hex'), received_at "
                       "FROM companies_takedownitem WHERE filing_id = %s", [draft.pk])
        external_id, source, reference, digest, received = cursor.fetchone()
    assert (external_id, source, reference, digest) == (row["external_id"], 1, "RO/1\tx", "ab" * 32)
    assert received.isoformat().startswith(row["received_at"][:19])


def test_json_lines_loads_like_csv(submitter, draft, period):
    rows = good_rows(period, 10)
    records = []
    for row in rows:
        record = {k: (v or None) for k, v in row.items()}
        for name in ("automated_detection", "preserved", "law_enforcement_notified", "reinstated"):
            if record[name] is not None:
                record[name] = record[name] == "true"
        records.append(record)
    upload(submitter, draft, jsonl_bytes(records), name="report.jsonl")
    assert last_upload(draft).status == UploadStatus.LOADED
    assert item_count(draft) == 10


def test_crlf_line_endings_are_read_as_rfc_4180(submitter, draft, period):
    upload(submitter, draft, csv_bytes(good_rows(period, 5), newline="\r\n"))
    assert last_upload(draft).status == UploadStatus.LOADED
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM companies_takedownitem WHERE filing_id = %s "
                       "AND (external_id LIKE %s OR preservation_ref LIKE %s)", [draft.pk, "%\r%", "%\r%"])
        assert cursor.fetchone()[0] == 0


def test_every_error_is_reported_in_one_pass_and_nothing_is_stored(submitter, draft, period):
    rows = good_rows(period, 6)
    rows[0]["source_type"] = "USER_REPORT"
    rows[1]["received_at"] = "2026-05-01T10:00:00"
    rows[2]["actioned_at"], rows[2]["action"] = "2026-03-01T10:00:00+00:00", "REMOVED"
    rows[2]["decision_ground"] = "ILLEGAL_CONTENT"
    rows[3]["source_type"], rows[3]["order_reference"] = "REMOVAL_ORDER", ""
    rows[4]["received_at"] = "2026-07-02T10:00:00+00:00"
    rows[5]["external_id"] = "x" * 10_000
    upload(submitter, draft, csv_bytes(rows))
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert (result.rows_validated, result.rows_loaded) == (6, 0) and result.error_count >= 6
    assert item_count(draft) == 0
    found = {(row, field) for row, field, _value, _message in result.errors}
    assert {(1, "source_type"), (2, "received_at"), (3, "actioned_at"), (4, "order_reference"),
            (5, "received_at"), (6, "external_id")} <= found
    messages = {(row, field): message for row, field, _value, message in result.errors}
    assert messages[(1, "source_type")].startswith("is not one of REMOVAL_ORDER")
    assert "no UTC offset" in messages[(2, "received_at")]
    assert "is before received_at" in messages[(3, "actioned_at")]
    assert "outside the reporting period" in messages[(5, "received_at")]
    assert "10,000 characters" in messages[(6, "external_id")]


def test_error_report_downloads_as_csv_with_neutralised_cells(submitter, draft, period):
    rows = good_rows(period, 2)
    rows[0]["category"] = "=HYPERLINK(\"http://evil\")"
    upload(submitter, draft, csv_bytes(rows))
    result = last_upload(draft)
    response = submitter.get(f"/uploads/{result.pk}/errors.csv")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["row", "field", "value", "message"]
    assert lines[1][:2] == ["1", "category"] and lines[1][2].startswith("'=")


def test_empty_file_is_refused_at_the_door(submitter, draft):
    response = submitter.post(f"/company/filings/{draft.pk}/upload/",
                              {"file": SimpleUploadedFile("report.csv", b"")}, follow=True)
    assert "The submitted file is empty." in response.content.decode()
    assert not FilingUpload.objects.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"\n", "The file is empty."),
    (b"\xef\xbb\xbfexternal_id\n", "byte-order mark"),
    (b"external_id;source_type\na;b\n", "separated by semicolons"),
])
def test_unreadable_files_are_rejected_with_a_clear_message(submitter, draft, content, message):
    upload(submitter, draft, content)
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert message in result.errors[0][3]
    assert item_count(draft) == 0


def test_header_only_file_points_to_the_nil_return(submitter, draft):
    upload(submitter, draft, csv_bytes([]))
    assert "nil return" in last_upload(draft).errors[0][3]


def test_missing_extra_and_duplicated_columns_are_all_named(submitter, draft, period):
    from companies import filing_format as ff

    header = [name for name in ff.FIELD_NAMES if name != "category"] + ["colour", "action"]
    upload(submitter, draft, csv_bytes(good_rows(period, 2), header=header))
    message = last_upload(draft).errors[0][3]
    assert "missing: category" in message and "'colour'" in message and "more than once: action" in message


def _latin1_on_line(period, line: int, *, quoted: bool = False) -> bytes:
    rows = good_rows(period, 4)
    for row in rows:
        row["preserved"], row["preservation_ref"], row["preserved_until"] = "true", "EV-1", "2027-06-30"
    rows[line - 2]["preservation_ref"] = "\u00c9V-1"
    if quoted:
        rows[0]["order_reference"], rows[0]["source_type"] = 'RO "quoted"', "REMOVAL_ORDER"
    return csv_bytes(rows).decode().encode("latin-1")


@pytest.mark.parametrize("quoted", [False, True], ids=["arrow path", "row-by-row path"])
def test_a_file_that_is_not_utf8_says_which_byte_on_which_line_in_words(submitter, draft, period, quoted):
    upload(submitter, draft, _latin1_on_line(period, 3, quoted=quoted))
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED and item_count(draft) == 0
    assert errors_of(draft)[-1] == (0, "", "", "byte 0xC9 on line 3 is not UTF-8 (save the file as UTF-8)")
    assert "codec" not in str(result.errors) and "\\x" not in str(result.errors)


def test_a_json_lines_file_that_is_not_utf8_names_its_line(submitter, draft, period):
    content = jsonl_bytes(good_rows(period, 3)).replace(b'"EV-', b'"\xe9V-', 1)
    upload(submitter, draft, content, name="r.jsonl")
    assert errors_of(draft)[-1] == (1, "", "", "byte 0xE9 on line 1 is not UTF-8 (save the file as UTF-8)")


def test_a_line_far_into_a_big_file_is_found_past_the_readers_read_ahead(submitter, draft, period):
    rows = good_rows(period, 3000)
    content = csv_bytes(rows)
    at = content.index(rows[2500]["external_id"].encode())
    content = content[:at] + b"\xff" + content[at + 1:]
    upload(submitter, draft, content)
    assert errors_of(draft)[-1] == (0, "", "", "byte 0xFF on line 2,502 is not UTF-8 (save the file as UTF-8)")


def test_text_after_a_closing_quote_is_explained(submitter, draft, period):
    content = csv_bytes(good_rows(period, 2)).replace(b"\n", b'\n"item"x', 1)
    upload(submitter, draft, content)
    assert errors_of(draft)[-1][3].startswith("has text after the closing quote of a field")


def test_unclosed_quote_is_reported(submitter, draft, period):
    content = csv_bytes(good_rows(period, 3)) + b'"broken,REFERRAL\n'
    upload(submitter, draft, content)
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert any("quote" in error[3] for error in result.errors)


def test_duplicate_external_ids_in_the_file_are_all_listed(submitter, draft, period):
    rows = good_rows(period, 5)
    rows[3]["external_id"] = rows[0]["external_id"]
    rows[4]["external_id"] = rows[1]["external_id"]
    upload(submitter, draft, csv_bytes(rows))
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert [(e[0], e[3]) for e in result.errors] == [
        (4, "repeats the external_id of row 1 of this file"), (5, "repeats the external_id of row 2 of this file")]
    assert item_count(draft) == 0


def test_an_external_id_from_an_earlier_upload_is_refused(submitter, draft, period):
    rows = good_rows(period, 3)
    upload(submitter, draft, csv_bytes(rows))
    upload(submitter, draft, csv_bytes([rows[1]]))
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert "already in this filing (item 2" in result.errors[0][3]
    assert item_count(draft) == 3


def test_json_lines_row_that_is_not_an_object(submitter, draft, period):
    upload(submitter, draft, b'["a", "b"]\n' + jsonl_bytes([good_rows(period, 1)[0]]), name="r.jsonl")
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert result.errors[0][0] == 1 and "not a JSON object" in result.errors[0][3]
    assert item_count(draft) == 0


def test_formula_cells_are_stored_as_text(submitter, draft, period):
    row = good_rows(period, 1)[0] | {"preservation_ref": "=cmd|' /C calc'!A0", "preserved": "true"}
    upload(submitter, draft, csv_bytes([row]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT preservation_ref FROM companies_takedownitem WHERE filing_id = %s", [draft.pk])
        assert cursor.fetchone()[0] == "=cmd|' /C calc'!A0"


def test_errors_are_capped_but_counted(submitter, draft, period, monkeypatch):
    from companies.ingest import validate

    monkeypatch.setattr(validate, "ERROR_CAP", 5)
    rows = good_rows(period, 12)
    for row in rows:
        row["category"] = "NOPE"
    upload(submitter, draft, csv_bytes(rows))
    result = last_upload(draft)
    assert result.error_count == 12 and len(result.errors) == 5


def test_oversized_upload_gets_413_without_being_read(submitter, draft, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 10
    response = submitter.post(f"/company/filings/{draft.pk}/upload/", data=b"x" * 200_000,
                              content_type="multipart/form-data; boundary=zzz")
    assert response.status_code == 413
    assert not FilingUpload.objects.exists()


def test_viewer_cannot_upload(client_as, draft, period):
    response = upload(client_as("company_a_viewer"), draft, csv_bytes(good_rows(period, 2)))
    assert response.status_code == 403
    assert not FilingUpload.objects.exists()


def test_company_b_cannot_upload_into_company_a_filing(client_as, draft, period):
    response = upload(client_as("company_b_officer"), draft, csv_bytes(good_rows(period, 2)))
    assert response.status_code == 404
    assert not FilingUpload.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("actioned_at", "yesterday"), ("actioned_at", "2026-5-01T10:00:00+00:00"),
    ("actioned_at", "20260501T100000Z"), ("received_at", "2026-W20-3T10:00:00Z"),
    ("actioned_at", "2026-05-01T10+00:00"), ("preserved_until", "2027-W05-1"), ("preserved_until", "20270131"),
])
def test_unusual_spellings_are_reported_or_stored_never_a_crash(submitter, draft, period, field, value):
    rows = good_rows(period, 3)
    row = next(r for r in rows if r["action"] != "NO_ACTION")
    row[field] = value
    if field == "preserved_until":
        row["preserved"] = "true"
    upload(submitter, draft, csv_bytes(rows))
    result = last_upload(draft)
    assert result.status in {UploadStatus.LOADED, UploadStatus.REJECTED}, result.status
    if result.status == UploadStatus.REJECTED:
        assert result.errors and item_count(draft) == 0
    else:
        assert item_count(draft) == 3


def test_text_after_a_closing_quote_rejects_the_file_as_the_rfc_says(submitter, draft, period):
    content = csv_bytes(good_rows(period, 2)).replace(b"\n", b'\n"item"x', 1)
    upload(submitter, draft, content)
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert item_count(draft) == 0


def test_json_lines_with_a_lone_surrogate_is_reported(submitter, draft, period):
    row = good_rows(period, 1)[0]
    line = jsonl_bytes([row]).replace(b'"EV-', b'"\\ud800EV-', 1)
    upload(submitter, draft, line, name="r.jsonl")
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED and item_count(draft) == 0


def test_blank_lines_in_json_lines_do_not_reuse_item_numbers(submitter, draft, period):
    rows = good_rows(period, 4)
    upload(submitter, draft, jsonl_bytes(rows[:2]) + b"\n\n" + jsonl_bytes(rows[2:3]), name="a.jsonl")
    upload(submitter, draft, jsonl_bytes(rows[3:]), name="b.jsonl")
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_no FROM companies_takedownitem WHERE filing_id = %s ORDER BY row_no", [draft.pk])
        numbers = [n for (n,) in cursor.fetchall()]
    assert len(numbers) == len(set(numbers)) == 4


# --- NUL bytes -----------------------------------------------------------------------------------


def test_a_nul_inside_a_csv_value_is_a_row_error_and_the_draft_is_free_again(submitter, draft, period):
    rows = good_rows(period, 4)
    rows[2]["external_id"] = "ord\x00-3"
    upload(submitter, draft, csv_bytes(rows))
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED and item_count(draft) == 0
    assert (3, "external_id", "ord\u2400-3", "contains a NUL byte (0x00), which a report may not contain") \
        in errors_of(draft)
    upload(submitter, draft, csv_bytes(good_rows(period, 4)))
    assert last_upload(draft).status == UploadStatus.LOADED


def test_a_nul_in_a_quoted_csv_file_is_reported_by_the_row_validator_too(submitter, draft, period):
    rows = good_rows(period, 3)
    rows[0]["preservation_ref"] = 'EV "1"'  # a quote sends the file down the row-by-row path
    rows[1]["category"] = "OTHER\x00"
    upload(submitter, draft, csv_bytes(rows))
    assert errors_of(draft) == [(2, "category", "OTHER\u2400",
                                 "contains a NUL byte (0x00), which a report may not contain")]


def test_a_nul_escaped_in_a_json_line_is_a_row_error(submitter, draft, period):
    rows = good_rows(period, 3)
    rows[1]["order_reference"], rows[1]["source_type"] = "RO/\x00", "REMOVAL_ORDER"
    upload(submitter, draft, jsonl_bytes(rows), name="r.jsonl")
    assert errors_of(draft) == [(2, "order_reference", "RO/\u2400",
                                 "contains a NUL byte (0x00), which a report may not contain")]


def test_a_raw_nul_byte_in_a_json_line_is_a_row_error_with_its_column(submitter, draft, period):
    rows = good_rows(period, 2)
    content = jsonl_bytes(rows).replace(b'"EV-', b'"\x00EV-', 1)
    upload(submitter, draft, content, name="r.jsonl")
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    (row, field, _value, message), = result.errors
    assert (row, field) == (1, "") and message.startswith("contains a NUL byte (0x00) at column ")


def test_a_nul_in_a_column_name_is_named_without_breaking_the_report(submitter, draft, period):
    from companies import filing_format as ff

    header = [*ff.FIELD_NAMES, "col\x00our", "col\x00our"]
    upload(submitter, draft, csv_bytes(good_rows(period, 1), header=header))
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert "col\u2400our" in result.errors[0][3]


def test_a_json_lines_number_too_long_to_read_is_a_row_error(submitter, draft, period):
    rows = good_rows(period, 3)
    content = jsonl_bytes(rows).replace(b'"EV-', b'"EV-', 1).replace(b"\n", b"\n" + b'{"external_id": ' + b"9" * 5000 + b"}\n", 1)
    upload(submitter, draft, content, name="r.jsonl")
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert result.errors[0][0] == 2 and result.errors[0][3] == (
        "has a number longer than 4,300 digits, which cannot be read; no field of the format takes one")


def test_a_json_line_nested_too_deeply_is_a_row_error(submitter, draft, period):
    content = jsonl_bytes(good_rows(period, 1)) + b"[" * 5000 + b"]" * 5000 + b"\n"
    upload(submitter, draft, content, name="r.jsonl")
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    assert result.errors[0][:2] == [2, ""] and "nested too deeply" in result.errors[0][3]


# --- sizes: a runaway field is refused by name, and reading never holds more than a row -----------


def test_a_file_with_one_20_mb_line_is_rejected_for_its_long_field(submitter, draft, period):
    rows = good_rows(period, 3)
    rows[1]["external_id"] = "x" * 20_000_000
    upload(submitter, draft, csv_bytes(rows))
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED and item_count(draft) == 0
    assert errors_of(draft) == [(2, "external_id", f"{'x' * 60}… (20,000,000 characters)",
                                 "is 20,000,000 characters long; at most 500 allowed")]


def test_a_long_quoted_field_over_many_lines_is_named_and_the_rows_after_it_are_still_checked(submitter, draft,
                                                                                             period):
    rows = good_rows(period, 3)
    rows[0]["preservation_ref"] = "evidence line\n" * 10_000  # 140,000 characters, quoted over 10,000 lines
    rows[2]["category"] = "NOPE"
    upload(submitter, draft, csv_bytes(rows))
    errors = errors_of(draft)
    assert errors[0][:2] == (1, "preservation_ref") and errors[0][3] == "is 140,000 characters long; at most 200 allowed"
    assert errors[1][:2] == (3, "category")


def test_a_line_of_a_million_commas_is_a_field_count_error(submitter, draft, period):
    content = csv_bytes(good_rows(period, 2)) + b"," * 1_000_000 + b"\n"
    upload(submitter, draft, content)
    ((row, field, _value, message),) = errors_of(draft)
    assert (row, field) == (3, "")
    assert message == "has 1,000,001 fields; the header has 20 (and the row is 1,000,001 characters long; at most " \
                      "65,536 allowed)"


def test_a_header_too_long_to_be_one_is_refused(submitter, draft):
    upload(submitter, draft, b"external_id" * 10_000 + b"\nx\n")
    assert last_upload(draft).errors[0][3].startswith("The first row (the header) is 110,001 characters long")


def test_a_json_line_over_the_row_limit_is_refused_by_its_length(submitter, draft, period):
    rows = good_rows(period, 2)
    rows[0]["external_id"] = "y" * 5_000_000
    upload(submitter, draft, jsonl_bytes(rows), name="r.jsonl")
    result = last_upload(draft)
    assert result.status == UploadStatus.REJECTED
    ((row, field, value, message),) = errors_of(draft)
    assert (row, field) == (1, "") and message.endswith("characters long; a line may be at most 65,536 characters")
    assert value.startswith('{"external_id": "yyy')


def test_a_json_value_over_its_limit_within_the_row_limit_gets_the_fields_message(submitter, draft, period):
    rows = good_rows(period, 2)
    rows[1]["content_type"] = "V" * 3_000
    upload(submitter, draft, jsonl_bytes(rows), name="r.jsonl")
    assert errors_of(draft) == [(2, "content_type", f"{'V' * 60}… (3,000 characters)",
                                 "is 3,000 characters long; at most 2,000 allowed")]
