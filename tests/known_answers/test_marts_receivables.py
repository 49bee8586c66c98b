"""Receivables, settlements, collections and payables of the scenario company against scenario.yml:
'ageing' (every month end), 'settlements', 'collection_reminders' and the settlement detail of 'balance'."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.conftest import run_dbt
from tests.known_answers.conftest import KNOWN_ANSWERS, money, query

MONTH_ENDS = KNOWN_ANSWERS["meta"]["month_ends"]

OPEN_ITEMS_SQL = """
select f.item_kind, cp.name as counterparty, k.number as contract, o.document_number as order_number,
       f.document_type, f.document_number, f.document_date::text, f.due_date::text, f.original_amount,
       f.open_amount, f.days_overdue, f.bucket
from marts.fct_receivables_open_items as f
left join staging.stg_onec_trade__counterparties as cp on cp.counterparty_id = f.counterparty_id
left join staging.stg_onec_trade__contracts as k on k.contract_id = f.contract_id
left join staging.stg_onec_trade__customer_orders as o on o.customer_order_id = f.customer_order_id
where f.as_of_date = %s
"""

PAYABLES_SQL = """
select f.account_code, cp.name as counterparty, f.contract_id, f.supplier_order_id, sum(f.open_amount) as balance
from marts.fct_payables_open_items as f
join staging.stg_onec_trade__counterparties as cp on cp.counterparty_id = f.counterparty_id
where f.as_of_date = %s
group by 1, 2, 3, 4
"""


def order_name(number: str | None) -> str | None:
    return None if number is None else f"ЗаказКлиента {number}"


@pytest.mark.parametrize("as_of", MONTH_ENDS)
def test_open_items_and_advances_received(scenario, as_of):
    expected = KNOWN_ANSWERS["ageing"][as_of]
    rows = query(scenario, OPEN_ITEMS_SQL, (as_of,))
    got_items = sorted(
        (
            {
                "counterparty": r["counterparty"],
                "contract": r["contract"],
                "order": order_name(r["order_number"]),
                "document": f"{r['document_type']} {r['document_number']}",
                "document_date": r["document_date"],
                "due_date": r["due_date"],
                "original": r["original_amount"],
                "open": r["open_amount"],
                "days_overdue": r["days_overdue"],
                "bucket": r["bucket"],
            }
            for r in rows
            if r["item_kind"] == "open_item"
        ),
        key=lambda item: item["document"],
    )
    want_items = sorted(
        ({**item, "original": money(item["original"]), "open": money(item["open"])} for item in expected["open_items"]),
        key=lambda item: item["document"],
    )
    assert got_items == want_items

    got_advances = sorted(
        (r["counterparty"], r["contract"], order_name(r["order_number"]), -r["open_amount"])
        for r in rows
        if r["item_kind"] == "advance"
    )
    want_advances = sorted(
        (a["counterparty"], a["contract"], a["order"], money(a["amount"])) for a in expected["advances_received"]
    )
    assert got_advances == want_advances


@pytest.mark.parametrize("as_of", MONTH_ENDS)
def test_ageing_buckets_and_totals(scenario, as_of):
    expected = KNOWN_ANSWERS["ageing"][as_of]
    buckets = list(expected["buckets"])
    sums = ", ".join(f"coalesce(sum({b}), 0) as {b}" for b in buckets)
    (row,) = query(
        scenario,
        f"select {sums}, coalesce(sum(open_total), 0) as open_total,"
        " coalesce(sum(advances_total), 0) as advances_total, coalesce(sum(net_balance), 0) as net_balance"
        " from marts.rpt_receivables_ageing where as_of_date = %s",
        (as_of,),
    )
    assert {b: row[b] for b in buckets} == {b: money(v) for b, v in expected["buckets"].items()}
    assert row["open_total"] == money(expected["open_total"])
    assert row["advances_total"] == money(expected["advances_total"])
    assert row["net_balance"] == money(expected["net_customer_balance"])


def test_as_of_macro_on_a_mid_month_date(scenario):
    """The macro the marts are built from, for a date between month ends: 2025-02-12, after B2's return
    (720,000 − 120,000 = 600,000 open, due 02-19) with B1 (960,000, due 01-31) 12 days overdue, and Альфа's
    advance of 360,000 not yet applied (the pump ships on 02-14)."""
    sql = (
        "select item_kind, document_type || ' ' || document_number as document, open_amount::text as open_amount,"
        " days_overdue, bucket_code from {{ receivables_as_of(\"'2025-02-12'::date\") }}"
    )
    result = run_dbt("show", "--quiet", "--output", "json", "--limit", "100", "--inline", sql)
    rows = json.loads(result.stdout[result.stdout.index("{") :])["show"]
    got = sorted((r["item_kind"], r["document"], r["open_amount"], r["days_overdue"], r["bucket_code"]) for r in rows)
    assert got == [
        ("advance", "ПоступлениеБезналичныхДенежныхСредств ТИ00-000001", "-360000.00", None, None),
        ("open_item", "РеализацияТоваровУслуг ТИ00-000002", "960000.00", 12, "d001_030"),
        ("open_item", "РеализацияТоваровУслуг ТИ00-000003", "600000.00", -7, "not_due"),
    ]


def test_settlements(scenario):
    rows = query(
        scenario,
        """
        select a.credit_kind, a.credit_document_type || ' ' || a.credit_document_number as credit,
               a.credit_line_number, a.credit_date::text, a.item_document_type || ' ' || a.item_document_number as item,
               o.document_number as order_number, a.amount, a.applied_on::text
        from intermediate.int_receivable_applications as a
        left join staging.stg_onec_trade__customer_orders as o on o.customer_order_id = a.item_customer_order_id
        """,
    )
    assert all(r["credit_kind"] != "advance" for r in rows), "an advance is left unapplied at today"
    got = [
        (
            r["credit"],
            r["credit_line_number"],
            r["credit_date"],
            r["item"],
            order_name(r["order_number"]),
            r["amount"],
            r["applied_on"],
            r["credit_kind"],
        )
        for r in rows
    ]
    expected = []
    advances = []  # (counterparty, order, document, date, amount left)
    for s in KNOWN_ANSWERS["settlements"]:
        document, line = s["document"], None
        if m := re.fullmatch(r"(.*) line (\d+)", document):
            document, line = m.group(1), int(m.group(2))
        if s["applied_to"] is None:
            advances.append([s["counterparty"], s["order"], document, line, s["date"], money(s["advance"])])
            continue
        if money(s["advance"]) < 0:  # an advance applied automatically on the shipment's date
            adv = next(a for a in advances if a[0] == s["counterparty"] and a[1] == s["order"] and a[5] > 0)
            adv[5] -= money(s["amount"])
            expected.append(
                (adv[2], adv[3], adv[4], s["applied_to"], s["order"], money(s["amount"]), s["date"], "advance_applied")
            )
        else:
            kind = "return" if document.startswith("ВозвратТоваровОтКлиента") else "payment"
            expected.append(
                (document, line, s["date"], s["applied_to"], s["order"], money(s["amount"]), s["date"], kind)
            )
    remaining = list(got)
    for want in expected:
        match = next(
            (g for g in remaining if g[0] == want[0] and (want[1] is None or g[1] == want[1]) and g[2:] == want[2:]),
            None,
        )
        assert match is not None, f"no application {want} in {remaining}"
        remaining.remove(match)
    assert remaining == []


def test_collection_reminders(scenario):
    rows = query(
        scenario,
        """
        select r.document_type || ' ' || r.document_number as document, cp.name as counterparty,
               r.reminder_date::text as date, r.open_amount, r.manager_name
        from marts.fct_collection_reminders as r
        join staging.stg_onec_trade__counterparties as cp on cp.counterparty_id = r.counterparty_id
        """,
    )
    assert all(r["manager_name"] for r in rows), "a reminder without a responsible manager"
    got = sorted((r["document"], r["counterparty"], r["date"], r["open_amount"]) for r in rows)
    want = sorted(
        (c["document"], c["counterparty"], c["date"], money(c["open"])) for c in KNOWN_ANSWERS["collection_reminders"]
    )
    assert got == want


@pytest.mark.parametrize("as_of", MONTH_ENDS)
def test_settlement_balances_per_counterparty(scenario, as_of):
    """Keys netted within themselves: a supplier key in credit is payables (2100) or other payables (2200), in
    debit an advance paid; a customer key in debit is receivables, in credit an advance received."""
    detail = KNOWN_ANSWERS["balance"][as_of]["detail"]
    got: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in query(scenario, PAYABLES_SQL, (as_of,)):
        if r["balance"] > 0:
            got["payables" if r["account_code"] == "2100" else "other_payables"][r["counterparty"]] += r["balance"]
        elif r["balance"] < 0:
            got["advances_paid"][r["counterparty"]] -= r["balance"]
    for r in query(
        scenario,
        "select cp.name as counterparty, sum(f.open_amount) as balance from marts.fct_receivables_open_items as f"
        " join staging.stg_onec_trade__counterparties as cp on cp.counterparty_id = f.counterparty_id"
        " where f.as_of_date = %s group by cp.name, f.contract_id, f.customer_order_id",
        (as_of,),
    ):
        if r["balance"] > 0:
            got["receivables"][r["counterparty"]] += r["balance"]
        elif r["balance"] < 0:
            got["advances_received"][r["counterparty"]] -= r["balance"]
    for section in ("payables", "advances_paid", "other_payables", "receivables", "advances_received"):
        assert dict(got[section]) == {k: money(v) for k, v in detail[section].items()}, section
