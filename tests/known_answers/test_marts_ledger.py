"""The management ledger and the three statements of the scenario company against scenario.yml:
ledger_balances, pnl, pnl_quarter, cashflow and balance (with the per-counterparty detail)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from tests.known_answers.conftest import KNOWN_ANSWERS, money, query

MONTHS = KNOWN_ANSWERS["meta"]["months"]
MONTH_ENDS = KNOWN_ANSWERS["meta"]["month_ends"]
ZERO = Decimal("0.00")


def test_every_posting_balances(scenario):
    rows = query(scenario, """
        select posting_id, sum(debit) as debit, sum(credit) as credit
        from marts.fct_ledger_entries group by posting_id
    """)
    assert rows, "the ledger is empty"
    assert [r for r in rows if r["debit"] != r["credit"]] == []


@pytest.mark.parametrize("month_end", MONTH_ENDS)
def test_ledger_balances(scenario, month_end):
    rows = query(scenario, """
        select account_code, sum(amount) as balance
        from marts.fct_ledger_entries where entry_date <= %(d)s group by account_code
    """, {"d": month_end})
    got = {r["account_code"]: r["balance"] for r in rows}
    expected = {code: money(v) for code, v in KNOWN_ANSWERS["ledger_balances"][month_end].items()}
    assert {code: got.get(code, ZERO) for code in expected} == expected
    # no account outside the expected list carries a balance
    assert {code: b for code, b in got.items() if code not in expected and b != 0} == {}


def _pnl_total(scenario) -> dict[str, dict]:
    rows = query(scenario, """
        select to_char(month, 'YYYY-MM') as month, line, article, fact
        from marts.rpt_pnl where scope = 'total'
    """)
    got: dict[str, dict] = defaultdict(lambda: {"expenses": {}})
    for r in rows:
        if r["line"] == "expenses":
            got[r["month"]]["expenses"][r["article"]] = r["fact"]
        else:
            got[r["month"]][r["line"]] = r["fact"]
    return got


@pytest.mark.parametrize("month", MONTHS)
def test_pnl_every_line(scenario, month):
    got = _pnl_total(scenario)[month]
    expected = KNOWN_ANSWERS["pnl"][month]
    for line, value in expected.items():
        if line == "expenses":
            articles = got["expenses"]
            assert {a: articles.get(a, ZERO) for a in value} == {a: money(v) for a, v in value.items()}
            assert {a: v for a, v in articles.items() if a not in value and v != 0} == {}
        else:
            assert got[line] == money(value), line


def test_pnl_divisions_add_up_to_the_total(scenario):
    rows = query(scenario, """
        select month, line, coalesce(article, '') as article,
               sum(fact) filter (where scope = 'division') as divisions,
               sum(fact) filter (where scope = 'total') as total
        from marts.rpt_pnl group by 1, 2, 3
    """)
    assert [r for r in rows if (r["divisions"] or ZERO) != r["total"]] == []


def test_pnl_quarter(scenario):
    got = _pnl_total(scenario)
    for line, value in KNOWN_ANSWERS["pnl_quarter"].items():
        assert sum(got[m][line] for m in MONTHS) == money(value), line


@pytest.mark.parametrize("month", MONTHS)
def test_cashflow(scenario, month):
    rows = query(scenario, """
        select row_type, section, article, fact
        from marts.rpt_cashflow where to_char(month, 'YYYY-MM') = %(m)s
    """, {"m": month})
    expected = KNOWN_ANSWERS["cashflow"][month]
    company = {r["row_type"]: r["fact"] for r in rows if r["section"] is None}
    for key, row_type in (("opening", "opening"), ("closing", "closing"), ("net_flow", "net_flow"),
                          ("inflows_total", "inflows_total"), ("outflows_total", "outflows_total")):
        assert company[row_type] == money(expected[key]), key
    for direction in ("inflows", "outflows"):
        row_type = direction[:-1]
        got = {r["article"]: r["fact"] for r in rows if r["row_type"] == row_type and r["fact"] != 0}
        assert got == {a: money(v) for a, v in expected[direction].items()}, direction
        # every scenario article is operating (README 1.6)
        assert {r["section"] for r in rows if r["row_type"] == row_type and r["fact"] != 0} <= {"operating"}


@pytest.mark.parametrize("month_end", MONTH_ENDS)
def test_balance_sheet(scenario, month_end):
    rows = query(scenario, "select section, line, amount from marts.rpt_balance_sheet where month_end = %(d)s",
                 {"d": month_end})
    got = {r["line"]: r["amount"] for r in rows}
    expected = KNOWN_ANSWERS["balance"][month_end]
    for section in ("assets", "liabilities", "equity"):
        assert {line: got[line] for line in expected[section]} == {
            line: money(v) for line, v in expected[section].items()}, section
        assert {r["line"] for r in rows if r["section"] == section} == set(expected[section]), section
    for total in ("total_assets", "total_liabilities", "total_equity", "total_liabilities_and_equity"):
        assert got[total] == money(expected[total]), total


@pytest.mark.parametrize("month_end", MONTH_ENDS)
def test_balance_sheet_detail_per_counterparty(scenario, month_end):
    rows = query(scenario, """
        select line, counterparty_name, sum(amount) as amount
        from marts.rpt_balance_sheet_detail where month_end = %(d)s group by 1, 2
    """, {"d": month_end})
    got: dict[str, dict] = defaultdict(dict)
    for r in rows:
        got[r["line"]][r["counterparty_name"]] = r["amount"]
    expected = KNOWN_ANSWERS["balance"][month_end]["detail"]
    assert {line: dict(got.get(line, {})) for line in expected} == {
        line: {name: money(v) for name, v in parts.items()} for line, parts in expected.items()}
    assert set(got) <= set(expected)
