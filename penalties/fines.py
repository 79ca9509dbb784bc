"""The fine calculator (docs/DESIGN.md §4.3): a pure function of the case's evidence, the company, the policy
version and the analyst's adjustments, that returns the amount and every step that led to it.

Each step names its rule (the policy version and the clause of §4.3), its inputs, its result and a reason in
words, so that the notice can print the trace a company and a tribunal can check by hand. Money is Decimal with
an explicit currency; nothing here reads the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from core.calendar import add_months

HUNDRED = Decimal(100)
ONE = Decimal(1)
GBP = "GBP"


class FineError(ValueError):
    """Inputs the calculator refuses, with the reason in words (an adjustment out of bounds, a missing rate)."""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = GBP

    def __str__(self) -> str:
        """£1,000,000 for a whole amount, £1,234.56 otherwise; another currency by its code (EUR 1,000)."""
        symbol = "£" if self.currency == GBP else f"{self.currency} "
        whole = self.amount == self.amount.to_integral_value()
        return f"{symbol}{self.amount:,.0f}" if whole else f"{symbol}{self.amount:,.2f}"


@dataclass(frozen=True)
class GravityBand:
    """Breaches whose worst shortfall is below ``below`` points (None: any larger one) have this base amount."""

    name: str
    below: Decimal | None
    base: Decimal  # in the policy's currency, for tier C


@dataclass(frozen=True)
class FinePolicy:
    """The numbers of §4.3 that an escalation policy version fixes (defaults: the first version)."""

    version: int = 1
    currency: str = GBP
    gravity: tuple[GravityBand, ...] = (
        GravityBand("light", Decimal(5), Decimal(50_000)),
        GravityBand("medium", Decimal(15), Decimal(250_000)),
        GravityBand("serious", Decimal(30), Decimal(1_000_000)),
        GravityBand("very serious", None, Decimal(4_000_000)),
    )
    size: dict[str, Decimal] = field(default_factory=lambda: {"C": ONE, "B": Decimal(4), "A": Decimal(10)})
    breadth_step: Decimal = Decimal("0.25")
    repeat_step: Decimal = Decimal("0.5")
    repeat_months: int = 24
    adjustment_limit: Decimal = Decimal(30)  # per cent, either way
    cap_floor: Decimal = Decimal(18_000_000)
    cap_turnover_percent: Decimal = Decimal(10)

    def rule(self, clause: str) -> str:
        return f"Escalation policy v{self.version}, §4.3 {clause}"


@dataclass(frozen=True)
class Breach:
    """A core metric that failed persistently, with its worst period's figures."""

    metric: str  # its label, as the notice prints it
    period: str
    value: Decimal
    threshold: Decimal
    attainment: Decimal  # 0–1, as in §4.1

    @property
    def shortfall(self) -> Decimal:
        """Points of attainment missing: 100 × (1 − attainment)."""
        return HUNDRED * (ONE - self.attainment)


@dataclass(frozen=True)
class Adjustment:
    """One TCO Art 18(3) factor: a signed percentage with a written reason."""

    factor: str
    percent: Decimal
    reason: str


@dataclass(frozen=True)
class Turnover:
    """Global annual turnover; in another currency, with the rate to the policy's currency, its source and date."""

    amount: Money
    rate: Decimal | None = None  # policy currency per unit of the turnover's currency
    rate_source: str = ""
    rate_date: str = ""


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    rule: str
    inputs: dict[str, str]
    result: Money
    reason: str


@dataclass(frozen=True)
class Fine:
    amount: Money
    steps: tuple[Step, ...]


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %"


def _gravity(policy: FinePolicy, shortfall: Decimal) -> GravityBand:
    for band in policy.gravity:
        if band.below is None or shortfall < band.below:
            return band
    raise AssertionError("the last gravity band has no upper bound")


