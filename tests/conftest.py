"""Shared fixtures: every test that needs PostgreSQL gets a real one.

Tests never touch the demo warehouse: they run an embedded server of their own
under `.warehouse-test/` (or TEST_WAREHOUSE_DIR), or the server named by `TEST_WAREHOUSE_URL`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.loader.raw_tables import reset_raw  # noqa: F401  (fixtures of several packages use it)

ROOT = Path(__file__).resolve().parent.parent

if os.environ.get("TEST_WAREHOUSE_URL"):
    os.environ["WAREHOUSE_URL"] = os.environ["TEST_WAREHOUSE_URL"]
else:
    os.environ.pop("WAREHOUSE_URL", None)
    os.environ["WAREHOUSE_DIR"] = os.environ.get("TEST_WAREHOUSE_DIR", str(ROOT / ".warehouse-test"))
for key in ("DBT_PG_HOST", "DBT_PG_PORT", "DBT_PG_USER", "DBT_PG_PASSWORD", "DBT_PG_DBNAME"):
    os.environ.pop(key, None)  # derive them from the test warehouse, never from the caller's shell
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


@pytest.fixture(scope="session")
def warehouse():
    """The bootstrapped test warehouse; yields the module so tests can ask it for role connections."""
    from psycopg import sql

    from ingestion import warehouse as wh

    if wh.is_embedded():  # start every session from an empty database: no leftovers from earlier runs
        admin = wh.admin()
        with admin.connect(dbname="postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(admin.dbname)))
    wh.up()
    return wh


def run_dbt(*args: str, project_dir: Path = ROOT / "dbt", check: bool = True) -> subprocess.CompletedProcess:
    """Run the dbt CLI of this interpreter against the test warehouse, as the transformer role."""
    from ingestion import warehouse as wh

    env = {**os.environ, **wh.dbt_env()}
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run([str(dbt), *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)],
                            env=env, capture_output=True, text=True, cwd=project_dir)
    if check and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return result


def load_scenario(warehouse, data: Path, *, check: bool = True) -> subprocess.CompletedProcess:
    """The hand-computed scenario company generated into `data`, loaded over its OData server into an emptied
    raw, every model built in full (raw was replaced, so incremental models cannot follow) and tested."""
    from ingestion.demo.generate import generate
    from ingestion.full_load import load_demo_company

    generate(data, scale="scenario")
    reset_raw(warehouse)
    load_demo_company(warehouse.as_role("loader"), data)
    return run_dbt("build", "--full-refresh", check=check)


@pytest.fixture(scope="session")
def built_warehouse(warehouse):
    """The test warehouse with every dbt model built and tested once per session (in full: packages replace raw
    with companies of their own, which month-incremental models cannot follow)."""
    run_dbt("build", "--full-refresh")
    return warehouse
