"""penalties/fines.py: the fine calculator against the worked examples of penalties/worked_examples/fines.json
(each with its arithmetic in words), and the trace a notice prints."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from penalties.fines import Adjustment, Breach, FineError, FinePolicy, Money, Turnover, fine_calculate

EXAMPLES = json.loads((Path(__file__).resolve().parents[2] / "penalties" / "worked_examples" / "fines.json")
                      .read_text())["cases"]


def _calculate(case: dict):
    turnover = case["turnover"]
    return fine_calculate(
        breaches=[Breach(metric=b["metric"], period=b["period"], value=Decimal(b["value"]),
                         threshold=Decimal(b["threshold"]), attainment=Decimal(b["attainment"]))
                  for b in case["breaches"]],
        tier=case["tier"], policy=FinePolicy(), opened_on=dt.date.fromisoformat(case["opened_on"]),
        earlier_fines=[dt.date.fromisoformat(day) for day in case["earlier_fines"]],
        adjustments=[Adjustment(a["factor"], Decimal(a["percent"]), a["reason"]) for a in case["adjustments"]],
        turnover=Turnover(Money(Decimal(turnover["amount"]), turnover["currency"]),
                          rate=Decimal(turnover["rate"]) if "rate" in turnover else None,
                          rate_source=turnover.get("rate_source", ""), rate_date=turnover.get("rate_date", "")),
    )


@pytest.mark.parametrize("case", EXAMPLES, ids=[case["name"] for case in EXAMPLES])
def test_each_worked_example_gives_its_steps_and_amount(case):
    if "error" in case:
        with pytest.raises(FineError, match=case["error"]):
            _calculate(case)
        return
    fine = _calculate(case)
    assert [step.result.amount for step in fine.steps] == [Decimal(amount) for amount in case["steps"]]
    assert fine.amount == Money(Decimal(case["amount"]), "GBP")
    assert [step.name for step in fine.steps] == ["Gravity", "Size", "Breadth", "Repeat", "Adjustment", "Cap",
                                                  "Rounding"]
    if "gravity" in case:
        assert fine.steps[0].inputs["band"] == case["gravity"]


def test_every_step_names_its_rule_inputs_and_reason():
    fine = _calculate(next(case for case in EXAMPLES if case["name"] == "turnover in another currency"))
    assert all(step.rule.startswith("Escalation policy v1, §4.3 step ") for step in fine.steps)
    cap = fine.steps[5]
    assert "EUR 600,000,000 at 0.85 GBP per EUR, Bank of England daily spot rate, 2026-11-30" in cap.inputs["turnover"]
    assert cap.reason.startswith("Capped at the greater of £18,000,000 and 10 % of turnover")
    assert str(fine.amount) == "£51,000,000"


def test_an_adjustment_needs_its_reason():
    case = next(case for case in EXAMPLES if case["name"] == "adjustment of +30 %")
    case = {**case, "adjustments": [{"factor": "duration", "percent": "10", "reason": " "}]}
    with pytest.raises(FineError, match="Give the reason for the adjustment for duration"):
        _calculate(case)


def test_the_examples_cover_every_rule_and_edge():
    names = {case["name"] for case in EXAMPLES}
    for needed in ("light, just below 5 points", "medium, exactly 5 points", "serious, exactly 15 points",
                   "very serious, exactly 30 points", "breadth, three metrics", "repeat, exactly 24 months before",
                   "repeat, just outside 24 months", "adjustment of +30 %", "adjustment beyond 30 % is refused",
                   "cap by the absolute amount", "cap by turnover", "turnover in another currency",
                   "rounding down to a whole pound"):
        assert needed in names
