"""Shared fixtures of the ingestion tests."""

from __future__ import annotations

import pytest

from ingestion.loader.raw_tables import create_raw_tables


@pytest.fixture
def restore_raw_tables(warehouse):
    """For tests that drop raw tables (to load into empty ones, or to leave references unchecked): the
    contract's tables are back, empty where dropped, when the test ends, as later tests (dbt) expect."""
    yield
    create_raw_tables(warehouse.as_role("loader"))
