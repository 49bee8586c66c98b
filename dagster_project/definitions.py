"""Dagster code location: every asset, check, job and schedule of the warehouse."""

import os
from datetime import timedelta

import dagster as dg

from dagster_project.defs.dbt import dbt_models, dbt_resource
from dagster_project.defs.files import file_assets, xlsx_drop_folder
from dagster_project.defs.onec import onec_crm, onec_trade
from dagster_project.defs.resources import FilesResource, OneCResource, WarehouseResource

SOURCES = dg.AssetSelection.groups("onec_trade", "onec_crm", "telephony", "marketing", "xlsx_drops")
ONEC = dg.AssetSelection.groups("onec_trade", "onec_crm")

# Freshness: 1C is loaded hourly, files arrive daily; a source silent for longer shows a failed check.
freshness_checks = [
    *dg.build_last_update_freshness_checks(
        assets=[onec_trade, onec_crm], severity=dg.AssetCheckSeverity.ERROR,
        lower_bound_delta=timedelta(hours=float(os.environ.get("ONEC_FRESHNESS_HOURS", "2")))),
    *dg.build_last_update_freshness_checks(
        assets=file_assets, lower_bound_delta=timedelta(hours=float(os.environ.get("FILES_FRESHNESS_HOURS", "26")))),
]
freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=freshness_checks, default_status=dg.DefaultSensorStatus.RUNNING)

build_everything = dg.define_asset_job(
    "build_everything", selection=dg.AssetSelection.all(),
    description="Load every source incrementally and rebuild every model.")
ingest_incremental = dg.define_asset_job(
    "ingest_incremental", selection=SOURCES | SOURCES.downstream(),
    description="Hourly: new and changed source records (date window with overlap), then the models.")
reconcile_sources = dg.define_asset_job(
    "reconcile_sources", selection=ONEC | ONEC.downstream(),
    config={"ops": {**{name: {"config": {"mode": "reconcile"}} for name in ("onec_trade", "onec_crm")},
                    "dbt_models": {"config": {"full_refresh": True}}}},
    description="Nightly: compare every object's version with the source, re-read changes, drop deletions; "
                "then rebuild the models in full (corrections older than the incremental window).")

defs = dg.Definitions(
    assets=[onec_trade, onec_crm, *file_assets, dbt_models],
    asset_checks=freshness_checks,
    jobs=[build_everything, ingest_incremental, reconcile_sources],
    schedules=[
        dg.ScheduleDefinition(job=ingest_incremental, cron_schedule="0 * * * *", name="hourly_ingest"),
        dg.ScheduleDefinition(job=reconcile_sources, cron_schedule="30 2 * * *", name="nightly_reconcile"),
    ],
    sensors=[xlsx_drop_folder, freshness_sensor],
    resources={"dbt": dbt_resource, "warehouse": WarehouseResource(), "onec": OneCResource(),
               "files": FilesResource()},
)
