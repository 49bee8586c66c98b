"""Running monthly totals the finance plan is drawn from (the budget must look like the company).

Small by construction: articles × months, whatever the scale.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class Actuals:
    def __init__(self) -> None:
        self.cash: dict[tuple[str, str], int] = defaultdict(int)  # (cash-flow article, month) -> kopecks
        self.pnl: dict[tuple[str, str], int] = defaultdict(int)  # (P&L line, month) -> kopecks
        self.vat: dict[str, int] = defaultdict(int)  # quarter -> output VAT − input VAT, kopecks
        self.bank = 0  # RUB-equivalent money on the bank accounts, kopecks
        self.cash_desk = 0  # money in the cash desk, kopecks
        self.outgoing_payments: dict[str, int] = defaultdict(int)  # month -> count, drives bank fees

    def add_cash(self, article: str, day: date, amount: int) -> None:
        self.cash[(article, month_of(day))] += amount

    def add_pnl(self, line: str, day: date, amount: int) -> None:
        self.pnl[(line, month_of(day))] += amount

    def add_vat(self, day: date, amount: int) -> None:
        self.vat[f"{day.year}Q{(day.month - 1) // 3 + 1}"] += amount
