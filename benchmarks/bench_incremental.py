"""An incremental refresh after one more business day, against a full rebuild (issue 8, benchmark 3).

    python benchmarks/bench_incremental.py [--scale large] [--data DIR] [--days 1]

Needs the warehouse of bench_pipeline.py already loaded and built for the same company (run that first,
same --scale/--data). Then:
  1. the company lives one more day (`ingestion.demo.advance`: new documents, back-dated re-posts of
     the month just closed, deletions), not timed as part of the refresh;
  2. the refresh: the ingestion's incremental mode (documents by the date window with the 35-day
     overlap, catalogs reconciled by their versions, `onec_sync.load_window`) and changed files, then
     `dbt build` (incremental models rebuild only the months the window can touch);
  3. every mart fingerprinted (row count and an order-independent hash of its rows), then
     `dbt build --full-refresh` and the same fingerprints: they must be equal, table by table.
Target: step 2 at most 60 s on `large`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if os.environ.get("BENCH_WAREHOUSE_URL"):
    os.environ["WAREHOUSE_URL"] = os.environ["BENCH_WAREHOUSE_URL"]
else:
    os.environ.pop("WAREHOUSE_URL", None)
    os.environ["WAREHOUSE_DIR"] = os.environ.get("BENCH_WAREHOUSE_DIR") or str(ROOT / ".warehouse-bench-pipeline")

from ingestion import warehouse  # noqa: E402

# dbt's target and logs apart from the project's own, as bench_pipeline.py writes them
DBT_OUTPUT = {"DBT_TARGET_PATH": str(ROOT / "benchmarks" / "out" / "dbt-target-pipeline"),
              "DBT_LOG_PATH": str(ROOT / "benchmarks" / "out" / "dbt-logs-pipeline")}


def timed(label: str, func):
    print(f"[{time.strftime('%H:%M:%S')}] {label} ...", flush=True)
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    print(f"    {seconds:.1f} s", flush=True)
    return seconds, result


def ingest_incremental(data: Path, base_url: str) -> None:
    """The hourly mode, in its own process (bench_pipeline.py's ingestion child, mode window)."""
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_pipeline.py"), "--ingest-only", str(data),
                    "--base-url", base_url, "--mode", "window"], check=True, cwd=ROOT)


def dbt(*args: str) -> None:
    project = str(ROOT / "dbt")
    executable = str(Path(sys.executable).parent / "dbt")
    result = subprocess.run([executable, *args, "--project-dir", project, "--profiles-dir", project],
                            env={**os.environ, **warehouse.dbt_env(), **DBT_OUTPUT}, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-3000:]}")


def slowest_nodes(count: int = 12) -> None:
    """The incremental build's costliest models and tests, from dbt's run_results.json (kept beside it)."""
    import json
    import shutil

    target = Path(DBT_OUTPUT["DBT_TARGET_PATH"])
    shutil.copy(target / "run_results.json", target / "run_results_incremental.json")
    results = json.loads((target / "run_results.json").read_text())["results"]
    for node in sorted(results, key=lambda r: -r["execution_time"])[:count]:
        print(f"    {node['execution_time']:7.1f} s  {node['unique_id'].split('.', 2)[-1][:90]}")


def fingerprints() -> dict[str, tuple[int, int]]:
    """Per mart table: (rows, Σ hash of each row's text), independent of row order."""
    from psycopg import sql

    with warehouse.admin().connect() as conn:
        tables = [r[0] for r in conn.execute(
            "select tablename from pg_tables where schemaname = 'marts' order by tablename").fetchall()]
        out = {}
        for table in tables:
            out[table] = conn.execute(sql.SQL(
                "select count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) from marts.{} as t"
            ).format(sql.Identifier(table))).fetchone()
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large", choices=["tiny", "small", "medium", "large"])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--days", type=int, default=1)
    args = parser.parse_args()
    data = args.data or ROOT / "benchmarks" / "out" / f"pipeline_{args.scale}"
    if not (data / "manifest.json").exists():
        raise SystemExit(f"{data} holds no company: run benchmarks/bench_pipeline.py --scale {args.scale} first")

    from ingestion.demo.advance import advance

    timed(f"advance the company {args.days} day(s) (not part of the refresh)", lambda: advance(data, days=args.days))
    from ingestion.demo.server import start_server

    server, base_url = start_server(data)  # a free port; the ingestion runs in its own process
    try:
        ingest_seconds, _ = timed("incremental ingestion (date window + changed files)",
                                  lambda: ingest_incremental(data, base_url))
    finally:
        server.shutdown()
        server.server_close()
    dbt_seconds, _ = timed("dbt build (incremental models: the window's months)", lambda: dbt("build"))
    slowest_nodes()
    incremental = fingerprints()
    full_seconds, _ = timed("dbt build --full-refresh (for comparison)", lambda: dbt("build", "--full-refresh"))
    full = fingerprints()

    differing = [t for t in full if full[t] != incremental.get(t)]
    print(f"\nscale {args.scale}: refresh = ingestion {ingest_seconds:.1f} s + dbt {dbt_seconds:.1f} s "
          f"= {ingest_seconds + dbt_seconds:.1f} s (target ≤ 60 s); full rebuild {full_seconds:.1f} s")
    print(f"marts equal to the full rebuild: {len(full) - len(differing)} of {len(full)}"
          + (f"; differing: {', '.join(differing)}" if differing else ""))
    if differing:
        sys.exit(1)


if __name__ == "__main__":
    main()
