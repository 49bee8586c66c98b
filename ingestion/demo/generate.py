"""`python -m ingestion.demo generate`: write the demo company's source data into a folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingestion.demo.budget import write_budgets
from ingestion.demo.company_life import run_company
from ingestion.demo.dirty import inject_faults
from ingestion.demo.manifest import NAME, write_manifest
from ingestion.demo.scales import SCALES

OUTPUTS = ("onec", "mango", "ad_costs", "supplier_invoices", "budget", NAME)


def clear(out: Path) -> None:
    """Remove a previous generation's outputs (only ours), so appends start from nothing."""
    for name in OUTPUTS:
        path = out / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def generate(out: Path, scale: str = "small", seed: int = 42, dirty: bool = False) -> dict:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clear(out)
    if scale == "scenario":
        from ingestion.demo.scenario import write_scenario

        start, today = write_scenario(out)
    else:
        spec = SCALES[scale]
        start, today = spec.start, spec.today
        w = run_company(out, spec, seed, today)
        w.sim.close()
        write_budgets(out, w.actuals, start, today, seed)
    faults = inject_faults(out, seed) if dirty else []
    manifest = {"scale": scale, "seed": seed, "dirty": dirty, "base_currency": "RUB",
                "period_start": start.isoformat(), "period_end": today.isoformat(), "today": today.isoformat(),
                "advance_runs": 0, "faults": faults}
    write_manifest(out, manifest)
    return manifest
