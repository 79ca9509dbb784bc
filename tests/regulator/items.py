"""Takedown items for scoring tests, built through the real loaders."""

from __future__ import annotations

import datetime as dt

from companies import filing_format as ff
from companies.ingest.load import copy_rows
from companies.ingest.validate import ErrorLog
from companies.models import Filing

START = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)


def item_row(index: int, spec: dict, start: dt.datetime = START) -> tuple[list[str], dict]:
    """One takedown item from a spec (source, action, minutes to action, preserved, appeal days, automated,
    reinstated), received ``index`` hours after ``start``: the filing row and the dict a reference reads."""
    received = start + dt.timedelta(hours=index)
    actioned = received + dt.timedelta(minutes=spec["minutes"])
    no_action = spec["action"] == "NO_ACTION"
    appeal_in = actioned + dt.timedelta(hours=1) if spec["appeal"] is not None and not no_action else None
    appeal_out = (appeal_in + dt.timedelta(days=spec["appeal"])
                  if appeal_in is not None and spec["appeal"] != "undecided" else None)
    removed = spec["action"] in ("REMOVED", "DISABLED")
    preserved = spec["preserved"] and removed
    values = {
        "external_id": f"i{index}", "source_type": spec["source"],
        "order_reference": "RO/1" if spec["source"] == "REMOVAL_ORDER" else "", "category": "OTHER",
        "content_type": "TEXT", "received_at": received.isoformat(), "action": spec["action"],
        "actioned_at": "" if no_action else actioned.isoformat(),
        "decision_ground": "" if no_action else "ILLEGAL_CONTENT", "automated_detection": "false",
        "automated_decision": spec["automated"], "content_sha256": "", "preserved": "true" if preserved else "false",
        "preservation_ref": "", "preserved_until": (actioned.date() + dt.timedelta(days=200)).isoformat()
        if preserved else "", "law_enforcement_notified": "false",
        "appeal_received_at": appeal_in.isoformat() if appeal_in else "",
        "appeal_decided_at": appeal_out.isoformat() if appeal_out else "",
        "appeal_outcome": "UPHELD" if appeal_out else "", "reinstated": spec["reinstated"],
    }
    item = {"source": spec["source"], "action": spec["action"], "received": received, "actioned": actioned,
            "preserved": preserved, "appeal_in": appeal_in, "appeal_out": appeal_out,
            "automated": spec["automated"], "reinstated": spec["reinstated"] == "true"}
    return [values[name] for name in ff.FIELD_NAMES], item


def removal_orders(filing: Filing, minutes: list[int], start: dt.datetime = START, *, actor=None) -> None:
    """Removal orders received an hour apart, each removed (and preserved) after the given minutes.

    With an actor they go through the API's batch service (a draft's item count follows); without one,
    straight into the table.
    """
    spec = {"source": "REMOVAL_ORDER", "action": "REMOVED", "preserved": True, "appeal": None,
            "automated": "NOT_AUTOMATED", "reinstated": ""}
    rows = [(n + 1, item_row(n, spec | {"minutes": after}, start)[0]) for n, after in enumerate(minutes)]
    if actor is not None:
        from companies.services.uploads import batch_add

        result = batch_add(actor=actor, company=filing.company, filing=filing,
                           items=[dict(zip(ff.FIELD_NAMES, values, strict=True)) for _, values in rows])
        assert result["created"] == len(rows), result
        return
    errors = ErrorLog()
    copy_rows(filing=filing, rows=rows, errors=errors, first_row_no=1)
    assert errors.count == 0, errors.rows
