"""The common sidebar filters: period, division, manager, channel. Stored in `st.session_state["filters"]`."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards import db
from dashboards.i18n import t

# Where the period's bounds come from, first found wins per mart.
DATE_SOURCES = [("fct_cogs_lines", "document_date"), ("fct_deals", "created_date"), ("fct_leads", "lead_date"),
                ("rpt_pnl", "month"), ("rpt_cashflow", "month"), ("fct_calls", "call_date"),
                ("fct_deal_margin", "first_shipment_date")]


def _options(key: str) -> dict:
    """{value: label} of the division, manager or channel filter (dim_filter_options; empty before it is built)."""
    frame = db.select("dim_filter_options", ["filter_key", "option_value", "option_label"],
                      order="filter_key, option_label, option_value")
    chosen = frame[frame["filter_key"] == key]
    return dict(zip(chosen["option_value"].astype(str), chosen["option_label"].astype(str), strict=True))


def default_period(lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date]:
    """The year to date of the latest data, within the data's range."""
    return max(lo, dt.date(hi.year, 1, 1)), hi


def previous_period(period: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The period of the same length just before."""
    start, end = period
    length = end - start
    return start - length - dt.timedelta(days=1), start - dt.timedelta(days=1)


def sidebar() -> dict:
    """Draw the filters and return {period: (start, end) | None, division: [...], manager: [...], channel: [...]}."""
    st.sidebar.subheader(t("filters"))
    bounds = db.date_range(DATE_SOURCES)
    period = None
    if bounds:
        lo, hi = bounds
        chosen = st.sidebar.date_input(t("period"), value=default_period(lo, hi), min_value=dt.date(lo.year, 1, 1),
                                       max_value=dt.date(hi.year, 12, 31), key="f_period", format="DD.MM.YYYY")
        if isinstance(chosen, (tuple, list)) and len(chosen) == 2:
            period = (chosen[0], chosen[1])
        elif isinstance(chosen, (tuple, list)) and len(chosen) == 1:
            period = (chosen[0], chosen[0])
    filters: dict = {"period": period}
    for key in ("division", "manager", "channel"):
        options = _options(key)
        filters[key] = st.sidebar.multiselect(t(key), list(options), format_func=lambda v, o=options: o.get(v, v),
                                              key=f"f_{key}", placeholder=t("all"))
    st.session_state["filters"] = filters
    return filters


def current() -> dict:
    return st.session_state.get("filters") or {"period": None}


def describe(filters: dict) -> list[tuple[str, str]]:
    """The chosen filters as (label, value) rows for the header block of an export."""
    period = filters.get("period")
    rows = [(t("period"), f"{period[0]:%d.%m.%Y} – {period[1]:%d.%m.%Y}" if period else t("all"))]
    for key in ("division", "manager"):
        options = _options(key) if filters.get(key) else {}
        rows.append((t(key), ", ".join(options.get(v, v) for v in filters.get(key) or []) or t("all")))
    rows.append((t("channel"), ", ".join(filters.get("channel") or []) or t("all")))
    return rows
