"""The Dagster code location loads, and a real run materializes the dbt assets and their checks."""

from __future__ import annotations

import dagster as dg


def test_definitions_load_with_dbt_assets_and_checks():
    from dagster_project.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"staging/chart_of_accounts", "marts/dim_accounts"} <= keys
    checks = {check.name for check in graph.asset_check_keys}
    assert "assert_accounts_classes_match_statements" in checks
    assert any(name.startswith("unique_fct_ledger_entries_entry_id") for name in checks)
    # every raw table is watched for freshness; every loaded entity (sections load with their documents)
    # for rows read = loaded + rejected
    raw_keys = {key for key in graph.get_all_asset_keys() if key.path[0] == "raw"}
    checked = {name: {c.asset_key for c in graph.asset_check_keys if c.name == name}
               for name in ("rows_reconcile", "freshness_check")}
    assert raw_keys <= checked["freshness_check"]
    assert {key for key in raw_keys if "__" not in key.path[1]} == checked["rows_reconcile"]
    assert {s.name for s in defs.sensors} == {"xlsx_drop_folder", "freshness_checks_sensor"}
    # dbt's sources are the ingestion assets: lineage runs from the 1C entity set to the staging view
    shipments = graph.get(dg.AssetKey(["staging", "stg_onec_trade__shipment_lines"]))
    assert dg.AssetKey(["raw", "document_realizatsiya_tovarov_uslug__tovary"]) in shipments.parent_keys
    assert {s.name for s in defs.schedules} == {"hourly_ingest", "nightly_reconcile"}


def test_materialize_dbt_assets(warehouse, tmp_path):
    from dagster_project.defs.dbt import dbt_models, dbt_resource

    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        result = dg.materialize([dbt_models], resources={"dbt": dbt_resource}, instance=instance,
                                run_config={"ops": {"dbt_models": {"config": {"full_refresh": True}}}})
    assert result.success
    materialized = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert {"staging/chart_of_accounts", "marts/dim_accounts"} <= materialized
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(evaluation.passed for evaluation in evaluations)
    with warehouse.as_role("reader").connect() as conn:
        assert conn.execute("select count(*) from marts.dim_accounts").fetchone()[0] > 0
