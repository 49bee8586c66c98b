"""Small building blocks the pages share: empty states, KPI tiles with help, formatted tables, downloads."""

from __future__ import annotations

import uuid

import pandas as pd
import streamlit as st

from dashboards import export, filters
from dashboards.formatting import delta_pct, number, pct, rub
from dashboards.i18n import t
from dashboards.metrics import help_for


def empty(frame: pd.DataFrame | None, *, missing: bool = False, when_empty: str | None = None) -> bool:
    """Show the empty state and return True when there is nothing to draw: the mart is not built (run the
    pipeline), or the filters leave nothing (widen them), or `when_empty` says what an empty result means."""
    if missing or frame is None:
        st.info(t("no_data"))
        return True
    if frame.empty:
        st.info(when_empty or (t("no_rows") if filters.current().get("period") else t("no_data")))
        return True
    return False


def kpi(column, label_key: str, value, previous=None, *, figure: str | None = None, mart: str = "",
        money: bool = True, inverse: bool = False) -> None:
    """A tile: the value, its change against the previous period, the definition from docs/metrics.md as help."""
    text = rub(value, 0) if money else number(value)
    change = delta_pct(value, previous)
    column.metric(t(label_key), text, delta=change, delta_color="inverse" if inverse else "normal",
                  help=help_for(figure or t(label_key, "en"), mart))


def show_table(frame: pd.DataFrame, *, money: tuple[str, ...] = (), percents: tuple[str, ...] = (),
               help_mart: str = "", key: str | None = None, **kwargs):
    """A table with roubles and percentages formatted the Russian way; column help from docs/metrics.md.
    uuid key columns are left out: names and numbers say the same to a reader."""
    shown = frame.drop(columns=[c for c in frame.columns
                                if isinstance(next(iter(frame[c].dropna()), None), uuid.UUID)])
    for c in money:
        if c in shown.columns:
            shown[c] = shown[c].map(rub)
    for c in percents:
        if c in shown.columns:
            shown[c] = shown[c].map(pct)
    config = {}
    for c in shown.columns:
        label = c.replace("_", " ").capitalize()
        config[c] = st.column_config.Column(label, help=help_for(label, help_mart))
    return st.dataframe(shown, hide_index=True, width="stretch", column_config=config, key=key, **kwargs)


def downloads(key: str, *, xlsx: bytes, frame: pd.DataFrame, name: str) -> None:
    left, right = st.columns(2)
    left.download_button(f"⬇ {t('excel')}", xlsx, file_name=f"{name}.xlsx", mime=export.XLSX_MIME,
                         key=f"xlsx_{key}", on_click="ignore")
    right.download_button(f"⬇ {t('csv')}", export.csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv",
                          key=f"csv_{key}", on_click="ignore")


def page_end(page: str) -> None:
    """A marker after the last section (class `st-key-done_<page>`): the browser test waits for it."""
    with st.container(key=f"done_{page}"):
        st.caption("\u2009")
