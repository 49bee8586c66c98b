"""`--dirty`: realistic faults injected after a clean generation, each listed in the manifest with its place.

Ingestion must reject each one with its reason; a clean run contains none of them.
1C faults are written through the store (a new object or a later version of one), except the
truncated line, which is cut in place as a broken export page would be.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from openpyxl import load_workbook

from ingestion.demo.store import StoreWriter
from ingestion.demo.supplier_invoices import COLUMNS, HEADER_ROWS
from ingestion.demo.values import EMPTY_DATE
from ingestion.demo.xlsx import save

FAULTS = (
    ("duplicate_document", "a shipment entered twice: a second Ref_Key with the same Number, Date and lines"),
    ("missing_catalog_reference", "a customer order line whose Номенклатура_Key is in no catalog (later version)"),
    ("empty_required_date", "an incoming payment whose Date is 0001-01-01T00:00:00 (later version)"),
    ("negative_quantity", "a shipment line with a negative Количество and amount (later version)"),
    ("malformed_csv_line", "a Mango call-log line with too few fields and an unclosed quote"),
    ("renamed_xlsx_column", "a supplier invoice whose 'Gross Weight kg' column is headed 'Brutto kg'"),
    ("truncated_json_line", "a line of an entity file cut in the middle, as a broken export page"),
)
SHIPMENTS = "Document_РеализацияТоваровУслуг"
ORDERS = "Document_ЗаказКлиента"
PAYMENTS_IN = "Document_ПоступлениеБезналичныхДенежныхСредств"
TRUNCATED = "Document_CRM_Взаимодействие"


def nth_object(path: Path, n: int) -> dict:
    """The object on line n (from 0), or the last one of a shorter file (the scenario's files are short)."""
    with path.open(encoding="utf-8") as f:
        *_, line = itertools.islice(f, n + 1)
    return json.loads(line)


def version(rng: random.Random) -> str:
    return f"D{rng.randrange(10**9):09d}="


def inject_faults(root: Path, seed: int) -> list[dict]:
    root = Path(root)
    rng = random.Random(f"{seed}:dirty")
    trade = root / "onec" / "trade"
    faults = []
    with StoreWriter(root, "trade") as store:
        original = nth_object(trade / f"{SHIPMENTS}.jsonl", 2)
        ref = f"dddddddd-0000-4000-8000-{rng.randrange(16**12):012x}"
        copy = {**original, "Ref_Key": ref, "DataVersion": version(rng)}
        copy["Товары"] = [{**line, "Ref_Key": copy["Ref_Key"]} for line in original["Товары"]]
        store.put(SHIPMENTS, copy)
        faults.append({"fault": "duplicate_document", "file": f"onec/trade/{SHIPMENTS}.jsonl",
                       "ref_key": copy["Ref_Key"], "duplicate_of": original["Ref_Key"]})

        order = nth_object(trade / f"{ORDERS}.jsonl", 3)
        missing = f"eeeeeeee-0000-4000-8000-{rng.randrange(16**12):012x}"
        lines = [dict(line) for line in order["Товары"]]
        lines[0]["Номенклатура_Key"] = missing
        store.put(ORDERS, {**order, "DataVersion": version(rng), "Товары": lines})
        faults.append({"fault": "missing_catalog_reference", "file": f"onec/trade/{ORDERS}.jsonl",
                       "ref_key": order["Ref_Key"], "section": "Товары", "line_number": 1,
                       "field": "Номенклатура_Key", "missing_key": missing})

        payment = nth_object(trade / f"{PAYMENTS_IN}.jsonl", 4)
        store.put(PAYMENTS_IN, {**payment, "DataVersion": version(rng), "Date": EMPTY_DATE})
        faults.append({"fault": "empty_required_date", "file": f"onec/trade/{PAYMENTS_IN}.jsonl",
                       "ref_key": payment["Ref_Key"], "field": "Date"})

        shipment = nth_object(trade / f"{SHIPMENTS}.jsonl", 5)
        lines = [dict(line) for line in shipment["Товары"]]
        lines[0]["Количество"], lines[0]["Сумма"] = -lines[0]["Количество"], -lines[0]["Сумма"]
        lines[0]["СуммаНДС"] = -lines[0]["СуммаНДС"]
        total = round(sum(line["Сумма"] for line in lines), 2)
        store.put(SHIPMENTS, {**shipment, "DataVersion": version(rng), "СуммаДокумента": total, "Товары": lines})
        faults.append({"fault": "negative_quantity", "file": f"onec/trade/{SHIPMENTS}.jsonl",
                       "ref_key": shipment["Ref_Key"], "section": "Товары", "line_number": 1,
                       "field": "Количество"})

    calls = sorted((root / "mango").glob("*.csv"))[0]
    rows = calls.read_text(encoding="utf-8").splitlines(keepends=True)
    at = min(5, len(rows))
    rows.insert(at, '[broken;1700000000;"unclosed;;79000000000\n')
    calls.write_text("".join(rows), encoding="utf-8")
    faults.append({"fault": "malformed_csv_line", "file": calls.relative_to(root).as_posix(), "line": at + 1})

    invoice = sorted((root / "supplier_invoices").glob("*.xlsx"))[0]
    wb = load_workbook(invoice)
    ws = wb.active
    column = COLUMNS.index("Gross Weight kg") + 1
    ws.cell(row=HEADER_ROWS + 1, column=column, value="Brutto kg")
    save(wb, invoice)
    faults.append({"fault": "renamed_xlsx_column", "file": invoice.relative_to(root).as_posix(),
                   "column": "Gross Weight kg", "renamed_to": "Brutto kg"})

    broken = root / "onec" / "crm" / f"{TRUNCATED}.jsonl"
    rows = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    at = len(rows) // 2
    rows[at] = rows[at][: len(rows[at]) // 2] + "\n"
    broken.write_text("".join(rows), encoding="utf-8")
    faults.append({"fault": "truncated_json_line", "file": broken.relative_to(root).as_posix(), "line": at + 1})
    return faults
