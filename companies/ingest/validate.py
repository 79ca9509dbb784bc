"""Streaming validation of takedown rows into COPY text lines.

A row is a list of strings in the canonical field order (filing_format.FIELD_NAMES).
``RowChecker.check`` either returns the row as one line of PostgreSQL COPY text, or
records every problem of the row in the ``ErrorLog`` and returns None. The code is
written for speed (it runs once per row on files of millions of rows): names are
bound locally, the common case takes the shortest path, and nothing per row is
kept in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, NamedTuple

from companies import filing_format as ff
from core.calendar import add_months

ERROR_CAP = 10_000  # errors kept for the report and its CSV; every error is still counted
SHOWN_ERRORS = 200  # errors shown on the page and stored on the upload row

_EXTERNAL_ID = re.compile(r"[A-Za-z0-9_-]{1,500}").fullmatch
_MAX_LENGTHS = ff.MAX_LENGTHS
_SHA256 = re.compile(r"[0-9a-fA-F]{64}").fullmatch
_BOOL = {"true": "t", "false": "f"}
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})



def _copy_codes(values: tuple[str, ...]) -> dict[str, str]:
    # Codes as the text COPY wants, so a valid row needs no str() calls.
    return {value: str(code) for value, code in ff.codes(values).items()}


_SOURCE = _copy_codes(ff.SOURCE_TYPES)
_CATEGORY = _copy_codes(ff.CATEGORIES)
_CONTENT = _copy_codes(ff.CONTENT_TYPES)
_ACTION = _copy_codes(ff.ACTIONS)
_GROUND = _copy_codes(ff.DECISION_GROUNDS)
_AUTOMATED = _copy_codes(ff.AUTOMATED_DECISIONS)
_OUTCOME = _copy_codes(ff.APPEAL_OUTCOMES)
_NO_ACTION = _ACTION["NO_ACTION"]
_REMOVAL_ORDER = _SOURCE["REMOVAL_ORDER"]

_TIMESTAMP_HELP = "is not an ISO 8601 timestamp with a UTC offset, such as 2026-07-01T09:15:00+01:00"


def _enum_message(choices: tuple[str, ...]) -> str:
    return "is not one of " + ", ".join(choices)


class ErrorRow(NamedTuple):
    """One problem of a file: where (row number, field), what was there, and what is wrong with it."""

    row: int
    field: str
    value: str
    message: str


class CutValue(str):
    """The start of a value too long to keep, with its full length: what a reader keeps of a runaway field."""

    length: int

    def __new__(cls, start: str, length: int) -> CutValue:
        value = super().__new__(cls, start)
        value.length = length
        return value


def value_length(value: str) -> int:
    """A value's length in characters, also for a value the reader had to cut."""
    return getattr(value, "length", len(value))


def too_long_message(length: int, limit: int) -> str:
    return f"is {length:,} characters long; at most {limit:,} allowed"


NUL_MESSAGE = "contains a NUL byte (0x00), which a report may not contain"
# How a NUL is shown in a report: PostgreSQL stores no NUL in text or JSON, and the symbol says what was there.
NUL_SHOWN = "\u2400"


