"""Marketing: channel economics, funnel by channel and by cohort, lost reasons, calls."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards import auth, filters, ui
from dashboards.db import to_num
from dashboards.i18n import t
from dashboards.metrics import help_for
from dashboards.queries import marketing as q

auth.require("marketing")
st.title(t("marketing"))
flt = filters.current()
sources = st.multiselect("utm_source", q.utm_sources(), key="mkt_sources", placeholder=t("all"),
                         help="The ad channel of channel economics and calls (the sidebar channel is the lead's).")

st.subheader(t("channel_economics"), help=help_for("ROMI %", "rpt_channel_economics"))
econ = q.channel_economics(flt, sources)
if not ui.empty(econ, missing=econ is None):
    money = ("spend", "revenue", "gross_margin", "cpl", "cost_per_won_deal")
    ui.show_table(econ, money=money, percents=("romi_pct",), help_mart="rpt_channel_economics", key="economics")
    chart = to_num(econ, "cpl", "cost_per_won_deal", "romi_pct", "spend")
    left, right = st.columns(2)
    left.plotly_chart(px.bar(chart, x="utm_source", y=["cpl", "cost_per_won_deal"], barmode="group"),
                      width="stretch", key="econ_costs")
    right.plotly_chart(px.bar(chart, x="utm_source", y="romi_pct"), width="stretch", key="econ_romi")
    ui.table_downloads("economics", name="channel_economics", title=t("channel_economics"), money=money,
                       rows=lambda: q.channel_economics(flt, sources, by_month=True), total=False,
                       integers=("leads", "target_leads", "deals", "won_deals"), percents=("romi_pct",))

st.subheader(t("funnel_by_channel"), help=help_for("Deals reached", "rpt_funnel"))
by_channel = q.funnel_by("channel", flt)
if not ui.empty(by_channel, missing=by_channel is None):
    shares = q.with_shares(by_channel, "channel")
    st.plotly_chart(px.funnel(shares, x="deals", y="state_name", color="channel"), width="stretch",
                    key="funnel_channel")
    ui.show_table(shares.drop(columns=["state_position"]), percents=("pct_of_previous", "pct_of_first"),
                  key="funnel_channel_table")

st.subheader(t("funnel_by_cohort"))
cohorts = q.funnel_by("month", flt)
if not ui.empty(cohorts, missing=cohorts is None):
    shares = q.with_shares(cohorts, "month")
    wide = shares.pivot_table(index="month", columns=["state_position", "state_name"], values="pct_of_first")
    wide.columns = [name for _, name in wide.columns]
    st.dataframe(wide.round(1), width="stretch", key="cohort_table")

st.subheader(t("lost_reasons"))
lost = q.lost_reasons(flt)
if not ui.empty(lost, missing=lost is None):
    st.plotly_chart(px.bar(to_num(lost, "value_lost"), x="lost_deals", y="lost_reason", color="last_state",
                           orientation="h"), width="stretch", key="lost_chart")
    ui.show_table(lost, money=("value_lost",), help_mart="rpt_lost_deals", key="lost_table")

st.subheader(t("calls"), help=help_for("Missed call", "rpt_call_metrics"))
daily = q.calls_by_day(flt, sources)
if not ui.empty(daily, missing=daily is None):
    st.plotly_chart(px.line(to_num(daily, "calls", "missed_calls", "missed_not_called_back_15_min"),
                            x="call_date", y=["calls", "missed_calls", "missed_not_called_back_15_min"]),
                    width="stretch", key="calls_daily")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('calls_by_manager')}**")
        ui.show_table(q.calls_by("manager", flt, sources), help_mart="rpt_call_metrics", key="calls_manager")
    with right:
        st.markdown(f"**{t('calls_by_line')}**")
        ui.show_table(q.calls_by("line", flt, sources), help_mart="rpt_call_metrics", key="calls_line")

ui.page_end("marketing")
