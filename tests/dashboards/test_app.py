"""The Streamlit app renders its pages from the marts, through the reader role."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboards" / "app.py")


def test_home_page_shows_the_chart_of_accounts(built_warehouse):
    with built_warehouse.as_role("reader").connect() as conn:
        expected = conn.execute("select count(*) from marts.dim_accounts").fetchone()[0]
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Trade warehouse"
    (accounts,) = at.dataframe
    assert len(accounts.value) == expected
    assert "Inventory" in set(accounts.value["account_name"])
