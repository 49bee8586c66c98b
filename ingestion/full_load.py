"""Every source at once: each 1C entity set of both publications over OData, then each file source's folder.

What a first install, the tests and the benchmarks need; Dagster loads the same things asset by asset.

    rows = load_everything(loader, "http://host/", files_dir=Path("data/demo"))   # .../trade/odata/standard.odata
    load_demo_company(loader, Path("data/demo"))   # through the demo company's own OData server, then files
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ingestion.connectors.files import FILE_SOURCES
from ingestion.connectors.onec_odata import ODataClient, ODataSettings
from ingestion.file_sync import sync_folder
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec_sync import load_full, load_window

BASES = ("trade", "crm")


def load_everything(loader, base_url: str, *, files_dir: Path | None = None, user: str = "odata",
                    password: str = "odata", mode: str = "full", log: Callable[[str], None] | None = None) -> int:
    """Load every entity set of `<base_url><base>/odata/standard.odata` for both bases (mode full: whole;
    window: the incremental date window), then every file source under `files_dir`; returns 1C objects read."""
    load = {"full": load_full, "window": load_window}[mode]
    rows = 0
    for base in BASES:
        with ODataClient(ODataSettings(f"{base_url}{base}/odata/standard.odata", user, password)) as client:
            for name in (n for n, es in ENTITY_SETS.items() if es.base == base):
                started = time.perf_counter()
                counts = load(client, loader, name)
                rows += counts.read
                if log:
                    log(f"{name}: {counts.read:,} read, {counts.rejected:,} rejected "
                        f"in {time.perf_counter() - started:.1f} s")
    if files_dir is not None:
        for source in FILE_SOURCES:
            sync_folder(loader, source, files_dir / source.name)
    return rows


def load_demo_company(loader, data: Path, *, files: bool = True) -> int:
    """The demo company in `data` through its own OData server (on a free port, stopped afterwards)."""
    from ingestion.demo.server import start_server

    server, base_url = start_server(data)
    try:
        return load_everything(loader, base_url, files_dir=data if files else None)
    finally:
        server.shutdown()
        server.server_close()
