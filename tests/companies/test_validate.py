"""The validator's fast path never disagrees with the full rule set."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from companies import filing_format as ff
from companies.ingest.validate import ErrorLog, RowChecker

START = dt.datetime(2026, 3, 31, 23, 0, tzinfo=dt.UTC)  # 1 April 2026 00:00 in London (BST)
END = dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC)


def _checker() -> RowChecker:
    return RowChecker(filing_id=7, period_id=3, company_id=5, period_start=START, period_end=END, errors=ErrorLog())


def _stamp(moment: dt.datetime, style: int) -> str:
    return [moment.isoformat(), moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment.strftime("%Y%m%dT%H%M%SZ"),
            moment.replace(tzinfo=None).isoformat(), moment.strftime("%Y-%m-%d %H:%M:%S+00:00")][style]


moments = st.datetimes(min_value=dt.datetime(2026, 3, 25), max_value=dt.datetime(2026, 7, 5),
                       timezones=st.just(dt.UTC))


def enum(values: tuple[str, ...]):
    return st.one_of(st.sampled_from(values), st.sampled_from(["", "nope", values[0].lower(), "X" * 2_001]))


@st.composite
def rows(draw):
    received = draw(moments)
    actioned = received + dt.timedelta(minutes=draw(st.integers(min_value=-30, max_value=60 * 24 * 10)))
    preserved = draw(st.sampled_from(["true", "false", "", "yes"]))
    until = (actioned.date() + dt.timedelta(days=draw(st.integers(min_value=150, max_value=200)))).isoformat()
    values = {
        "external_id": draw(st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True),
                                      st.sampled_from(["", "bad id", "x" * 501]))),
        "source_type": draw(enum(ff.SOURCE_TYPES)),
        "order_reference": draw(st.sampled_from(["", "RO/1", "RO\t2", "x" * 201, "a\\b", "y" * 2_001])),
        "category": draw(enum(ff.CATEGORIES)),
        "content_type": draw(enum(ff.CONTENT_TYPES)),
        "received_at": _stamp(received, draw(st.integers(0, 4))),
        "action": draw(enum(ff.ACTIONS)),
        "actioned_at": draw(st.one_of(st.just(""), st.builds(lambda s: _stamp(actioned, s), st.integers(0, 4)))),
        "decision_ground": draw(enum(ff.DECISION_GROUNDS)),
        "automated_detection": draw(st.sampled_from(["true", "false", "", "TRUE"])),
        "automated_decision": draw(enum(ff.AUTOMATED_DECISIONS)),
        "content_sha256": draw(st.sampled_from(["", "ab" * 32, "AB" * 32, "xyz"])),
        "preserved": preserved,
        "preservation_ref": draw(st.sampled_from(["", "EV-1", "EV\n2"])),
        "preserved_until": draw(st.sampled_from(["", until, "2026-13-01"])),
        "law_enforcement_notified": draw(st.sampled_from(["true", "false", "no"])),
        "appeal_received_at": draw(st.sampled_from(["", _stamp(actioned + dt.timedelta(hours=1), 0)])),
        "appeal_decided_at": draw(st.sampled_from(["", _stamp(actioned + dt.timedelta(days=3), 0)])),
        "appeal_outcome": draw(st.sampled_from(["", "UPHELD", "REVERSED", "MAYBE"])),
        "reinstated": draw(st.sampled_from(["", "true", "false", "x"])),
    }
    return [values[name] for name in ff.FIELD_NAMES]


@settings(max_examples=300, deadline=None)
@given(rows())
def test_fast_path_and_full_rules_agree(values):
    fast, full = _checker(), _checker()
    assert fast.check(values, 1, 1) == full.check_full(values, 1, 1)
    assert fast.errors.count == full.errors.count


def test_a_valid_row_becomes_one_copy_line_in_column_order():
    values = ["ord-1", "REMOVAL_ORDER", "RO/9", "TERRORIST_CONTENT", "VIDEO", "2026-05-01T10:00:00+01:00",
              "REMOVED", "2026-05-01T10:40:00+01:00", "ILLEGAL_CONTENT", "true", "PARTIALLY", "",
              "true", "EV-1", "2026-11-02", "false", "", "", "", ""]
    line = _checker().check(values, 1, 42)
    fields = line.rstrip("\n").split("\t")
    assert dict(zip(ff.ITEM_COLUMNS, fields, strict=True)) == {
        "period_id": "3", "filing_id": "7", "company_id": "5", "row_no": "42", "external_id": "ord-1",
        "received_at": "2026-05-01T10:00:00+01:00", "actioned_at": "2026-05-01T10:40:00+01:00",
        "order_reference": "RO/9", "content_sha256": "\\N", "preservation_ref": "EV-1",
        "preserved_until": "2026-11-02", "appeal_received_at": "\\N", "appeal_decided_at": "\\N",
        "source_type": "1", "category": "1", "content_type": "3", "action": "1", "decision_ground": "1",
        "automated_detection": "t", "automated_decision": "2", "preserved": "t", "law_enforcement_notified": "f",
        "appeal_outcome": "\\N", "reinstated": "\\N",
    }


def test_preserved_until_six_months_is_inclusive():
    """Actioned 31 August → six months later is 28 February (the month's last day); that day passes."""
    values = ["a", "USER_NOTICE", "", "OTHER", "TEXT", "2026-05-01T10:00:00+00:00", "REMOVED",
              "2026-08-31T10:00:00+00:00", "TERMS_OF_SERVICE", "false", "NOT_AUTOMATED", "", "true", "",
              "2027-02-28", "false", "", "", "", ""]
    assert _checker().check(values, 1, 1) is not None
    values[14] = "2027-02-27"
    checker = _checker()
    assert checker.check(values, 1, 1) is None
    assert checker.errors.rows[0][1] == "preserved_until"


@settings(max_examples=60, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=25))
def test_arrow_rules_accept_only_rows_the_row_validator_accepts_and_write_the_same_line(batch_rows):
    import pyarrow as pa

    from companies.ingest.columnar import BatchChecker, copy_lines

    batch = pa.RecordBatch.from_arrays([pa.array([row[i] for row in batch_rows], pa.string())
                                        for i in range(len(ff.FIELD_NAMES))], names=list(ff.FIELD_NAMES))
    checker = _checker()
    try:
        ok, lines = BatchChecker(checker, period_start=START, period_end=END).check(batch, 10)
    except pa.ArrowInvalid:
        return  # an impossible date: the whole batch goes row by row, which is the reference
    accepted = [i for i, flag in enumerate(ok.to_pylist()) if flag]
    written = bytes(copy_lines(lines.filter(ok))).decode().splitlines(keepends=True)
    assert len(written) == len(accepted)
    for line, index in zip(written, accepted, strict=True):
        assert line == _checker().check_full(batch_rows[index], index + 1, 10 + index)


