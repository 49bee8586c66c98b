"""A load killed with SIGKILL in the middle of its transaction leaves no partial batch; the rerun completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from ingestion.loader.batch import Batch
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table
from tests.conftest import ROOT

SHIPMENTS = onec_table("Document_РеализацияТоваровУслуг")
DOCUMENTS = 30_000

# Writes version VERSION of every document; prints COMMITTING just before the transaction starts.
LOAD = textwrap.dedent("""
    import sys
    from ingestion import warehouse
    from ingestion.loader.batch import Batch
    from ingestion.loader.onec_tables import onec_table
    from tests.ingestion.test_kill import documents
    spec = onec_table("Document_РеализацияТоваровУслуг")
    batch = Batch(warehouse.as_role("loader"), source="onec_trade", mode="full")
    for doc in documents(sys.argv[1]):
        batch.add(spec, doc)
    print("COMMITTING", flush=True)
    batch.commit()
    print("COMMITTED", flush=True)
""")


def documents(version: str):
    for n in range(DOCUMENTS):
        ref = f"00000000-0000-4000-8000-{n:012d}"
        yield {"Ref_Key": ref, "DataVersion": version, "DeletionMark": False, "Number": f"К-{n}",
               "Date": "2025-02-03T10:00:00", "Posted": True, "СуммаДокумента": 30.0,
               "Товары": [{"LineNumber": i, "Количество": 1.0, "Цена": 10.0, "Сумма": 10.0} for i in (1, 2, 3)]}


def wait_until_writing(warehouse, timeout: float = 60) -> None:
    """Until a loader backend is inside a transaction that has written (it holds a transaction id)."""
    deadline = time.monotonic() + timeout
    with warehouse.admin().connect(autocommit=True) as conn:
        while time.monotonic() < deadline:
            if conn.execute("select count(*) from pg_stat_activity where usename = 'loader' "
                            "and backend_xid is not null and query ilike '%%raw%%'").fetchone()[0]:
                return
            time.sleep(0.005)
    raise AssertionError("the load never started writing")


def versions(loader) -> dict[str, int]:
    with loader.connect() as conn:
        return dict(conn.execute(f'select "DataVersion", count(*) from {SHIPMENTS.qualified} group by 1').fetchall())


def test_sigkill_mid_batch_leaves_the_previous_data_and_the_rerun_completes(warehouse, restore_raw_tables):
    loader = warehouse.as_role("loader")
    with loader.connect(autocommit=True) as conn:
        for table in (SHIPMENTS, *SHIPMENTS.children, *map(onec_table, REFERENCE_TARGETS.values())):
            conn.execute(f"drop table if exists {table.qualified} cascade")
    with Batch(loader, source="onec_trade", mode="full") as batch:
        for doc in documents("v1"):
            batch.add(SHIPMENTS, doc)
    assert versions(loader) == {"v1": DOCUMENTS}

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", LOAD, "v2"], stdout=subprocess.PIPE, text=True, env=env,
                               cwd=ROOT)
    assert process.stdout.readline().strip() == "COMMITTING"
    wait_until_writing(warehouse)  # the batch's transaction has written rows: the worst moment to die
    process.send_signal(signal.SIGKILL)  # no chance to roll back or to audit: the database must cope
    process.wait()
    assert versions(loader) == {"v1": DOCUMENTS}  # nothing of v2, not one row
    with loader.connect() as conn:
        statuses = conn.execute("select status from ops.load_audit where batch_id = "
                                "(select max(batch_id) from ops.load_audit)").fetchall()
    assert statuses == [("running",)]  # the audit tells the truth: never finished

    rerun = subprocess.run([sys.executable, "-c", LOAD, "v2"], capture_output=True, text=True, env=env, cwd=ROOT,
                           timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert versions(loader) == {"v2": DOCUMENTS}
    with loader.connect() as conn:
        lines = conn.execute(f"select count(*) from {SHIPMENTS.children[0].qualified}").fetchone()[0]
    assert lines == 3 * DOCUMENTS
