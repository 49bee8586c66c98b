"""Property-based: well over a thousand generated bad records, mixed with good ones, through the real loader.

Every bad record is rejected into ops.rejects with the field and the reason its one fault deserves; every
good record loads exactly as sent (arbitrary Unicode text included: tabs, newlines, backslashes, quotes);
rows read = loaded + rejected in the counts and in ops.load_audit."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.loader.batch import Batch
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table
from ingestion.loader.ops_schema import ensure_raw_table

SHIPMENTS = onec_table("Document_РеализацияТоваровУслуг")
LINES = SHIPMENTS.children[0]
ITEMS = onec_table("Catalog_Номенклатура")
ITEM_KEYS = [str(uuid.uuid5(uuid.NAMESPACE_OID, f"reliability/item/{n}")) for n in range(5)]
EXAMPLES = 24
BAD_PER_EXAMPLE = (45, 60)  # at least 24 * 45 = 1080 bad records in all

# Text PostgreSQL can store (no U+0000, no lone surrogates), with the characters COPY text must escape.
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00") | st.sampled_from("\t\n\r\\'\"ЖЁ№"),
              max_size=20)
GARBAGE = TEXT.map(lambda s: "Ж" + s)  # never a valid uuid, timestamp, number or boolean
EPOCH = datetime(1990, 1, 1)
DATES = st.integers(0, 3_500_000_000).map(lambda s: (EPOCH + timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%S"))
AMOUNTS = st.integers(-10**11, 10**11).map(lambda kopecks: kopecks / 100)  # as 1C's JSON sends them: floats
QUANTITIES = st.integers(0, 10**9).map(lambda grams: grams / 1000)
LINE = st.fixed_dictionaries({"Номенклатура_Key": st.sampled_from(ITEM_KEYS), "Количество": QUANTITIES,
                              "Цена": AMOUNTS, "Сумма": AMOUNTS, "СтавкаНДС": TEXT})
GOOD = st.fixed_dictionaries({"DataVersion": TEXT, "DeletionMark": st.booleans(), "Date": DATES,
                              "Posted": st.booleans(), "СуммаДокумента": AMOUNTS, "Комментарий": TEXT,
                              "lines": st.lists(LINE, max_size=3)})


def good_record(n: int, fields: dict) -> dict:
    ref = str(uuid.UUID(int=n + 1))  # the batch's record n: keys and numbers unique within the batch
    lines = fields.pop("lines")
    return {"Ref_Key": ref, "Number": f"Н-{n}", **fields,
            "Товары": [{"Ref_Key": ref, "LineNumber": i + 1, **line} for i, line in enumerate(lines)]}


def _line_fault(draw, record: dict, field: str, value) -> tuple[str, str]:
    if not record["Товары"]:
        record["Товары"].append({"Ref_Key": record["Ref_Key"], "LineNumber": 1, "Количество": 1.0})
    line = draw(st.sampled_from(record["Товары"]))
    line[field] = value
    return f"Товары[{line['LineNumber']}].{field}", value


FAULTS = st.sampled_from(["empty_date", "missing_date", "bad_date", "bad_key", "missing_key", "bad_amount",
                          "comma_amount", "bad_bool", "negative_qty", "bad_qty", "missing_item", "bad_item_key",
                          "bad_line_number", "duplicate_number"])


def plain_record(n: int) -> dict:
    """A good record without drawing anything: bad records vary in their fault, good ones in everything."""
    ref = str(uuid.UUID(int=n + 1))
    return {"Ref_Key": ref, "DataVersion": "v1", "DeletionMark": False, "Number": f"Н-{n}",
            "Date": f"{2000 + n % 30}-03-01T10:00:00", "Posted": True, "СуммаДокумента": 10.5,
            "Товары": [{"Ref_Key": ref, "LineNumber": i, "Номенклатура_Key": ITEM_KEYS[i], "Количество": 1.5}
                       for i in range(1, 1 + n % 3)]}


@st.composite
def bad_record(draw, n: int, earlier_good: list[dict]) -> tuple[dict, str, str]:
    """A good record with exactly one fault: (record, field, start of the expected reason)."""
    record = plain_record(n)
    fault = draw(FAULTS)
    if fault == "empty_date":
        record["Date"] = "0001-01-01T00:00:00"
        return record, "Date", "empty value 0001-01-01T00:00:00 in a required field"
    if fault == "missing_date":
        del record["Date"]
        return record, "Date", "required value is missing"
    if fault == "bad_date":
        record["Date"] = draw(GARBAGE)
        return record, "Date", "not a valid timestamp: "
    if fault == "bad_key":
        record["Ref_Key"] = draw(GARBAGE)
        return record, "Ref_Key", "not a valid uuid: "
    if fault == "missing_key":
        record["Ref_Key"] = None
        return record, "Ref_Key", "required value is missing"
    if fault == "bad_amount":
        record["СуммаДокумента"] = draw(GARBAGE)
        return record, "СуммаДокумента", "not a valid numeric: "
    if fault == "comma_amount":  # a Russian decimal comma where a point belongs
        record["СуммаДокумента"] = f"{draw(st.integers(0, 10**6))},{draw(st.integers(0, 99)):02d}"
        return record, "СуммаДокумента", "not a valid numeric: "
    if fault == "bad_bool":
        record["Posted"] = draw(GARBAGE)
        return record, "Posted", "not a valid boolean: "
    if fault == "negative_qty":
        qty = -draw(st.integers(1, 10**9)) / 1000
        return record, _line_fault(draw, record, "Количество", qty)[0], "negative value: "
    if fault == "bad_qty":
        return record, _line_fault(draw, record, "Количество", draw(GARBAGE))[0], "not a valid numeric: "
    if fault == "missing_item":
        missing = str(draw(st.uuids()))
        return record, _line_fault(draw, record, "Номенклатура_Key", missing)[0], "reference to a missing raw."
    if fault == "bad_item_key":
        return record, _line_fault(draw, record, "Номенклатура_Key", draw(GARBAGE))[0], "not a valid uuid: "
    if fault == "bad_line_number":
        field, value = _line_fault(draw, record, "LineNumber", draw(GARBAGE))
        return record, f"Товары[{value}].LineNumber", "not a valid integer: "
    # duplicate_number: another document already took this number in the same year
    if not earlier_good:
        record["Date"] = "0001-01-01T00:00:00"
        return record, "Date", "empty value 0001-01-01T00:00:00 in a required field"
    victim = draw(st.sampled_from(earlier_good))
    record["Number"] = victim["Number"]
    record["Date"] = victim["Date"][:4] + record["Date"][4:].replace("-02-29", "-02-28")
    return record, "Number", f"duplicate document: number {victim['Number']} is already used in"


@st.composite
def mixed_batch(draw) -> tuple[list[dict], list[tuple[dict, str, str]], list[dict]]:
    """(records in load order, the bad ones with their expected field and reason, the good ones)."""
    goods = [good_record(n, fields) for n, fields in enumerate(draw(st.lists(GOOD, min_size=3, max_size=12)))]
    bads = []
    for n in range(len(goods), len(goods) + draw(st.integers(*BAD_PER_EXAMPLE))):
        bads.append(draw(bad_record(n, goods)))
    # Bad ones after the good ones they may duplicate; the order among them is free.
    order = draw(st.permutations(range(len(bads))))
    return goods + [bads[i][0] for i in order], bads, goods


@pytest.fixture
def loader(warehouse):
    loader = warehouse.as_role("loader")
    with loader.connect(autocommit=True) as conn:
        for table in (SHIPMENTS, *SHIPMENTS.children, *map(onec_table, REFERENCE_TARGETS.values())):
            conn.execute(f"drop table if exists {table.qualified} cascade")
        ensure_raw_table(conn, SHIPMENTS)
    with Batch(loader, source="onec_trade", mode="full") as batch:  # the catalog lines may refer to
        for n, key in enumerate(ITEM_KEYS):
            batch.add(ITEMS, {"Ref_Key": key, "DataVersion": "v1", "DeletionMark": False, "Code": str(n),
                              "Description": f"Товар {n}"})
    return loader


def test_a_thousand_generated_bad_records_are_rejected_with_reasons_and_the_good_ones_load(loader):
    totals = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(mixed_batch())
    def check(batch_data):
        records, bads, goods = batch_data
        with loader.connect(autocommit=True) as conn:  # each example on its own: no key or number left over
            conn.execute(f"truncate {SHIPMENTS.qualified}, {LINES.qualified}")
        with Batch(loader, source="onec_trade", mode="full") as batch:
            for record in records:
                batch.add(SHIPMENTS, record)
        counts = batch.counts[SHIPMENTS.entity]
        assert (counts.read, counts.loaded, counts.rejected) == (len(records), len(goods), len(bads))

        with loader.connect() as conn:
            loaded = conn.execute(f'select "Ref_Key"::text, "DataVersion", "Number", "Комментарий", '
                                  f'"СуммаДокумента" from {SHIPMENTS.qualified} where _batch_id = %s',
                                  (batch.batch_id,)).fetchall()
            lines = conn.execute(f"select count(*) from {LINES.qualified} where _batch_id = %s",
                                 (batch.batch_id,)).fetchone()
            rejects = conn.execute("select record_key, field, reason, payload from ops.rejects "
                                   "where batch_id = %s", (batch.batch_id,)).fetchall()
            audit = conn.execute("select rows_read, rows_loaded, rows_rejected, status from ops.load_audit "
                                 "where batch_id = %s and entity = %s", (batch.batch_id, SHIPMENTS.entity)).fetchone()

        # The good ones, exactly as sent.
        assert sorted(loaded) == sorted((g["Ref_Key"], g["DataVersion"], g["Number"], g["Комментарий"],
                                         Decimal(repr(g["СуммаДокумента"]))) for g in goods)
        assert lines[0] == sum(len(g["Товары"]) for g in goods)
        # The bad ones, each with the field of its fault and the reason.
        expected = Counter((_key(r), field) for r, field, _ in bads)
        assert Counter((key, field) for key, field, _, _ in rejects) == expected
        reasons = {(_key(r), field): reason for r, field, reason in bads}
        for key, field, reason, _ in rejects:
            assert reason.startswith(reasons[(key, field)]), (key, field, reason)
        # The whole record is kept with its reject, lines included.
        assert Counter(p["Number"] for *_, p in rejects) == Counter(r["Number"] for r, _, _ in bads)
        assert sum(len(p["Товары"]) for *_, p in rejects) == sum(len(r["Товары"]) for r, _, _ in bads)
        assert audit == (len(records), len(goods), len(bads), "succeeded")
        totals["read"] += counts.read
        totals["bad"] += len(bads)
        totals["good"] += len(goods)

    check()
    assert totals["bad"] >= 1000, totals


def _key(record: dict) -> str:
    return "" if record.get("Ref_Key") is None else str(record["Ref_Key"])


def test_non_finite_amounts_and_symbolic_dates_are_rejected(loader):
    records = [
        {"Ref_Key": str(uuid.UUID(int=1)), "Date": "2025-01-01T00:00:00", "СуммаДокумента": float("nan")},
        {"Ref_Key": str(uuid.UUID(int=2)), "Date": "2025-01-01T00:00:00", "СуммаДокумента": float("inf")},
        {"Ref_Key": str(uuid.UUID(int=3)), "Date": "tomorrow", "СуммаДокумента": 1.0},
        {"Ref_Key": str(uuid.UUID(int=4)), "Date": "infinity", "СуммаДокумента": 1.0},
    ]
    with Batch(loader, source="onec_trade", mode="full") as batch:
        for record in records:
            batch.add(SHIPMENTS, record)
    assert batch.counts[SHIPMENTS.entity].rejected == len(records)
