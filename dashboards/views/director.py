"""Director: KPI tiles against the previous period, margins with drill-down, the funnel, trends."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards import auth, db, filters, ui
from dashboards.db import to_num
from dashboards.i18n import t
from dashboards.queries import director as q

PNL = ("revenue", "gross_margin", "net_margin")
KPIS = "Dashboards: the director's key figures"  # their section of docs/metrics.md
auth.require("director")
st.title(t("director"))
flt = filters.current()
period = flt.get("period")
previous = filters.previous_period(period) if period else None

# KPI tiles
st.subheader(t("kpis"))
now, before = q.sales_totals(flt, period), q.sales_totals(flt, previous)
end, prev_end = (period[1] if period else None), (previous[1] if previous else None)
tiles = [*st.columns(3), *st.columns(3)]
ui.kpi(tiles[0], "revenue", now.get("revenue"), before.get("revenue"), figure="Revenue", mart=KPIS)
ui.kpi(tiles[1], "gross_margin", now.get("gross_margin"), before.get("gross_margin"), figure="Gross margin",
       mart=KPIS)
ui.kpi(tiles[2], "net_margin", now.get("net_margin"), before.get("net_margin"), figure="Net margin", mart=KPIS)
ui.kpi(tiles[3], "cash", q.cash_at(end), q.cash_at(prev_end), figure="Cash", mart=KPIS)
ui.kpi(tiles[4], "overdue_receivables", q.overdue_at(end, flt), q.overdue_at(prev_end, flt),
       figure="Overdue receivables", mart=KPIS, inverse=True)
ui.kpi(tiles[5], "open_pipeline", q.open_pipeline(flt), figure="Open pipeline value", mart=KPIS)
if not now:
    st.info(t("no_data"))

# Margins
st.subheader(t("margin_by"))
# Only the open tab runs its query (a year's margin by client sums tens of thousands of deals on a large company).
tabs = st.tabs([t("deal"), t("client"), t("manager"), t("item_group")], key="margin_tab", on_change="rerun")
for tab, dimension in zip(tabs[:3], ("deal", "client", "manager"), strict=True):
    if not tab.open:
        continue
    with tab:
        frame = q.margin_by(dimension, flt, limit=db.SHOWN_ROWS)
        if not ui.empty(frame, missing=frame is None):
            ui.show_table(frame, money=("net_revenue", "cogs", "gross_margin", "net_margin"),
                          help_mart="fct_deal_margin", key=f"margin_{dimension}")
            ui.first_rows_note(frame, db.SHOWN_ROWS)
            ui.table_downloads(f"margin_{dimension}", name=f"margin_by_{dimension}", title=t("margin_by") + " "
                               + t(dimension).lower(), rows=lambda d=dimension: q.margin_by(d, flt),
                               money=("net_revenue", "cogs", "gross_margin", "net_margin"))
if tabs[3].open:
    with tabs[3]:
        frame = q.margin_by_item_group(flt, period)
        if not ui.empty(frame, missing=frame is None):
            frame["item_group"] = frame["item_group"].fillna(t("no_item_group"))
            ui.show_table(frame, money=("net_revenue", "cogs", "gross_margin"), help_mart="rpt_margin_daily")

# Drill-down
st.subheader(t("drill_down"))
search = st.text_input(t("find_deal"), key="drill_search")
deals = q.deals(flt, search, limit=db.SHOWN_ROWS)
if not ui.empty(deals):
    labels = {r.deal_id: f"{r.deal_number} · {r.client_name or ''}" for r in deals.itertuples()}
    deal_id = st.selectbox(t("choose_deal"), list(labels), format_func=labels.get, key="drill_deal")
    if deal_id:
        st.markdown(f"**{t('orders')}**")
        orders = q.orders_of(str(deal_id))
        if not ui.empty(orders):
            ui.show_table(orders, help_mart="fct_order_margin")
        st.markdown(f"**{t('shipments')}**")
        lines = q.shipments_of(str(deal_id))
        if not ui.empty(lines):
            ui.show_table(lines, money=("revenue", "cost", "overhead", "series_base_cost", "series_landed_total"),
                          help_mart="fct_cogs_lines")

# Funnel
st.subheader(t("funnel"))
funnel = q.funnel(flt)
if not ui.empty(funnel, missing=funnel is None):
    fig = go.Figure(go.Funnel(y=funnel["state_name"], x=funnel["deals"],
                              textinfo="value+percent previous+percent initial"))
    st.plotly_chart(fig, width="stretch", key="director_funnel")
    ui.show_table(funnel[["state_name", "deals", "pct_of_previous", "pct_of_first"]],
                  percents=("pct_of_previous", "pct_of_first"), help_mart="rpt_funnel")

# Trends
st.subheader(t("trends"))
trend = q.monthly_trend(flt)
if not ui.empty(trend, missing=trend is None):
    long = to_num(trend, *PNL).melt("month", value_vars=[c for c in PNL if c in trend.columns], var_name="figure",
                                    value_name="rub")
    st.plotly_chart(px.line(long, x="month", y="rub", color="figure", markers=True), width="stretch",
                    key="director_trend")

ui.page_end("director")