def _storable(text: str) -> str:
    """Text as a report can store and show it: a lone surrogate written as \\ud800, a NUL as the NUL symbol."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", NUL_SHOWN) if "\x00" in text else text


@dataclass
class ErrorGroup:
    """Errors of one kind (one field, one message up to its figures): how many, and the first few."""

    field: str
    message: str  # the first such error's message
    count: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)  # (row, value) of the first EXAMPLES


GROUPS = 100  # kinds of error told apart in the summary; the rest are counted together
EXAMPLES = 3
_FIGURES = re.compile(r"\d[\d:.+\-TZ]*")  # "is before received_at 2026-07-01T10:00Z" groups with its kind


@dataclass
class ErrorLog:
    """Every error is counted, and counted by kind (``groups``); the first ``cap`` are kept as rows."""

    cap: int = field(default_factory=lambda: ERROR_CAP)
    count: int = 0
    rows: list[ErrorRow] = field(default_factory=list)
    fatal: bool = False
    groups: dict[tuple[str, str], ErrorGroup] = field(default_factory=dict)

    def _group(self, field_name: str, message: str) -> ErrorGroup:
        key = (field_name, _FIGURES.sub("#", message))
        group = self.groups.get(key)
        if group is None:
            if len(self.groups) >= GROUPS:
                key = ("", "other problems")
                group = self.groups.setdefault(key, ErrorGroup(field="", message="Other problems"))
            else:
                group = self.groups[key] = ErrorGroup(field=field_name, message=message)
        return group

    def count_more(self, field_name: str, message: str, how_many: int) -> None:
        """Errors of a kind already listed that are counted without being listed one by one."""
        self.count += how_many
        self._group(field_name, message).count += how_many

    def summary(self) -> list[dict]:
        """The kinds of error, most frequent first, each with its count and a few examples (JSON-ready)."""
        groups = sorted(self.groups.values(), key=lambda group: (-group.count, group.field, group.message))
        return [{"field": group.field, "message": group.message, "count": group.count,
                 "examples": [list(example) for example in group.examples]} for group in groups]
    # Fields of the row being checked whose value is too long: that is their one error, the other rules are quiet.
    quiet: frozenset[str] = frozenset()

    def add(self, row: int, field_name: str, value: str, message: str) -> None:
        if field_name in self.quiet:
            return
        self.count += 1
        length = value_length(value)  # before the text is made storable: a cut value knows its full length
        # Shown text must itself be storable: a lone surrogate is written as \ud800, a NUL as ␀.
        value, field_name, message = _storable(value), _storable(field_name), _storable(message)
        group = self._group(field_name, message)
        group.count += 1
        if len(group.examples) < EXAMPLES:
            group.examples.append((row, value if length <= 80 else f"{value[:60]}…"))
        if len(self.rows) < self.cap:
            shown = value if length <= 80 else f"{value[:60]}… ({length:,} characters)"
            self.rows.append(ErrorRow(row, field_name, shown, message))

    def stop(self, row: int, message: str) -> None:
        """A problem that makes the rest of the file unreadable (encoding, unclosed quote)."""
        self.add(row, "", "", message)
        self.fatal = True


# Extended ISO 8601 with seconds and an offset: the spelling PostgreSQL reads exactly as Python does.
_PLAIN_TIMESTAMP = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)"
).fullmatch


_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}").fullmatch


def _copy_timestamp(raw: str, parsed: dt.datetime) -> str:
    # The raw text is passed through only in the one spelling PostgreSQL certainly reads the
    # same way; Python also accepts week dates, hour-only times and second offsets, which
    # PostgreSQL refuses, so anything else is written out again by isoformat().
    if _PLAIN_TIMESTAMP(raw):
        return raw
    return parsed.isoformat()


_fromisoformat = dt.datetime.fromisoformat
_date_fromisoformat = dt.date.fromisoformat


class _CodeCache(dict):
    """Valid combinations of coded fields → their COPY text; computed on first sight.

    Only valid combinations are stored, and there are at most a few hundred
    thousand of them, so the cache cannot grow with the file.
    """

    def __init__(self, compute) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self.compute(key)
        if value is not None:
            self[key] = value
        return value


class RowChecker:
    """Validates rows of one load into one filing (company, period) and formats them for COPY."""

    def __init__(self, *, filing_id: int, period_id: int, company_id: int,
                 period_start: dt.datetime, period_end: dt.datetime, errors: ErrorLog) -> None:
        self.prefix = f"{period_id}\t{filing_id}\t{company_id}\t"
        # Compared in UTC: comparing with a zoneinfo datetime costs a utcoffset() lookup per row.
        self.period_start = period_start.astimezone(dt.UTC)
        self.period_end = period_end.astimezone(dt.UTC)
        self.period_label = (f"{period_start:%d %b %Y} to {period_end - dt.timedelta(days=1):%d %b %Y}, "
                             f"{period_start.tzname()}")
        self.errors = errors
        self._six_months: dict[dt.date, dt.date] = {}
        self._codes = _CodeCache(self._combination)

    def six_months_after(self, day: dt.date) -> dt.date:
        """Cached: the same few hundred days recur on every row of a quarter."""
        result = self._six_months.get(day)
        if result is None:
            result = self._six_months[day] = add_months(day, 6)
        return result

    def check(self, values: list[str], row: int, item_no: int) -> str | None:
        """The row as a COPY line, or None after recording its errors.

        A fast path handles the common row (no appeal, plain text) with as few
        operations as possible and hands anything unusual or wrong to
        ``check_full``, which applies every rule and reports every error. The fast
        path only ever accepts a row that ``check_full`` accepts too (a property-based
        test compares the two on random rows).
        """
        (external_id, source_raw, order_reference, category_raw, content_raw, received_raw, action_raw,
         actioned_raw, ground_raw, detection_raw, automated_raw, sha_raw, preserved_raw, preservation_ref,
         until_raw, police_raw, appeal_in_raw, appeal_out_raw, outcome_raw, reinstated_raw) = values
        tail = self._codes[(source_raw, category_raw, content_raw, action_raw, ground_raw, detection_raw,
                            automated_raw, preserved_raw, police_raw)]
        if (tail is None or appeal_in_raw or appeal_out_raw or outcome_raw or reinstated_raw
                or not _EXTERNAL_ID(external_id)):
            return self.check_full(values, row, item_no)
        if order_reference:
            if len(order_reference) > 200 or _NEEDS_ESCAPE(order_reference) or "\x00" in order_reference:
                return self.check_full(values, row, item_no)
        elif source_raw == "REMOVAL_ORDER":
            return self.check_full(values, row, item_no)
        if preservation_ref and (len(preservation_ref) > 200 or _NEEDS_ESCAPE(preservation_ref)
                                 or "\x00" in preservation_ref):
            return self.check_full(values, row, item_no)
        if sha_raw:
            if not _SHA256(sha_raw):
                return self.check_full(values, row, item_no)
            sha = "\\\\x" + sha_raw.lower()
        else:
            sha = "\\N"
        try:
            received = _fromisoformat(received_raw)
            actioned = _fromisoformat(actioned_raw) if actioned_raw else None
            until = _date_fromisoformat(until_raw) if until_raw else None
        except ValueError:
            return self.check_full(values, row, item_no)
        if until is not None and not _PLAIN_DATE(until_raw):
            return self.check_full(values, row, item_no)
        # Timestamps pass through as written only in the extended ISO form PostgreSQL reads the same way.
        if (received.tzinfo is None or not self.period_start <= received < self.period_end
                or not _PLAIN_TIMESTAMP(received_raw)):
            return self.check_full(values, row, item_no)
        if actioned is not None:
            if actioned.tzinfo is None or actioned < received or not _PLAIN_TIMESTAMP(actioned_raw):
                return self.check_full(values, row, item_no)
            if until is not None and until < self.six_months_after(actioned.date()):
                return self.check_full(values, row, item_no)
        elif action_raw != "NO_ACTION" or until is not None:
            return self.check_full(values, row, item_no)
        if until is None and preserved_raw == "true":
            return self.check_full(values, row, item_no)
        return "\t".join((
            self.prefix + str(item_no), external_id, received_raw, actioned_raw or "\\N", order_reference or "\\N",
            sha, preservation_ref or "\\N", until_raw or "\\N", "\\N", "\\N", tail,
        ))

    def _combination(self, key: tuple[str, ...]) -> str | None:
        """The COPY text of a valid combination of coded fields; None when any of them is invalid."""
        source, category, content, action, ground, detection, automated, preserved, police = key
        parts = (_SOURCE.get(source), _CATEGORY.get(category), _CONTENT.get(content), _ACTION.get(action),
                 _GROUND.get(ground) if ground else ("\\N" if action == "NO_ACTION" else None),
                 _BOOL.get(detection), _AUTOMATED.get(automated), _BOOL.get(preserved), _BOOL.get(police))
        if None in parts:
            return None
        return "\t".join(parts) + "\t\\N\t\\N\n"  # appeal_outcome and reinstated: empty on this path

    def _timestamp(self, row: int, name: str, raw: str, *, not_before: dt.datetime | None = None,
                   not_before_name: str = "", not_before_raw: str = "") -> dt.datetime | None:
        """Parse one non-empty timestamp field, recording its errors; None when it is unusable."""
        try:
            parsed = dt.datetime.fromisoformat(raw)
        except ValueError:
            self.errors.add(row, name, raw, _TIMESTAMP_HELP)
            return None
        if parsed.tzinfo is None:
            self.errors.add(row, name, raw, "has no UTC offset; add one such as +00:00 or Z")
            return None
        if not_before is not None and parsed < not_before:
            self.errors.add(row, name, raw, f"is before {not_before_name} {not_before_raw}")
        return parsed

    def check_full(self, values: list[str], row: int, item_no: int) -> str | None:
        """Every rule of the format; every error of the row recorded."""
        before = self.errors.count
        too_long = [index for index, value in enumerate(values) if value_length(value) > _MAX_LENGTHS[index]]
        if too_long:
            for index in too_long:
                self.errors.add(row, ff.FIELD_NAMES[index], values[index],
                                too_long_message(value_length(values[index]), _MAX_LENGTHS[index]))
            self.errors.quiet = frozenset(ff.FIELD_NAMES[index] for index in too_long)
        try:
            return self._check_all(values, row, item_no, before)
        finally:
            self.errors.quiet = frozenset()

    def _check_all(self, values: list[str], row: int, item_no: int, before: int) -> str | None:
        add = self.errors.add
        fromisoformat = dt.datetime.fromisoformat
        if any("\x00" in value for value in values):
            # Reported once per field; the rest of the value is then checked as if the NUL were not there.
            values = list(values)
            for index, value in enumerate(values):
                if "\x00" in value:
                    add(row, ff.FIELD_NAMES[index], value, NUL_MESSAGE)
                    values[index] = value.replace("\x00", "")
        (external_id, source_raw, order_reference, category_raw, content_raw, received_raw, action_raw,
         actioned_raw, ground_raw, detection_raw, automated_raw, sha_raw, preserved_raw, preservation_ref,
         until_raw, police_raw, appeal_in_raw, appeal_out_raw, outcome_raw, reinstated_raw) = values

        if not _EXTERNAL_ID(external_id):
            if not external_id:
                add(row, "external_id", "", "is required")
            else:
                add(row, "external_id", external_id, "may contain only letters, digits, '_' and '-'")

        source = _SOURCE.get(source_raw)
        if source is None:
            add(row, "source_type", source_raw, "is required" if not source_raw else _enum_message(ff.SOURCE_TYPES))
        if order_reference:
            if _NEEDS_ESCAPE(order_reference):
                order_reference = order_reference.translate(_COPY_ESCAPES)
        elif source == _REMOVAL_ORDER:
            add(row, "order_reference", "", "is required when source_type is REMOVAL_ORDER")
        category = _CATEGORY.get(category_raw)
        if category is None:
            add(row, "category", category_raw, "is required" if not category_raw else _enum_message(ff.CATEGORIES))
        content = _CONTENT.get(content_raw)
        if content is None:
            add(row, "content_type", content_raw,
                "is required" if not content_raw else _enum_message(ff.CONTENT_TYPES))

        received = None
        if not received_raw:
            add(row, "received_at", "", "is required")
        else:
            try:
                received = fromisoformat(received_raw)
            except ValueError:
                add(row, "received_at", received_raw, _TIMESTAMP_HELP)
            else:
                if received.tzinfo is None:
                    add(row, "received_at", received_raw, "has no UTC offset; add one such as +00:00 or Z")
                    received = None
                elif not self.period_start <= received < self.period_end:
                    add(row, "received_at", received_raw, f"is outside the reporting period ({self.period_label})")

        action = _ACTION.get(action_raw)
        if action is None:
            add(row, "action", action_raw, "is required" if not action_raw else _enum_message(ff.ACTIONS))
        actioned = None
        if actioned_raw:
            actioned = self._timestamp(row, "actioned_at", actioned_raw, not_before=received,
                                       not_before_name="received_at", not_before_raw=received_raw)
        elif action is not None and action != _NO_ACTION:
            add(row, "actioned_at", "", "is required unless action is NO_ACTION")

        ground = _GROUND.get(ground_raw)
        if ground is None and (ground_raw or (action is not None and action != _NO_ACTION)):
            add(row, "decision_ground", ground_raw,
                "is required unless action is NO_ACTION" if not ground_raw else _enum_message(ff.DECISION_GROUNDS))
        detection = _BOOL.get(detection_raw)
        if detection is None:
            add(row, "automated_detection", detection_raw, "must be true or false")
        automated = _AUTOMATED.get(automated_raw)
        if automated is None:
            add(row, "automated_decision", automated_raw,
                "is required" if not automated_raw else _enum_message(ff.AUTOMATED_DECISIONS))
        sha = "\\N"
        if sha_raw:
            if _SHA256(sha_raw):
                sha = "\\\\x" + sha_raw.lower()
            else:
                add(row, "content_sha256", sha_raw, "must be 64 hexadecimal characters (a SHA-256 digest)")

        preserved = _BOOL.get(preserved_raw)
        if preserved is None:
            add(row, "preserved", preserved_raw, "must be true or false")
        if preservation_ref and _NEEDS_ESCAPE(preservation_ref):
            preservation_ref = preservation_ref.translate(_COPY_ESCAPES)
        until = None
        if until_raw:
            try:
                until = dt.date.fromisoformat(until_raw)
            except ValueError:
                add(row, "preserved_until", until_raw, "is not a date such as 2027-01-31")
            else:
                if actioned is not None and until < self.six_months_after(actioned.date()):
                    add(row, "preserved_until", until_raw,
                        f"is less than six months after actioned_at; keep evidence until at least "
                        f"{self.six_months_after(actioned.date()).isoformat()}")
        elif preserved == "t":
            add(row, "preserved_until", "", "is required when preserved is true")

        police = _BOOL.get(police_raw)
        if police is None:
            add(row, "law_enforcement_notified", police_raw, "must be true or false")

        appeal_in = appeal_out = None
        if appeal_in_raw:
            appeal_in = self._timestamp(row, "appeal_received_at", appeal_in_raw, not_before=received,
                                        not_before_name="received_at", not_before_raw=received_raw)
        if appeal_out_raw:
            if not appeal_in_raw:
                appeal_out = self._timestamp(row, "appeal_decided_at", appeal_out_raw)
                if appeal_out is not None:
                    add(row, "appeal_decided_at", appeal_out_raw, "is given without appeal_received_at")
            else:
                appeal_out = self._timestamp(row, "appeal_decided_at", appeal_out_raw, not_before=appeal_in,
                                             not_before_name="appeal_received_at", not_before_raw=appeal_in_raw)
        outcome = _OUTCOME.get(outcome_raw)
        if outcome_raw and outcome is None:
            add(row, "appeal_outcome", outcome_raw, _enum_message(ff.APPEAL_OUTCOMES))
        elif outcome is None and appeal_out_raw:
            add(row, "appeal_outcome", "", "is required when appeal_decided_at is given")
        elif outcome is not None and not appeal_out_raw:
            add(row, "appeal_outcome", outcome_raw, "is given without appeal_decided_at")
        reinstated = _BOOL.get(reinstated_raw) if reinstated_raw else "\\N"
        if reinstated is None:
            add(row, "reinstated", reinstated_raw, "must be true or false, or empty")

        if self.errors.count != before:
            return None
        return "\t".join((
            self.prefix + str(item_no), external_id,
            _copy_timestamp(received_raw, received),
            _copy_timestamp(actioned_raw, actioned) if actioned is not None else "\\N",
            order_reference or "\\N", sha, preservation_ref or "\\N", until.isoformat() if until else "\\N",
            _copy_timestamp(appeal_in_raw, appeal_in) if appeal_in is not None else "\\N",
            _copy_timestamp(appeal_out_raw, appeal_out) if appeal_out is not None else "\\N",
            source, category, content, action, ground or "\\N", detection, automated, preserved, police,
            outcome or "\\N", reinstated,
        )) + "\n"


# --- readers: bytes in, rows of canonical strings out --------------------------------------------


class FileProblem(Exception):
    """The file cannot be read at all (before any row): empty, BOM, wrong header."""


def header_problems(header: list[str]) -> list[str]:
    problems = []
    if len(header) == 1 and ";" in header[0]:
        return ["The file is separated by semicolons. Save it as CSV with commas between fields."]
    if len(header) == 1 and "\t" in header[0]:
        return ["The file is separated by tabs. Save it as CSV with commas between fields."]
    seen: set[str] = set()
    duplicated = sorted({name for name in header if name in seen or seen.add(name)})
    missing = [name for name in ff.FIELD_NAMES if name not in header]
    unknown = [name for name in header if name not in ff.FIELDS_BY_NAME]
    if duplicated:
        problems.append("Columns appear more than once: " + ", ".join(duplicated) + ".")
    if missing:
        problems.append("Columns are missing: " + ", ".join(missing) + ".")
    if unknown:
        problems.append("Columns are not part of the format: " + ", ".join(repr(n) for n in unknown)
                        + ". The data dictionary lists the columns.")
    return problems


def first_bad_utf8(binary: IO[bytes]) -> tuple[int, str]:
    """(line number, message in words) of the file's first byte that is not UTF-8; line 1 is the first line.

    Read again from the start in pieces, since the text reader decodes ahead of the rows it hands out.
    """
    binary.seek(0)
    line, carry = 1, b""
    while True:
        piece = binary.read(1 << 20)
        data = carry + piece
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            if piece and error.end == len(data) and error.reason == "unexpected end of data":
                carry = data[error.start:]  # a character cut by the piece's end: read on
                line += data[:error.start].count(b"\n")
                continue
            line += data[:error.start].count(b"\n")
            return line, (f"byte 0x{data[error.start]:02X} on line {line:,} is not UTF-8 (save the file as "
                          "UTF-8)")
        if not piece:
            return line, f"the file is not UTF-8 after line {line:,} (save the file as UTF-8)"
        line += data.count(b"\n")
        carry = b""


_CSV_ERRORS = {
    "',' expected after '\"'": "has text after the closing quote of a field; a quoted field ends at its closing "
                                "quote, and a quote inside one is written as two quotes (\"\")",
    "unexpected end of data": "has a quote that is never closed: the file ends inside a quoted field",
}


def _csv_error_message(error: csv.Error) -> str:
    return _CSV_ERRORS.get(str(error), f"cannot be read as CSV: {error}; look for a quote that is never closed")


def check_start(binary: IO[bytes]) -> None:
    start = binary.read(4)
    binary.seek(0)
    if not start:
        raise FileProblem("The file is empty.")
    if start.startswith(b"\xef\xbb\xbf"):
        raise FileProblem("The file starts with a byte-order mark (BOM). Save it as UTF-8 without a BOM.")
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileProblem("The file is UTF-16. Save it as UTF-8.")


# A lone surrogate: strict UTF-8 decoding never produces one, so no file can contain it. The bounded reader hands
# it to the csv module in place of a record too long to read, and csv_rows knows the row by it.
_CUT_ROW = "\udfff"
_PIECE = 1 << 16  # characters read at a time past the row limit
_QUOTE_OR_BREAK = re.compile(r"[,\r\n]").search


class _LongRecord:
    """One CSV record past the row limit, read piece by piece as the csv module reads it (RFC 4180: a quote opens
    a field only at its start, and a doubled quote inside is one quote), keeping of each of the first ``width``
    fields only its start and its length, so memory stays bounded whatever the record holds."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.fields: list[CutValue] = []
        self.count = 0  # fields seen
        self.length = 0  # characters of the record, line end included
        self._start: list[str] = []
        self._kept = 0
        self._field_length = 0
        self._state = "start"
        self.ended = False

    def _keep(self, text: str) -> None:
        self._field_length += len(text)
        room = ff.MAX_VALUE + 1 - self._kept
        if room > 0 and self.count < self.width:
            self._start.append(text[:room])
            self._kept += min(room, len(text))

    def _end_field(self) -> None:
        if self.count < self.width:
            self.fields.append(CutValue("".join(self._start), self._field_length))
        self.count += 1
        self._start, self._kept, self._field_length = [], 0, 0
        self._state = "start"

    def feed(self, piece: str) -> None:
        """Read one more piece of the file (a line, or part of one); sets ``ended`` at the record's end."""
        self.length += len(piece)
        at = 0
        while at < len(piece) and not self.ended:
            char = piece[at]
            if self._state == "quoted":
                close = piece.find('"', at)
                if close < 0:
                    self._keep(piece[at:])
                    return
                self._keep(piece[at:close])
                self._state, at = "quote", close + 1
            elif self._state == "quote":
                if char == '"':
                    self._keep('"')
                    self._state, at = "quoted", at + 1
                else:
                    self._state = "field"  # a break or a comma ends the field below; other text is the csv error's
            elif self._state == "start" and char == '"':
                self._state, at = "quoted", at + 1
            else:
                found = _QUOTE_OR_BREAK(piece, at)
                stop = found.start() if found else len(piece)
                self._keep(piece[at:stop])
                self._state = "field"
                if found is None:
                    return
                self._end_field()
                if piece[stop] != ",":
                    self.ended = True  # a line break outside quotes: the rest of the piece is its line end
                at = stop + 1

    def finish(self) -> None:
        """The file ended inside the record."""
        if not self.ended:
            self._end_field()
            self.ended = True


