"""Ingestion throughput: shipments from the demo 1C OData server into `raw`, against two baselines.

    python benchmarks/bench_ingest.py [--scale medium] [--data DIR]

Measured in one run, on the same rows (shipment documents and their lines):
  1. end to end: HTTP pages from the demo server (its own process) → JSON → validation in
     PostgreSQL → typed upsert into raw (the production path, `ingestion.onec_sync.load_full`);
  2. plain COPY of the same typed rows into empty tables (the ceiling);
  3. pandas `to_sql` of the same rows (the common shortcut).
Targets (issue 4): end to end ≥ 50 % of plain COPY, ≥ 5× to_sql, peak memory ≤ 2 GiB.
Each run (`--runs`, default 3) measures all three; the summary gives the median, every run, and the
ratios within each run (the machine may be shared: the load average is printed with each run).
For reference, COPY into tables with raw's primary keys is printed too (raw tables are keyed).
Uses its own embedded warehouse under .warehouse-bench/ (or BENCH_WAREHOUSE_URL).
"""

from __future__ import annotations

import argparse
import io
import json
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

from ingestion import warehouse  # noqa: E402
from ingestion.connectors.onec_odata import ODataClient, ODataSettings  # noqa: E402
from ingestion.loader.onec_tables import REFERENCE_TARGETS, onec_table  # noqa: E402
from ingestion.onec_sync import load_full  # noqa: E402

ENTITY = "Document_РеализацияТоваровУслуг"
PORT = 8097


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own address space; ru_maxrss
    would also count the parent's memory at fork time (Linux carries it across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
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


TICKS = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int, children: bool = False) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / TICKS


def postgres_cpu() -> float | None:
    """CPU seconds used so far by the benchmark's own PostgreSQL: the postmaster with its exited children
    (backends that have ended), plus every live child (backends, WAL writer, checkpointer ...)."""
    pid_file = Path(os.environ["WAREHOUSE_DIR"]) / "postmaster.pid"
    if os.environ.get("BENCH_WAREHOUSE_URL") or not pid_file.exists():
        return None  # a server elsewhere: not measurable from here
    postmaster = int(pid_file.read_text().split()[0])
    total = _proc_cpu(postmaster, children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                    total += _proc_cpu(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass  # ended meanwhile
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def drop_targets(spec) -> None:
    with warehouse.admin().connect(autocommit=True) as conn:
        for t in (spec, *spec.children):
            conn.execute(f"drop table if exists {t.qualified}")
        conn.execute("drop schema if exists bench cascade")
        conn.execute("create schema bench")


def settings() -> ODataSettings:
    return ODataSettings(f"http://127.0.0.1:{PORT}/trade/odata/standard.odata", "odata", "odata",
                         page_size=int(os.environ.get("ONEC_PAGE_SIZE", "5000")),
                         page_bytes=int(float(os.environ.get("ONEC_PAGE_MB", "16")) * 1024 * 1024))


def end_to_end_child() -> None:
    """The timed load, alone in its own interpreter, so its peak memory is its own (not the baselines')."""
    loader = warehouse.as_role("loader")
    with ODataClient(settings()) as client:
        cpu0, started = own_cpu(), time.perf_counter()
        counts = load_full(client, loader, ENTITY)
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak": peak_rss_mib(), "loaded": counts.loaded, "lines": counts.lines,
                      "rejected": counts.rejected, "cpu": own_cpu() - cpu0}))


