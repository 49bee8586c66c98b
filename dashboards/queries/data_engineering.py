"""Load audit, rejects, freshness, dbt test results and row counts for the data engineers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from dashboards import db
from ingestion.warehouse import PROJECT_ROOT

HOURS_SINCE = "round((extract(epoch from now() - max(last_success_at)) / 3600)::numeric, 2)"


def freshness_limit_hours(source: str) -> float:
    """The limits of the Dagster freshness checks: 1C sources and files."""
    if source.startswith("onec"):
        return float(os.environ.get("ONEC_FRESHNESS_HOURS", "2"))
    return float(os.environ.get("FILES_FRESHNESS_HOURS", "26"))


def last_load_per_source() -> pd.DataFrame | None:
    """Per source: its latest batch, entities, rows read, loaded and rejected, failed entities."""
    return db.aggregate("rpt_source_freshness", ["source"], {
        "entities": "count(*)", "last_batch_id": "max(last_batch_id)", "last_finished_at": "max(last_finished_at)",
        "rows_read": "sum(last_rows_read)", "rows_loaded": "sum(last_rows_loaded)",
        "rows_rejected": "sum(last_rows_rejected)",
        "not_succeeded": "count(*) filter (where last_status <> 'succeeded')",
        "hours_since_success": HOURS_SINCE.replace("max(", "min(")}, order="1")


def freshness() -> pd.DataFrame | None:
    frame = db.aggregate("rpt_source_freshness", ["source", "entity", "last_status", "last_success_at"],
                         {"hours_since_success": HOURS_SINCE}, order="1, 2")
    if frame is None:
        return None
    frame["limit_hours"] = [freshness_limit_hours(s) for s in frame["source"]]
    frame["is_fresh"] = [h is not None and h == h and float(h) <= lim
                         for h, lim in zip(frame["hours_since_success"], frame["limit_hours"], strict=True)]
    return frame


def reject_reasons() -> pd.DataFrame | None:
    return db.aggregate("fct_load_rejects", ["source", "entity", "reason"], {"rejects": "count(*)"},
                        order="4 desc")


def rejects(source: list[str], entity: list[str], reason_text: str, limit: int = 500) -> pd.DataFrame | None:
    if not db.has("fct_load_rejects"):
        return None
    where, params = ["true"], {}
    if source:
        where.append("source = any(:src)")
        params["src"] = source
    if entity:
        where.append("entity = any(:ent)")
        params["ent"] = entity
    if reason_text:
        where.append("reason ilike :reason")
        params["reason"] = f"%{reason_text}%"
    return db.select("fct_load_rejects", ["rejected_at", "batch_id", "source", "entity", "record_key", "field",
                                          "reason", "payload"], where=" and ".join(where), params=params,
                     order="reject_id desc", limit=limit)


def row_counts() -> pd.DataFrame:
    """Rows of every mart: a table's as its last ANALYZE counted them (each dbt build analyzes the marts it
    builds; counting millions of rows on every visit would cost seconds), a view's (the small ops views) counted."""
    if not db.mart_columns():
        return pd.DataFrame(columns=["mart", "rows"])
    tables = db.query(
        "select c.relname as mart, c.relkind in ('r', 'p') and c.reltuples >= 0 as analyzed, "
        "c.reltuples::bigint as rows from pg_catalog.pg_class c "
        "join pg_catalog.pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'marts' and c.relkind in ('r', 'p', 'v', 'm') and has_table_privilege(c.oid, 'select') "
        "order by 1")
    counted = [name for name in tables.loc[~tables["analyzed"], "mart"] if name.isidentifier()]
    if counted:
        exact = db.query(" union all ".join(
            f"select '{name}' as mart, count(*) as rows from marts.\"{name}\"" for name in counted))
        tables = tables.set_index("mart")
        tables.loc[exact["mart"], "rows"] = exact["rows"].to_numpy()
        tables = tables.reset_index()
    return tables[["mart", "rows"]]


def results_dirs() -> list[Path]:
    dirs = [Path(os.environ["DBT_TARGET_PATH"])] if os.environ.get("DBT_TARGET_PATH") else []
    return [*dirs, PROJECT_ROOT / "dbt" / "target"]


def dbt_test_results() -> tuple[pd.DataFrame | None, str | None]:
    """The tests of the newest dbt run_results.json (dbt's target or a Dagster run's subfolder of it; not
    deeper: the compiled SQL under them is thousands of files to walk on every page load)."""
    files = [p for d in results_dirs() for p in (d / "run_results.json", *d.glob("*/run_results.json"))
             if p.is_file()]
    for path in sorted(files, key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            results = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        rows = [{"test": r["unique_id"].split(".")[-2] if r["unique_id"].startswith("test.")
                 else r["unique_id"].split(".", 2)[-1],
                 "kind": r["unique_id"].split(".")[0], "status": r.get("status"), "failures": r.get("failures"),
                 "seconds": round(r.get("execution_time") or 0, 2), "message": r.get("message")}
                for r in results.get("results", []) if r["unique_id"].startswith(("test.", "unit_test."))]
        if rows:
            generated = results.get("metadata", {}).get("generated_at")
            return pd.DataFrame(rows).sort_values(["status", "test"]), generated
    return None, None