def fine_calculate(*, breaches: list[Breach], tier: str, policy: FinePolicy, opened_on: dt.date,
                   earlier_fines: list[dt.date], adjustments: list[Adjustment], turnover: Turnover) -> Fine:
    """The fine of a persistent-failure case, step by step (§4.3, steps 1–7).

    ``earlier_fines`` are the issue days of the company's earlier final fines for persistent failure that were
    not quashed; those in the ``policy.repeat_months`` before ``opened_on`` count as repeats.
    """
    if not breaches:
        raise FineError("A fine needs at least one persistently failing core metric.")
    if tier not in policy.size:
        raise FineError(f"{tier!r} is not a size tier (A, B or C).")
    window_start = add_months(opened_on, -policy.repeat_months)
    repeats = sum(1 for issued in earlier_fines if window_start <= issued < opened_on)
    total_adjustment = sum((adjustment.percent for adjustment in adjustments), start=Decimal(0))
    if abs(total_adjustment) > policy.adjustment_limit:
        raise FineError(f"The adjustments add up to {_percent(total_adjustment)}; together they must stay within "
                        f"±{_percent(policy.adjustment_limit)}.")
    for adjustment in adjustments:
        if not adjustment.reason.strip():
            raise FineError(f"Give the reason for the adjustment for {adjustment.factor}.")
    currency = policy.currency
    steps: list[Step] = []

    worst = max(breaches, key=lambda breach: (breach.shortfall, breach.metric))
    band = _gravity(policy, worst.shortfall)
    amount = band.base
    steps.append(Step(1, "Gravity", policy.rule("step 1"), {
        "worst breach": f"{worst.metric}, {worst.period}",
        "shortfall": f"{worst.shortfall.quantize(Decimal('0.01'))} points",
        "band": band.name}, Money(amount, currency),
        f"The worst breach falls short by {worst.shortfall.quantize(Decimal('0.01'))} points of attainment: "
        f"{band.name}, base amount {Money(band.base, currency)}."))

    size = policy.size[tier]
    amount = amount * size
    steps.append(Step(2, "Size", policy.rule("step 2"), {"tier": tier, "multiplier": f"× {size.normalize():f}"},
                      Money(amount, currency), f"Size tier {tier}: × {size.normalize():f}."))

    breadth = ONE + policy.breadth_step * (len(breaches) - 1)
    amount = amount * breadth
    steps.append(Step(3, "Breadth", policy.rule("step 3"),
                      {"persistently failing core metrics": str(len(breaches)),
                       "multiplier": f"× {breadth.normalize():f}"}, Money(amount, currency),
                      f"{len(breaches)} core metric{'s' if len(breaches) != 1 else ''} failing persistently: "
                      f"× (1 + {policy.breadth_step.normalize():f} × {len(breaches) - 1})."))

    repeat = ONE + policy.repeat_step * repeats
    amount = amount * repeat
    steps.append(Step(4, "Repeat", policy.rule("step 4"),
                      {"counted from": f"{window_start:%d %B %Y}",
                       f"earlier fines in {policy.repeat_months} months": str(repeats),
                       "multiplier": f"× {repeat.normalize():f}"}, Money(amount, currency),
                      f"{repeats} earlier final fine{'s' if repeats != 1 else ''} for persistent failure issued from "
                      f"{window_start:%d %B %Y} until the case was opened on {opened_on:%d %B %Y}: "
                      f"× (1 + {policy.repeat_step.normalize():f} × {repeats})."))

    factor = ONE + total_adjustment / HUNDRED
    amount = amount * factor
    listed = "; ".join(f"{a.factor} {'+' if a.percent >= 0 else ''}{_percent(a.percent)}: {a.reason}"
                       for a in adjustments) or "none"
    signed_total = f"{'+' if total_adjustment >= 0 else ''}{_percent(total_adjustment)}"
    steps.append(Step(5, "Adjustment", policy.rule("step 5"), {"factors": listed, "total": signed_total},
                      Money(amount, currency),
                      f"TCO Art 18(3) factors: {listed}; total {_percent(total_adjustment)}."))

    if turnover.amount.currency == currency:
        turnover_in_currency = turnover.amount.amount
        converted = ""
    else:
        if turnover.rate is None or not turnover.rate_source or not turnover.rate_date:
            raise FineError(f"The turnover is in {turnover.amount.currency}: record the rate to {currency}, "
                            "its source and its date on the case.")
        turnover_in_currency = turnover.amount.amount * turnover.rate
        converted = (f" ({turnover.amount} at {turnover.rate.normalize():f} {currency} per "
                     f"{turnover.amount.currency}, {turnover.rate_source}, {turnover.rate_date})")
    cap = max(policy.cap_floor, turnover_in_currency * policy.cap_turnover_percent / HUNDRED)
    capped = amount > cap
    amount = min(amount, cap)
    steps.append(Step(6, "Cap", policy.rule("step 6"), {
        "turnover": f"{Money(turnover_in_currency.quantize(Decimal('0.01')), currency)}{converted}",
        "cap": str(Money(cap.quantize(Decimal("0.01")), currency))}, Money(amount, currency),
        (f"Capped at the greater of {Money(policy.cap_floor, currency)} and "
         f"{_percent(policy.cap_turnover_percent)} of turnover." if capped else
         f"Below the cap, the greater of {Money(policy.cap_floor, currency)} and "
         f"{_percent(policy.cap_turnover_percent)} of turnover.")))

    amount = amount.quantize(ONE, rounding=ROUND_FLOOR)
    steps.append(Step(7, "Rounding", policy.rule("step 7"), {}, Money(amount, currency),
                      "Rounded down to a whole pound."))
    return Fine(amount=Money(amount, currency), steps=tuple(steps))
