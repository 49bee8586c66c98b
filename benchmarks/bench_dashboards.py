"""Per-page query time of the dashboards on the `medium` company: p95 of each page's queries ≤ 300 ms
(issue 7); with `--users 20` on `large`, 20 simulated users at once: p95 ≤ 500 ms (issue 8, benchmark 4).

    python benchmarks/bench_dashboards.py [--scale medium] [--data DIR] [--runs 20] [--skip-load]
    python benchmarks/bench_dashboards.py --users 20 --runs 5 --skip-load   # on a warehouse already loaded
    python benchmarks/bench_dashboards.py --skip-load --runs 5 --slowest 15  # which statements cost the most

Loads the company (generated into DATA if missing; default data/bench-<scale>) over the demo 1C OData
server into its own embedded warehouse under benchmarks/out/warehouse-dashboards/ (BENCH_WAREHOUSE_DIR, or
BENCH_WAREHOUSE_URL), builds dbt, then times every page's queries as the page runs them (the query
functions of dashboards/queries/, default filters: the year to date of the latest data) with the
Streamlit cache cleared before each run, so every figure is a cold read of the marts. Prints p50, p95
and max per page. `--skip-load` reuses the warehouse of an earlier run (BENCH_WAREHOUSE_DIR names it).

`--users N`: N threads, each a user opening every page `--runs` times in a random order, all at once,
through the app's own engine and pool, every read cold (the query cache bypassed: the worst case, no user
helped by another's cache); prints p50 and p95 over all users' page loads, per page. `--think S`: each user
pauses S seconds on average after a page (exponentially distributed), as people read what they opened;
the default 0 loads pages back to back.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if os.environ.get("BENCH_WAREHOUSE_URL"):
    os.environ["WAREHOUSE_URL"] = os.environ["BENCH_WAREHOUSE_URL"]
else:
    os.environ.pop("WAREHOUSE_URL", None)
    os.environ["WAREHOUSE_DIR"] = (os.environ.get("BENCH_WAREHOUSE_DIR")
                                   or str(ROOT / "benchmarks" / "out" / "warehouse-dashboards"))
for key in ("DBT_PG_HOST", "DBT_PG_PORT", "DBT_PG_USER", "DBT_PG_PASSWORD", "DBT_PG_DBNAME"):
    os.environ.pop(key, None)
warnings.filterwarnings("ignore")

import logging  # noqa: E402

logging.getLogger("streamlit").setLevel(logging.ERROR)

import streamlit as st  # noqa: E402
import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")  # not a "no runtime found" warning per cached call

from ingestion import warehouse  # noqa: E402

TARGET_MS = 300
CONCURRENT_TARGET_MS = 500


def load(scale: str, data: Path) -> None:
    import subprocess

    from ingestion.demo.generate import generate
    from ingestion.full_load import load_demo_company

    if not (data / "manifest.json").exists():
        print(f"generating the {scale} company into {data} ...", flush=True)
        generate(data, scale=scale)
    warehouse.up()
    started = time.monotonic()
    load_demo_company(warehouse.as_role("loader"), data)
    print(f"loaded in {time.monotonic() - started:.0f} s; dbt build ...", flush=True)
    started = time.monotonic()
    env = {**os.environ, **warehouse.dbt_env(), "DBT_TARGET_PATH": str(ROOT / "benchmarks" / "out" / "dbt-target"),
           "DBT_LOG_PATH": str(ROOT / "benchmarks" / "out" / "dbt-logs")}
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run([str(dbt), "build", "--project-dir", str(ROOT / "dbt"), "--profiles-dir",
                             str(ROOT / "dbt")], env=env, cwd=ROOT / "dbt", capture_output=True, text=True)
    print(result.stdout.strip().splitlines()[-1] if result.stdout else result.stderr[-500:], flush=True)
    print(f"dbt build in {time.monotonic() - started:.0f} s", flush=True)


def pages(filters: dict) -> dict:
    """Each page's queries, as the page issues them for the default filters (the downloads read theirs only
    when a button is pressed)."""
    from dashboards import db
    from dashboards import filters as sidebar
    from dashboards.queries import data_engineering as de
    from dashboards.queries import director as d
    from dashboards.queries import finance as f
    from dashboards.queries import marketing as m

    def director():
        period = filters["period"]
        previous = sidebar.previous_period(period)
        d.sales_totals(filters, period), d.sales_totals(filters, previous)
        d.cash_at(period[1]), d.cash_at(previous[1]), d.overdue_at(period[1], filters)
        d.overdue_at(previous[1], filters), d.open_pipeline(filters)
        d.margin_by("deal", filters, limit=db.SHOWN_ROWS)  # the open tab: the others run when opened
        deals = d.deals(filters, "", limit=db.SHOWN_ROWS)
        if len(deals):
            d.orders_of(str(deals["deal_id"].iloc[0]))
            d.shipments_of(str(deals["deal_id"].iloc[0]))
        d.funnel(filters), d.monthly_trend(filters)

    def finance():
        f.statement("rpt_cashflow", filters), f.statement("rpt_pnl", filters)
        months = f.balance_months()
        if months:
            f.balance(max(m for m in months if m <= filters["period"][1]))
        dates = f.ageing_dates()
        as_of = max((x for x in dates if x <= filters["period"][1]), default=filters["period"][1])
        ageing = f.ageing(as_of, limit=db.SHOWN_ROWS)
        if ageing is not None and len(ageing):
            f.open_items(as_of, str(ageing["counterparty_id"].iloc[0]), filters)
        f.collections(as_of, filters, limit=db.SHOWN_ROWS), f.payables(as_of, limit=db.SHOWN_ROWS)

    def marketing():
        m.utm_sources(), m.channel_economics(filters, []), m.channel_economics(filters, [], by_month=True)
        m.funnel_by("channel", filters), m.funnel_by("month", filters), m.lost_reasons(filters)
        m.calls_by_day(filters, []), m.calls_by("manager", filters, []), m.calls_by("line", filters, [])

    def data_engineering():
        de.last_load_per_source(), de.freshness(), de.reject_reasons(), de.rejects([], [], "")
        de.dbt_test_results(), de.row_counts()

    def sidebar_filters():
        from dashboards import db

        db.date_range(sidebar.DATE_SOURCES)
        for key in ("division", "manager", "channel"):
            sidebar._options(key)

    def director_tab(dimension: str):
        """Opening another margin tab reruns the page: its other reads come from the session's cache."""
        if dimension == "item group":
            return lambda: d.margin_by_item_group(filters, filters["period"])
        return lambda: d.margin_by(dimension, filters, limit=db.SHOWN_ROWS)

    return {"sidebar filters": sidebar_filters, "director": director,
            **{f"director, {tab} tab": director_tab(tab) for tab in ("client", "manager", "item group")},
            "finance": finance, "marketing": marketing, "data engineering": data_engineering}


