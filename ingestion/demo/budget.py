"""The finance plan as the finance department keeps it: budget_<year>.xlsx, sheets БДДС and БДР.

Articles are rows, months are columns. The plan is drawn from the year's actuals with ±13 % noise,
rounded to thousands, the way a plan made from last year's run rate looks; months the company has
not lived yet get the average of the last three lived months.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from ingestion.demo.actuals import Actuals
from ingestion.demo.company import CASH_ARTICLES, EXPENSE_ARTICLES
from ingestion.demo.xlsx import save

PNL_LINES = (("revenue", "Выручка (без НДС)"), ("returns", "Возвраты от клиентов"), ("cogs", "Себестоимость продаж"),
             *((key, name) for key, name, _, _ in EXPENSE_ARTICLES if not key.endswith(("_in", "packaging",
                                                                                       "certification", "broker"))))
MONTH_NAMES = ("Янв", "Фев", "Мар", "Апр", "Май", "Июн", "Июл", "Авг", "Сен", "Окт", "Ноя", "Дек")
NOISE = 0.13


def plan_row(rng: random.Random, actual: dict[str, int], key: str, year: int, last_month: str) -> list[int]:
    lived = [actual.get((key, f"{year}-{m:02d}"), 0) for m in range(1, 13) if f"{year}-{m:02d}" <= last_month]
    run_rate = sum(lived[-3:]) / max(1, len(lived[-3:]))
    row = []
    for m in range(1, 13):
        month = f"{year}-{m:02d}"
        base = actual.get((key, month), 0) if month <= last_month else run_rate
        row.append(round(base * rng.uniform(1 - NOISE, 1 + NOISE) / 100_000) * 1000)  # kopecks → roubles, to thousands
    return row


def write_budgets(root: Path, actuals: Actuals, start: date, today: date, seed: int, *,
                  missing_only: bool = False) -> list[Path]:
    """One budget file per year of the period; `missing_only`: keep the plans already made (advance)."""
    paths = []
    last_month = f"{today.year}-{today.month:02d}"
    for year in range(start.year, today.year + 1):
        path = Path(root) / "budget" / f"budget_{year}.xlsx"
        if missing_only and path.exists():
            continue
        rng = random.Random(f"{seed}:budget:{year}")
        wb = Workbook()
        cash = wb.active
        cash.title = "БДДС"
        header = ["Статья", "Раздел", *(f"{name} {year}" for name in MONTH_NAMES), "Итого"]
        cash.append(header)
        for key, name, direction, section in CASH_ARTICLES:
            row = plan_row(rng, actuals.cash, key, year, last_month)
            cash.append([name, f"{section} / {direction}", *row, sum(row)])
        pnl = wb.create_sheet("БДР")
        pnl.append(header)
        for key, name in PNL_LINES:
            row = plan_row(rng, actuals.pnl, key, year, last_month)
            pnl.append([name, "Доходы" if key == "revenue" else "Расходы", *row, sum(row)])
        save(wb, path)
        paths.append(path)
    return paths
