"""Serve the product for `make demo`: the Dagster UI, the Streamlit dashboards and the demo 1C server.

    python -m ingestion.demo.ui [--dagster-port 3000] [--streamlit-port 8501]

Creates (or resets) one demo dashboard user per role and prints their logins. Runs until Ctrl-C or
SIGTERM, then stops all three: each in its own process group, asked to stop with SIGINT first and
killed after a grace period (`dagster dev` and its children take SIGKILL to stop quickly).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingestion.demo import service
from ingestion.warehouse import PROJECT_ROOT

GRACE_SECONDS = 5
# One demo user per dashboard role: user name = role, password = "demo-" + role (reset on every `make demo`).
DEMO_ROLES = ("director", "finance", "marketing", "data_engineer")


def demo_users() -> list[tuple[str, str, str]]:
    """Create or reset the demo users; return (user, password, role) rows."""
    from dashboards.users import upsert_user

    rows = []
    for role in DEMO_ROLES:
        password = f"demo-{role}"
        upsert_user(role, password, role, display_name=f"Demo {role.replace('_', ' ')}")
        rows.append((role, password, role))
    return rows


def launch(command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, env={**os.environ, **(env or {})})


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group: dagster dev's webserver and daemon too


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ingestion.demo.ui")
    parser.add_argument("--dagster-port", type=int, default=int(os.environ.get("DAGSTER_PORT", "3000")))
    parser.add_argument("--streamlit-port", type=int, default=int(os.environ.get("STREAMLIT_PORT", "8501")))
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("DEMO_DATA", "data/demo")))
    parser.add_argument("--odata-port", type=int, default=int(os.environ.get("DEMO_ODATA_PORT", "8090")))
    args = parser.parse_args()

    logins = demo_users()
    odata_url = service.start(args.data.resolve(), args.odata_port)
    logs = service.STATE
    bin_dir = Path(sys.executable).parent
    processes = [
        launch([str(bin_dir / "dagster"), "dev", "-m", "dagster_project.definitions", "-h", "127.0.0.1",
                "-p", str(args.dagster_port)], logs / "dagster_dev.log"),
        launch([str(bin_dir / "streamlit"), "run", "dashboards/app.py", "--server.headless", "true",
                "--server.address", "127.0.0.1", "--server.port", str(args.streamlit_port),
                "--client.toolbarMode", "viewer"], logs / "streamlit.log",
               env={"DAGSTER_URL": os.environ.get("DAGSTER_URL", f"http://127.0.0.1:{args.dagster_port}")}),
    ]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"\n  Dashboards:  http://127.0.0.1:{args.streamlit_port}\n"
          f"  Dagster UI:  http://127.0.0.1:{args.dagster_port}\n"
          f"  Demo 1C:     {odata_url} (user odata, password odata)\n"
          "  Dashboard logins (user / password):\n"
          + "".join(f"    {user:<14} {password:<20} ({role})\n" for user, password, role in logins) +
          f"  Logs in {logs}. Ctrl-C stops everything.\n", flush=True)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        failed = next(p for p in processes if p.poll() is not None)
        print(f"{' '.join(failed.args[:2])} exited with {failed.returncode}; see the logs in {logs}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes)
        service.stop()
        print("stopped: dashboards, Dagster UI, demo 1C server", flush=True)


if __name__ == "__main__":
    main()
