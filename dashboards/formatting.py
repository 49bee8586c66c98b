"""Numbers as Russian readers expect them: 1 234 567,89 ₽ (no-break space between thousands, comma for kopecks)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
EMPTY = "—"


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))  # NaN, pd.NA-safe
    except (TypeError, ValueError):
        return True


def number(value, decimals: int = 0) -> str:
    """1234567.891 → '1 234 567,89' (decimals=2); exact for Decimal, half-up rounding."""
    if _is_missing(value):
        return EMPTY
    quantum = Decimal(1).scaleb(-decimals)
    d = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "−" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups) or "0"
    return sign + text + ("," + frac if decimals else "")


def rub(value, decimals: int = 2) -> str:
    """Roubles: '1 234 567,89 ₽'."""
    return EMPTY if _is_missing(value) else number(value, decimals) + NBSP + "₽"


def pct(value, decimals: int = 1) -> str:
    return EMPTY if _is_missing(value) else number(value, decimals) + NBSP + "%"


def delta_pct(current, previous) -> str | None:
    """Change against the previous period as '+12,3 %', or None when there is nothing to compare."""
    if _is_missing(current) or _is_missing(previous) or Decimal(str(previous)) == 0:
        return None
    change = (Decimal(str(current)) - Decimal(str(previous))) / abs(Decimal(str(previous))) * 100
    return ("+" if change >= 0 else "") + pct(change)


# Excel number formats in the same spirit (the reader's Excel locale renders the separators).
XLSX_RUB = '#,##0.00 "₽";[Red]-#,##0.00 "₽"'
XLSX_INT = "#,##0"
XLSX_PCT = '0.0 "%"'
