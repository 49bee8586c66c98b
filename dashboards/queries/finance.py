"""Finance: БДДС and БДР plan vs fact, the management balance, receivables, collections, payables."""

from __future__ import annotations

import pandas as pd

from dashboards import db
from dashboards.i18n import t

BUCKETS = ["not_due", "d001_030", "d031_060", "d061_090", "d091_180", "d181_plus"]
ORDER_COLUMNS = ("sort_order", "line_order", "article_order", "line_position", "position")
MEASURES = ("plan", "fact", "variance")


def _order_col(mart: str) -> str | None:
    return next((c for c in ORDER_COLUMNS if db.has(mart, c)), None)


def _whole_months(filters: dict) -> dict:
    """A month is in the period when it overlaps it: the period's start moves back to its month's first day."""
    flt = dict(filters)
    if flt.get("period"):
        start, end = flt["period"]
        flt["period"] = (pd.Timestamp(start).to_period("M").start_time.date(), end)
    return flt


def _s(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _cashflow_label(r) -> str:
    if _s(r.article):
        return _s(r.article)
    row = t(f"cf_{r.row_type}")
    return f"{t('sec_' + _s(r.section))}: {row}" if _s(r.section) else row[:1].upper() + row[1:]


# The statements' rows as the marts define them (their subtotal rows included): a label, whether the row is a
# subtotal, how a balance row totals over months (opening: the first month's, closing: the last's), and
# whether a lower fact than plan is the good news (money out, costs).
COST_LINES = {"returns", "cogs", "indirect_expenses", "direct_costs", "expenses", "expenses_total", "other_expenses"}
STATEMENTS = {
    "rpt_cashflow": {
        "dims": ["section", "row_type", "article", "sort_order"],
        "label": _cashflow_label,
        "subtotal": lambda r: r.row_type not in ("inflow", "outflow"),
        "how": lambda r: {"opening": "first", "closing": "last"}.get(r.row_type, "sum"),
        "lower_is_better": lambda r: r.row_type in ("outflow", "outflows_total"),
        "where": "",
    },
    "rpt_pnl": {
        "dims": ["line", "article", "sort_order"],
        "label": lambda r: _s(r.article) or t(f"pnl_{r.line}"),
        "subtotal": lambda r: not _s(r.article),
        "how": lambda r: "sum",
        "lower_is_better": lambda r: r.line in COST_LINES,
        "where": "scope = 'total'",
    },
}


def statement(mart: str, filters: dict) -> pd.DataFrame | None:
    """Rows of the БДДС (rpt_cashflow) or БДР (rpt_pnl) for the period's months: row_order, label, is_subtotal,
    how, month, plan, fact, variance. The division filter reads the БДР's division rows (they carry no plan)."""
    spec = STATEMENTS[mart]
    if not db.has(mart, "month", "fact", *spec["dims"]):
        return None
    where = spec["where"]
    if mart == "rpt_pnl" and filters.get("division"):
        where = "scope = 'division'"
    frame = db.aggregate(mart, [*spec["dims"], "month"], {m: f"sum({m})" for m in MEASURES},
                         filters=_whole_months(filters), date_col="month", where=where,
                         skip_filters=("manager", "channel"), order="sort_order, 1, 2, 3")
    if frame is None or frame.empty:
        return frame
    rows = frame[spec["dims"]].drop_duplicates().reset_index(drop=True)
    rows["row_order"] = range(len(rows))
    rows["label"] = [spec["label"](r) for r in rows.itertuples()]
    rows["is_subtotal"] = [spec["subtotal"](r) for r in rows.itertuples()]
    rows["how"] = [spec["how"](r) for r in rows.itertuples()]
    rows["lower_is_better"] = [spec["lower_is_better"](r) for r in rows.itertuples()]
    out = frame.merge(rows, on=spec["dims"], how="left")
    return out[["row_order", "label", "is_subtotal", "how", "lower_is_better", "month", *MEASURES]].sort_values(
        ["row_order", "month"])


def pivot(frame: pd.DataFrame, lang_labels: dict) -> pd.DataFrame:
    """Rows in the mart's order, (month, measure) as columns."""
    wide = frame.set_index(["row_order", "label", "month"])[list(MEASURES)].unstack("month")
    wide = wide.swaplevel(0, 1, axis=1).sort_index(axis=1, level=0, sort_remaining=False)
    wide.columns = [f"{pd.Timestamp(m):%m.%Y} {lang_labels.get(k, k)}" for m, k in wide.columns]
    return wide.reset_index().drop(columns=["row_order"])


def balance_months() -> list:
    return db.distinct("rpt_balance_sheet", "month_end")


def balance(month_end) -> pd.DataFrame | None:
    if not db.has("rpt_balance_sheet", "month_end", "line", "amount"):
        return None
    cols = [c for c in ("section", "line", "amount") if db.has("rpt_balance_sheet", c)]
    cols += [c for c in ("sort_order",) if db.has("rpt_balance_sheet", c)]
    order = _order_col("rpt_balance_sheet")
    return db.select("rpt_balance_sheet", cols, where="month_end = :m", params={"m": month_end},
                     order=order or "1, 2")


def balance_sides(sheet: pd.DataFrame) -> tuple:
    """Total assets and total liabilities + equity as the balance sheet states them (its total lines)."""
    lines = dict(zip(sheet["line"], sheet["amount"], strict=True))
    return lines.get("total_assets"), lines.get("total_liabilities_and_equity")


def ageing_dates() -> list:
    return db.distinct("rpt_receivables_ageing", "as_of_date")


def ageing(as_of, limit: int | None = None) -> pd.DataFrame | None:
    if not db.has("rpt_receivables_ageing", "as_of_date"):
        return None
    return db.aggregate("rpt_receivables_ageing", ["counterparty_id", "counterparty_name"], {
        **{b: f"sum({b})" for b in BUCKETS}, "open_total": "sum(open_total)",
        "advances_total": "sum(advances_total)", "net_balance": "sum(net_balance)",
        "overdue_total": "sum(overdue_total)"},
        where="as_of_date = :d", params={"d": as_of}, order="overdue_total desc, open_total desc", limit=limit)


def open_items(as_of, counterparty_id: str, filters: dict) -> pd.DataFrame:
    return db.select("fct_receivables_open_items", [
        "item_kind", "document_type", "document_number", "document_date", "due_date", "original_amount",
        "open_amount", "days_overdue", "bucket"], filters=filters, skip_filters=("channel",),
        where="as_of_date = :d and counterparty_id = cast(:c as uuid)", params={"d": as_of, "c": counterparty_id},
        order="document_date, document_number")


def collections(as_of, filters: dict, limit: int | None = None) -> pd.DataFrame | None:
    """Who to call as of the date: every shipment not paid off by then, with its latest reminder (they come
    every 10 days while it is open, so the latest is the one in the 10 days up to the date), the most overdue
    first."""
    if not db.has("fct_collection_reminders", "reminder_date", "open_amount", "paid_off_date"):
        return None
    return db.query(
        "select reminder_date, reminder_number, manager_name, document_number, document_date, due_date, "
        "original_amount, open_amount, days_overdue from marts.fct_collection_reminders "
        "where reminder_date <= :d and reminder_date > :d - 10 and (paid_off_date is null or paid_off_date > :d) "
        + ("and manager_id = any(:m) " if filters.get("manager") else "")
        + "order by days_overdue desc, document_number" + (f" limit {int(limit)}" if limit else ""),
        {"d": as_of, **({"m": list(filters["manager"])} if filters.get("manager") else {})})


def payables(as_of, limit: int | None = None) -> pd.DataFrame | None:
    if not db.has("fct_payables_open_items", "as_of_date"):
        return None
    date = db.query("select max(as_of_date) as d from marts.fct_payables_open_items where as_of_date <= :d",
                    {"d": as_of})["d"].iloc[0]
    if date is None or date != date:
        return pd.DataFrame()
    return db.select("fct_payables_open_items", [
        "item_kind", "event_kind", "account_code", "document_type", "document_number", "document_date", "due_date",
        "original_amount", "open_amount", "days_overdue", "bucket"], where="as_of_date = :d and open_amount <> 0",
        params={"d": date}, order="days_overdue desc nulls last, document_number", limit=limit)
