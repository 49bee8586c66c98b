"""Small building blocks the pages share: empty states, KPI tiles with help, formatted tables, downloads."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards import export, filters
from dashboards.formatting import delta_pct, number, pct, rub
from dashboards.i18n import column, lang, t
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


def _is_money(column: pd.Series) -> bool:
    """Money is numeric(18,2) in the marts: Decimals with exactly two places (quantities have three)."""
    value = next(iter(column.dropna()), None)
    return isinstance(value, Decimal) and value.as_tuple().exponent == -2


def _first(column: pd.Series):
    return next(iter(column.dropna()), None)


def show_table(frame: pd.DataFrame, *, money: tuple[str, ...] = (), percents: tuple[str, ...] = (),
               help_mart: str = "", key: str | None = None, **kwargs):
    """A table with roubles and percentages formatted the Russian way, dates as dd.mm.yyyy, headings in the
    chosen language, each with its definition from docs/metrics.md as help. Money columns are the ones named
    in `money` and every numeric(18,2) column; uuid key columns are left out (names say the same to a reader)."""
    shown = frame.drop(columns=[c for c in frame.columns if isinstance(_first(frame[c]), uuid.UUID)])
    percents = tuple(c for c in shown.columns if c in percents or str(c).endswith("_pct"))
    for c in shown.columns:
        if c in percents:
            shown[c] = shown[c].map(pct)
        elif c in money or _is_money(shown[c]):
            shown[c] = shown[c].map(rub)
    config = {}
    for c in shown.columns:
        label = column(c)
        definition = help_for(column(c, "en"), help_mart) or help_for(str(c).replace("_", " "), help_mart)
        sample = _first(shown[c])
        if isinstance(sample, (dt.datetime, pd.Timestamp)) and not (
                isinstance(sample, pd.Timestamp) and sample == sample.normalize()):
            config[c] = st.column_config.DatetimeColumn(label, help=definition, format="DD.MM.YYYY HH:mm")
        elif isinstance(sample, (dt.date, pd.Timestamp)):
            config[c] = st.column_config.DateColumn(label, help=definition, format="DD.MM.YYYY")
        else:
            config[c] = st.column_config.Column(label, help=definition)
    return st.dataframe(shown, hide_index=True, width="stretch", column_config=config, key=key, **kwargs)


def downloads(key: str, *, name: str, xlsx: Callable[[], bytes], frame: Callable[[], pd.DataFrame]) -> None:
    """Excel and CSV buttons; each file is made when its button is pressed, not on every run of the page
    (Streamlit calls the function then, in a thread of its own: it must not read st.session_state)."""
    left, right = st.columns(2)
    left.download_button(f"⬇ {t('excel')}", xlsx, file_name=f"{name}.xlsx", mime=export.XLSX_MIME,
                         key=f"xlsx_{key}", on_click="ignore")
    right.download_button(f"⬇ {t('csv')}", lambda: export.csv_bytes(frame()), file_name=f"{name}.csv",
                          mime="text/csv", key=f"csv_{key}", on_click="ignore")


def table_downloads(key: str, *, name: str, rows: Callable[[], pd.DataFrame], title: str,
                    money: tuple[str, ...] = (), integers: tuple[str, ...] = (), percents: tuple[str, ...] = (),
                    total: bool = True) -> None:
    """Downloads of a table with every row (`rows()` reads them when a button is pressed), in the layout of
    export.table_workbook with the sidebar's filters in its header block, headings in the chosen language."""
    header, lang_code, total_label = filters.describe(filters.current()), lang(), t("total") if total else None
    downloads(key, name=name, frame=rows, xlsx=lambda: export.table_workbook(
        rows(), title=title, filters=header, money=money, integers=integers, percents=percents,
        total_label=total_label, lang_code=lang_code))


def first_rows_note(frame: pd.DataFrame | None, limit: int) -> None:
    """Under a table cut at `limit` rows: say so, and that the downloads hold them all."""
    if frame is not None and len(frame) >= limit:
        st.caption(t("first_rows").format(n=limit))


def page_end(page: str) -> None:
    """A marker after the last section (class `st-key-done_<page>`): the browser test waits for it."""
    with st.container(key=f"done_{page}"):
        st.caption("\u2009")
