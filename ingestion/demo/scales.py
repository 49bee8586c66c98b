"""The sizes the demo company comes in. Every period ends on a fixed day, so output never depends on the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Scale:
    name: str
    start: date  # opening balances are entered on this day
    today: date  # the company's last lived day
    leads_per_workday: float  # all leads, target and not
    clients: int  # client pool at the start; new clients come with leads
    managers: int
    stock_items: int  # items held in stock (sold FIFO)
    order_items: int  # equipment imported per customer order
    max_lines: int  # goods lines in one customer order at most (large: wholesale orders, so 5M lines fit in 10 min)
    calls_per_workday: float  # background calls beside lead and deal calls


SCALES = {
    s.name: s
    for s in (
        Scale("tiny", date(2025, 10, 1), date(2026, 1, 31), 1.6, 30, 4, 30, 12, 5, 3),
        Scale("small", date(2025, 1, 1), date(2025, 12, 31), 9.5, 300, 10, 150, 40, 6, 20),
        Scale("medium", date(2025, 1, 1), date(2025, 12, 31), 180, 4000, 60, 1500, 300, 12, 200),
        Scale("large", date(2023, 1, 1), date(2025, 12, 31), 300, 12000, 150, 4000, 600, 80, 1000),
    )
}
