"""File sources as Dagster assets, and a sensor on the XLSX drop folders."""

import hashlib
import json

import dagster as dg

from dagster_project.defs.resources import FilesResource, WarehouseResource
from ingestion.connectors.files import FILE_SOURCES, FileSource
from ingestion.file_sync import sync_folder

GROUPS = {"mango": "telephony", "ad_costs": "marketing", "supplier_invoices": "xlsx_drops", "budget": "xlsx_drops"}


def raw_key(source: FileSource) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.spec.table])


def file_asset(source: FileSource) -> dg.AssetsDefinition:
    key = raw_key(source)

    @dg.asset(key=key, group_name=GROUPS[source.name], kinds={"postgres"},
              description=f"`{source.name}` files ({source.pattern}) from the drop folder into {source.spec.qualified}",
              check_specs=[dg.AssetCheckSpec("rows_reconcile", asset=key,
                                             description="rows read = rows loaded + rows rejected, per file")])
    def load(context: dg.AssetExecutionContext, warehouse: WarehouseResource, files: FilesResource):
        folder = files.folder(source.name)
        results = sync_folder(warehouse.loader(), source, folder)
        for r in results:
            context.log.info(f"{r.file}: read {r.counts.read}, loaded {r.counts.loaded}, "
                             f"rejected {r.counts.rejected}")
        yield dg.MaterializeResult(metadata={
            "folder": str(folder), "files_loaded": len(results),
            "rows_read": sum(r.counts.read for r in results),
            "rows_loaded": sum(r.counts.loaded for r in results),
            "rows_rejected": sum(r.counts.rejected for r in results)})
        yield dg.AssetCheckResult(check_name="rows_reconcile", passed=all(
            r.counts.read == r.counts.loaded + r.counts.rejected for r in results))

    return load


file_assets = [file_asset(source) for source in FILE_SOURCES]
XLSX_SOURCES = [s for s in FILE_SOURCES if s.pattern.endswith(".xlsx")]


@dg.sensor(name="xlsx_drop_folder", minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           asset_selection=[raw_key(s) for s in XLSX_SOURCES],
           description="Loads supplier invoices and budgets as soon as a new or changed XLSX lands in the folder.")
def xlsx_drop_folder(context: dg.SensorEvaluationContext, files: FilesResource):
    seen = json.loads(context.cursor) if context.cursor else {}
    now = {}
    changed = []
    for source in XLSX_SOURCES:
        folder = files.folder(source.name)
        for path in sorted(folder.glob(source.pattern)) if folder.is_dir() else []:
            stamp = f"{path.stat().st_size}:{path.stat().st_mtime_ns}"
            now[f"{source.name}/{path.name}"] = stamp
            if seen.get(f"{source.name}/{path.name}") != stamp:
                changed.append(source)
    context.update_cursor(json.dumps(now, sort_keys=True))
    keys = sorted({raw_key(s) for s in changed}, key=str)
    if not keys:
        return dg.SkipReason("no new or changed XLSX files")
    run_key = hashlib.sha1(json.dumps(now, sort_keys=True).encode()).hexdigest()  # one run per folder state
    return dg.RunRequest(run_key=run_key, asset_selection=keys)
