"""Finance: БДДС and БДР plan vs fact, balance sheet, receivables ageing, collections, payables; Excel and CSV."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import auth, db, export, filters, ui
from dashboards.formatting import rub
from dashboards.i18n import t
from dashboards.metrics import help_for
from dashboards.queries import finance as q

auth.require("finance")
st.title(t("finance"))
flt = filters.current()
period = flt.get("period")
header = filters.describe(flt)
labels = {m: t(m) for m in q.MEASURES}


GOOD, BAD = "color: #1b7f3b", "color: #b00020"


def variance_colour(value, lower_is_better: bool) -> str:
    """Green where the variance is good news (more money in or profit, less money out or cost), red where not."""
    if value is None or value != value or value == 0:
        return ""
    return GOOD if (value < 0 if lower_is_better else value > 0) else BAD


def plan_fact_section(key: str, mart: str):
    st.subheader(t(key), help=help_for("Variance", "rpt_pnl"))
    frame = q.statement(mart, flt)
    if ui.empty(frame, missing=frame is None):
        return
    numbers = q.pivot(frame, labels)  # one row per statement row, in row_order
    rows = frame.drop_duplicates("row_order").sort_values("row_order")
    value_cols = [c for c in numbers.columns if c != "label"]
    styles = pd.DataFrame("", index=numbers.index, columns=numbers.columns)
    for c in (c for c in value_cols if c.endswith(labels["variance"])):
        styles[c] = [variance_colour(v, lower) for v, lower in zip(numbers[c], rows["lower_is_better"], strict=True)]
    for i, is_subtotal in enumerate(rows["is_subtotal"]):
        if is_subtotal:
            styles.iloc[i] = styles.iloc[i] + ";font-weight: bold"
    shown = numbers.copy()
    for c in value_cols:  # as text: Streamlit draws a missing value as "None", whatever the Styler says
        shown[c] = shown[c].map(rub)
    heading = {"label": t("article")}
    styles = styles.rename(columns=heading)
    styled = shown.rename(columns=heading).style.apply(lambda _: styles, axis=None)
    st.dataframe(styled, hide_index=True, width="stretch", key=f"table_{key}")
    measures, title, article, total = [(m, labels[m]) for m in q.MEASURES], t(key), t("article"), t("total")
    ui.downloads(key, name=key, frame=lambda: frame.drop(columns=["row_order", "how", "lower_is_better"]),
                 xlsx=lambda: export.budget_workbook(frame, title=title, filters=header, measures=measures,
                                                     label_header=article, total_label=total))


plan_fact_section("cashflow", "rpt_cashflow")
plan_fact_section("pnl", "rpt_pnl")

# Management balance at a chosen month end
st.subheader(t("balance"))
months = q.balance_months()
if ui.empty(pd.DataFrame({"m": months}), missing=not months):
    pass
else:
    default = max((m for m in months if not period or m <= period[1]), default=months[-1])
    month_end = st.selectbox(t("month_end"), months, index=months.index(default), key="balance_month",
                             format_func=lambda d: f"{d:%d.%m.%Y}")
    sheet = q.balance(month_end)
    if not ui.empty(sheet, missing=sheet is None):
        assets, other = q.balance_sides(sheet)
        sheet = sheet.drop(columns=["sort_order"], errors="ignore")
        sheet["section"] = [t(f"bsec_{v}") for v in sheet["section"]]
        sheet["line"] = [t(f"bs_{v}") for v in sheet["line"]]
        left, right = st.columns(2)
        left.metric(t("assets"), rub(assets), help=help_for("Totals", "rpt_balance_sheet"))
        right.metric(t("liabilities_equity"), rub(other), help=help_for("Totals", "rpt_balance_sheet"))
        if assets is not None and assets == other:
            st.success(t("balanced"))
        elif assets is not None:
            st.error(t("not_balanced").format(diff=rub(assets - other)))
        ui.show_table(sheet, money=("amount",), help_mart="rpt_balance_sheet", key="balance_table")
        ui.table_downloads("balance", name="balance", rows=lambda: sheet, money=("amount",), total=False,
                           title=f"{t('balance')} {month_end:%d.%m.%Y}")

# Receivables ageing: client × bucket, drill to open items
st.subheader(t("ageing"), help=help_for("Ageing bucket", "rpt_receivables_ageing"))
dates = q.ageing_dates()
if not dates:
    st.info(t("no_data"))
    as_of = period[1] if period else dt.date.today()
else:
    target = period[1] if period else dates[-1]
    default = max((d for d in dates if d <= target), default=dates[-1])
    as_of = st.selectbox(t("as_of"), dates, index=dates.index(default), key="ageing_date",
                         format_func=lambda d: f"{d:%d.%m.%Y}")
    ageing = q.ageing(as_of, limit=db.SHOWN_ROWS)
    if not ui.empty(ageing, missing=ageing is None):
        shown = ageing.drop(columns=["counterparty_id"])
        money = tuple(c for c in shown.columns if c != "counterparty_name")
        ui.show_table(shown, money=money, help_mart="rpt_receivables_ageing", key="ageing_table")
        ui.first_rows_note(shown, db.SHOWN_ROWS)
        ui.table_downloads("ageing", name="receivables_ageing", money=money,
                           rows=lambda: q.ageing(as_of).drop(columns=["counterparty_id"]),
                           title=f"{t('ageing')} {as_of:%d.%m.%Y}")
        names = dict(zip(ageing["counterparty_id"].astype(str), ageing["counterparty_name"], strict=True))
        client = st.selectbox(t("open_items"), list(names), format_func=names.get, key="ageing_client")
        if client:
            items = q.open_items(as_of, client, flt)
            if not ui.empty(items):
                ui.show_table(items, money=("original_amount", "open_amount"),
                              help_mart="fct_receivables_open_items", key="open_items")

st.subheader(t("collections"), help=help_for("Collection reminder", "fct_collection_reminders"))
work = q.collections(as_of, flt, limit=db.SHOWN_ROWS)
if not ui.empty(work, missing=work is None):
    ui.show_table(work, money=("original_amount", "open_amount"), help_mart="fct_collection_reminders",
                  key="collections")
    ui.first_rows_note(work, db.SHOWN_ROWS)
    ui.table_downloads("collections", name="collections", rows=lambda: q.collections(as_of, flt),
                       money=("original_amount", "open_amount"), title=t("collections"))

st.subheader(t("payables"), help=help_for("Payables", "fct_payables_open_items"))
pay = q.payables(as_of, limit=db.SHOWN_ROWS)
if not ui.empty(pay, missing=pay is None):
    ui.show_table(pay, money=("original_amount", "open_amount"), help_mart="fct_payables_open_items",
                  key="payables")
    ui.first_rows_note(pay, db.SHOWN_ROWS)
    ui.table_downloads("payables", name="payables", rows=lambda: q.payables(as_of),
                       money=("original_amount", "open_amount"), title=t("payables"))

ui.page_end("finance")
