"""Deal and order margins of the scenario company against scenario.yml section 4 (deals, orders, deal_totals)."""

from __future__ import annotations

from tests.known_answers.conftest import KNOWN_ANSWERS, money, query

DEAL_FIGURES = ("ordered_gross", "shipped_gross", "returned_gross", "paid_gross", "revenue", "returns",
                "net_revenue", "cogs", "gross_margin", "direct_costs", "contribution", "overhead", "net_margin",
                "gross_margin_pct", "net_margin_pct", "shipped_pct", "paid_pct")
ORDER_FIGURES = ("revenue", "returns", "cogs", "gross_margin", "direct_costs", "contribution", "overhead",
                 "net_margin", "shipped_pct", "paid_pct")


def test_every_deal_margin_matches(scenario):
    rows = query(scenario, "select m.*, m.client_name as client, m.division_name as division, "
                           "m.deal_number as crm_number from marts.fct_deal_margin as m")
    got = {r["crm_number"]: r for r in rows}
    assert set(got) == {deal["crm_number"] for deal in KNOWN_ANSWERS["deals"].values()}
    for letter, deal in KNOWN_ANSWERS["deals"].items():
        row = got[deal["crm_number"]]
        assert (row["client"], row["division"], row["status"], row["current_state"]) == (
            deal["client"], deal["division"], deal["status"], deal["current_state"]), letter
        assert row["orders"] == len(deal["orders"]), letter
        assert {f: row[f] for f in DEAL_FIGURES} == {f: money(deal[f]) for f in DEAL_FIGURES}, letter


def test_every_order_margin_matches(scenario):
    rows = query(scenario, "select m.*, d.document_number as crm_number from marts.fct_order_margin as m "
                           "left join staging.stg_onec_crm__deals as d on d.deal_id = m.deal_id")
    got = {f"ЗаказКлиента {r['document_number']}": r for r in rows}
    assert set(got) == set(KNOWN_ANSWERS["orders"])
    for number, order in KNOWN_ANSWERS["orders"].items():
        row = got[number]
        assert row["crm_number"] == KNOWN_ANSWERS["deals"][order["deal"]]["crm_number"], number
        assert {f: row[f] for f in ORDER_FIGURES} == {f: money(order[f]) for f in ORDER_FIGURES}, number


def test_deal_totals_and_unallocated_overhead(scenario):
    totals = KNOWN_ANSWERS["deal_totals"]
    [row] = query(scenario, "select sum(gross_margin) as gross_margin, sum(net_margin) as net_margin "
                            "from marts.fct_deal_margin")
    assert row["gross_margin"] == money(totals["gross_margin_of_deals"])
    assert row["net_margin"] == money(totals["net_margin_of_deals"])
    [row] = query(scenario, "select coalesce(sum(revenue - cost), 0) as gross_margin from marts.fct_cogs_lines "
                            "where deal_id is null")
    assert row["gross_margin"] == money(totals["gross_margin_without_deal"])
    [row] = query(scenario, "select sum(amount) as amount from marts.fct_overhead_allocation "
                            "where cogs_line_id is null")
    assert row["amount"] == money(totals["unallocated_overhead"])
