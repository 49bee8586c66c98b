"""The scenario company loaded once per package: generate → demo 1C over OData → raw → dbt build.

Every `test_marts_*.py` here asserts one section of scenario.yml against the marts. The fixture is
package-scoped, so the whole package shares one load and one dbt build (pytest runs a package's files
together; other packages reset raw for companies of their own before or after).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ingestion.connectors.files import FILE_SOURCES
from ingestion.connectors.onec_odata import ODataClient, ODataSettings
from ingestion.demo.generate import generate
from ingestion.demo.server import start_server
from ingestion.file_sync import sync_folder
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec_sync import load_full
from tests.conftest import reset_raw, run_dbt

KNOWN_ANSWERS = yaml.safe_load((Path(__file__).resolve().parent / "scenario.yml").read_text(encoding="utf-8"))


def money(value) -> Decimal | None:
    """A scenario.yml figure as an exact Decimal (None stays None)."""
    return None if value is None else Decimal(str(value))


@pytest.fixture(scope="package")
def known_answers() -> dict:
    return KNOWN_ANSWERS


@pytest.fixture(scope="package")
def scenario(warehouse, tmp_path_factory):
    """The test warehouse holding the scenario company, every dbt model built and tested."""
    data = tmp_path_factory.mktemp("scenario")
    generate(data, scale="scenario")
    server, base_url = start_server(data, user="odata", password="pw")
    try:
        reset_raw(warehouse)
        loader = warehouse.as_role("loader")
        for base in ("trade", "crm"):
            with ODataClient(ODataSettings(f"{base_url}{base}/odata/standard.odata", "odata", "pw")) as client:
                for name in (n for n, es in ENTITY_SETS.items() if es.base == base):
                    load_full(client, loader, name)
        for source in FILE_SOURCES:
            sync_folder(loader, source, data / source.name)
    finally:
        server.shutdown()
        server.server_close()
    run_dbt("build", "--full-refresh")  # raw was replaced: incremental models rebuild in full
    return warehouse


def query(warehouse, sql: str, params: dict | tuple | None = None) -> list[dict]:
    """Rows as dicts, read as the transformer (it reads staging for names as well as the marts)."""
    from psycopg.rows import dict_row

    with warehouse.as_role("transformer").connect() as conn, conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(sql, params).fetchall()
