"""The director's figures, each one query over a mart (None or empty when the mart is not built yet)."""

from __future__ import annotations

import pandas as pd

from dashboards import db

PNL_LINES = {"revenue": "net_revenue", "gross_margin": "gross_profit", "net_margin": "profit"}


def _pnl_where(filters: dict) -> str:
    return "scope = 'division'" if filters.get("division") else "scope = 'total'"


def _months(period) -> tuple:
    return pd.Timestamp(period[0]).to_period("M").start_time.date(), period[1]


def sales_totals(filters: dict, period) -> dict:
    """Net revenue, gross profit and profit of the period's months from the БДР (rpt_pnl fact); before it is
    built, from the cost-of-goods-sold lines (revenue, cost, allocated overhead) by document date."""
    if not period:
        return {}
    if db.has("rpt_pnl", "scope", "line", "fact", "month"):
        frame = db.aggregate("rpt_pnl", ["line"], {"fact": "sum(fact)"},
                             filters={**filters, "period": _months(period)}, date_col="month",
                             where=_pnl_where(filters) + " and line = any(:lines)",
                             params={"lines": list(PNL_LINES.values())}, skip_filters=("manager", "channel"))
        if frame is None or frame.empty:
            return {}
        facts = dict(zip(frame["line"], frame["fact"], strict=True))
        return {key: facts.get(line) for key, line in PNL_LINES.items()}
    if not db.has("fct_cogs_lines", "revenue", "cost", "overhead", "document_date"):
        return {}
    frame = db.aggregate("fct_cogs_lines", [], {
        "revenue": "sum(revenue)", "cogs": "sum(cost)", "overhead": "sum(overhead)"},
        filters={**filters, "period": period}, date_col="document_date", skip_filters=("channel",))
    if frame is None or frame.empty or frame["revenue"].isna().all():
        return {}
    row = frame.iloc[0]
    revenue, cogs, overhead = (row[c] or 0 for c in ("revenue", "cogs", "overhead"))
    return {"revenue": revenue, "gross_margin": revenue - cogs, "net_margin": revenue - cogs - overhead}


def cash_at(date) -> object:
    """Cash (money on accounts and in the desk) at the balance sheet's last month end on or before `date`."""
    if date is None or not db.has("rpt_balance_sheet", "month_end", "line", "amount"):
        return None
    frame = db.query(
        "select sum(amount) as cash from marts.rpt_balance_sheet where month_end = "
        "(select max(month_end) from marts.rpt_balance_sheet where month_end <= :d) "
        "and (lower(line) like :a or lower(line) like :b)", {"d": date, "a": "%cash%", "b": "%денеж%"})
    return None if frame.empty else frame["cash"].iloc[0]


def overdue_at(date, filters: dict) -> object:
    """Overdue customer receivables at the latest ageing date on or before `date`."""
    if date is None or not db.has("rpt_receivables_ageing", "as_of_date", "overdue_total"):
        return None
    frame = db.query(
        "select sum(overdue_total) as overdue from marts.rpt_receivables_ageing where as_of_date = "
        "(select max(as_of_date) from marts.rpt_receivables_ageing where as_of_date <= :d)", {"d": date})
    return None if frame.empty else frame["overdue"].iloc[0]


def open_pipeline(filters: dict) -> object:
    """Value of the deals neither won nor lost today (rpt_open_pipeline: by division, manager and channel)."""
    frame = db.aggregate("rpt_open_pipeline", [], {"value": "coalesce(sum(open_value), 0)"}, filters=filters)
    return None if frame is None or frame.empty else frame["value"].iloc[0]


BY = {  # dimension: (id column of fct_deal_margin, its label there)
    "deal": ("deal_id", "deal_number"),
    "client": ("client_id", "client_name"),
    "manager": ("manager_id", "manager_name"),
}
# Dimensions with about as many groups as deals (a year: 61 k clients of 66 k deals on `large`), whose exact
# sums per group are what the query costs: ranked by a float sum first (margin_by). A few dozen managers are
# cheaper summed once.
RANKED_FIRST = {"client"}


def margin_by(dimension: str, filters: dict, limit: int | None = None) -> pd.DataFrame | None:
    """Net revenue, cost of goods sold, gross and net margin by deal, client or manager (fct_deal_margin), deals
    dated in the period, the `limit` largest gross margins first, labelled by the name the mart carries."""
    id_col, label = BY[dimension]
    if not db.has("fct_deal_margin", id_col, label, "net_revenue", "cogs", "gross_margin", "net_margin", "deal_date"):
        return None
    clauses, params = db.filter_clauses("fct_deal_margin", filters, "deal_date", ("channel",), alias="m")
    if filters.get("channel") and db.has("fct_deals", "deal_id", "lead_channel"):
        clauses.append("m.deal_id in (select deal_id from marts.fct_deals where lead_channel = any(:f_channel))")
        params["f_channel"] = list(filters["channel"])
    where = (" where " + " and ".join(f"({c})" for c in clauses)) if clauses else ""
    top = f" limit {int(limit)}" if limit else ""
    if dimension == "deal":  # a row per deal already: nothing to sum
        return db.query(
            f"select coalesce(m.{label}, m.{id_col}::text) as deal, m.net_revenue, m.cogs, m.gross_margin, "
            f"m.net_margin from marts.fct_deal_margin m{where} order by m.gross_margin desc nulls last, 1{top}",
            params)
    if limit and dimension in RANKED_FIRST:
        # Rank every group by a float sum (the inner m, same filters), then sum exactly only twice the rows
        # shown. Float sums of kopeck amounts rank groups as exact ones do, but for differences far below a kopeck.
        clauses.append(f"m.{id_col} in (select m.{id_col} from marts.fct_deal_margin m{where} group by 1 "
                       f"order by sum(m.gross_margin::float8) desc nulls last limit {int(2 * limit)})")
        where = " where " + " and ".join(f"({c})" for c in clauses)
    return db.query(
        f"select coalesce(min(m.{label}), m.{id_col}::text) as {dimension}, sum(m.net_revenue) as net_revenue, "
        "sum(m.cogs) as cogs, sum(m.gross_margin) as gross_margin, sum(m.net_margin) as net_margin "
        f"from marts.fct_deal_margin m{where} group by m.{id_col} order by gross_margin desc nulls last, 1{top}",
        params)


