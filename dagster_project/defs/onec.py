"""1C entity sets as Dagster assets: one asset per entity set, one multi-asset per infobase.

The loading itself is `ingestion.onec_sync`; this module only wires it: which entity sets,
which mode, which checks.
"""

import os

import dagster as dg

from dagster_project.defs.resources import OneCResource, WarehouseResource
from ingestion.loader.batch import Counts
from ingestion.loader.onec_tables import onec_table
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec_sync import load_changes, load_full, load_window, reconcile

BASES = ("trade", "crm")
MODES = ("incremental", "full", "reconcile", "changes")


class OneCLoadConfig(dg.Config):
    mode: str = "incremental"  # incremental: date window (catalogs reconciled); or full, reconcile, changes


def raw_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", onec_table(entity).table])


def section_keys(entity: str) -> list[dg.AssetKey]:
    """The tables of an entity's tabular sections: loaded with their documents, assets of their own."""
    return [dg.AssetKey(["raw", child.table]) for child in onec_table(entity).children]


def max_reject_rate() -> float:
    return float(os.environ.get("INGEST_MAX_REJECT_RATE", "0.01"))


def _checks(entity: str) -> list[dg.AssetCheckSpec]:
    key = raw_key(entity)
    return [
        dg.AssetCheckSpec("rows_reconcile", asset=key, description="rows read = rows loaded + rows rejected"),
        dg.AssetCheckSpec("reject_rate", asset=key,
                          description="share of rejected records at most INGEST_MAX_REJECT_RATE (default 1%)"),
    ]


def _check_results(entity: str, counts) -> list[dg.AssetCheckResult]:
    key = raw_key(entity)
    rate = counts.rejected / counts.read if counts.read else 0.0
    meta = {"read": counts.read, "loaded": counts.loaded, "rejected": counts.rejected}
    return [
        dg.AssetCheckResult(asset_key=key, check_name="rows_reconcile",
                            passed=counts.read == counts.loaded + counts.rejected, metadata=meta),
        dg.AssetCheckResult(asset_key=key, check_name="reject_rate", passed=rate <= max_reject_rate(),
                            metadata={**meta, "reject_rate": rate},
                            description=f"{counts.rejected} of {counts.read} rejected: see ops.rejects"),
    ]


def _results(entity: str, counts, mode: str, wanted):
    """Materializations of the entity's selected tables, and its checks when the header was selected."""
    if raw_key(entity) in wanted:
        yield dg.MaterializeResult(asset_key=raw_key(entity), metadata={
            "mode": mode, "rows_read": counts.read, "rows_loaded": counts.loaded,
            "rows_rejected": counts.rejected, "rows_deleted": counts.deleted, "lines_loaded": counts.lines})
        yield from _check_results(entity, counts)
    for key in section_keys(entity):
        if key in wanted:
            yield dg.MaterializeResult(asset_key=key, metadata={"mode": mode, "lines_loaded": counts.lines})


def onec_assets(base: str) -> dg.AssetsDefinition:
    entities = [name for name, es in ENTITY_SETS.items() if es.base == base]
    specs = [
        dg.AssetSpec(raw_key(name), group_name=f"onec_{base}", kinds={"postgres"}, skippable=True,
                     description=f"1C {base} `{name}`: {ENTITY_SETS[name].meaning}",
                     metadata={"entity_set": name, "table": onec_table(name).qualified})
        for name in entities
    ] + [
        dg.AssetSpec(key, group_name=f"onec_{base}", kinds={"postgres"}, skippable=True, deps=[raw_key(name)],
                     description=f"Tabular section of 1C `{name}`, loaded with its documents")
        for name in entities for key in section_keys(name)
    ]

    @dg.multi_asset(name=f"onec_{base}", specs=specs, check_specs=[c for e in entities for c in _checks(e)],
                    can_subset=True, group_name=f"onec_{base}")
    def load(context: dg.AssetExecutionContext, config: OneCLoadConfig, warehouse: WarehouseResource,
             onec: OneCResource):
        if config.mode not in MODES:
            raise dg.Failure(f"mode must be one of {', '.join(MODES)}, got {config.mode!r}")
        loader = warehouse.loader()
        wanted = context.selected_asset_keys
        selected = [e for e in entities if wanted & {raw_key(e), *section_keys(e)}]
        with onec.client(base, log=context.log.warning) as client:
            if config.mode == "changes":
                result = load_changes(client, loader, source=f"onec_{base}", plan=onec.exchange_plan,
                                      node_code=onec.exchange_node, known=set(selected).__contains__)
                context.log.info(f"{base}: {result.messages} messages, {result.objects} objects, "
                                 f"{result.deleted} deletions")
                for entity in selected:
                    yield from _results(entity, result.counts.get(entity, Counts()), "changes", wanted)
                return
            for entity in selected:
                if config.mode == "full":
                    counts = load_full(client, loader, entity)
                elif config.mode == "reconcile":
                    counts = reconcile(client, loader, entity)
                else:
                    counts = load_window(client, loader, entity)
                context.log.info(f"{entity}: read {counts.read}, loaded {counts.loaded}, "
                                 f"rejected {counts.rejected}, deleted {counts.deleted}")
                yield from _results(entity, counts, config.mode, wanted)

    return load


onec_trade = onec_assets("trade")
onec_crm = onec_assets("crm")
