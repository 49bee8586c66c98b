"""The Streamlit app: a login form for visitors, then one page per audience the user's role may open."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboards/app.py` puts dashboards/ on the path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboards import auth, filters  # noqa: E402
from dashboards.i18n import language_switch, t  # noqa: E402

# Not `pages/`: a folder of that name beside the entry script turns on the old automatic multipage mode.
PAGES = Path(__file__).resolve().parent / "views"
ICONS = {"director": ":material/monitoring:", "finance": ":material/account_balance:",
         "marketing": ":material/campaign:", "data_engineering": ":material/engineering:"}

st.set_page_config(page_title="Trade warehouse", page_icon="📊", layout="wide")
st.session_state.setdefault("lang", "en")
language_switch()

user = auth.current_user()
if not user:
    st.navigation([st.Page(auth.login_form, title=t("log_in"), icon=":material/login:", url_path="login")],
                  position="hidden").run()
    st.stop()

pages = [st.Page(PAGES / "home.py", title=t("home"), icon=":material/home:", default=True)]
pages += [st.Page(PAGES / f"{page}.py", title=t(page), icon=ICONS[page], url_path=page)
          for page in auth.PAGES if auth.allowed(page, user)]
navigation = st.navigation(pages)

st.sidebar.caption(t("signed_in_as").format(name=user["display_name"], role=t("role_" + user["role"])))
if st.sidebar.button(t("log_out"), key="logout"):
    auth.logout()
    st.rerun()
filters.sidebar()
navigation.run()
