"""The Streamlit app: one router, a page per audience."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboards/app.py` puts dashboards/ on the path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="Trade warehouse", page_icon="📊", layout="wide")

navigation = st.navigation([
    st.Page(PAGES / "home.py", title="Home", icon="🏠", default=True),
])
navigation.run()
