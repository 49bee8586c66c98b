"""The batch loader on a real PostgreSQL: typed upserts, rejects with reasons, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest

from ingestion.loader.batch import Batch
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table

SHIPMENTS = onec_table("Document_РеализацияТоваровУслуг")
G = "00000000-0000-0000-0000-00000000000{}".format


def shipment(n: int, *, version: str = "v1", date: str = "2025-03-01T10:00:00", lines=((2, 150.5),), **extra) -> dict:
    doc = {
        "Ref_Key": G(n), "DataVersion": version, "DeletionMark": False, "Number": f"00-{n}", "Date": date,
        "Posted": True, "Контрагент_Key": G(9), "СуммаДокумента": sum(q * p for q, p in lines),
        "Товары": [{"LineNumber": i + 1, "Номенклатура_Key": G(8), "Количество": q, "Цена": p, "Сумма": q * p}
                   for i, (q, p) in enumerate(lines)],
    }
    return {**doc, **extra}


@pytest.fixture
def loader(warehouse, restore_raw_tables):
    conn = warehouse.as_role("loader")
    with conn.connect(autocommit=True) as c:
        for table in (SHIPMENTS, *SHIPMENTS.children, *map(onec_table, REFERENCE_TARGETS.values())):
            c.execute(f"drop table if exists raw.{table.table} cascade")  # no catalogs: references go unchecked
    return conn


def load(loader, *records, deletes=()):
    with Batch(loader, source="onec_trade", mode="full") as batch:
        for record in records:
            batch.add(SHIPMENTS, record)
        for key in deletes:
            batch.delete(SHIPMENTS, {"Ref_Key": key})
    return batch


def rows(loader, sql, *params):
    with loader.connect() as c:
        return c.execute(sql, params).fetchall()


def test_good_records_load_typed_and_bad_ones_are_rejected_with_field_and_reason(loader):
    batch = load(
        loader,
        shipment(1),
        shipment(2, date="0001-01-01T00:00:00"),
        shipment(3, lines=((1, 10.0), (-4, 10.0))),
        shipment(4, **{"Контрагент_Key": "not-a-guid"}),
    )
    counts = batch.counts[SHIPMENTS.entity]
    assert (counts.read, counts.loaded, counts.rejected, counts.lines) == (4, 1, 3, 1)

    (doc,) = rows(loader,
                  'select "Ref_Key"::text, "Date", "СуммаДокумента" from raw.document_realizatsiya_tovarov_uslug')
    assert doc[0] == G(1) and doc[1].isoformat() == "2025-03-01T10:00:00"
    assert doc[2] == Decimal("301.0")  # numeric, exactly as sent
    rejects = {r[0]: r[1:] for r in rows(
        loader, "select record_key, field, reason, payload from ops.rejects where batch_id = %s", batch.batch_id)}
    assert rejects[G(2)][:2] == ("Date", "empty value 0001-01-01T00:00:00 in a required field")
    assert rejects[G(3)][:2] == ("Товары[2].Количество", "negative value: -4")
    assert rejects[G(4)][:2] == ("Контрагент_Key", "not a valid uuid: not-a-guid")
    assert [line["Количество"] for line in rejects[G(3)][2]["Товары"]] == ["1", "-4"]  # the whole payload is kept

    (audit,) = rows(loader, "select rows_read, rows_loaded, rows_rejected, status from ops.load_audit "
                            "where batch_id = %s", batch.batch_id)
    assert audit == (4, 1, 3, "succeeded")


def test_reloading_changes_nothing_and_a_new_version_replaces_the_old_with_its_lines(loader):
    load(loader, shipment(1), shipment(2, lines=((1, 5.0), (2, 5.0))))
    load(loader, shipment(1), shipment(2, lines=((1, 5.0), (2, 5.0))))
    count = 'select count(*) from raw.document_realizatsiya_tovarov_uslug'
    lines = 'select count(*) from raw.document_realizatsiya_tovarov_uslug__tovary'
    assert rows(loader, count) == [(2,)] and rows(loader, lines) == [(3,)]

    load(loader, shipment(2, version="v2", lines=((7, 5.0),)))  # re-posted with one line
    assert rows(loader, lines) == [(2,)]
    assert rows(loader, 'select "DataVersion", "СуммаДокумента" from raw.document_realizatsiya_tovarov_uslug '
                        'where "Ref_Key" = %s', G(2)) == [("v2", Decimal("35.0"))]


def test_deleted_objects_leave_with_their_lines(loader):
    load(loader, shipment(1), shipment(2))
    batch = load(loader, deletes=[G(1)])
    assert batch.counts[SHIPMENTS.entity].deleted == 1
    assert rows(loader, 'select "Ref_Key"::text from raw.document_realizatsiya_tovarov_uslug') == [(G(2),)]
    assert rows(loader, 'select count(*) from raw.document_realizatsiya_tovarov_uslug__tovary') == [(1,)]


def test_a_duplicate_in_one_batch_is_rejected_and_the_later_copy_wins(loader):
    batch = load(loader, shipment(1, version="old"), shipment(1, version="new"))
    counts = batch.counts[SHIPMENTS.entity]
    assert (counts.read, counts.loaded, counts.rejected) == (2, 1, 1)
    assert rows(loader, 'select "DataVersion" from raw.document_realizatsiya_tovarov_uslug') == [("new",)]
    assert "duplicate" in rows(loader, "select reason from ops.rejects where batch_id = %s", batch.batch_id)[0][0]


def test_unreadable_records_are_kept_as_rejects(loader):
    with Batch(loader, source="onec_trade", mode="full") as batch:
        batch.add(SHIPMENTS, shipment(1))
        batch.reject(SHIPMENTS, record_key="$skip=100", field=None, reason="invalid JSON: unterminated string",
                     payload='{"Ref_Key": "0000')
    counts = batch.counts[SHIPMENTS.entity]
    assert (counts.read, counts.loaded, counts.rejected) == (2, 1, 1)


def test_a_failed_batch_leaves_the_previous_data_and_says_so(loader):
    load(loader, shipment(1, version="good"))
    with pytest.raises(RuntimeError, match="connection dropped"), Batch(loader, source="onec_trade",
                                                                         mode="full") as batch:
        batch.add(SHIPMENTS, shipment(1, version="never"))
        raise RuntimeError("connection dropped")
    assert rows(loader, 'select "DataVersion" from raw.document_realizatsiya_tovarov_uslug') == [("good",)]
    assert rows(loader, "select status, error from ops.load_audit where batch_id = %s", batch.batch_id) == [
        ("failed", "RuntimeError: connection dropped")]


def test_a_reference_to_a_missing_catalog_item_is_rejected(loader):
    items = onec_table("Catalog_Номенклатура")
    with Batch(loader, source="onec_trade", mode="full") as batch:
        batch.add(items, {"Ref_Key": G(8), "DataVersion": "v1", "DeletionMark": False, "Code": "1",
                          "Description": "Насос"})
    batch = load(loader, shipment(1), shipment(2, lines=((1, 5.0),)) | {"Товары": [
        {"LineNumber": 1, "Номенклатура_Key": G(7), "Количество": 1, "Цена": 5.0, "Сумма": 5.0}]})
    assert batch.counts[SHIPMENTS.entity].rejected == 1
    assert rows(loader, "select record_key, field, reason from ops.rejects where batch_id = %s", batch.batch_id) == [
        (G(2), "Товары[1].Номенклатура_Key", f"reference to a missing raw.{items.table}: {G(7)}")]


def page(*records) -> bytes:
    """A standard OData JSON page, as 1C sends it."""
    return orjson.dumps({"odata.metadata": "http://1c/odata/standard.odata/$metadata#Document", "value": records})


RULE_BREAKERS = (
    shipment(1),
    shipment(2, date="0001-01-01T00:00:00"),  # the empty date in a required field
    shipment(3, lines=((1, 10.0), (-4, 10.0))),  # a negative quantity on line 2
    shipment(5, **{"Date": None}),  # a required value missing
    shipment(6, version="old"),
    shipment(6, version="new"),  # the later copy wins
    shipment(7, **{"Number": "00-1"}),  # another document's number in the same year
)


def judged(loader, batch) -> tuple:
    counts = batch.counts[SHIPMENTS.entity]
    rejects = rows(loader, "select record_key, field, reason from ops.rejects where batch_id = %s "
                           "order by record_key, reason", batch.batch_id)
    loaded = rows(loader, 'select "Ref_Key"::text, "DataVersion", "Date", "СуммаДокумента" '
                          'from raw.document_realizatsiya_tovarov_uslug order by 1')
    lines = rows(loader, 'select "Ref_Key"::text, "LineNumber", "Количество", "Цена" '
                         'from raw.document_realizatsiya_tovarov_uslug__tovary order by 1, 2')
    return (counts.read, counts.loaded, counts.rejected, counts.lines), rejects, loaded, lines


def test_pages_are_judged_and_loaded_exactly_like_records(loader):
    by_record = judged(loader, load(loader, *RULE_BREAKERS))
    with Batch(loader, source="onec_trade", mode="full") as batch:
        assert batch.add_page(SHIPMENTS, page(*RULE_BREAKERS[:3])) == 3
        assert batch.add_page(SHIPMENTS, page(*RULE_BREAKERS[3:])) == 4
    by_page = judged(loader, batch)
    assert by_page == by_record
    assert by_page[0] == (7, 2, 5, 2)
    assert [r[1:] for r in by_page[1]] == [
        ("Date", "empty value 0001-01-01T00:00:00 in a required field"),
        ("Товары[2].Количество", "negative value: -4"),
        ("Date", "required value is missing"),
        ("Ref_Key", "duplicate: a later copy of the same record in this batch (row 6) supersedes it"),
        ("Number", "duplicate document: number 00-1 is already used in 2025 by another document"),
    ]


def test_a_value_of_the_wrong_type_sends_the_batch_to_the_value_by_value_judge_with_the_same_verdicts(loader):
    """Clean batches are cast whole; one wrong value makes the batch judged value by value, same outcome."""
    clean = judged(loader, load(loader, *RULE_BREAKERS))
    wrong = shipment(4, **{"Контрагент_Key": "not-a-guid"})
    batch = load(loader, *RULE_BREAKERS, wrong)
    counts, rejects, loaded, lines = judged(loader, batch)
    assert (counts, loaded, lines) == ((8, 2, 6, 2), clean[2], clean[3])
    assert [r for r in rejects if r[0] != G(4)] == clean[1]
    assert (G(4), "Контрагент_Key", "not a valid uuid: not-a-guid") in rejects


def test_a_page_the_database_cannot_read_leaves_nothing_and_the_batch_goes_on(loader):
    with Batch(loader, source="onec_trade", mode="full") as batch:
        assert batch.add_page(SHIPMENTS, page(shipment(1))[:-40]) is None  # cut short
        assert batch.add_page(SHIPMENTS, b'{"odata.error": {"code": "-1"}}') is None  # no value array
        assert batch.add_page(SHIPMENTS, page(shipment(4, **{"Number": "00-4\x00"}))) is None  # jsonb refuses \u0000
        assert batch.add_page(SHIPMENTS, page(shipment(2))) == 1
        batch.add(SHIPMENTS, shipment(3))  # records and pages mix in one batch
    counts = batch.counts[SHIPMENTS.entity]
    assert (counts.read, counts.loaded, counts.lines) == (2, 2, 2)
    assert rows(loader, 'select "Ref_Key"::text from raw.document_realizatsiya_tovarov_uslug order by 1') == [
        (G(2),), (G(3),)]


def test_a_failed_batch_of_pages_leaves_the_previous_data(loader):
    load(loader, shipment(1, version="good"))
    with pytest.raises(RuntimeError, match="source went away"), Batch(loader, source="onec_trade",
                                                                       mode="full") as batch:
        batch.add_page(SHIPMENTS, page(shipment(1, version="never"), shipment(2)))
        raise RuntimeError("source went away")
    assert rows(loader, 'select "DataVersion" from raw.document_realizatsiya_tovarov_uslug') == [("good",)]
    assert rows(loader, "select status from ops.load_audit where batch_id = %s", batch.batch_id) == [("failed",)]


def test_a_load_that_changes_much_of_a_table_analyzes_it_and_a_small_one_leaves_it_to_autovacuum(loader):
    """The models are built right after a load: a first load (or one rewriting a tenth of the table) leaves
    planner statistics, so the build does not plan on none; an hour's few changes do not pay for an analyze."""
    def analyses(table: str) -> int:
        with loader.connect() as c:
            return c.execute("select coalesce(max(analyze_count), 0) from pg_stat_user_tables "
                             "where schemaname = 'raw' and relname = %s", (table,)).fetchone()[0]

    lines = SHIPMENTS.children[0].table
    load(loader, *(shipment(n) | {"Ref_Key": f"00000000-0000-0000-0000-{n:012d}", "Number": f"00-{n}"}
                   for n in range(1, 101)))
    assert (analyses(SHIPMENTS.table), analyses(lines)) == (1, 1)
    with loader.connect() as c:
        assert c.execute("select reltuples from pg_class where relname = %s", (SHIPMENTS.table,)).fetchone()[0] == 100
    load(loader, shipment(1, version="v2") | {"Ref_Key": f"00000000-0000-0000-0000-{1:012d}", "Number": "00-1"})
    assert (analyses(SHIPMENTS.table), analyses(lines)) == (1, 1)  # 1 of 100: autovacuum's business
    load(loader, *(shipment(n, version="v3") | {"Ref_Key": f"00000000-0000-0000-0000-{n:012d}", "Number": f"00-{n}"}
                   for n in range(1, 11)))
    assert (analyses(SHIPMENTS.table), analyses(lines)) == (2, 2)  # 10 of 100
