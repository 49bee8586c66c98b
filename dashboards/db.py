"""Read-only access to the marts: every dashboard query goes through here, as the `reader` role."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from ingestion import warehouse


@st.cache_resource
def engine() -> sa.Engine:
    return sa.create_engine(warehouse.as_role("reader").sqlalchemy_url(), pool_pre_ping=True)


@st.cache_data(ttl=300, show_spinner=False)
def query(statement: str, params: dict | None = None) -> pd.DataFrame:
    """Run a parameterised SELECT (`:name` placeholders) and return a frame; cached for five minutes."""
    with engine().connect() as conn:
        return pd.read_sql_query(sa.text(statement), conn, params=params or {})
