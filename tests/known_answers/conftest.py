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

from tests.conftest import load_scenario

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
    load_scenario(warehouse, tmp_path_factory.mktemp("scenario"))
    return warehouse


def query(warehouse, sql: str, params: dict | tuple | None = None) -> list[dict]:
    """Rows as dicts, read as the transformer (it reads staging for names as well as the marts)."""
    from psycopg.rows import dict_row

    with warehouse.as_role("transformer").connect() as conn, conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(sql, params).fetchall()
