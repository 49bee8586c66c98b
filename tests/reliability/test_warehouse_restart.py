"""The warehouse restarted (immediate shutdown: a crash, then recovery) in the middle of a Dagster run.

The run fails cleanly: the step that was writing fails on the lost connection and no raw row belongs to a
batch that did not succeed. The rerun recovers, and its numbers (the row count of every raw table, and the
series-cost mart built on them) are exactly those of a clean run: the same company loaded once, without faults.

Dagster runs the 1C trade ingestion (the step the restart hits); the mart is then built by dbt the same way
for both (`dbt build --select +fct_series_cost`, models and seeds), which keeps the test to about a minute."""

from __future__ import annotations

import contextlib
import os
import threading
import time

import dagster as dg
import psycopg
import pytest

from dagster_project.defs.onec import onec_trade
from dagster_project.defs.resources import OneCResource, WarehouseResource
from ingestion.connectors.onec_odata import ODataClient, ODataSettings
from ingestion.demo.generate import generate
from ingestion.demo.server import start_server
from ingestion.loader.onec_tables import all_onec_tables
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec_sync import load_full
from tests.conftest import reset_raw, run_dbt

TRADE = [name for name, es in ENTITY_SETS.items() if es.base == "trade"]
SHIPMENTS_TABLE = "document_realizatsiya_tovarov_uslug"
TOTALS = ("select count(*), sum(quantity), sum(landed_total), sum(late_costs), sum(value_remaining) "
          "from marts.fct_series_cost")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    data = tmp_path_factory.mktemp("company")
    generate(data, scale="tiny", seed=11)
    server, base_url = start_server(data, user="odata", password="odata")
    yield data, f"{base_url}trade/odata/standard.odata"
    server.shutdown()
    server.server_close()


def dagster_run(url: str, monkeypatch, tmp_path) -> dg.ExecuteInProcessResult:
    monkeypatch.setenv("ONEC_TRADE_URL", url)
    tmp_path.mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        return dg.materialize([onec_trade], instance=instance, raise_on_error=False,
                              resources={"warehouse": WarehouseResource(), "onec": OneCResource()})


def clean_load(warehouse, url: str) -> None:
    with ODataClient(ODataSettings(url, "odata", "odata")) as client:
        for entity in TRADE:
            load_full(client, warehouse.as_role("loader"), entity)


def restart_server(warehouse) -> None:
    """`pg_ctl restart -m immediate`: every backend dies at once, the server recovers from its WAL."""
    from pgserver._commands import pg_ctl

    datadir = warehouse.embedded_dir()
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "immediate", "-l", str(datadir / "log"), "restart"], pgdata=datadir, user=user, timeout=60)


def restart_while_loading(warehouse, restarted: list[str]) -> None:
    """Hold the shipments' raw table (a SHARE lock: their batch can read but not write it), wait until the
    shipments' batch is stuck on it with its transaction open and written to, then restart the server under
    it. Deterministic however slow the machine: the batch cannot commit before the restart."""
    deadline = time.monotonic() + 120
    holder = warehouse.admin().connect()
    try:
        holder.execute(f"lock table raw.{SHIPMENTS_TABLE} in share mode")
        with warehouse.admin().connect(autocommit=True) as conn:
            while time.monotonic() < deadline:
                row = conn.execute(
                    "select query from pg_stat_activity where usename = 'loader' and backend_xid is not null "
                    "and wait_event_type = 'Lock' and query ilike %s", (f"%{SHIPMENTS_TABLE}%",)).fetchone()
                if row:
                    restarted.append(row[0])
                    break
                time.sleep(0.01)
        if restarted:
            restart_server(warehouse)
    finally:
        with contextlib.suppress(psycopg.Error):
            holder.close()  # its server is gone after a restart; otherwise this releases the lock


def raw_tables():
    return [t for spec in all_onec_tables() if spec.entity in TRADE for t in (spec, *spec.children)]


def numbers(warehouse) -> dict:
    run_dbt("build", "--select", "+fct_series_cost", "--resource-type", "model", "seed")
    with warehouse.admin().connect() as conn:
        out = {t.table: conn.execute(f"select count(*) from {t.qualified}").fetchone()[0] for t in raw_tables()}
        out["fct_series_cost"] = conn.execute(TOTALS).fetchone()
    return out


def rows_of_unsucceeded_batches(warehouse) -> dict[str, int]:
    """Raw rows whose batch is not 'succeeded' in ops.load_audit: a partial batch would show here."""
    out = {}
    with warehouse.admin().connect() as conn:
        for t in raw_tables():
            n = conn.execute(f"select count(*) from {t.qualified} r where not exists (select 1 from ops.load_audit a "
                             f"where a.batch_id = r._batch_id and a.status = 'succeeded')").fetchone()[0]
            if n:
                out[t.table] = n
    return out


def test_a_restart_mid_run_fails_it_cleanly_and_the_rerun_matches_a_clean_run(warehouse, company, monkeypatch,
                                                                             tmp_path):
    data, url = company

    reset_raw(warehouse)
    clean_load(warehouse, url)
    expected = numbers(warehouse)
    assert expected["fct_series_cost"][0] > 0 and expected[SHIPMENTS_TABLE] > 0

    reset_raw(warehouse)
    restarted: list[str] = []
    restarter = threading.Thread(target=restart_while_loading, args=(warehouse, restarted), daemon=True)
    restarter.start()
    interrupted = dagster_run(url, monkeypatch, tmp_path / "interrupted")
    restarter.join(timeout=120)
    assert restarted, "the run finished before the loader was caught writing"

    # Failed, cleanly: the step failed on the lost connection, nothing of the interrupted batch is in raw.
    assert not interrupted.success
    failures = [e for e in interrupted.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    assert [e.step_key for e in failures] == ["onec_trade"]
    error = failures[0].event_specific_data.error.to_string()
    assert "OperationalError" in error or "AdminShutdown" in error or "terminating" in error, error
    loaded = {e.asset_key.path[1] for e in interrupted.get_asset_materialization_events()}
    assert SHIPMENTS_TABLE not in loaded and loaded, "the restart should hit the shipments, after some entity sets"
    assert rows_of_unsucceeded_batches(warehouse) == {}
    with warehouse.as_role("loader").connect() as conn:
        assert conn.execute(f"select count(*) from raw.{SHIPMENTS_TABLE}").fetchone()[0] == 0

    # The rerun (the same job, incremental as scheduled) recovers, and the numbers are the clean run's.
    rerun = dagster_run(url, monkeypatch, tmp_path / "rerun")
    assert rerun.success
    assert rows_of_unsucceeded_batches(warehouse) == {}
    assert numbers(warehouse) == expected


def test_the_restart_helper_really_restarts(warehouse):
    """Guards the test above: the server's start time moves and connections held across it are dead."""
    with warehouse.admin().connect(autocommit=True) as held:
        before = held.execute("select pg_postmaster_start_time()").fetchone()[0]
        restart_server(warehouse)
        with pytest.raises(psycopg.OperationalError):
            held.execute("select 1")
    with warehouse.admin().connect() as conn:
        assert conn.execute("select pg_postmaster_start_time()").fetchone()[0] > before