class _BoundedLines:
    """The lines of a CSV text stream for the csv module, which never gets more than ff.MAX_ROW characters of
    one record: a longer record is read past by _LongRecord and replaced by a stand-in row, whose report
    csv_rows makes from ``long_record``. ``at_record_start`` is set by csv_rows each time the csv module
    returns a row, so this side knows exactly where the module's records begin."""

    def __init__(self, text: io.TextIOBase) -> None:
        self.text = text
        self.width = 0
        self.at_record_start = True
        self.record: list[str] = []  # the lines of the record in progress, at most ff.MAX_ROW characters
        self.record_length = 0
        self.long_record: _LongRecord | None = None

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(ff.MAX_ROW + 1)
        if not line:
            raise StopIteration
        if self.at_record_start:
            self.record, self.record_length = [], 0
        self.at_record_start = False
        self.record.append(line)
        self.record_length += len(line)
        if self.record_length <= ff.MAX_ROW:
            return line
        long_record = _LongRecord(self.width)
        for piece in self.record:
            long_record.feed(piece)
        while not long_record.ended:
            piece = self.text.readline(_PIECE)
            if not piece:
                long_record.finish()
                break
            long_record.feed(piece)
        self.long_record = long_record
        # The csv module is inside a quoted field when a record spans lines: close it, then the stand-in.
        started_inside = len(self.record) > 1
        self.record, self.record_length = [], 0
        return (f'",{_CUT_ROW}\n' if started_inside else f"{_CUT_ROW}\n")


