"""Dagster code location: every asset, check, job and schedule of the warehouse."""

from __future__ import annotations

import dagster as dg

from dagster_project.defs.dbt import dbt_models, dbt_resource

build_everything = dg.define_asset_job("build_everything", selection=dg.AssetSelection.all(),
                                       description="Load every source and rebuild every model.")

defs = dg.Definitions(
    assets=[dbt_models],
    jobs=[build_everything],
    resources={"dbt": dbt_resource},
)
