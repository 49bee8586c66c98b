"""File sources: the Mango call log (CSV), ad costs (JSON), supplier invoices and the budget (XLSX).

Each parser turns one file into records for its raw table, and into rejects (with the line or
cell and the reason) for what it cannot read; one bad line never stops the rest of its file.
A file whose layout is wrong as a whole (a renamed column) is rejected whole, with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from ingestion.loader.tables import Column, TableSpec


@dataclass
class Rejected:
    record_key: str
    field: str | None
    reason: str
    payload: object


Parsed = Iterator[dict | Rejected]


def _leg_id(raw_line: str) -> str:
    """A call-log line has no id of its own: its content hash keeps re-loads from duplicating it."""
    return hashlib.sha1(raw_line.encode("utf-8")).hexdigest()


# --- Mango Office call log ------------------------------------------------------------------

MANGO_COLUMNS = ("records", "start", "finish", "from_extension", "from_number", "to_extension", "to_number",
                 "disconnect_reason", "answer", "line_number", "location", "entry_id")
MANGO_CALLS = TableSpec(
    source="mango", entity="calls", table="mango_calls",
    columns=(
        Column("leg_id", "text", required=True),
        Column("file", "text", required=True),
        Column("line_no", "integer", required=True),
        Column("records", "text"),
        Column("start", "bigint", required=True),
        Column("finish", "bigint", required=True),
        Column("from_extension", "text"),
        Column("from_number", "text"),
        Column("to_extension", "text"),
        Column("to_number", "text"),
        Column("disconnect_reason", "integer"),
        Column("answer", "bigint"),
        Column("line_number", "text"),
        Column("location", "text"),
        Column("entry_id", "text", required=True),
    ),
    key=("leg_id",),
)


def parse_mango_csv(path: Path) -> Parsed:
    """`;`-separated legs; the header line is optional (Mango's stats/result sends none)."""
    text = path.read_text(encoding="utf-8")
    for line_no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or (line_no == 1 and raw.startswith("records;")):
            continue
        try:
            fields = next(csv.reader(io.StringIO(raw), delimiter=";", strict=True))
        except csv.Error as exc:
            yield Rejected(f"{path.name}:{line_no}", None, f"malformed CSV line: {exc}", raw)
            continue
        if len(fields) != len(MANGO_COLUMNS):
            yield Rejected(f"{path.name}:{line_no}", None,
                           f"malformed CSV line: {len(fields)} fields, expected {len(MANGO_COLUMNS)}", raw)
            continue
        record = {name: (value if value != "" else None) for name, value in zip(MANGO_COLUMNS, fields, strict=True)}
        yield {"leg_id": _leg_id(raw), "file": path.name, "line_no": line_no, **record}


# --- ad costs --------------------------------------------------------------------------------

AD_COSTS = TableSpec(
    source="ad_costs", entity="costs", table="ad_costs",
    columns=(
        Column("day", "date", required=True),
        Column("utm_source", "text", required=True),
        Column("utm_campaign", "text", required=True),
        Column("source_title", "text"),
        Column("campaign_title", "text"),
        Column("cost", "numeric", required=True, non_negative=True),
        Column("visits", "bigint", non_negative=True),
        Column("file", "text", required=True),
    ),
    key=("day", "utm_source", "utm_campaign"),
)


def parse_ad_costs_json(path: Path) -> Parsed:
    try:
        export = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield Rejected(path.name, None, f"invalid JSON: {exc}", path.read_bytes()[:2000].decode("utf-8", "replace"))
        return
    if not isinstance(export, dict) or export.get("status") != "success" or not isinstance(export.get("data"), list):
        yield Rejected(path.name, "status", "not a successful analytics export (status != success or no data)",
                       str(export)[:2000])
        return
    for n, row in enumerate(export["data"], start=1):
        try:
            dims = row["dimensions"]
            metrics = {m["metric_name"]: m["value"] for m in row["metrics"]}
            yield {
                "day": dims["daily"]["value"], "utm_source": dims["marker_level_1"]["value"],
                "utm_campaign": dims["marker_level_2"]["value"], "source_title": dims["marker_level_1"].get("title"),
                "campaign_title": dims["marker_level_2"].get("title"), "cost": metrics.get("marketing_cost"),
                "visits": metrics.get("visits"), "file": path.name,
            }
        except (KeyError, TypeError) as exc:
            yield Rejected(f"{path.name}:data[{n}]", str(exc), f"row without {exc}", row)


# --- supplier invoices -----------------------------------------------------------------------

INVOICE_COLUMNS = ("Invoice No", "Invoice Date", "Article", "Description", "HS Code", "Qty", "Unit Price",
                   "Currency", "Amount", "Gross Weight kg", "Net Weight kg", "Packages")
SUPPLIER_INVOICE_LINES = TableSpec(
    source="supplier_invoices", entity="invoice_lines", table="supplier_invoice_lines",
    columns=(
        Column("file", "text", required=True),
        Column("row_no", "integer", required=True),
        Column("supplier", "text"),
        Column("truck", "text"),
        Column("packaging_amount", "numeric", non_negative=True),
        Column("packaging_currency", "text"),
        Column("invoice_no", "text", required=True),
        Column("invoice_date", "date", required=True),
        Column("article", "text", required=True),
        Column("description", "text"),
        Column("hs_code", "text"),
        Column("qty", "numeric", required=True, non_negative=True),
        Column("unit_price", "numeric", required=True, non_negative=True),
        Column("currency", "text", required=True),
        Column("amount", "numeric", required=True),
        Column("gross_weight_kg", "numeric", non_negative=True),
        Column("net_weight_kg", "numeric", non_negative=True),
        Column("packages", "integer", non_negative=True),
    ),
    key=("file", "row_no"),
)


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _read_workbook(path: Path) -> dict[str, list[tuple]] | Rejected:
    """Every sheet's rows, read whole (the files are small), or the file rejected: not an XLSX workbook, or
    one openpyxl refuses (through defusedxml: entity expansion, external entities)."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
        finally:
            workbook.close()
    except Exception as exc:  # noqa: BLE001 - whatever the reason, the file is unreadable; say which and why
        root = exc
        while root.__cause__ or root.__context__:  # openpyxl wraps the parser's own error in a generic one
            root = root.__cause__ or root.__context__
        return Rejected(path.name, None, f"not a readable XLSX workbook: {type(root).__name__}: {root}", None)


def parse_supplier_invoice(path: Path) -> Parsed:
    sheets = _read_workbook(path)
    if isinstance(sheets, Rejected):
        yield sheets
        return
    rows = next(iter(sheets.values()), [])
    header_at = next((i for i, row in enumerate(rows) if row and row[0] == "Invoice No"), None)
    if header_at is None:
        yield Rejected(path.name, "Invoice No", "no column row starting with 'Invoice No'", None)
        return
    found = [str(c) if c is not None else "" for c in rows[header_at]]
    missing = [c for c in INVOICE_COLUMNS if c not in found]
    if missing:
        unexpected = [c for c in found if c and c not in INVOICE_COLUMNS]
        yield Rejected(path.name, missing[0], f"missing column(s) {', '.join(map(repr, missing))}"
                       + (f"; found instead {', '.join(map(repr, unexpected))}" if unexpected else ""),
                       {"columns": found})
        return
    head = {row[0]: row[1:] for row in rows[:header_at] if row and row[0]}
    packaging = head.get("Packaging", (None, None))
    common = {"file": path.name, "supplier": (head.get("Supplier") or (None,))[0],
              "truck": (head.get("Truck") or (None,))[0], "packaging_amount": packaging[0],
              "packaging_currency": packaging[1] if len(packaging) > 1 else None}
    index = {name: found.index(name) for name in INVOICE_COLUMNS}
    for row_no, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not row or all(v is None for v in row):
            continue
        values = {name: _cell(row[i]) if i < len(row) else None for name, i in index.items()}
        yield {**common, "row_no": row_no, "invoice_no": values["Invoice No"], "invoice_date": values["Invoice Date"],
               "article": values["Article"], "description": values["Description"], "hs_code": values["HS Code"],
               "qty": values["Qty"], "unit_price": values["Unit Price"], "currency": values["Currency"],
               "amount": values["Amount"], "gross_weight_kg": values["Gross Weight kg"],
               "net_weight_kg": values["Net Weight kg"], "packages": values["Packages"]}


# --- budget plan -----------------------------------------------------------------------------

MONTHS_RU = ("Янв", "Фев", "Мар", "Апр", "Май", "Июн", "Июл", "Авг", "Сен", "Окт", "Ноя", "Дек")
BUDGET_SHEETS = {"БДДС": "cashflow", "БДР": "pnl"}
BUDGET_PLAN = TableSpec(
    source="budget", entity="plan", table="budget_plan",
    columns=(
        Column("budget", "text", required=True),
        Column("article", "text", required=True),
        Column("section", "text"),
        Column("month", "date", required=True),
        Column("amount", "numeric", required=True),
        Column("file", "text", required=True),
    ),
    key=("budget", "article", "month"),
)


def _month(header: object) -> str | None:
    """'Мар 2025' -> '2025-03-01'; None for anything else (the 'Итого' column)."""
    parts = str(header or "").split()
    if len(parts) == 2 and parts[0] in MONTHS_RU and parts[1].isdigit():
        return f"{parts[1]}-{MONTHS_RU.index(parts[0]) + 1:02d}-01"
    return None


def parse_budget(path: Path) -> Parsed:
    sheets = _read_workbook(path)
    if isinstance(sheets, Rejected):
        yield sheets
        return
    for sheet, budget in BUDGET_SHEETS.items():
        if sheet not in sheets:
            yield Rejected(f"{path.name}", sheet, f"no sheet {sheet!r} (found {', '.join(sheets)})", None)
            continue
        rows = sheets[sheet]
        if not rows or rows[0][:2] != ("Статья", "Раздел"):
            yield Rejected(f"{path.name}:{sheet}", "Статья", "the first row must start with 'Статья', 'Раздел'",
                           [str(c) for c in (rows[0] if rows else ())])
            continue
        months = {i: m for i, h in enumerate(rows[0]) if (m := _month(h))}
        if len(months) != 12:
            yield Rejected(f"{path.name}:{sheet}", None, f"expected 12 month columns, found {len(months)}",
                           [str(c) for c in rows[0]])
            continue
        for row in rows[1:]:
            if not row or row[0] is None:
                continue
            for i, month in months.items():
                yield {"budget": budget, "article": row[0], "section": row[1], "month": month,
                       "amount": row[i] if i < len(row) else None, "file": path.name}


# --- the registry of file sources -----------------------------------------------------------

@dataclass(frozen=True)
class FileSource:
    name: str  # also the subfolder of the drop folder
    pattern: str
    spec: TableSpec
    parse: object  # Callable[[Path], Parsed]


FILE_SOURCES = (
    FileSource("mango", "*.csv", MANGO_CALLS, parse_mango_csv),
    FileSource("ad_costs", "*.json", AD_COSTS, parse_ad_costs_json),
    FileSource("supplier_invoices", "*.xlsx", SUPPLIER_INVOICE_LINES, parse_supplier_invoice),
    FileSource("budget", "*.xlsx", BUDGET_PLAN, parse_budget),
)
