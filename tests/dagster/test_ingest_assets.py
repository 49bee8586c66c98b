"""Real Dagster runs load the demo company over HTTP; after the company lives on, incremental runs
pick up new and back-dated documents, and reconciliation makes raw equal the source, deletions included."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.defs.files import file_assets
from dagster_project.defs.onec import onec_crm, onec_trade
from dagster_project.defs.resources import FilesResource, OneCResource, WarehouseResource
from ingestion.demo.advance import advance
from ingestion.demo.generate import generate
from ingestion.demo.server import start_server
from ingestion.loader.onec_tables import onec_table
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec_sync import DEFAULT_OVERLAP_DAYS
from tests.conftest import reset_raw

DOCUMENTS = [name for name, es in ENTITY_SETS.items() if name.startswith("Document_")]


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    data = tmp_path_factory.mktemp("company")
    generate(data, scale="tiny", seed=3)
    server, base_url = start_server(data, user="odata", password="odata")
    yield data, base_url
    server.shutdown()
    server.server_close()


def source_versions(data: Path, entity: str) -> dict[str, str]:
    """The source's current objects: the latest line per key, without the deleted ones."""
    base = ENTITY_SETS[entity].base
    versions: dict[str, str] = {}
    with (data / "onec" / base / f"{entity}.jsonl").open(encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("@deleted"):
                versions.pop(obj["Ref_Key"], None)
            else:
                versions[obj["Ref_Key"]] = obj["DataVersion"]
    return versions


def raw_versions(warehouse, entity: str) -> dict[str, str]:
    with warehouse.as_role("loader").connect() as conn:
        return dict(conn.execute(f'select "Ref_Key"::text, "DataVersion" from {onec_table(entity).qualified}'))


def latest_date(warehouse, entity: str):
    with warehouse.as_role("loader").connect() as conn:
        return conn.execute(f'select max("Date") from {onec_table(entity).qualified}').fetchone()[0]


def document_date(warehouse, entity: str, key: str):
    with warehouse.as_role("loader").connect() as conn:
        return conn.execute(f'select "Date" from {onec_table(entity).qualified} where "Ref_Key" = %s',
                            (key,)).fetchone()[0]


def materialize(data: Path, base_url: str, monkeypatch, mode: str, assets) -> dg.ExecuteInProcessResult:
    for base in ("trade", "crm"):
        monkeypatch.setenv(f"ONEC_{base.upper()}_URL", f"{base_url}{base}/odata/standard.odata")
    config = {"ops": {name: {"config": {"mode": mode}}
                      for name in ("onec_trade", "onec_crm") if any(a.op.name == name for a in assets)}}
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            assets, instance=instance, run_config=config,
            resources={"warehouse": WarehouseResource(), "onec": OneCResource(),
                       "files": FilesResource(root=str(data))})
    assert result.success
    failed = [(e.asset_key.to_user_string(), e.check_name)
              for e in result.get_asset_check_evaluations() if not e.passed]
    assert not failed
    return result


def test_sources_load_then_incremental_and_reconcile_follow_the_company(warehouse, company, monkeypatch):
    data, base_url = company
    reset_raw(warehouse)

    result = materialize(data, base_url, monkeypatch, "incremental", [onec_trade, onec_crm, *file_assets])
    sections = sum(len(es.sections) for es in ENTITY_SETS.values())
    assert len(result.get_asset_materialization_events()) == len(ENTITY_SETS) + sections + len(file_assets)
    for entity in DOCUMENTS:
        assert raw_versions(warehouse, entity) == source_versions(data, entity), entity

    before = {entity: source_versions(data, entity) for entity in DOCUMENTS}
    advance(data, days=20)  # new documents, back-dated re-posts, deletion marks, a physical deletion or two
    after = {entity: source_versions(data, entity) for entity in DOCUMENTS}
    reposted = {e: {k for k, v in after[e].items() if k in before[e] and before[e][k] != v} for e in DOCUMENTS}
    assert any(reposted.values()), "advance should re-post some documents"

    materialize(data, base_url, monkeypatch, "incremental", [onec_trade, onec_crm])
    in_window = 0
    for entity in DOCUMENTS:
        loaded = raw_versions(warehouse, entity)
        assert set(after[entity]) - set(before[entity]) <= set(loaded), f"{entity}: new documents missing"
        # The window's overlap reaches back to last month's closing corrections; older ones wait for reconcile.
        window_start = latest_date(warehouse, entity) - timedelta(days=DEFAULT_OVERLAP_DAYS)
        for key in reposted[entity]:
            if document_date(warehouse, entity, key) >= window_start:
                in_window += 1
                assert loaded[key] == after[entity][key], f"{entity} {key}: re-post not picked up"
    assert in_window, "advance should re-post some documents of the last closed month"

    materialize(data, base_url, monkeypatch, "reconcile", [onec_trade, onec_crm])
    for entity in DOCUMENTS:
        assert raw_versions(warehouse, entity) == after[entity], entity
