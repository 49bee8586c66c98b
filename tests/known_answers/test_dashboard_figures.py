"""What the dashboards show for the scenario company, through their own query functions, against scenario.yml:
the director's margin by client and by deal, and the sidebar's choices."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import streamlit as st

from tests.known_answers.conftest import KNOWN_ANSWERS, money

WHOLE_SCENARIO = {"period": (dt.date(2025, 1, 1), dt.date(2025, 3, 31))}
DEALS = KNOWN_ANSWERS["deals"]


@pytest.fixture(autouse=True)
def cold_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def as_money(frame, label: str, figure: str) -> dict:
    return {row[label]: row[figure] for _, row in frame.iterrows()}


def test_margin_by_client_is_labelled_by_name_and_sums_the_clients_deals(scenario):
    from dashboards.queries import director

    expected: dict = defaultdict(lambda: money("0"))
    for deal in DEALS.values():
        expected[deal["client"]] += money(deal["gross_margin"])
    frame = director.margin_by("client", WHOLE_SCENARIO)
    assert as_money(frame, "client", "gross_margin") == dict(expected)
    # the largest gross margin first: Бета 650 000.00, Альфа 286 900.00, Гамма 0.00
    assert list(frame["client"]) == ["ООО «Бета»", "ООО «Альфа»", "ООО «Гамма»"]


def test_margin_by_deal_and_a_filter_on_the_division(scenario):
    from dashboards import filters
    from dashboards.queries import director

    frame = director.margin_by("deal", WHOLE_SCENARIO)
    assert as_money(frame, "deal", "net_margin") == {d["crm_number"]: money(d["net_margin"]) for d in DEALS.values()}
    divisions = {label: value for value, label in filters._options("division").items()}
    division = "Отдел продаж оборудования"
    frame = director.margin_by("deal", {**WHOLE_SCENARIO, "division": [divisions[division]]})
    assert set(frame["deal"]) == {d["crm_number"] for d in DEALS.values() if d["division"] == division}


def test_sidebar_offers_the_companys_divisions_managers_and_lead_channels_by_name(scenario):
    from dashboards import filters

    assert {d["division"] for d in DEALS.values()} <= set(filters._options("division").values())
    assert set(filters._options("channel")) == set(KNOWN_ANSWERS["funnel"]["by_channel"])
    managers = filters._options("manager")
    assert managers and all(label != value for value, label in managers.items()), "managers shown by name"


def test_distinct_values_of_an_indexed_column_by_skip_scan_equal_a_plain_distinct(scenario):
    from dashboards import db
    from tests.known_answers.conftest import query

    assert ("rpt_receivables_ageing", "as_of_date") in db.indexed_columns()
    plain = [r["as_of_date"] for r in query(
        scenario, "select distinct as_of_date from marts.rpt_receivables_ageing order by 1")]
    assert len(plain) > 1
    assert db.distinct("rpt_receivables_ageing", "as_of_date") == plain
    assert ("rpt_balance_sheet", "month_end") not in db.indexed_columns()  # the plain path
    assert db.distinct("rpt_balance_sheet", "month_end") == [r["month_end"] for r in query(
        scenario, "select distinct month_end from marts.rpt_balance_sheet order by 1")]


def test_the_largest_margins_shown_are_the_head_of_the_whole_ranking(scenario):
    """The page shows the `limit` largest clients; it ranks them before summing exactly: the same rows."""
    from dashboards.queries import director

    whole = director.margin_by("client", WHOLE_SCENARIO)
    assert len(whole) == 3
    for limit in (1, 2, 3):
        shown = director.margin_by("client", WHOLE_SCENARIO, limit=limit)
        assert shown.to_dict("records") == whole.head(limit).to_dict("records")
