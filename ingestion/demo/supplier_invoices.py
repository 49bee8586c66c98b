"""Supplier invoices as they arrive by e-mail: one XLSX per truck load, dropped in DIR/supplier_invoices/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from ingestion.demo.company import Partner
from ingestion.demo.values import rub
from ingestion.demo.xlsx import save

COLUMNS = ("Invoice No", "Invoice Date", "Article", "Description", "HS Code", "Qty", "Unit Price", "Currency",
           "Amount", "Gross Weight kg", "Net Weight kg", "Packages")
HEADER_ROWS = 4  # supplier, truck, packaging, blank; the column row comes next


def write_invoice(root: Path, invoice: str, supplier: Partner, day: date, plate: str, lines: list,
                  packaging: int) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Invoice"
    ws.append(["Supplier", supplier.name])
    ws.append(["Truck", plate])
    ws.append(["Packaging", rub(packaging), supplier.currency])
    ws.append([])
    ws.append(list(COLUMNS))
    for x in lines:
        ws.append([invoice, day, x.item.code, x.item.name, x.item.hs_code, x.quantity, rub(x.price), supplier.currency,
                   rub(x.amount), round(x.item.weight_gross * x.quantity, 2), round(x.item.weight_net * x.quantity, 2),
                   max(1, x.quantity // 4)])
    path = Path(root) / "supplier_invoices" / f"{invoice}.xlsx"
    save(wb, path)
    return path
