"""Home: who is signed in, which pages the role opens, and whether the marts are built."""

from __future__ import annotations

import streamlit as st

from dashboards import auth, db
from dashboards.i18n import t

user = auth.current_user()
if not user:
    st.warning(t("login_required"))
    st.stop()

st.title(t("app_title"))
st.caption(t("home_intro"))
st.markdown(f"**{t('your_pages')}:** " + ", ".join(t(p) for p in auth.PAGES if auth.allowed(p, user)))
marts = db.mart_columns()
if not marts:
    st.info(t("no_data"))
else:
    st.metric("Tables in marts", len(marts))