def _valid_row() -> list[str]:
    return ["ord-1", "REMOVAL_ORDER", "RO/9", "TERRORIST_CONTENT", "VIDEO", "2026-05-01T10:00:00+01:00",
            "REMOVED", "2026-05-01T10:40:00+01:00", "ILLEGAL_CONTENT", "true", "PARTIALLY", "",
            "true", "EV-1", "2026-11-02", "false", "", "", "", ""]


def test_a_nul_in_any_field_is_reported_on_that_field_alone():
    for index, name in enumerate(ff.FIELD_NAMES):
        values = _valid_row()
        values[index] += "\x00"
        checker = _checker()
        assert checker.check(values, 3, 3) is None, name
        assert checker.errors.rows == [(3, name, values[index].replace("\x00", "\u2400"),
                                        "contains a NUL byte (0x00), which a report may not contain")], name


def test_the_arrow_rules_send_a_row_with_a_nul_to_the_row_validator():
    import pyarrow as pa

    from companies.ingest.columnar import BatchChecker

    rows = [_valid_row(), _valid_row()]
    rows[1][0] = "ord\x002"
    batch = pa.RecordBatch.from_arrays([pa.array([row[i] for row in rows], pa.string())
                                        for i in range(len(ff.FIELD_NAMES))], names=list(ff.FIELD_NAMES))
    ok, _lines = BatchChecker(_checker(), period_start=START, period_end=END).check(batch, 1)
    assert ok.to_pylist() == [True, False]


def test_a_value_over_its_fields_limit_gets_that_one_message_on_both_paths():
    import pyarrow as pa

    from companies.ingest.columnar import BatchChecker

    for index, spec in enumerate(ff.FIELDS):
        values = _valid_row()
        values[index] = "A" * (spec.max_length + 1)
        checker = _checker()
        assert checker.check(values, 4, 4) is None, spec.name
        shown = values[index] if spec.max_length < 80 else f"{'A' * 60}… ({spec.max_length + 1:,} characters)"
        own = [error for error in checker.errors.rows if error.field == spec.name]  # others may follow from it
        assert own == [(4, spec.name, shown,
                                        f"is {spec.max_length + 1:,} characters long; at most "
                                        f"{spec.max_length:,} allowed")], spec.name
        batch = pa.RecordBatch.from_arrays([pa.array([value], pa.string()) for value in values],
                                           names=list(ff.FIELD_NAMES))
        ok, _ = BatchChecker(_checker(), period_start=START, period_end=END).check(batch, 1)
        assert ok.to_pylist() == [False], spec.name


def test_every_field_has_a_limit_and_a_row_of_values_at_their_limits_fits_in_a_row():
    assert ff.FIELDS_BY_NAME["external_id"].max_length == 500
    assert {spec.max_length for spec in ff.FIELDS} <= {64, 200, 500, ff.MAX_VALUE}
    assert sum(spec.max_length for spec in ff.FIELDS) + len(ff.FIELDS) < ff.MAX_ROW
