"""Excel in the budget layout (articles as rows, months as columns, subtotals, number formats, frozen
header, the chosen filters in a header block) and CSV."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboards.formatting import XLSX_INT, XLSX_PCT, XLSX_RUB
from dashboards.i18n import column

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _num(value):
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, Decimal):
        return float(value)  # Excel holds doubles; two decimals survive exactly enough for display and checks
    return value


def _header_block(ws, title: str, filters: Sequence[tuple[str, str]]) -> int:
    """Title, the chosen filters and the time of export; returns the next free row."""
    ws.cell(row=1, column=1, value=title).font = TITLE
    row = 2
    for label, value in filters:
        ws.cell(row=row, column=1, value=label).font = BOLD
        ws.cell(row=row, column=2, value=value)
        row += 1
    ws.cell(row=row, column=1, value="Exported").font = BOLD
    ws.cell(row=row, column=2, value=dt.datetime.now().strftime("%d.%m.%Y %H:%M"))
    return row + 2


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def month_label(month) -> str:
    return pd.Timestamp(month).strftime("%m.%Y")


def budget_workbook(frame: pd.DataFrame, *, title: str, filters: Sequence[tuple[str, str]],
                    measures: Sequence[tuple[str, str]] = (("plan", "plan"), ("fact", "fact"),
                                                           ("variance", "variance")),
                    label_header: str = "", total_label: str = "Total") -> bytes:
    """Articles as rows in the statement's order (its subtotal rows bold and shaded), months as columns with
    one sub-column per measure, then a total over the months. `frame`: row_order, label, is_subtotal, how
    (sum | first | last: a balance row totals as its first or last month), month and the measures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    top = _header_block(ws, title, filters)
    months = sorted(frame["month"].dropna().unique()) if not frame.empty else []
    width = len(measures)
    last_col = 1 + (len(months) + 1) * width

    ws.cell(row=top, column=1, value=label_header)
    for i, month in enumerate([*months, None]):
        col = 2 + i * width
        ws.cell(row=top, column=col, value=month_label(month) if month is not None else total_label)
        if width > 1:
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + width - 1)
        for j, (_, label) in enumerate(measures):
            ws.cell(row=top + 1, column=col + j, value=label)
    for r in (top, top + 1):
        for c in range(1, last_col + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.fill = BOLD, HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = ws.cell(row=top + 2, column=2)

    row = top + 2
    for (_, label, is_subtotal, how), lines in frame.groupby(["row_order", "label", "is_subtotal", "how"],
                                                             sort=True):
        ws.cell(row=row, column=1, value=label if is_subtotal else "   " + str(label))
        by_month = {m: part for m, part in lines.groupby("month")}
        for j, (measure, _) in enumerate(measures):
            values = []
            for i, month in enumerate(months):
                part = by_month.get(month)
                value = None if part is None or part[measure].isna().all() else part[measure].dropna().sum()
                values.append(value)
                ws.cell(row=row, column=2 + i * width + j, value=_num(value)).number_format = XLSX_RUB
            present = [v for v in values if v is not None]
            total = (present[0] if how == "first" else present[-1] if how == "last" else sum(present)) \
                if present else None
            ws.cell(row=row, column=2 + len(months) * width + j, value=_num(total)).number_format = XLSX_RUB
        if is_subtotal:
            for c in range(1, last_col + 1):
                ws.cell(row=row, column=c).font = BOLD
                ws.cell(row=row, column=c).fill = SUBTOTAL_FILL
        row += 1

    ws.column_dimensions["A"].width = 42
    for c in range(2, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 15
    return _save(wb)


def table_workbook(frame: pd.DataFrame, *, title: str, filters: Sequence[tuple[str, str]],
                   money: Sequence[str] = (), integers: Sequence[str] = (), percents: Sequence[str] = (),
                   total_label: str | None = "Total", lang_code: str = "en") -> bytes:
    """A plain table (e.g. ageing: clients × buckets) with the header block, formats, a frozen header and
    a total row over the money columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    top = _header_block(ws, title, filters)
    for c, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=top, column=c, value=column(name, lang_code))
        cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = max(12, min(40, len(column(name, lang_code)) + 4))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    formats = {**dict.fromkeys(money, XLSX_RUB), **dict.fromkeys(integers, XLSX_INT),
               **dict.fromkeys(percents, XLSX_PCT)}
    for r, values in enumerate(frame.itertuples(index=False), start=top + 1):
        for c, (name, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            if isinstance(value, (dt.date, pd.Timestamp)) and not isinstance(value, dt.datetime):
                value = pd.Timestamp(value).date()
            elif isinstance(value, pd.Timestamp):
                value = value.to_pydatetime().replace(tzinfo=None)
            elif isinstance(value, dt.datetime):
                value = value.replace(tzinfo=None)
            cell = ws.cell(row=r, column=c, value=_num(value) if name in formats else
                           (value if isinstance(value, (int, float, dt.date, type(None))) else str(value)))
            if name in formats:
                cell.number_format = formats[name]
    if total_label and money and len(frame):
        r = top + 1 + len(frame)
        ws.cell(row=r, column=1, value=total_label).font = BOLD
        for c, name in enumerate(frame.columns, start=1):
            if name in money:
                cell = ws.cell(row=r, column=c, value=_num(sum(v for v in frame[name] if v is not None
                                                                and v == v)))
                cell.number_format, cell.font = XLSX_RUB, BOLD
    return _save(wb)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (Excel opens it right), comma-separated, exact decimals."""
    return frame.to_csv(index=False).encode("utf-8-sig")
