"""Every raw table of the source contract, created up front by the loader role."""

from __future__ import annotations

from ingestion.connectors.files import FILE_SOURCES
from ingestion.loader.onec_tables import all_onec_tables
from ingestion.loader.ops_schema import ensure_ops_tables, ensure_raw_table


def create_raw_tables(loader) -> None:
    """Idempotent: creates what is missing, adds columns the contract gained, touches no data."""
    with loader.connect() as conn, conn.transaction():
        ensure_ops_tables(conn)
        for spec in [*all_onec_tables(), *(source.spec for source in FILE_SOURCES)]:
            ensure_raw_table(conn, spec)


def reset_raw(warehouse) -> None:
    """An empty raw and ops, as on a fresh install (tests and benchmarks that load a company of their own).

    `warehouse` is the `ingestion.warehouse` module, already pointed at the server to empty.
    """
    with warehouse.admin().connect(autocommit=True) as conn:
        conn.execute("drop schema raw cascade")
        conn.execute("drop table if exists ops.load_audit, ops.rejects, ops.loaded_files")
    warehouse.bootstrap(warehouse.admin())
    create_raw_tables(warehouse.as_role("loader"))
