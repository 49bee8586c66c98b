"""Least privilege: each role can do its job and nothing more."""

from __future__ import annotations

import psycopg
import pytest

SCHEMAS = ("raw", "staging", "intermediate", "marts", "ops", "public")


def privileges(conn: psycopg.Connection, role: str) -> set[tuple[str, str, str]]:
    """Every (object, name, privilege) the role holds on the warehouse's schemas, their tables and the database."""
    held: set[tuple[str, str, str]] = set()
    for schema in SCHEMAS:
        for priv in ("USAGE", "CREATE"):
            if conn.execute("select has_schema_privilege(%s, %s, %s)", (role, schema, priv)).fetchone()[0]:
                held.add(("schema", schema, priv))
    tables = conn.execute(
        "select table_schema, table_name from information_schema.tables where table_schema = any(%s)",
        (list(SCHEMAS),),
    ).fetchall()
    for schema, table in tables:
        for priv in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
            if conn.execute("select has_table_privilege(%s, format('%%I.%%I', %s::text, %s::text), %s)",
                            (role, schema, table, priv)).fetchone()[0]:
                held.add(("table", f"{schema}.{table}", priv))
    for priv in ("CREATE", "TEMPORARY"):
        if conn.execute("select has_database_privilege(%s, current_database(), %s)", (role, priv)).fetchone()[0]:
            held.add(("database", "warehouse", priv))
    return held


@pytest.fixture(scope="module")
def admin_conn(built_warehouse):
    # Created by the loader, as every raw table is, so the default privileges apply to it.
    with built_warehouse.as_role("loader").connect(autocommit=True) as loader:
        loader.execute("create table if not exists raw.role_probe (id int)")
    with built_warehouse.admin().connect(autocommit=True) as conn:
        yield conn


def test_reader_holds_exactly_select_on_marts(admin_conn):
    marts_tables = {
        name for (name,) in admin_conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()
    }
    assert marts_tables, "the dbt build should have created marts tables"
    expected = {("schema", "marts", "USAGE")} | {("table", f"marts.{t}", "SELECT") for t in marts_tables}
    assert privileges(admin_conn, "reader") == expected


def test_reader_cannot_read_raw_or_write_anywhere(built_warehouse):
    with built_warehouse.as_role("reader").connect(autocommit=True) as conn:
        assert conn.execute("select count(*) from marts.dim_accounts").fetchone()[0] > 0
        forbidden = [
            "select * from raw.role_probe",
            "select * from staging.chart_of_accounts",
            "insert into marts.dim_accounts (account_code) values ('x')",
            "delete from marts.dim_accounts",
            "create table marts.x (id int)",
            "create table public.x (id int)",
            "create temporary table x (id int)",
        ]
        for statement in forbidden:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_reader_sorts_and_hashes_in_its_own_work_mem(built_warehouse, admin_conn):
    """The dashboards' group-bys get the memory bootstrap gives the reader; the other roles keep the server's."""
    with built_warehouse.as_role("reader").connect() as conn:
        assert conn.execute("show work_mem").fetchone()[0] == built_warehouse.READER_WORK_MEM
    server_default = admin_conn.execute("show work_mem").fetchone()[0]
    assert server_default != built_warehouse.READER_WORK_MEM
    with built_warehouse.as_role("loader").connect() as conn:
        assert conn.execute("show work_mem").fetchone()[0] == server_default


def test_loader_writes_raw_and_ops_but_not_models(built_warehouse):
    with built_warehouse.as_role("loader").connect(autocommit=True) as conn:
        conn.execute("insert into raw.role_probe values (1)")
        conn.execute("create table if not exists ops.role_probe (id int)")
        conn.execute("drop table ops.role_probe")
        for statement in ("select * from marts.dim_accounts", "create table marts.x (id int)",
                          "create table staging.x (id int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_transformer_reads_raw_and_writes_models_but_not_raw(built_warehouse):
    with built_warehouse.as_role("transformer").connect(autocommit=True) as conn:
        conn.execute("select * from raw.role_probe").fetchall()
        for schema in ("staging", "intermediate", "marts"):
            conn.execute(f"create table {schema}.role_probe (id int)")
            conn.execute(f"drop table {schema}.role_probe")
        for statement in ("insert into raw.role_probe values (2)", "create table raw.x (id int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_bootstrap_is_idempotent(built_warehouse, admin_conn):
    before = {role: privileges(admin_conn, role) for role in ("loader", "transformer", "reader", "app_auth")}
    built_warehouse.bootstrap(built_warehouse.admin())
    built_warehouse.bootstrap(built_warehouse.admin())
    assert {role: privileges(admin_conn, role) for role in before} == before


def test_app_auth_holds_exactly_select_and_update_on_app_users(admin_conn):
    assert privileges(admin_conn, "app_auth") == {
        ("schema", "ops", "USAGE"), ("table", "ops.app_users", "SELECT"), ("table", "ops.app_users", "UPDATE")}
    for role in ("loader", "transformer", "reader"):
        assert not {p for p in privileges(admin_conn, role) if p[1] == "ops.app_users"}, role


def test_app_auth_cannot_create_or_delete_users_or_read_anything_else(built_warehouse):
    with built_warehouse.as_role("app_auth").connect(autocommit=True) as conn:
        conn.execute("select count(*) from ops.app_users").fetchone()
        for statement in ("insert into ops.app_users (username, password_hash, role) values ('x', 'x', 'director')",
                          "delete from ops.app_users", "select * from ops.load_audit",
                          "select * from marts.dim_accounts", "create temporary table x (id int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_dbt_sessions_plan_without_parallel_hash(warehouse):
    """PostgreSQL 16's parallel hash right join fails on a hashed side full of NULL keys (warehouse.bootstrap)."""
    with warehouse.as_role("transformer").connect() as conn:
        assert conn.execute("show enable_parallel_hash").fetchone()[0] == "off"
    with warehouse.as_role("reader").connect() as conn:
        assert conn.execute("show enable_parallel_hash").fetchone()[0] == "on"  # only dbt's builds
