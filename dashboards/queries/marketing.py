"""Marketing: channel economics, the funnel by channel and by lead-month cohort, lost reasons, calls."""

from __future__ import annotations

import pandas as pd

from dashboards import db

ECONOMICS = "rpt_channel_economics"


def _grain_col() -> str | None:
    return next((c for c in ("grain", "level") if db.has(ECONOMICS, c)), None)


def utm_sources() -> list:
    return db.distinct(ECONOMICS, "utm_source")


def channel_economics(filters: dict, sources: list[str], by_month: bool = False) -> pd.DataFrame | None:
    """Per utm_source (and month) over the period's months: sums, then CPL, cost per won deal and ROMI as
    docs/metrics.md defines them, on the sums."""
    grain = _grain_col()
    if not grain or not db.has(ECONOMICS, "month", "spend"):
        return None
    dims = ["month", "utm_source"] if by_month else ["utm_source"]
    flt = dict(filters)
    if flt.get("period"):
        start, end = flt["period"]
        flt["period"] = (pd.Timestamp(start).to_period("M").start_time.date(), end)
    where = f"\"{grain}\" = 'month_source'" + (" and utm_source = any(:src)" if sources else "")
    return db.aggregate(ECONOMICS, dims, {
        "spend": "sum(spend)", "leads": "sum(leads)", "target_leads": "sum(target_leads)", "deals": "sum(deals)",
        "won_deals": "sum(won_deals)", "revenue": "sum(revenue)", "gross_margin": "sum(gross_margin)",
        "cpl": "case when sum(leads) > 0 then round(sum(spend) / sum(leads), 2) end",
        "cost_per_won_deal": "case when sum(won_deals) > 0 then round(sum(spend) / sum(won_deals), 2) end",
        "romi_pct": "case when sum(spend) > 0 then round(100 * (sum(gross_margin) - sum(spend)) / sum(spend), 2) end",
    }, filters=flt, date_col="month", where=where, params={"src": sources} if sources else None,
        skip_filters=("division", "manager", "channel"), order=", ".join(str(i) for i in range(1, len(dims) + 1)))


def funnel_by(dimension: str, filters: dict) -> pd.DataFrame | None:
    """Deals that reached each state by channel or by lead month (lead-month basis)."""
    return db.aggregate("rpt_funnel", [dimension, "state_position", "state_name"], {"deals": "sum(deals_reached)"},
                        filters=filters, date_col="month", where="month_basis = 'lead_month'", order="1, 2")


def with_shares(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """% of previous and % of first state within each channel or cohort."""
    out = frame.sort_values([dimension, "state_position"]).copy()
    out["deals"] = out["deals"].astype(int)
    grouped = out.groupby(dimension)["deals"]
    first, prev = grouped.transform("first"), grouped.shift(1)
    out["pct_of_previous"] = (100 * out["deals"] / prev.where(prev > 0)).round(1)
    out.loc[prev.isna(), "pct_of_previous"] = 100.0
    out["pct_of_first"] = (100 * out["deals"] / first.where(first > 0)).round(1)
    return out


def lost_reasons(filters: dict) -> pd.DataFrame | None:
    return db.aggregate("rpt_lost_deals", ["lost_reason", "last_state"], {
        "lost_deals": "sum(lost_deals)", "value_lost": "sum(value_lost)"},
        filters=filters, date_col="lost_month", order="3 desc")


def calls_by(dimension: str, filters: dict, sources: list[str]) -> pd.DataFrame | None:
    """Calls, answered, missed and missed without a call back in 15 minutes by manager or by line."""
    dims = ["manager_name"] if dimension == "manager" else ["tracked_line", "channel"]
    return db.aggregate("rpt_call_metrics", dims, {
        "calls": "sum(calls)", "inbound_calls": "sum(inbound_calls)", "answered_calls": "sum(answered_calls)",
        "missed_calls": "sum(missed_calls)", "missed_not_called_back_15_min": "sum(missed_not_called_back_15_min)",
        "talk_minutes": "round(sum(talk_seconds) / 60.0, 1)"},
        filters=filters, date_col="call_date", where="channel = any(:src)" if sources else "",
        params={"src": sources} if sources else None, skip_filters=("channel", "division"), order="calls desc")


def calls_by_day(filters: dict, sources: list[str]) -> pd.DataFrame | None:
    return db.aggregate("rpt_call_metrics", ["call_date"], {
        "calls": "sum(calls)", "missed_calls": "sum(missed_calls)",
        "missed_not_called_back_15_min": "sum(missed_not_called_back_15_min)"},
        filters=filters, date_col="call_date", where="channel = any(:src)" if sources else "",
        params={"src": sources} if sources else None, skip_filters=("channel", "division"), order="1")