def run_once(spec, server_pid: int) -> dict:
    """One measurement of all three paths on the same rows. The end-to-end load is a first load (raw empty)."""
    drop_targets(spec)
    import pandas as pd  # here, not at the top: the end-to-end child's memory should not include pandas
    import sqlalchemy as sa

    pg0, server0 = postgres_cpu(), _proc_cpu(server_pid)
    child = subprocess.run([sys.executable, __file__, "--e2e-child"], cwd=ROOT, capture_output=True, text=True)
    pg1, server1 = postgres_cpu(), _proc_cpu(server_pid)
    if child.returncode:
        raise SystemExit(f"the end-to-end load failed:\n{child.stderr[-4000:]}")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    e2e_seconds, e2e_peak = result["seconds"], result["peak"]
    rows = result["loaded"] + result["lines"]
    if result["rejected"]:
        print(f"warning: {result['rejected']:,} shipments rejected (see ops.rejects)", flush=True)
    counts = argparse.Namespace(loaded=result["loaded"], lines=result["lines"])
    # CPU seconds of every process on the path (the loader's during the load only): unlike wall
    # time they do not depend on what else the shared machine is running.
    cpu = {"e2e": result["cpu"] + (server1 - server0) + (pg1 - pg0 if pg0 is not None else float("nan"))}
    print(f"end to end: {counts.loaded:,} shipments + {counts.lines:,} lines = {rows:,} rows in {e2e_seconds:.2f} s"
          f" = {rows / e2e_seconds:,.0f} rows/s; peak memory of the loading process {e2e_peak:,.0f} MiB", flush=True)

    with warehouse.admin().connect(autocommit=True) as conn:
        tables = [typed_rows(conn, t) for t in (spec, spec.children[0])]
        copied = sum(payload.count(b"\n") for _, payload in tables)
        assert copied == rows, f"COPY baseline has {copied} rows, end to end loaded {rows}"
        timings = {}
        for variant, key_clause in (("copy", False), ("copy_keyed", True)):
            pg0, own0 = postgres_cpu(), own_cpu()
            started = time.perf_counter()
            for (cols, payload), table, target in zip(tables, (spec, spec.children[0]), ("header", "lines"),
                                                      strict=True):
                key_names = ", ".join(f'"{table.column(k).sql_name}"' for k in table.key)
                keys = f", primary key ({key_names})" if key_clause else ""
                conn.execute(f"create table bench.{variant}_{target} ({', '.join(cols)}{keys})")
                with conn.cursor().copy(f"copy bench.{variant}_{target} from stdin") as copy:
                    copy.write(payload)
            timings[variant] = time.perf_counter() - started
            cpu[variant] = own_cpu() - own0 + (postgres_cpu() - pg0 if pg0 is not None else float("nan"))
    print(f"plain COPY: {rows:,} rows in {timings['copy']:.2f} s = {rows / timings['copy']:,.0f} rows/s "
          f"(into tables with raw's primary keys: {timings['copy_keyed']:.2f} s = "
          f"{rows / timings['copy_keyed']:,.0f} rows/s)", flush=True)

    engine = sa.create_engine(warehouse.admin().sqlalchemy_url())
    frames = [pd.read_sql_table(t.table, engine, schema="raw").drop(columns=["_batch_id", "_loaded_at"])
              for t in (spec, spec.children[0])]
    assert sum(len(f) for f in frames) == rows
    pg0, own0 = postgres_cpu(), own_cpu()
    started = time.perf_counter()
    for frame, target in zip(frames, ("sql_header", "sql_lines"), strict=True):
        frame.to_sql(target, engine, schema="bench", index=False)
    to_sql_seconds = time.perf_counter() - started
    cpu["to_sql"] = own_cpu() - own0 + (postgres_cpu() - pg0 if pg0 is not None else float("nan"))
    engine.dispose()
    del frames
    print(f"pandas to_sql: {rows:,} rows in {to_sql_seconds:.2f} s = {rows / to_sql_seconds:,.0f} rows/s", flush=True)
    e2e, copy, to_sql = rows / e2e_seconds, rows / timings["copy"], rows / to_sql_seconds
    print(f"ratio end to end / plain COPY: {e2e / copy:.2f} (target ≥ 0.50); end to end / to_sql: "
          f"{e2e / to_sql:.1f}× (target ≥ 5×)", flush=True)
    print("CPU seconds (loader + OData server + PostgreSQL): " + ", ".join(
        f"{name} {seconds:.2f}" for name, seconds in cpu.items()), flush=True)
    return {"rows": rows, "e2e": e2e_seconds, "copy": timings["copy"], "copy_keyed": timings["copy_keyed"],
            "to_sql": to_sql_seconds, "peak": e2e_peak, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="measurements, each of all three paths (default 3)")
    parser.add_argument("--e2e-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.e2e_child:
        end_to_end_child()
        return
    data = (args.data or ROOT / "data" / f"bench-{args.scale}").resolve()
    ensure_data(args.scale, data)
    warehouse.up()
    loader = warehouse.as_role("loader")
    spec = onec_table(ENTITY)
    drop_targets(spec)
    print(f"load average at start: {load_average()} ({os.cpu_count()} CPUs)", flush=True)

    server = start_server(data)
    results = []
    try:
        with ODataClient(settings()) as client:
            for catalog in referenced_catalogs(spec):
                load_full(client, loader, catalog)
        for run in range(1, args.runs + 1):
            print(f"--- run {run} of {args.runs} (load average {load_average()})", flush=True)
            results.append(run_once(spec, server.pid))
    finally:
        server.terminate()
        server.wait()
    with warehouse.admin().connect(autocommit=True) as conn:
        conn.execute("drop schema bench cascade")

    rows = results[0]["rows"]

    def spread(key: str) -> str:
        rates = sorted(rows / r[key] for r in results)
        return f"{rates[len(rates) // 2]:,.0f} rows/s (runs: {', '.join(f'{x:,.0f}' for x in rates)})"

    best = min(results, key=lambda r: r["e2e"])
    print(f"=== {len(results)} runs, {rows:,} rows each; median (all runs); load average now {load_average()}")
    print(f"end to end:    {spread('e2e')}")
    print(f"plain COPY:    {spread('copy')}")
    print(f"COPY with PKs: {spread('copy_keyed')}")
    print(f"pandas to_sql: {spread('to_sql')}")
    ratios_copy = sorted(r["copy"] / r["e2e"] for r in results)
    ratios_sql = sorted(r["to_sql"] / r["e2e"] for r in results)
    print(f"ratio end to end / plain COPY (same run): {', '.join(f'{x:.2f}' for x in ratios_copy)} "
          f"(target ≥ 0.50)")
    print(f"ratio end to end / to_sql (same run):     {', '.join(f'{x:.1f}×' for x in ratios_sql)} (target ≥ 5×)")
    print(f"peak memory of the end-to-end load: {max(r['peak'] for r in results):,.0f} MiB (target ≤ 2048 MiB); "
          f"fastest end to end {best['e2e']:.2f} s")
    for name in ("e2e", "copy", "copy_keyed", "to_sql"):
        seconds = sorted(r["cpu"][name] for r in results)
        middle = seconds[len(seconds) // 2]
        print(f"CPU seconds, {name:10}: median {middle:.2f} ({', '.join(f'{x:.2f}' for x in seconds)}) "
              f"= {rows / middle:,.0f} rows per CPU second")
    median = {name: sorted(r["cpu"][name] for r in results)[len(results) // 2] for name in ("e2e", "copy", "to_sql")}
    print(f"by CPU seconds: end to end / plain COPY {median['copy'] / median['e2e']:.2f}, "
          f"end to end / to_sql {median['to_sql'] / median['e2e']:.1f}×")


if __name__ == "__main__":
    main()