def _long_record_values(long_record: _LongRecord, row: int, width: int, errors: ErrorLog) -> list[str] | None:
    """The fields of a record that was too long to read whole, cut to their limits, for the row checks; or None
    after reporting a record whose fields do not line up with the header, or that is long for no one field."""
    if long_record.count != width:
        errors.add(row, "", "", f"has {long_record.count:,} fields; the header has {width} (and the row is "
                                f"{long_record.length:,} characters long; at most {ff.MAX_ROW:,} allowed)")
        return None
    return list(long_record.fields)


def csv_rows(binary: IO[bytes], errors: ErrorLog) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, values in canonical order) from a CSV file; row 1 is the first data row.

    No more than ff.MAX_ROW characters of one record are ever held: a longer one is read past and reported by
    the field (or fields) that made it long.
    """
    check_start(binary)
    text = io.TextIOWrapper(binary, encoding="utf-8", errors="strict", newline="")
    lines = _BoundedLines(text)
    reader = csv.reader(lines, strict=True)
    row = 0
    try:
        header = next(reader, None)
        lines.at_record_start = True
        if header and header[-1] == _CUT_ROW:
            raise FileProblem(f"The first row (the header) is {lines.long_record.length:,} characters long; a "
                              f"header of the twenty columns needs a few hundred. Check that the file is CSV.")
        if not header:
            raise FileProblem("The file is empty.")
        problems = header_problems(header)
        if problems:
            raise FileProblem(" ".join(problems))
        order = [header.index(name) for name in ff.FIELD_NAMES]
        width = lines.width = len(header)
        identity = order == list(range(width))
        for values in reader:
            lines.at_record_start = True
            row += 1
            if values and values[-1] == _CUT_ROW:
                values = _long_record_values(lines.long_record, row, width, errors)
                lines.long_record = None
                if values is None:
                    continue
            elif len(values) != width:
                if values == []:
                    row -= 1  # a blank line carries nothing
                    continue
                errors.add(row, "", "", f"has {len(values)} fields; the header has {width}")
                continue
            ordered = values if identity else [values[i] for i in order]
            if not any(value_length(value) > limit for value, limit in zip(ordered, _MAX_LENGTHS, strict=True)) \
                    and any(isinstance(value, CutValue) for value in ordered):
                # Long only because of its quoting: every value is within its limit, the row is not.
                errors.add(row, "", "", f"is more than {ff.MAX_ROW:,} characters long; at most {ff.MAX_ROW:,} "
                                        "allowed")
                continue
            yield row, ordered
    except UnicodeDecodeError:
        # Row 0, the file: the decoder reads ahead, so which record was being read says nothing; the line does.
        errors.stop(0, first_bad_utf8(binary)[1])
    except csv.Error as error:
        errors.stop(row + 1, _csv_error_message(error))
    if row == 0 and not errors.count:
        raise FileProblem("The file has a header but no rows. If you had nothing to report, file a nil return.")


def _json_value(value: object) -> str | None:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return None  # a lone surrogate such as "\ud800": not text PostgreSQL can store
        return value
    if isinstance(value, int | float):
        return str(value)
    return None


def object_values(obj: object, row: int, errors: ErrorLog) -> list[str] | None:
    """One JSON object (a JSON Lines row or an API item) as canonical strings, or None after errors."""
    if not isinstance(obj, dict):
        errors.add(row, "", type(obj).__name__, "is not a JSON object with the fields as keys")
        return None
    unknown = [key for key in obj if key not in ff.FIELDS_BY_NAME]
    for key in unknown:
        errors.add(row, str(key)[:100], "", "is not a field of the format")
    values = []
    bad = bool(unknown)
    for name in ff.FIELD_NAMES:
        value = _json_value(obj.get(name))
        if value is None:
            errors.add(row, name, str(obj.get(name))[:100], "must be a string, number, true, false or null")
            bad = True
            value = ""
        values.append(value)
    return None if bad else values


def jsonl_rows(binary: IO[bytes], errors: ErrorLog) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, values) from a JSON Lines file; row 1 is the first line."""
    check_start(binary)
    text = io.TextIOWrapper(binary, encoding="utf-8", errors="strict", newline=None)
    row = 0
    try:
        while line := text.readline(ff.MAX_ROW + 1):
            row += 1
            if len(line) > ff.MAX_ROW:
                # Read past the rest of the line a piece at a time: never more than the limit held at once.
                length, piece = len(line), line
                while not piece.endswith("\n") and (piece := text.readline(_PIECE)):
                    length += len(piece)
                errors.add(row, "", CutValue(line[:100], length),
                           f"is {length:,} characters long; a line may be at most {ff.MAX_ROW:,} characters")
                continue
            if not line.strip():
                continue
            if "\x00" in line:
                errors.add(row, "", line.strip(), f"contains a NUL byte (0x00) at column {line.index(chr(0)) + 1}, "
                                                  "which a report may not contain")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as error:
                errors.add(row, "", line.strip(), f"is not valid JSON ({error.msg} at column {error.colno})")
                continue
            except RecursionError:
                errors.add(row, "", line.strip(), "is nested too deeply to read; a line is one flat JSON object")
                continue
            except ValueError:
                # Python reads integers of at most sys.get_int_max_str_digits() digits (4,300 by default).
                errors.add(row, "", line.strip(), f"has a number longer than {sys.get_int_max_str_digits():,} "
                                                  "digits, which cannot be read; no field of the format takes one")
                continue
            values = object_values(obj, row, errors)
            if values is not None:
                yield row, values
    except UnicodeDecodeError:
        line, message = first_bad_utf8(binary)
        errors.stop(line, message)
    if row == 0 and not errors.count:
        raise FileProblem("The file is empty.")
