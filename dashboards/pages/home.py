"""Home: what the warehouse holds, read through the reader role."""

from __future__ import annotations

import streamlit as st

from dashboards.db import query

st.title("Trade warehouse")
st.caption("Management reporting for a trading company: margins, budgets, balance, funnel and calls.")

tables = query(
    "select table_name, table_type from information_schema.tables where table_schema = :schema order by table_name",
    {"schema": "marts"},
)
if tables.empty:
    st.info("The marts are empty. Build them with `make pipeline`, or materialize the assets in the Dagster UI.")
    st.stop()

st.metric("Tables in marts", len(tables))

accounts = query(
    "select account_code, account_name, account_name_ru, account_class, statement "
    "from marts.dim_accounts order by sort_order"
)
st.subheader("Chart of management accounts")
st.dataframe(accounts, hide_index=True, width="stretch")
