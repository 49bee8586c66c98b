"""A COPY that fails (the loader's connection killed while the COPY runs): the batch fails as a whole, raw
keeps the previous data, the audit says 'failed', the rerun loads. A value PostgreSQL would refuse in the
COPY never gets there: its record is rejected and the rest load.

(tests/ingestion/test_kill.py kills the *client* process after the writes; here the server ends the COPY.)"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from ingestion.loader.batch import Batch
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table

SHIPMENTS = onec_table("Document_РеализацияТоваровУслуг")
LINES = SHIPMENTS.children[0]


def documents(version: str, count: int, *, poison: int | None = None, character: str = "\x00"):
    for n in range(count):
        yield {"Ref_Key": f"00000000-0000-4000-9000-{n:012d}", "DataVersion": version, "DeletionMark": False,
               # U+0000 is valid JSON ("\u0000") and a valid Python str, but PostgreSQL text cannot hold it
               "Number": f"К-{n}" + (character if n == poison else ""),
               "Date": "2025-02-03T10:00:00", "Posted": True, "СуммаДокумента": 30.0,
               "Товары": [{"LineNumber": i, "Количество": 1.0, "Цена": 10.0, "Сумма": 10.0} for i in (1, 2, 3)]}


def load(loader, docs) -> Batch:
    with Batch(loader, source="onec_trade", mode="full") as batch:
        for doc in docs:
            batch.add(SHIPMENTS, doc)
    return batch


def state(loader) -> dict:
    with loader.connect() as conn:
        out = dict(conn.execute(f'select "DataVersion", count(*) from {SHIPMENTS.qualified} group by 1').fetchall())
        out["lines"] = conn.execute(f"select count(*) from {LINES.qualified}").fetchone()[0]
    return out


def last_batch(loader) -> tuple[int, str, str]:
    with loader.connect() as conn:
        return conn.execute("select batch_id, status, error from ops.load_audit where entity = %s "
                            "order by batch_id desc limit 1", (SHIPMENTS.entity,)).fetchone()


def rows_of_batch(loader, batch_id: int) -> tuple[int, int, int]:
    with loader.connect() as conn:
        return tuple(conn.execute(
            f"select (select count(*) from {SHIPMENTS.qualified} where _batch_id = %(b)s), "
            f"(select count(*) from {LINES.qualified} where _batch_id = %(b)s), "
            "(select count(*) from ops.rejects where batch_id = %(b)s)", {"b": batch_id}).fetchone())


@pytest.fixture
def loader(warehouse):
    loader = warehouse.as_role("loader")
    with loader.connect(autocommit=True) as conn:
        for table in (SHIPMENTS, *SHIPMENTS.children, *map(onec_table, REFERENCE_TARGETS.values())):
            conn.execute(f"drop table if exists {table.qualified} cascade")  # no catalogs: references unchecked
    return loader


def test_the_connection_killed_during_copy_fails_the_batch_and_keeps_the_previous_data(warehouse, loader):
    count = 6_000
    load(loader, documents("v1", count))
    seen: list[str] = []

    def kill_the_copy() -> None:
        deadline = time.monotonic() + 120
        with warehouse.admin().connect(autocommit=True) as admin:
            while time.monotonic() < deadline and not seen:
                row = admin.execute("select pid, query from pg_stat_activity where usename = 'loader' "
                                    "and state = 'active' and query ilike 'copy%%'").fetchone()
                if row:
                    admin.execute("select pg_terminate_backend(%s)", (row[0],))
                    seen.append(row[1])

    killer = threading.Thread(target=kill_the_copy, daemon=True)
    killer.start()
    with pytest.raises(psycopg.OperationalError):
        load(loader, documents("v2", count))
    killer.join(timeout=10)
    assert seen and seen[0].lower().startswith("copy"), "the COPY was never caught running"

    assert state(loader) == {"v1": count, "lines": 3 * count}
    batch_id, status, error = last_batch(loader)
    # The server's goodbye (AdminShutdown) or, when the socket closed first, the client's own error.
    assert status == "failed" and error.split(":")[0] in ("AdminShutdown", "OperationalError"), error
    assert rows_of_batch(loader, batch_id) == (0, 0, 0)

    load(loader, documents("v2", count))
    assert state(loader) == {"v2": count, "lines": 3 * count}


@pytest.mark.parametrize("character", ["\x00", "\udc80"])  # U+0000; half a surrogate pair
def test_a_record_postgres_cannot_store_is_rejected_and_the_others_load(loader, character):
    """PostgreSQL text holds neither character, so one such record in a COPY would fail every rerun of its
    batch for good: it is rejected with the field named, and the rest of the batch loads."""
    load(loader, documents("v1", 2000))
    batch = load(loader, documents("v2", 2000, poison=1500, character=character))
    counts = batch.counts[SHIPMENTS.entity]
    assert (counts.read, counts.loaded, counts.rejected) == (2000, 1999, 1)
    assert state(loader) == {"v2": 1999, "v1": 1, "lines": 6000}  # the rejected one keeps its loaded version
    with loader.connect() as conn:
        key, field, reason, number = conn.execute(
            "select record_key, field, reason, payload ->> 'Number' from ops.rejects where batch_id = %s",
            (batch.batch_id,)).fetchone()
    assert (key, field) == ("00000000-0000-4000-9000-000000001500", "Number")
    assert "cannot store" in reason
    assert number == "К-1500" + ("\\u0000" if character == "\x00" else "\\udc80")
