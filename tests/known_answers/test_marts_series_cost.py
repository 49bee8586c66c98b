"""Landed cost of the hand-sized scenario company, through the whole chain: generate → OData → raw
→ dbt. The expected figures are computed by hand from ingestion/demo/scenario.py's story."""

from __future__ import annotations

from decimal import Decimal

from tests.known_answers.conftest import KNOWN_ANSWERS, money, query

# series number -> (quantity, base, transport, packaging, broker, customs fee, duty, landed total)
EXPECTED = {
    # opening stock: 100 × 5,000.00
    "Н-A000002": ("100.000", "500000.00", "0.00", "0.00", "0.00", "0.00", "0.00", "500000.00"),
    # local receipt: 100 × 6,000.00 incl. VAT 20 % → 5,000.00 net each
    "L0000001": ("100.000", "500000.00", "0.00", "0.00", "0.00", "0.00", "0.00", "500000.00"),
    # the pump: 6,000 EUR × 100.00; packaging 100 EUR on the truck = 10,000.00; broker 24,000 incl. VAT
    # 4,000 = 20,000.00; customs fee 3,100.00; duty 5 % of 600,000 = 30,000.00; the carrier's late bill
    # 60,000 incl. VAT 10,000 = 50,000.00 of transport. 600,000 + 50,000 + 10,000 + 20,000 + 3,100 + 30,000.
    "T00001-001": ("1.000", "600000.00", "50000.00", "10000.00", "20000.00", "3100.00", "30000.00", "713100.00"),
}


def test_landed_cost_of_every_series(scenario):
    # series numbers live in staging, which only the transformer reads
    with scenario.as_role("transformer").connect() as conn:
        rows = conn.execute(
            "select s.number, c.quantity, c.base_cost, c.transport_cost, c.packaging_cost, c.broker_cost, "
            "c.customs_fee_cost, c.customs_duty, c.landed_total, c.landed_unit_cost "
            "from marts.fct_series_cost c join staging.stg_onec_trade__series s using (series_id)"
        ).fetchall()
    got = {number: tuple(str(v) for v in values[:-1]) for number, *values in rows}
    assert got == EXPECTED
    unit = {number: values[-1] for number, *values in rows}
    assert unit["T00001-001"] == Decimal("713100.000000")
    assert unit["Н-A000002"] == Decimal("5000.000000")


def test_late_costs_split_and_what_remains(scenario):
    rows = query(scenario, "select s.number, c.late_costs, c.late_costs_to_cogs, c.late_costs_to_stock, "
                           "c.quantity_remaining, c.value_remaining from marts.fct_series_cost c "
                           "join staging.stg_onec_trade__series s using (series_id)")
    today = KNOWN_ANSWERS["meta"]["today"]
    for row in rows:
        expected = KNOWN_ANSWERS["series"][row["number"]]
        late = expected["late_costs"]
        assert row["late_costs"] == sum((money(c["amount"]) for c in late), money("0.00"))
        assert row["late_costs_to_cogs"] == sum((money(c["to_cogs"]) for c in late), money("0.00"))
        assert row["late_costs_to_stock"] == sum((money(c["to_stock"]) for c in late), money("0.00"))
        assert row["quantity_remaining"] == money(expected["remaining_quantity"][today])
        assert row["value_remaining"] == money(expected["remaining_value"][today])
