"""The whole pipeline at scale, step by step, and dbt against a plain copy of raw (issue 8, benchmarks 1-2).

    python benchmarks/bench_pipeline.py [--scale large] [--data DIR] [--skip-ingest | --skip-build]

Steps, each in its own process so its peak memory is its own:
  1. generate the demo company (skipped when DIR already holds it);
  2. ingest every 1C entity set over HTTP from the demo OData server and every file source into raw
     (the functions the Dagster assets call: `onec_sync.load_full`, `file_sync.sync_folder`);
  3. `dbt build --full-refresh` (every model and test, built in full);
  4. the baseline: `create table … as select * from raw.<t>` for every raw table, once.
Prints wall time and peak memory per step (the step's own processes and the PostgreSQL server's, both
sampled every 0.2 s), and dbt build time / copy time (target, issue 8: at most 8). The step's figure is
sampled rather than the child's `ru_maxrss`, which Linux carries over from the parent at fork: this script
hosts the demo OData server, whose index of a large company would be counted as the ingestion's.
Uses its own embedded warehouse under .warehouse-bench-pipeline/ (or BENCH_WAREHOUSE_DIR, BENCH_WAREHOUSE_URL).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if os.environ.get("BENCH_WAREHOUSE_URL"):
    os.environ["WAREHOUSE_URL"] = os.environ["BENCH_WAREHOUSE_URL"]
else:
    os.environ.pop("WAREHOUSE_URL", None)
    os.environ["WAREHOUSE_DIR"] = os.environ.get("BENCH_WAREHOUSE_DIR") or str(ROOT / ".warehouse-bench-pipeline")

import psutil  # noqa: E402

from ingestion import warehouse  # noqa: E402

MIB = 1024 * 1024
# dbt's target and logs apart from the project's own (tests may run beside a benchmark)
DBT_OUTPUT = {"DBT_TARGET_PATH": str(ROOT / "benchmarks" / "out" / "dbt-target-pipeline"),
              "DBT_LOG_PATH": str(ROOT / "benchmarks" / "out" / "dbt-logs-pipeline")}


def postgres_rss() -> int:
    """Resident memory of every PostgreSQL server process on this machine, bytes."""
    total = 0
    for proc in psutil.process_iter(["name", "memory_info"]):
        if (proc.info["name"] or "").startswith("postgres") and proc.info["memory_info"]:
            total += proc.info["memory_info"].rss
    return total


def tree_rss(pid: int) -> int:
    """Resident memory of a process and its descendants, bytes (0 once it has exited)."""
    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.Error:
        return 0


class PeakSampler:
    """Samples the PostgreSQL servers' memory, and a step's processes once `watch` names them, in the
    background while a step runs."""

    def __init__(self) -> None:
        self.peak = 0
        self.step_peak = 0
        self.pid: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, pid: int) -> None:
        self.pid = pid

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, postgres_rss())
            if self.pid is not None:
                self.step_peak = max(self.step_peak, tree_rss(self.pid))
            self._stop.wait(0.2)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_step(name: str, argv: list[str], env: dict | None = None) -> dict:
    """Run one step as a child process; wall time, the child's peak RSS, PostgreSQL's peak RSS."""
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {' '.join(argv[:4])} ...", flush=True)
    started = time.perf_counter()
    with PeakSampler() as pg:
        child = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **(env or {})})
        pg.watch(child.pid)
        status = child.wait()
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{name} failed (exit {status})")
    result = {"step": name, "seconds": seconds, "rss_mib": pg.step_peak / MIB, "pg_mib": pg.peak / MIB}
    print(f"    {seconds:8.1f} s   peak {result['rss_mib']:7.0f} MiB   PostgreSQL peak {result['pg_mib']:7.0f} MiB",
          flush=True)
    return result


def ingest(data: Path, base_url: str, mode: str) -> None:
    """Step 2, in a child process: every 1C entity set over HTTP, then every file source.
    mode full = `onec_sync.load_full`; window = `load_window` (the hourly incremental mode)."""
    from ingestion.full_load import load_everything

    rows = load_everything(warehouse.as_role("loader"), base_url, files_dir=data, mode=mode,
                           log=lambda line: print(f"    {line}", flush=True))
    hwm = next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines()
               if line.startswith("VmHWM:"))  # this process's own high-water mark, exact
    print(f"    {rows:,} 1C objects read; peak resident memory of the ingestion process {int(hwm) / 1024:.0f} MiB",
          flush=True)


def copy_raw_once() -> dict:
    """Step 4: the baseline, every raw table copied once with CREATE TABLE AS, timed together."""
    from psycopg import sql

    admin = warehouse.admin()
    with admin.connect(autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "select tablename from pg_tables where schemaname = 'raw' order by tablename").fetchall()]
        # the planner's estimate: kept in the catalog (the activity statistics are lost if the server stops hard)
        rows = conn.execute("select coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint from pg_class c "
                            "join pg_namespace n on n.oid = c.relnamespace "
                            "where n.nspname = 'raw' and c.relkind = 'r'").fetchone()[0]
        conn.execute("drop schema if exists bench_copy cascade")
        conn.execute("create schema bench_copy")
        print(f"[{time.strftime('%H:%M:%S')}] copy raw once: {len(tables)} tables, ~{rows:,} rows ...", flush=True)
        started = time.perf_counter()
        with PeakSampler() as pg:
            for table in tables:
                conn.execute(sql.SQL("create table bench_copy.{} as select * from raw.{}").format(
                    sql.Identifier(table), sql.Identifier(table)))
        seconds = time.perf_counter() - started
        conn.execute("drop schema bench_copy cascade")
    print(f"    {seconds:8.1f} s   PostgreSQL peak {pg.peak / MIB:7.0f} MiB", flush=True)
    return {"step": "copy raw once (baseline)", "seconds": seconds, "rss_mib": 0.0, "pg_mib": pg.peak / MIB}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="large", choices=["tiny", "small", "medium", "large"])
    parser.add_argument("--data", type=Path, help="the company's folder (default benchmarks/out/pipeline_<scale>)")
    parser.add_argument("--skip-ingest", action="store_true", help="reuse what raw holds; time dbt and the copy")
    parser.add_argument("--skip-build", action="store_true", help="stop after the ingestion")
    # the child process of step 2 (and of bench_incremental.py)
    parser.add_argument("--ingest-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="full", choices=["full", "window"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest_only:
        ingest(args.ingest_only, args.base_url, args.mode)
        return

    data = args.data or ROOT / "benchmarks" / "out" / f"pipeline_{args.scale}"
    python = sys.executable
    steps = []
    if not (data / "manifest.json").exists():
        steps.append(run_step("generate", [python, "-m", "ingestion.demo", "generate", "--scale", args.scale,
                                           "--out", str(data)]))
    warehouse.up()
    if not args.skip_ingest:
        from ingestion.loader.raw_tables import reset_raw  # an empty raw, as on a fresh install

        reset_raw(warehouse)
        # the demo 1C in this process, on a free port (the ingestion is its own process)
        from ingestion.demo.server import start_server

        server, base_url = start_server(data)
        try:
            steps.append(run_step("ingest (1C over HTTP + files)",
                                  [python, __file__, "--ingest-only", str(data), "--base-url", base_url]))
        finally:
            server.shutdown()
            server.server_close()
    if not args.skip_build:
        dbt = str(Path(python).parent / "dbt")
        dbt_dir = str(ROOT / "dbt")
        # in full: with --skip-ingest the models are there already, and the figure is a full build's
        steps.append(run_step("dbt build", [dbt, "build", "--full-refresh", "--project-dir", dbt_dir,
                                            "--profiles-dir", dbt_dir],
                              env={**warehouse.dbt_env(), **DBT_OUTPUT}))
        steps.append(copy_raw_once())

    print(f"\nscale {args.scale}, data {data}")
    print("| step | wall time, s | peak RSS of the step, MiB | PostgreSQL peak RSS, MiB |")
    print("|---|---|---|---|")
    for step in steps:
        print(f"| {step['step']} | {step['seconds']:.1f} | {step['rss_mib']:.0f} | {step['pg_mib']:.0f} |")
    if not args.skip_build:
        build = next(s["seconds"] for s in steps if s["step"] == "dbt build")
        copy = steps[-1]["seconds"]
        print(f"\ndbt build / copy raw once = {build:.1f} / {copy:.1f} = {build / copy:.1f} (target ≤ 8)")


if __name__ == "__main__":
    main()
