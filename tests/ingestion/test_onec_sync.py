"""1C into raw through real HTTP: the demo OData server, the connector, the loader, a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from ingestion.connectors.onec_odata import ODataClient, ODataSettings
from ingestion.demo.exchange import PLAN_NAME
from ingestion.demo.server import start_server
from ingestion.demo.store import StoreWriter
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec_sync import load_changes, load_full, load_window, reconcile

SHIPMENTS = "Document_РеализацияТоваровУслуг"
TABLE = onec_table(SHIPMENTS).qualified


def guid(n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"shipment/{n}"))


def shipment(n: int, *, date: datetime, version: str = "AAAAAQ==", qty: float = 2.0) -> dict:
    return {
        "Ref_Key": guid(n), "DataVersion": version, "DeletionMark": False, "Number": f"ТД00-{n:06d}",
        "Date": date.strftime("%Y-%m-%dT%H:%M:%S"), "Posted": True,
        "Контрагент_Key": guid(900), "СуммаДокумента": qty * 120.5,
        "Товары": [{"Ref_Key": guid(n), "LineNumber": 1, "Номенклатура_Key": guid(800), "Количество": qty,
                    "Цена": 120.5, "Сумма": qty * 120.5}],
    }


@pytest.fixture
def source(tmp_path, warehouse, restore_raw_tables):
    """A store of 30 shipments, one a day from 2025-05-01, served over HTTP; raw starts empty."""
    with StoreWriter(tmp_path, "trade") as store:
        for n in range(30):
            store.put(SHIPMENTS, shipment(n, date=datetime(2025, 5, 1, 9) + timedelta(days=n)))
    server, base_url = start_server(tmp_path, user="odata", password="pw")
    client = ODataClient(ODataSettings(f"{base_url}trade/odata/standard.odata", "odata", "pw", page_size=7))
    loader = warehouse.as_role("loader")
    with loader.connect(autocommit=True) as conn:
        catalogs = map(onec_table, REFERENCE_TARGETS.values())  # none loaded: references go unchecked
        for table in (onec_table(SHIPMENTS), *onec_table(SHIPMENTS).children, *catalogs):
            conn.execute(f"drop table if exists {table.qualified} cascade")
        conn.execute("drop table if exists ops.load_audit")
    yield tmp_path, client, loader
    client.close()
    server.shutdown()
    server.server_close()


def scalar(loader, query, *params):
    with loader.connect() as conn:
        return conn.execute(query, params).fetchone()[0]


def test_full_load_pages_through_everything_and_twice_is_once(source):
    _, client, loader = source
    first = load_full(client, loader, SHIPMENTS)
    assert (first.read, first.loaded, first.rejected, first.lines) == (30, 30, 0, 30)
    load_full(client, loader, SHIPMENTS)
    assert scalar(loader, f"select count(*) from {TABLE}") == 30
    assert scalar(loader, f"select sum(\"СуммаДокумента\") from {TABLE}") == sum(2.0 * 120.5 for _ in range(30))


def test_window_catches_a_back_dated_repost_and_reconcile_finds_deletions(source):
    data, client, loader = source
    load_window(client, loader, SHIPMENTS)  # first run: full
    with StoreWriter(data, "trade") as store:
        # month-close correction: a May shipment re-posted with a new quantity; another deleted for good
        store.put(SHIPMENTS, shipment(3, date=datetime(2025, 5, 4, 9), version="AAAAAg==", qty=5.0))
        store.delete(SHIPMENTS, {"Ref_Key": guid(4)})
    counts = load_window(client, loader, SHIPMENTS)
    # newest loaded: 2025-05-30; 35 days back is 2025-04-25: the whole month is re-read, bar the deleted one
    assert counts.read == 30 - 1
    assert scalar(loader, f'select "Количество" from {onec_table(SHIPMENTS).children[0].qualified} '
                          f'where "Ref_Key" = %s', guid(3)) == 5
    assert scalar(loader, f"select count(*) from {TABLE}") == 30  # the window cannot see a deletion ...
    result = reconcile(client, loader, SHIPMENTS)
    assert (result.deleted, result.read) == (1, 0)  # ... reconciliation can, and re-reads nothing unchanged
    assert scalar(loader, f"select count(*) from {TABLE} where \"Ref_Key\" = %s", guid(4)) == 0


ITEMS = "Catalog_Номенклатура"


def item(n: int, version: str = "AAAAAQ==") -> dict:
    return {"Ref_Key": guid(800 + n), "DataVersion": version, "DeletionMark": False, "Code": f"{n:05d}",
            "Description": f"Насос {n}", "IsFolder": False}


def audits(loader, entity) -> list[tuple]:
    with loader.connect() as conn:
        return conn.execute("select mode, rows_read, rows_loaded, rows_deleted from ops.load_audit "
                            "where entity = %s order by batch_id", (entity,)).fetchall()


def test_a_catalog_in_the_window_mode_rereads_only_what_changed_and_drops_what_was_deleted(source):
    """A catalog has no date: the hourly window reconciles it. The first time (nothing loaded, so everything
    changed) it reads the set whole, in pages (7 to a page here), not 50 keys to a request."""
    data, client, loader = source
    with loader.connect(autocommit=True) as conn:
        conn.execute(f"drop table if exists {onec_table(ITEMS).qualified} cascade")
    with StoreWriter(data, "trade") as store:
        for n in range(12):
            store.put(ITEMS, item(n))
    assert (load_window(client, loader, ITEMS).read, load_window(client, loader, ITEMS).read) == (12, 0)
    with StoreWriter(data, "trade") as store:
        store.put(ITEMS, {**item(3, version="AAAAAg=="), "Description": "Насос 3М"})
        store.delete(ITEMS, {"Ref_Key": guid(805)})
    counts = load_window(client, loader, ITEMS)
    assert (counts.read, counts.loaded, counts.deleted) == (1, 1, 1)
    assert scalar(loader, f'select count(*) from {onec_table(ITEMS).qualified}') == 11
    assert scalar(loader, f'select "Description" from {onec_table(ITEMS).qualified} where "Ref_Key" = %s',
                  guid(803)) == "Насос 3М"
    assert audits(loader, ITEMS) == [("reconcile", 12, 12, 0), ("reconcile", 0, 0, 0), ("reconcile", 1, 1, 1)]


def test_change_feed_is_confirmed_only_after_commit(source):
    data, client, loader = source
    result = load_changes(client, loader, source="onec_trade", plan=PLAN_NAME, node_code="DWH",
                          known=ENTITY_SETS.__contains__)
    assert result.objects == 30 and result.messages >= 1
    assert scalar(loader, f"select count(*) from {TABLE}") == 30
    again = load_changes(client, loader, source="onec_trade", plan=PLAN_NAME, node_code="DWH",
                         known=ENTITY_SETS.__contains__)
    assert again.messages == 0  # everything confirmed

    with StoreWriter(data, "trade") as store:
        store.put(SHIPMENTS, shipment(7, date=datetime(2025, 5, 8, 9), version="AAAAAw==", qty=9.0))
        store.delete(SHIPMENTS, {"Ref_Key": guid(8)})
    node = next(n for n in client.exchange_nodes(PLAN_NAME) if n["Code"] == "DWH")
    unconfirmed = client.select_changes(PLAN_NAME, node["Ref_Key"], int(node["ReceivedNo"]) + 1)
    assert {c.entity for c in unconfirmed} == {SHIPMENTS}  # read but not confirmed: as if we crashed here
    result = load_changes(client, loader, source="onec_trade", plan=PLAN_NAME, node_code="DWH",
                          known=ENTITY_SETS.__contains__)
    assert (result.objects, result.deleted) == (1, 1)  # the same message came again
    assert scalar(loader, f"select count(*) from {TABLE}") == 29
    assert scalar(loader, f'select "DataVersion" from {TABLE} where "Ref_Key" = %s', guid(7)) == "AAAAAw=="


def test_a_broken_object_is_rejected_and_the_rest_of_its_page_loads(source):
    data, client, loader = source
    with (data / "onec" / "trade" / f"{SHIPMENTS}.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"Ref_Key":"' + guid(99) + '","DataVersion":"AAAAAQ==","Number":"ТД00-0\n')  # cut short
    counts = load_full(client, loader, SHIPMENTS)
    assert (counts.read, counts.loaded, counts.rejected) == (31, 30, 1)
    with loader.connect() as conn:
        reason, payload = conn.execute("select reason, payload from ops.rejects order by reject_id desc limit 1"
                                       ).fetchone()
    assert reason.startswith("invalid JSON page") and guid(99) in payload
