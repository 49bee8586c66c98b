"""Read-only access to the marts: every dashboard query goes through here, as the `reader` role.

`select()` builds a parameterised SELECT on one mart and applies the sidebar filters to whichever of
their columns the mart has; a mart that is not built yet reads as an empty frame (pages then show
their empty state), never as an error.
"""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from ingestion import warehouse

TTL = int(os.environ.get("DASHBOARDS_CACHE_TTL", "300"))
# Rows a long table shows (the largest first); its Excel and CSV downloads hold every row.
SHOWN_ROWS = int(os.environ.get("DASHBOARDS_TABLE_ROWS", "500"))
# Which column of a mart a sidebar filter applies to: the first the mart has. The channel is the lead's
# channel (КаналПривлечения); marts keyed by utm_source (channel economics, calls) have their own selector.
FILTER_COLUMNS = {
    "division": ("division_id",),
    "manager": ("manager_id",),
    "channel": ("lead_channel",),
}
LEAD_CHANNEL_MARTS = {"fct_leads", "rpt_funnel", "rpt_lost_deals"}  # their `channel` is the lead channel


@st.cache_resource
def engine() -> sa.Engine:
    return sa.create_engine(warehouse.as_role("reader").sqlalchemy_url(), pool_pre_ping=True)


@st.cache_data(ttl=TTL, show_spinner=False)
def query(statement: str, params: dict | None = None) -> pd.DataFrame:
    """Run a parameterised SELECT (`:name` placeholders) and return a frame; cached for five minutes."""
    with engine().connect() as conn:
        return pd.read_sql_query(sa.text(statement), conn, params=params or {}, coerce_float=False)


@st.cache_data(ttl=TTL, show_spinner=False)
def mart_columns() -> dict[str, list[str]]:
    """{mart: [columns]} of every table and view the reader can see in `marts`."""
    frame = query("select c.relname as table_name, a.attname as column_name from pg_catalog.pg_attribute a "
                  "join pg_catalog.pg_class c on c.oid = a.attrelid "
                  "join pg_catalog.pg_namespace n on n.oid = c.relnamespace "
                  "where n.nspname = 'marts' and c.relkind in ('r', 'v', 'm', 'p') and a.attnum > 0 "
                  "and not a.attisdropped and has_table_privilege(c.oid, 'select') "
                  "order by c.relname, a.attnum")
    return {name: list(group["column_name"]) for name, group in frame.groupby("table_name", sort=False)}


def columns(mart: str) -> list[str]:
    return mart_columns().get(mart, [])


def has(mart: str, *cols: str) -> bool:
    have = columns(mart)
    return bool(have) and all(c in have for c in cols)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def filter_clauses(mart: str, filters: dict | None, date_col: str | None = None,
                   skip: tuple[str, ...] = (), alias: str = "") -> tuple[list[str], dict]:
    """WHERE parts and parameters for the sidebar filters, on the columns `mart` has (qualified by `alias`)."""
    prefix = f"{alias}." if alias else ""
    filters = filters or {}
    have = columns(mart)
    where: list[str] = []
    params: dict = {}
    period = filters.get("period")
    if date_col and date_col in have and period:
        where.append(f"{prefix}{_ident(date_col)} between :p_start and :p_end")
        params.update(p_start=period[0], p_end=period[1])
    for key, candidates in FILTER_COLUMNS.items():
        values = filters.get(key)
        if not values or key in skip:
            continue
        col = next((c for c in candidates if c in have), None)
        if key == "channel" and mart in LEAD_CHANNEL_MARTS and "channel" in have:
            col = "channel"
        if col:
            where.append(f"{prefix}{_ident(col)} = any(:f_{key})")
            params[f"f_{key}"] = list(values)
    return where, params


