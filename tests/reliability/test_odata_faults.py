"""The 1C source misbehaving over real HTTP: 500s, pages slower than the client's timeout, a connection
dropped mid-page. The client retries with backoff; a fault that lasts fails the load loudly, naming the
URL, and raw keeps the previous data with not one row of the failed batch.

The real demo OData server serves a store of 30 shipments; `FaultProxy` (a socket server in front of
it) injects the faults on the third page ($skip=14 with pages of 7)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import unquote

import pytest

from ingestion.connectors.onec_odata import ODataClient, ODataError, ODataSettings
from ingestion.demo.server import start_server
from ingestion.demo.store import StoreWriter
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table
from ingestion.onec_sync import load_full
from tests.reliability.fault_proxy import FaultProxy

SHIPMENTS = "Document_РеализацияТоваровУслуг"
SPEC = onec_table(SHIPMENTS)
PAGE = 7
THIRD_PAGE = f"$top={PAGE}&$skip=14"
TIMEOUT = 0.5  # the client's; a `slow` fault answers after 4x that
ATTEMPTS = 3
BACKOFF = 0.05


def guid(n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"reliability/shipment/{n}"))


def shipment(n: int, version: str) -> dict:
    date = datetime(2025, 5, 1, 9) + timedelta(days=n)
    return {
        "Ref_Key": guid(n), "DataVersion": version, "DeletionMark": False, "Number": f"РЛ00-{n:06d}",
        "Date": date.strftime("%Y-%m-%dT%H:%M:%S"), "Posted": True, "СуммаДокумента": 241.0,
        "Товары": [{"Ref_Key": guid(n), "LineNumber": 1, "Количество": 2.0, "Цена": 120.5, "Сумма": 241.0}],
    }


@pytest.fixture
def source(tmp_path, warehouse):
    """Version v1 of 30 shipments loaded into raw through the proxy; the source then holds v2 of all."""
    with StoreWriter(tmp_path, "trade") as store:
        for n in range(30):
            store.put(SHIPMENTS, shipment(n, "v1"))
    server, base_url = start_server(tmp_path, user="odata", password="pw")
    loader = warehouse.as_role("loader")
    with loader.connect(autocommit=True) as conn:
        for table in (SPEC, *SPEC.children, *map(onec_table, REFERENCE_TARGETS.values())):
            conn.execute(f"drop table if exists {table.qualified} cascade")  # no catalogs: references unchecked
    with FaultProxy(base_url) as proxy:
        with client_for(proxy, []) as client:
            assert load_full(client, loader, SHIPMENTS).loaded == 30
        with StoreWriter(tmp_path, "trade") as store:
            for n in range(30):
                store.put(SHIPMENTS, shipment(n, "v2"))
        proxy.clear()
        yield proxy, loader
    server.shutdown()
    server.server_close()


def client_for(proxy: FaultProxy, sleeps: list[float], attempts: int = ATTEMPTS) -> ODataClient:
    """A client through the proxy; `sleeps` collects the backoff pauses taken before retrying the third page.

    Only that page's: on a loaded machine another request may time out now and then and be retried too,
    which is the client doing its job, not what these tests look at."""
    settings = ODataSettings(f"{proxy.url}trade/odata/standard.odata", "odata", "pw", page_size=PAGE,
                             timeout_seconds=TIMEOUT, max_attempts=attempts, backoff_seconds=BACKOFF)
    retrying = threading.local()  # the client logs the request it is about to retry, then sleeps, in one thread

    def log(message: str) -> None:
        retrying.third_page = THIRD_PAGE in unquote(message)

    def sleep(seconds: float) -> None:  # the real pause, and a note of how long it was
        if getattr(retrying, "third_page", False):
            sleeps.append(seconds)
        time.sleep(seconds)

    return ODataClient(settings, sleep=sleep, log=log)


def raw_state(loader) -> dict[str, int]:
    """{DataVersion: documents} in raw, and the section lines under the key 'lines'."""
    with loader.connect() as conn:
        state = dict(conn.execute(f'select "DataVersion", count(*) from {SPEC.qualified} group by 1').fetchall())
        state["lines"] = conn.execute(f"select count(*) from {SPEC.children[0].qualified}").fetchone()[0]
    return state


FAULTS = {  # fault -> what the client reports as the last problem
    "status": "HTTP 500",
    "slow": "ReadTimeout",
    "drop": "RemoteProtocolError",
}


def add_fault(proxy: FaultProxy, fault: str, times: int | None) -> None:
    proxy.add(THIRD_PAGE, fault, times=times, delay=4 * TIMEOUT)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_passing_fault_is_retried_with_backoff_and_the_load_completes(source, fault):
    proxy, loader = source
    add_fault(proxy, fault, times=ATTEMPTS - 1)  # fails on every attempt but the last
    sleeps: list[float] = []
    with client_for(proxy, sleeps) as client:
        counts = load_full(client, loader, SHIPMENTS)
    assert (counts.read, counts.loaded, counts.rejected) == (30, 30, 0)
    assert raw_state(loader) == {"v2": 30, "lines": 30}
    assert proxy.requests_when(THIRD_PAGE, ATTEMPTS) == [fault] * (ATTEMPTS - 1) + ["pass"]
    assert sleeps == [BACKOFF, 2 * BACKOFF]  # exponential backoff between the attempts


@pytest.mark.parametrize("fault", FAULTS)
def test_a_lasting_fault_fails_naming_the_url_and_leaves_the_previous_data(source, fault):
    proxy, loader = source
    add_fault(proxy, fault, times=None)
    sleeps: list[float] = []
    with client_for(proxy, sleeps) as client, pytest.raises(ODataError) as failure:
        load_full(client, loader, SHIPMENTS)

    message = str(failure.value)
    assert f"gave up after {ATTEMPTS} attempts" in message and FAULTS[fault] in message
    assert proxy.url in message and SHIPMENTS in unquote(message) and THIRD_PAGE in unquote(message)
    assert proxy.requests_when(THIRD_PAGE, ATTEMPTS) == [fault] * ATTEMPTS
    assert sleeps == [BACKOFF, 2 * BACKOFF]

    # Two pages had been read and spooled before the third failed: none of it reached raw.
    assert raw_state(loader) == {"v1": 30, "lines": 30}
    with loader.connect() as conn:
        batch, status, error = conn.execute(
            "select batch_id, status, error from ops.load_audit where entity = %s order by batch_id desc limit 1",
            (SHIPMENTS,)).fetchone()
        written = conn.execute(f"select count(*) from {SPEC.qualified} where _batch_id = %s", (batch,)).fetchone()[0]
        rejects = conn.execute("select count(*) from ops.rejects where batch_id = %s", (batch,)).fetchone()[0]
    assert status == "failed" and "ODataError" in error and THIRD_PAGE in unquote(error)
    assert (written, rejects) == (0, 0)


def test_a_client_error_is_not_retried(source):
    proxy, loader = source
    proxy.add(THIRD_PAGE, "status", status=400)
    sleeps: list[float] = []
    with client_for(proxy, sleeps) as client, pytest.raises(ODataError, match="HTTP 400: -1 Внутренняя ошибка"):
        load_full(client, loader, SHIPMENTS)
    assert proxy.requests(THIRD_PAGE) == ["status"] and sleeps == []
    assert raw_state(loader) == {"v1": 30, "lines": 30}


def test_a_source_that_fails_on_its_first_page_is_recorded_in_the_load_audit(source):
    proxy, loader = source
    proxy.add(f"$top={PAGE}&$skip=0", "status")
    with client_for(proxy, []) as client, pytest.raises(ODataError):
        load_full(client, loader, SHIPMENTS)
    assert raw_state(loader) == {"v1": 30, "lines": 30}
    with loader.connect() as conn:
        last = conn.execute("select status, error from ops.load_audit where entity = %s order by batch_id desc "
                            "limit 1", (SHIPMENTS,)).fetchone()
    assert last[0] == "failed" and "HTTP 500" in last[1]
