"""How 1C spells values: datetimes without zone, money as Edm.Double, VAT per line.

Money is computed in integer kopecks and becomes a float only here, at the 1C boundary.
"""

from __future__ import annotations

from datetime import date, datetime

from ingestion.onec.schema import EMPTY_DATE, EMPTY_REF

__all__ = ["EMPTY_DATE", "EMPTY_REF"]

VAT_RISE = date(2026, 1, 1)  # Russian VAT goes from 20% to 22%


def dt(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def day_start(value: date) -> str:
    return f"{value.isoformat()}T00:00:00"


def rub(kopecks: int) -> float:
    """Kopecks as 1C sends money: a float (Edm.Double)."""
    return kopecks / 100


def div_round(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, as 1C's Окр() does."""
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def vat_rate(on: date) -> int:
    return 22 if on >= VAT_RISE else 20


def vat_code(rate: int) -> str:
    return f"НДС{rate}" if rate else "БезНДС"


def vat_inside(amount: int, rate: int) -> int:
    """VAT contained in an amount that includes it, per line, in kopecks."""
    return div_round(amount * rate, 100 + rate)


def line_amount(quantity: int, price: int) -> int:
    return quantity * price


def share(amount: int, part: int, whole: int) -> int:
    return div_round(amount * part, whole) if whole else 0


def composite(ref: str, entity: str) -> tuple[str, str]:
    """A composite reference: its GUID and StandardODATA type; empty when ref is empty."""
    return (ref, f"StandardODATA.{entity}") if ref != EMPTY_REF else (EMPTY_REF, "StandardODATA.Undefined")
