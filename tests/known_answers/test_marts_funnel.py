"""Funnel, lead channels and channel economics of the hand-sized scenario company (scenario.yml `funnel`,
README 1.9), through the whole chain: generate → OData → raw → dbt marts."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from tests.known_answers.conftest import KNOWN_ANSWERS, money

FUNNEL = KNOWN_ANSWERS["funnel"]


def rows(scenario, query: str) -> list[tuple]:
    with scenario.as_role("transformer").connect() as conn:
        return conn.execute(query).fetchall()


@pytest.fixture(scope="module")
def deal_letters(scenario) -> dict[str, str]:
    """deal_id → the scenario's letter (A, B, C), through the CRM number scenario.yml names."""
    by_number = {deal["crm_number"]: letter for letter, deal in FUNNEL["deals"].items()}
    return {str(deal_id): by_number[number]
            for deal_id, number in rows(scenario, "select deal_id, deal_number from marts.fct_deals")}


def test_leads(scenario, deal_letters):
    got = {}
    for number, day, channel, source, campaign, line, company, target, status, reason, deal_id in rows(
            scenario,
            "select lead_number, lead_date, channel, utm_source, utm_campaign, tracked_line, company_name, "
            "is_target, status, rejection_reason, deal_id from marts.fct_leads"):
        got[number] = {"number": number, "date": day.isoformat(), "channel": channel, "utm_source": source or "",
                       "utm_campaign": campaign or "", "line": line or "", "company": company or "",
                       "target": target, "status": status, "reject_reason": reason,
                       "deal": deal_letters.get(str(deal_id)) if deal_id else None}
    assert got == {lead["number"]: lead for lead in FUNNEL["leads"]}


def test_totals_and_by_channel(scenario):
    leads = rows(scenario, "select channel, is_target, rejection_reason from marts.fct_leads")
    deals = rows(scenario, "select lead_channel, outcome, lost_reason from marts.fct_deals")
    outcomes = Counter(outcome for _, outcome, _ in deals)
    assert {"leads": len(leads), "target": sum(t for _, t, _ in leads),
            "non_target": sum(not t for _, t, _ in leads), "deals": len(deals),
            "won": outcomes["won"], "lost": outcomes["lost"], "open": outcomes["open"]} == FUNNEL["totals"]

    by_channel: dict[str, dict] = defaultdict(lambda: {
        "leads": 0, "target": 0, "non_target": 0, "non_target_reasons": Counter(), "deals": 0, "won": 0, "lost": 0,
        "lost_reasons": Counter()})
    for channel, target, reason in leads:
        c = by_channel[channel]
        c["leads"] += 1
        c["target" if target else "non_target"] += 1
        if not target:
            c["non_target_reasons"][reason] += 1
    for channel, outcome, reason in deals:
        c = by_channel[channel]
        c["deals"] += 1
        if outcome in ("won", "lost"):
            c[outcome] += 1
        if outcome == "lost":
            c["lost_reasons"][reason] += 1
    got = {ch: {**c, "non_target_reasons": dict(c["non_target_reasons"]), "lost_reasons": dict(c["lost_reasons"])}
           for ch, c in by_channel.items()}
    assert got == FUNNEL["by_channel"]


def test_deals(scenario, deal_letters):
    states: dict[str, list[str]] = defaultdict(list)
    for deal_id, state in rows(scenario, "select deal_id, state_name from marts.fct_deal_stages "
                                         "order by deal_id, step_number"):
        states[deal_letters[str(deal_id)]].append(state)
    got = {}
    for (deal_id, number, channel, opened, closed, outcome, lost_reason, current, furthest, furthest_order,
         working, visits, back_moves, cycle_days) in rows(
            scenario,
            "select deal_id, deal_number, lead_channel, created_date, closed_date, outcome, lost_reason, "
            "current_state, furthest_state, furthest_state_position, furthest_working_state, state_visits, "
            "back_moves, cycle_days from marts.fct_deals"):
        letter = deal_letters[str(deal_id)]
        got[letter] = {"crm_number": number, "channel": channel, "opened": opened.isoformat(),
                       "closed": closed.isoformat(), "outcome": outcome, "lost_reason": lost_reason,
                       "current_state": current, "furthest_state": furthest, "furthest_order": furthest_order,
                       "furthest_working_state": working, "state_visits": visits, "back_moves": back_moves,
                       "states": states[letter]}
        assert cycle_days == (closed - opened).days
    assert got == FUNNEL["deals"]


def test_reached_by_lead_month(scenario):
    got = dict(rows(scenario, "select state_name, sum(deals_reached)::int from marts.rpt_funnel "
                              "where month_basis = 'lead_month' group by state_name"))
    assert got == FUNNEL["reached"]


def test_channel_economics_for_the_quarter(scenario):
    got = {}
    for source, spend, leads, cpl, deals, won, per_won, revenue, margin, romi in rows(
            scenario,
            "select utm_source, spend, leads, cpl, deals, won_deals, cost_per_won_deal, revenue, gross_margin, "
            "romi_pct from marts.rpt_channel_economics where grain = 'source_total'"):
        got[source] = {"spend": spend, "leads": leads, "cpl": cpl, "deals": deals, "won": won,
                       "cost_per_won_deal": per_won, "won_revenue": revenue, "won_gross_margin": margin,
                       "romi_pct": romi}
    expected = {source: {key: money(value) if key in ("spend", "cpl", "cost_per_won_deal", "won_revenue",
                                                      "won_gross_margin", "romi_pct") else value
                         for key, value in figures.items()}
                for source, figures in FUNNEL["channel_economics"].items()}
    assert got == expected
