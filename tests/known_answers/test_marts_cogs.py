"""Cost of goods sold and overhead of the scenario company against scenario.yml sections 2 and 3."""

from __future__ import annotations

from tests.known_answers.conftest import KNOWN_ANSWERS, money, query

DEAL_BY_CRM_NUMBER = {deal["crm_number"]: letter for letter, deal in KNOWN_ANSWERS["deals"].items()}

COGS_SQL = """
select c.kind, c.document_type || ' ' || c.document_number as document, c.document_date::text, c.month,
       c.line_number, o.document_number as order_number, d.document_number as deal_number,
       dv.name as division, i.code as item_code, s.number as series, c.resolution, c.quantity, c.revenue,
       c.unit_cost, c.cost, c.overhead, c.is_beyond_stock
from marts.fct_cogs_lines as c
left join staging.stg_onec_trade__customer_orders as o on o.customer_order_id = c.customer_order_id
left join staging.stg_onec_crm__deals as d on d.deal_id = c.deal_id
left join staging.stg_onec_trade__divisions as dv on dv.division_id = c.division_id
left join staging.stg_onec_trade__items as i on i.item_id = c.item_id
left join staging.stg_onec_trade__series as s on s.series_id = c.series_id
"""


def test_every_cogs_line_matches(scenario):
    got = {}
    for row in query(scenario, COGS_SQL):
        key = (row["kind"], row["document"], row["line_number"], row["series"])
        assert key not in got, f"two cost lines for {key}"
        assert row["is_beyond_stock"] is False, f"{key} flagged beyond stock"
        got[key] = {
            "date": row["document_date"], "month": row["month"].strftime("%Y-%m"),
            "order": f"ЗаказКлиента {row['order_number']}", "deal": DEAL_BY_CRM_NUMBER.get(row["deal_number"]),
            "division": row["division"], "item_code": row["item_code"], "resolution": row["resolution"],
            "quantity": row["quantity"], "revenue": row["revenue"], "unit_cost": row["unit_cost"],
            "cost": row["cost"], "overhead": row["overhead"],
        }
    expected = {}
    for line in KNOWN_ANSWERS["cogs_lines"]:
        key = (line["kind"], line["document"], line["line"], line["series"])
        expected[key] = {
            "date": line["date"], "month": line["month"], "order": line["order"], "deal": line["deal"],
            "division": line["division"], "item_code": line["item_code"], "resolution": line["resolution"],
            "quantity": money(line["quantity"]), "revenue": money(line["revenue"]),
            "unit_cost": money(line["unit_cost"]), "cost": money(line["cost"]), "overhead": money(line["overhead"]),
        }
    assert got == expected


def test_overhead_allocation_matches(scenario):
    rows = query(scenario, """
        select a.month, 'ПрочиеРасходы ' || a.document_number as document, a.article_name as article,
               dv.name as division, a.driver, a.fallback,
               c.document_type || ' ' || c.document_number || '/' || c.line_number || '/' || s.number as target,
               a.amount
        from marts.fct_overhead_allocation as a
        left join staging.stg_onec_trade__divisions as dv using (division_id)
        left join marts.fct_cogs_lines as c using (cogs_line_id)
        left join staging.stg_onec_trade__series as s on s.series_id = c.series_id
    """)
    got = sorted((r["month"].strftime("%Y-%m"), r["document"], r["article"], r["division"], r["driver"],
                  r["fallback"], r["target"] or "", r["amount"]) for r in rows)
    expected = sorted((a["month"], a["document"], a["article"], a["division"], a["driver"], a["fallback"],
                       a["target"] or "", money(a["amount"])) for a in KNOWN_ANSWERS["overhead_allocation"])
    assert got == expected

    totals = KNOWN_ANSWERS["overhead_totals"]
    for month in KNOWN_ANSWERS["meta"]["months"]:
        in_month = [r for r in rows if r["month"].strftime("%Y-%m") == month]
        assert sum(r["amount"] for r in in_month) == money(totals["accrued"][month])
        assert sum(r["amount"] for r in in_month if r["target"]) == money(totals["allocated"][month])
        assert sum(r["amount"] for r in in_month if not r["target"]) == money(totals["unallocated"][month])
