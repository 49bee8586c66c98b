"""Ingestion throughput: shipments from the demo 1C OData server into `raw`, against two baselines.

    python benchmarks/bench_ingest.py [--scale medium] [--data DIR]

Measured in one run, on the same rows (shipment documents and their lines):
  1. end to end: HTTP pages from the demo server (its own process) → JSON → validation in
     PostgreSQL → typed upsert into raw (the production path, `ingestion.onec_sync.load_full`);
  2. plain COPY of the same typed rows into empty tables (the ceiling);
  3. pandas `to_sql` of the same rows (the common shortcut).
Targets (issue 4): end to end ≥ 50 % of plain COPY, ≥ 5× to_sql, peak memory ≤ 2 GiB.
Uses its own embedded warehouse under .warehouse-bench/ (or BENCH_WAREHOUSE_URL).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
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
    os.environ["WAREHOUSE_DIR"] = str(ROOT / ".warehouse-bench")

import httpx  # noqa: E402
import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from ingestion import warehouse  # noqa: E402
from ingestion.connectors.onec_odata import ODataClient, ODataSettings  # noqa: E402
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table  # noqa: E402
from ingestion.onec_sync import load_full  # noqa: E402

ENTITY = "Document_РеализацияТоваровУслуг"
PORT = 8097


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ensure_data(scale: str, data: Path) -> None:
    if (data / "manifest.json").exists():
        return
    print(f"generating the {scale} company into {data} ...", flush=True)
    subprocess.run([sys.executable, "-m", "ingestion.demo", "generate", "--scale", scale, "--out", str(data)],
                   check=True, cwd=ROOT)


def start_server(data: Path) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "ingestion.demo", "serve", "--data", str(data),
                               "--port", str(PORT)], cwd=ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{PORT}/trade/odata/standard.odata/{ENTITY}?$top=1&$format=json"
    for _ in range(600):
        try:
            if httpx.get(url, auth=("odata", "odata"), timeout=60).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    server.kill()
    raise SystemExit("the demo OData server did not come up")


def referenced_catalogs(spec, order: list[str] | None = None) -> list[str]:
    """The catalogs the shipments must reference, each after the ones it references itself: loaded first,
    untimed, as in production (otherwise every shipment is rightly rejected for a missing reference)."""
    order = [] if order is None else order
    names = {c.name for t in (spec, *spec.children) for c in t.columns if c.references}
    for target in sorted({REFERENCE_TARGETS[n] for n in names} - {spec.entity}):
        if target not in order:
            referenced_catalogs(onec_table(target), order)
            order.append(target)
    return order


def typed_rows(conn, table) -> tuple[list[str], bytes]:
    """The table's rows as COPY text, and its column definitions, for the baselines."""
    cols = [f'"{c.sql_name}" {c.pg_type}' for c in table.columns]
    buf = io.BytesIO()
    names = ", ".join(f'"{c.sql_name}"' for c in table.columns)
    with conn.cursor().copy(f"copy (select {names} from {table.qualified}) to stdout") as copy:
        for chunk in copy:
            buf.write(chunk)
    return cols, buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    data = (args.data or ROOT / "data" / f"bench-{args.scale}").resolve()
    ensure_data(args.scale, data)
    warehouse.up()
    loader = warehouse.as_role("loader")
    spec = onec_table(ENTITY)
    with warehouse.admin().connect(autocommit=True) as conn:
        for t in (spec, *spec.children):
            conn.execute(f"drop table if exists {t.qualified}")
        conn.execute("create schema if not exists bench")
        conn.execute("drop table if exists bench.copy_header, bench.copy_lines, bench.sql_header, bench.sql_lines")

    server = start_server(data)
    try:
        settings = ODataSettings(f"http://127.0.0.1:{PORT}/trade/odata/standard.odata", "odata", "odata",
                                 page_size=int(os.environ.get("ONEC_PAGE_SIZE", "5000")))
        with ODataClient(settings) as client:
            for catalog in referenced_catalogs(spec):
                load_full(client, loader, catalog)
            started = time.perf_counter()
            counts = load_full(client, loader, ENTITY)
            e2e_seconds = time.perf_counter() - started
        e2e_peak = peak_rss_mib()
    finally:
        server.terminate()
        server.wait()
    rows = counts.loaded + counts.lines
    if counts.rejected:
        print(f"warning: {counts.rejected:,} shipments rejected (see ops.rejects)", flush=True)
    print(f"end to end: {counts.loaded:,} shipments + {counts.lines:,} lines = {rows:,} rows in {e2e_seconds:.1f} s"
          f" = {rows / e2e_seconds:,.0f} rows/s ({counts.lines / e2e_seconds:,.0f} lines/s); "
          f"peak memory {e2e_peak:,.0f} MiB", flush=True)

    with warehouse.admin().connect(autocommit=True) as conn:
        tables = [typed_rows(conn, t) for t in (spec, spec.children[0])]
        started = time.perf_counter()
        for (cols, payload), target in zip(tables, ("copy_header", "copy_lines"), strict=True):
            conn.execute(f"create table bench.{target} ({', '.join(cols)})")
            with conn.cursor().copy(f"copy bench.{target} from stdin") as copy:
                copy.write(payload)
        copy_seconds = time.perf_counter() - started
    print(f"plain COPY: {rows:,} rows in {copy_seconds:.1f} s = {rows / copy_seconds:,.0f} rows/s", flush=True)

    engine = sa.create_engine(warehouse.admin().sqlalchemy_url())
    frames = [pd.read_sql_table(t.table, engine, schema="raw").drop(columns=["_batch_id", "_loaded_at"])
              for t in (spec, spec.children[0])]
    started = time.perf_counter()
    for frame, target in zip(frames, ("sql_header", "sql_lines"), strict=True):
        frame.to_sql(target, engine, schema="bench", index=False)
    to_sql_seconds = time.perf_counter() - started
    print(f"pandas to_sql: {rows:,} rows in {to_sql_seconds:.1f} s = {rows / to_sql_seconds:,.0f} rows/s", flush=True)

    e2e, copy, to_sql = rows / e2e_seconds, rows / copy_seconds, rows / to_sql_seconds
    print(f"ratio end to end / plain COPY: {e2e / copy:.2f} (target ≥ 0.50)")
    print(f"ratio end to end / to_sql:     {e2e / to_sql:.1f}× (target ≥ 5×)")
    print(f"peak memory of the end-to-end load: {e2e_peak:,.0f} MiB (target ≤ 2048 MiB)")
    with warehouse.admin().connect(autocommit=True) as conn:
        conn.execute("drop schema bench cascade")


if __name__ == "__main__":
    main()