def percentile(values: list[float], pct: int) -> float:
    return values[max(0, round(pct / 100 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--users", type=int, default=1, help="simulated users at once (default 1)")
    parser.add_argument("--think", type=float, default=0.0, metavar="SECONDS",
                        help="with --users: each user's mean pause between page loads (exponential; default 0: "
                             "back to back, the worst case)")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="also list the N slowest statements (median over the runs) with their page")
    args = parser.parse_args()
    data = args.data or ROOT / "data" / f"bench-{args.scale}"
    if not args.skip_load:
        load(args.scale, data.resolve())

    import sqlalchemy as sa

    from dashboards import db, filters

    statements: list[tuple[float, str]] = []  # (ms, SQL) of each statement of the current run

    @sa.event.listens_for(db.engine(), "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    @sa.event.listens_for(db.engine(), "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        statements.append(((time.perf_counter() - conn.info.pop("bench_started")) * 1000, statement))

    st.cache_data.clear()
    bounds = db.date_range(filters.DATE_SOURCES)
    if not bounds:
        raise SystemExit("the marts are empty: run without --skip-load")
    flt = {"period": filters.default_period(*bounds), "division": [], "manager": [], "channel": []}
    if args.users > 1:
        sys.exit(concurrent(flt, args.users, args.runs, args.think))
    print(f"period {flt['period'][0]} – {flt['period'][1]}; {args.runs} cold runs per page")
    failed = False
    by_statement: dict[tuple[str, str], list[float]] = {}
    print("page: the whole page's reads (queries, frames, the dbt results file), cold; query: one SQL statement")
    print(f"{'page':<28}{'queries':>8}{'page p50':>10}{'page p95':>10}{'query p50':>11}{'query p95':>11}"
          f"{'query max':>11}")
    for name, run in pages(flt).items():
        times, per_query = [], []
        for _ in range(args.runs):
            st.cache_data.clear()
            statements.clear()
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
            per_query += [ms for ms, _ in statements]
            for ms, statement in statements:
                by_statement.setdefault((name, statement), []).append(ms)
            count = len(statements)
        times.sort()
        per_query.sort()
        p95 = percentile(times, 95)
        failed |= p95 > TARGET_MS
        print(f"{name:<28}{count:>8}{statistics.median(times):>10.0f}{p95:>10.0f}"
              f"{statistics.median(per_query):>11.1f}{percentile(per_query, 95):>11.1f}{per_query[-1]:>11.1f}"
              f"{'' if p95 <= TARGET_MS else '  page p95 over ' + str(TARGET_MS) + ' ms'}", flush=True)
    if args.slowest:
        print(f"\nthe {args.slowest} slowest statements (median ms over the runs; page; the SQL's start)")
        ranked = sorted(by_statement.items(), key=lambda item: -statistics.median(item[1]))
        for (page, statement), values in ranked[:args.slowest]:
            print(f"{statistics.median(values):9.1f}  {page:<26}{' '.join(statement.split())[:150]}")
    sys.exit(1 if failed else 0)


def concurrent(flt: dict, users: int, runs: int, think: float = 0.0) -> int:
    """`users` threads opening every page `runs` times each, all at once, pausing `think` seconds on average
    (exponentially distributed) after each page, as a reader does; 1 when a page's p95 is over target."""
    import random
    import threading

    from dashboards import db

    db.query = db.query.__wrapped__  # every read cold, and no cache shared between the threads
    page_runs = pages(flt)
    times: dict[str, list[float]] = {name: [] for name in page_runs}
    errors: list[BaseException] = []
    start = threading.Barrier(users)

    def user(seed: int) -> None:
        order = [name for name in page_runs for _ in range(runs)]
        draws = random.Random(seed)
        draws.shuffle(order)
        start.wait()
        try:
            for name in order:
                began = time.perf_counter()
                page_runs[name]()
                times[name].append((time.perf_counter() - began) * 1000)
                if think:
                    time.sleep(draws.expovariate(1 / think))
        except BaseException as error:  # noqa: BLE001 - reported below, the benchmark fails
            errors.append(error)

    began = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        raise errors[0]
    pool = db.engine().pool
    pause = f"a mean pause of {think:g} s after each page" if think else "no pause between pages"
    print(f"{users} users at once, {runs} loads of each page each ({users * runs * len(page_runs)} page loads in "
          f"{wall:.1f} s), {pause}, every read cold; the app's pool: {pool.size()} connections + overflow")
    print(f"{'page':<28}{'loads':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    failed = False
    for name, values in times.items():
        values.sort()
        p95 = percentile(values, 95)
        failed |= p95 > CONCURRENT_TARGET_MS
        print(f"{name:<28}{len(values):>7}{statistics.median(values):>9.0f}{p95:>9.0f}{values[-1]:>9.0f}"
              f"{'' if p95 <= CONCURRENT_TARGET_MS else '  p95 over ' + str(CONCURRENT_TARGET_MS) + ' ms'}")
    return 1 if failed else 0


if __name__ == "__main__":
    main()