def margin_by_item_group(filters: dict, period) -> pd.DataFrame | None:
    """Net revenue, cost of goods sold and gross margin by item group (the 1C folder of the item), days of the
    period, from the daily summary (rpt_margin_daily: hundreds of rows a day instead of the lines)."""
    if not db.has("rpt_margin_daily", "item_group", "net_revenue", "cogs", "gross_margin", "document_date"):
        return None
    return db.aggregate("rpt_margin_daily", ["item_group"], {
        "net_revenue": "sum(net_revenue)", "cogs": "sum(cogs)", "gross_margin": "sum(gross_margin)"},
        filters={**filters, "period": period}, date_col="document_date", skip_filters=("channel",),
        order="gross_margin desc nulls last")


def deals(filters: dict, search: str = "", limit: int | None = None) -> pd.DataFrame:
    """Deals created in the period for the drill-down, the newest first; `search` matches the deal number or
    the client's name."""
    where, params = "", {}
    if search.strip():
        where, params = "deal_number ilike :q or client_name ilike :q", {"q": f"%{search.strip()}%"}
    return db.select("fct_deals", ["deal_id", "deal_number", "client_name"], filters=filters,
                     date_col="created_date", where=where, params=params,
                     order="created_date desc, deal_number desc", limit=limit)


def orders_of(deal_id: str) -> pd.DataFrame:
    mart = "fct_order_margin" if db.has("fct_order_margin", "deal_id") else None
    if mart:
        return db.select(mart, where="deal_id = cast(:d as uuid)", params={"d": deal_id})
    return db.aggregate("fct_cogs_lines", ["customer_order_id"], {
        "revenue": "sum(revenue)", "cogs": "sum(cost)", "gross_margin": "sum(revenue - cost)"},
        where="deal_id = cast(:d as uuid)", params={"d": deal_id}) if db.has("fct_cogs_lines", "deal_id") \
        else pd.DataFrame()


def shipments_of(deal_id: str) -> pd.DataFrame:
    """Shipment, return and late-cost lines of the deal with their series' landed cost."""
    if not db.has("fct_cogs_lines", "deal_id", "series_id"):
        return pd.DataFrame()
    series = "left join marts.fct_series_cost s on s.series_id = c.series_id" \
        if db.has("fct_series_cost", "series_id", "landed_unit_cost") else ""
    series_cols = ", s.base_cost as series_base_cost, s.landed_total as series_landed_total, " \
        "s.landed_unit_cost as series_landed_unit_cost" if series else ""
    return db.query(
        "select c.kind, c.document_number, c.document_date, c.customer_order_id, c.series_id, c.quantity, "
        f"c.revenue, c.unit_cost, c.cost, c.overhead, c.is_beyond_stock{series_cols} "
        f"from marts.fct_cogs_lines c {series} where c.deal_id = cast(:d as uuid) "
        "order by c.document_date, c.document_number, c.line_number, c.part_number", {"d": deal_id})


def funnel(filters: dict) -> pd.DataFrame | None:
    """Deals that reached each state (lead-month basis, months in the period), % of previous and of first."""
    frame = db.aggregate("rpt_funnel", ["state_position", "state_name"], {"deals": "sum(deals_reached)"},
                         filters=filters, date_col="month", where="month_basis = 'lead_month'", order="1")
    if frame is None or frame.empty:
        return frame
    frame["deals"] = frame["deals"].astype(int)
    first = frame["deals"].iloc[0]
    frame["pct_of_previous"] = (100 * frame["deals"] / frame["deals"].shift(1)).fillna(100.0).round(1)
    frame["pct_of_first"] = (100 * frame["deals"] / first).round(1) if first else None
    return frame


def monthly_trend(filters: dict) -> pd.DataFrame | None:
    """Net revenue, gross profit and profit by month (БДР fact)."""
    if not db.has("rpt_pnl", "scope", "line", "fact", "month"):
        return None
    frame = db.aggregate("rpt_pnl", ["month", "line"], {"fact": "sum(fact)"}, filters=filters, date_col="month",
                         where=_pnl_where(filters) + " and line = any(:lines)",
                         params={"lines": list(PNL_LINES.values())}, skip_filters=("manager", "channel"), order="1")
    if frame is None or frame.empty:
        return frame
    wide = frame.pivot_table(index="month", columns="line", values="fact", aggfunc="sum").reset_index()
    return wide.rename(columns={line: key for key, line in PNL_LINES.items()})
