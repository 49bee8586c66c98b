"""The `ops` tables every load writes: the audit of each batch and the rejected records."""

from __future__ import annotations

import psycopg
from psycopg import sql

from ingestion.loader.tables import TableSpec

OPS_DDL = """
create sequence if not exists ops.batch_id_seq;

create table if not exists ops.load_audit (
    batch_id      bigint      not null,
    source        text        not null,
    entity        text        not null,
    mode          text        not null,           -- full, window, changes, reconcile, file
    window_start  timestamp,
    window_end    timestamp,
    rows_read     bigint      not null default 0,
    rows_loaded   bigint      not null default 0,
    rows_rejected bigint      not null default 0,
    rows_deleted  bigint      not null default 0,
    lines_loaded  bigint      not null default 0, -- tabular-section lines written with their documents
    started_at    timestamptz not null default now(),
    finished_at   timestamptz,
    status        text        not null default 'running' check (status in ('running', 'succeeded', 'failed')),
    error         text,
    primary key (batch_id, entity),
    check (status <> 'succeeded' or rows_read = rows_loaded + rows_rejected)
);

create table if not exists ops.rejects (
    reject_id   bigserial   primary key,
    batch_id    bigint      not null,
    source      text        not null,
    entity      text        not null,
    record_key  text,
    field       text,
    reason      text        not null,
    payload     jsonb,
    rejected_at timestamptz not null default now()
);
create index if not exists rejects_batch on ops.rejects (batch_id);
"""


def ensure_ops_tables(conn: psycopg.Connection) -> None:
    conn.execute(OPS_DDL)


def ensure_raw_table(conn: psycopg.Connection, spec: TableSpec) -> None:
    """Create the typed raw table (and its section tables) or add columns the contract gained since."""
    for table in (spec, *spec.children):
        columns = [sql.SQL("{} {}").format(sql.Identifier(c.sql_name), sql.SQL(c.pg_type)) for c in table.columns]
        key = sql.SQL(", ").join(sql.Identifier(table.column(k).sql_name) for k in table.key)
        conn.execute(sql.SQL(
            "create table if not exists {} ({}, _batch_id bigint not null, "
            "_loaded_at timestamptz not null default now(), primary key ({}))"
        ).format(sql.Identifier("raw", table.table), sql.SQL(", ").join(columns), key))
        for c in table.columns:
            conn.execute(sql.SQL("alter table {} add column if not exists {} {}").format(
                sql.Identifier("raw", table.table), sql.Identifier(c.sql_name), sql.SQL(c.pg_type)))
