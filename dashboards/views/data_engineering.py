"""Data engineering: last load per source, rejects (filterable), freshness, dbt tests, row counts, Dagster."""

from __future__ import annotations

import os

import streamlit as st

from dashboards import auth, ui
from dashboards.i18n import t
from dashboards.metrics import help_for
from dashboards.queries import data_engineering as q

auth.require("data_engineering")
st.title(t("data_engineering"))
st.link_button(t("dagster_link"), os.environ.get("DAGSTER_URL", "http://localhost:3000"))

st.subheader(t("last_loads"))
loads = q.last_load_per_source()
if not ui.empty(loads, missing=loads is None):
    ui.show_table(loads, key="last_loads", help_mart="ops.load_audit")

st.subheader(t("freshness"), help=help_for("Freshness"))
fresh = q.freshness()
if not ui.empty(fresh, missing=fresh is None):
    stale = fresh[~fresh["is_fresh"]]
    (st.warning if len(stale) else st.success)(f"{len(fresh) - len(stale)} / {len(fresh)} fresh")
    ui.show_table(fresh, key="freshness")

st.subheader(t("rejects"), help=help_for("Rows read / loaded / rejected"))
reasons = q.reject_reasons()
if not ui.empty(reasons, missing=reasons is None, when_empty=t("no_rejects")):
    ui.show_table(reasons, key="reject_reasons")
    left, middle, right = st.columns(3)
    source = left.multiselect("source", sorted(reasons["source"].unique()), key="rej_source")
    entity = middle.multiselect("entity", sorted(reasons["entity"].unique()), key="rej_entity")
    reason = right.text_input(t("reason"), key="rej_reason")
    detail = q.rejects(source, entity, reason)
    if not ui.empty(detail, missing=detail is None, when_empty=t("no_rows")):
        ui.show_table(detail, key="rejects")

st.subheader(t("dbt_tests"))
tests, generated = q.dbt_test_results()
if tests is None:
    st.info(t("no_dbt_results"))
else:
    counts = tests["status"].value_counts()
    st.caption(f"{generated} · " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    ui.show_table(tests, key="dbt_tests")

st.subheader(t("row_counts"))
counts = q.row_counts()
if not ui.empty(counts, missing=counts.empty):
    ui.show_table(counts, key="row_counts")

ui.page_end("data_engineering")
