"""Run the demo OData server in the background for `make demo` / `make pipeline`.

    python -m ingestion.demo.service start --data data/demo --port 8090   # (re)start, wait until it answers
    python -m ingestion.demo.service stop
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ingestion.warehouse import PROJECT_ROOT

STATE = Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / ".dagster"))
PID_FILE = STATE / "demo_odata.pid"
LOG_FILE = STATE / "demo_odata.log"


def stop() -> None:
    if not PID_FILE.exists():
        return
    pid = int(PID_FILE.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    PID_FILE.unlink(missing_ok=True)


def start(data: Path, port: int, timeout: float = 300) -> str:
    """Start a fresh server over `data` (stopping one we started before) and wait until it serves."""
    if not (data / "manifest.json").exists():
        raise SystemExit(f"demo OData server: {data} holds no generated company (run `make demo-data`)")
    stop()
    STATE.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}/trade/odata/standard.odata/"
    with LOG_FILE.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "ingestion.demo", "serve", "--data", str(data),
                                    "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    PID_FILE.write_text(str(process.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"demo OData server exited with {process.returncode}; see {LOG_FILE}")
        try:
            httpx.get(url, timeout=2)  # any answer (401 included) means it is up
            return url
        except httpx.TransportError:
            time.sleep(0.3)
    stop()
    raise SystemExit(f"demo OData server did not answer on port {port} within {timeout:.0f} s; see {LOG_FILE}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ingestion.demo.service")
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("DEMO_DATA", "data/demo")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_ODATA_PORT", "8090")))
    args = parser.parse_args()
    if args.command == "stop":
        stop()
        print("demo OData server: stopped")
    else:
        url = start(args.data.resolve(), args.port)
        print(f"demo OData server: serving {args.data} at {url.rsplit('/trade/', 1)[0]}/{{trade,crm}}/odata/"
              f"standard.odata (log: {LOG_FILE})")


if __name__ == "__main__":
    main()
