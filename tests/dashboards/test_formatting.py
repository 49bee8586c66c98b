"""Roubles as Russian readers write them, help texts from docs/metrics.md, the Excel budget layout."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from dashboards import export
from dashboards.formatting import NBSP, XLSX_RUB, number, pct, rub
from dashboards.metrics import help_for


def test_roubles_have_spaced_thousands_and_a_decimal_comma():
    assert rub(Decimal("1234567.89")) == f"1{NBSP}234{NBSP}567,89{NBSP}₽"
    assert rub(-1234.5) == f"−1{NBSP}234,50{NBSP}₽"
    assert rub(0) == f"0,00{NBSP}₽"
    assert rub(Decimal("999.995")) == f"1{NBSP}000,00{NBSP}₽", "half-up, exact on Decimals"
    assert rub(1234567.4, 0) == f"1{NBSP}234{NBSP}567{NBSP}₽"
    assert rub(None) == rub(float("nan")) == "—"
    assert number(1000) == f"1{NBSP}000"
    assert pct(Decimal("12.345")) == f"12,3{NBSP}%"


def test_help_texts_come_from_metrics_md():
    assert "Net revenue − cost of goods sold" in help_for("Gross margin", "fct_deal_margin")
    assert "date basis" in help_for("Revenue", "fct_deal_margin")
    assert help_for("no such figure") is None


def test_budget_workbook_layout():
    rows = pd.DataFrame([
        # row_order, label, is_subtotal, how, month, plan, fact, variance
        (0, "Opening", True, "first", "2025-01-01", None, Decimal("100.00"), None),
        (0, "Opening", True, "first", "2025-02-01", None, Decimal("150.00"), None),
        (1, "Rent", False, "sum", "2025-01-01", Decimal("10.00"), Decimal("12.50"), Decimal("2.50")),
        (1, "Rent", False, "sum", "2025-02-01", Decimal("10.00"), Decimal("10.00"), Decimal("0.00")),
        (2, "Closing", True, "last", "2025-01-01", None, Decimal("150.00"), None),
        (2, "Closing", True, "last", "2025-02-01", None, Decimal("140.00"), None),
    ], columns=["row_order", "label", "is_subtotal", "how", "month", "plan", "fact", "variance"])
    rows["month"] = pd.to_datetime(rows["month"]).dt.date
    data = export.budget_workbook(rows, title="БДДС", filters=[("Period", "01.01.2025 – 28.02.2025"),
                                                                ("Division", "all")])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "БДДС" and ws["A2"].value == "Period" and ws["B2"].value == "01.01.2025 – 28.02.2025"
    header = next(r for r in range(1, 12) if ws.cell(row=r, column=2).value == "01.2025")
    assert [ws.cell(row=header, column=c).value for c in (2, 5, 8)] == ["01.2025", "02.2025", "Total"]
    assert [ws.cell(row=header + 1, column=c).value for c in (2, 3, 4)] == ["plan", "fact", "variance"]
    assert ws.freeze_panes == f"B{header + 2}"
    grid = {ws.cell(row=r, column=1).value.strip(): [ws.cell(row=r, column=c).value for c in range(2, 11)]
            for r in range(header + 2, header + 5)}
    assert grid["Rent"] == [10, 12.5, 2.5, 10, 10, 0, 20, 22.5, 2.5]
    assert grid["Opening"][7] == 100 and grid["Closing"][7] == 140, "balances total as first and last month"
    assert ws.cell(row=header + 2, column=1).font.bold and not ws.cell(row=header + 3, column=1).font.bold
    assert ws.cell(row=header + 3, column=3).number_format == XLSX_RUB


def test_table_workbook_and_csv():
    frame = pd.DataFrame({"client": ["A", "B"], "open_total": [Decimal("1.10"), Decimal("2.20")]})
    ws = load_workbook(io.BytesIO(export.table_workbook(frame, title="Ageing", filters=[("As of", "31.01.2025")],
                                                        money=("open_total",)))).active
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Client")
    assert ws.cell(row=header, column=2).value == "Open"  # headings in words (dashboards.i18n.COLUMNS)
    assert ws.cell(row=header + 3, column=1).value == "Total"
    assert round(ws.cell(row=header + 3, column=2).value, 2) == 3.3
    assert ws.freeze_panes == f"A{header + 1}"
    assert export.csv_bytes(frame).decode("utf-8-sig").splitlines() == ["client,open_total", "A,1.10", "B,2.20"]