def select(mart: str, cols: list[str] | None = None, *, filters: dict | None = None, date_col: str | None = None,
           where: str = "", params: dict | None = None, order: str = "", limit: int | None = None,
           skip_filters: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows of `marts.<mart>` (only the requested columns it has), filtered; empty when the mart is missing."""
    have = columns(mart)
    if not have:
        return pd.DataFrame(columns=cols or [])
    chosen = [c for c in (cols or have) if c in have]
    clauses, all_params = filter_clauses(mart, filters, date_col, skip_filters)
    if where:
        clauses.append(where)
    all_params.update(params or {})
    statement = f"select {', '.join(_ident(c) for c in chosen)} from marts.{_ident(mart)}"
    if clauses:
        statement += " where " + " and ".join(f"({c})" for c in clauses)
    if order:
        statement += f" order by {order}"
    if limit:
        statement += f" limit {int(limit)}"
    frame = query(statement, all_params)
    for c in cols or []:
        if c not in frame.columns:
            frame[c] = None
    return frame


@st.cache_data(ttl=TTL, show_spinner=False)
def indexed_columns() -> set[tuple[str, str]]:
    """(mart, column) pairs where the column leads an index of the mart."""
    frame = query("select c.relname as table_name, a.attname as column_name from pg_catalog.pg_index i "
                  "join pg_catalog.pg_class c on c.oid = i.indrelid "
                  "join pg_catalog.pg_namespace n on n.oid = c.relnamespace "
                  "join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0] "
                  "where n.nspname = 'marts'")
    return set(zip(frame["table_name"], frame["column_name"], strict=True))


def distinct(mart: str, col: str) -> list:
    """The column's values in order. On an indexed column, one index probe per value (a skip scan: a few dozen
    month ends among hundreds of thousands of rows) instead of reading the whole table."""
    if not has(mart, col):
        return []
    if (mart, col) in indexed_columns():
        statement = (f"with recursive v(v) as (select min({_ident(col)}) from marts.{_ident(mart)} union all "
                     f"select (select min({_ident(col)}) from marts.{_ident(mart)} where {_ident(col)} > v.v) "
                     "from v where v.v is not null) select v from v where v is not null")
    else:
        statement = (f"select distinct {_ident(col)} as v from marts.{_ident(mart)} "
                     f"where {_ident(col)} is not null order by 1")
    return list(query(statement)["v"])


def date_range(candidates: list[tuple[str, str]]) -> tuple[dt.date, dt.date] | None:
    """The earliest and latest date over (mart, date column) pairs that exist."""
    parts = [f"select min({_ident(c)})::date as lo, max({_ident(c)})::date as hi from marts.{_ident(m)}"
             for m, c in candidates if has(m, c)]
    if not parts:
        return None
    frame = query(" union all ".join(parts))
    lo, hi = frame["lo"].dropna(), frame["hi"].dropna()
    if lo.empty:
        return None
    return min(lo), max(hi)


def to_num(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Decimal columns as floats for charts (tables keep the exact Decimals)."""
    out = frame.copy()
    for c in cols:
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def aggregate(mart: str, dims: list[str], measures: dict[str, str], *, filters: dict | None = None,
              date_col: str | None = None, where: str = "", params: dict | None = None, order: str = "",
              skip_filters: tuple[str, ...] = (), limit: int | None = None) -> pd.DataFrame | None:
    """`select dims, measures from marts.<mart> where <filters> group by dims`; None when the mart or a
    dimension is missing. Measures are SQL over the mart's columns, e.g. {"revenue": "sum(revenue)"}."""
    if not has(mart, *[d for d in dims if d.isidentifier()]):
        return None
    clauses, all_params = filter_clauses(mart, filters, date_col, skip_filters)
    if where:
        clauses.append(where)
    all_params.update(params or {})
    select_list = [*dims, *(f"{expr} as {_ident(name)}" for name, expr in measures.items())]
    statement = f"select {', '.join(select_list)} from marts.{_ident(mart)}"
    if clauses:
        statement += " where " + " and ".join(f"({c})" for c in clauses)
    if dims:
        statement += " group by " + ", ".join(str(i) for i in range(1, len(dims) + 1))
    if order:
        statement += f" order by {order}"
    if limit:
        statement += f" limit {int(limit)}"
    return query(statement, all_params)
