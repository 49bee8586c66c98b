"""`python -m ingestion.demo advance`: the company lives N more days.

The run is replayed from the opening day with writes suppressed up to the old "today" (the
simulation is a pure function of scale and seed), then new days are written. On top, the day's
accountant re-posts a few closed-month shipments with changed amounts and marks some interactions for
deletion; on Sundays the administrator deletes some deletion-marked payments for good. These are the
changes change capture must see.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from ingestion.demo.budget import write_budgets
from ingestion.demo.company_life import run_company
from ingestion.demo.manifest import read_manifest, write_manifest
from ingestion.demo.scales import SCALES
from ingestion.demo.sim import Sim
from ingestion.demo.values import div_round, rub, vat_inside

SHIPMENTS = "Document_РеализацияТоваровУслуг"
INTERACTIONS = "Document_CRM_Взаимодействие"
PAYMENTS_IN = "Document_ПоступлениеБезналичныхДенежныхСредств"


def latest_objects(path: Path):
    """The current version of every object in an entity file (corrupt lines of a dirty run are skipped)."""
    current: dict[str, dict] = {}
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if obj.get("@deleted"):
                    current.pop(obj["Ref_Key"], None)
                else:
                    current[obj["Ref_Key"]] = obj
    return [current[k] for k in sorted(current)]


def advance(data: Path, days: int = 1) -> dict:
    data = Path(data)
    manifest = read_manifest(data)
    if manifest["scale"] == "scenario":
        raise ValueError("the hand-written scenario does not live on; generate tiny or larger to advance")
    if days < 1:
        raise ValueError("advance by at least one day")
    old = date.fromisoformat(manifest["today"])
    today = old + timedelta(days=days)
    run = manifest["advance_runs"] + 1
    w = run_company(data, SCALES[manifest["scale"]], manifest["seed"], today, run=run, replay_until=old)
    rng = random.Random(f"{manifest['seed']}:advance:{today.isoformat()}")
    sunday = any((old + timedelta(days=d)).weekday() == 6 for d in range(1, days + 1))
    changes = accountant_day(w.sim, data, rng, today, purge=sunday)
    w.sim.close()
    write_budgets(data, w.actuals, w.scale.start, today, manifest["seed"], missing_only=True)  # a new year's plan
    manifest.update(today=today.isoformat(), period_end=today.isoformat(), advance_runs=run)
    manifest.setdefault("advances", []).append({"today": today.isoformat(), **changes})
    write_manifest(data, {k: v for k, v in manifest.items() if k not in ("files", "tracked_lines")})
    return manifest


def accountant_day(sim: Sim, data: Path, rng: random.Random, today: date, *, purge: bool) -> dict:
    """Back-dated re-posts with changed amounts, deletion marks, and with `purge` (the administrator's weekly
    "delete marked objects", run on Sundays) the physical deletion of a few deletion-marked payments."""
    trade, crm = data / "onec" / "trade", data / "onec" / "crm"
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    shipments = [s for s in latest_objects(trade / f"{SHIPMENTS}.jsonl")
                 if "0001" < s["Date"] < this_month.isoformat() and s["Posted"] and s["Товары"]]
    # Month-close corrections mostly hit the month being closed (the ingestion window's overlap reaches
    # back to it); now and then an older month (only the nightly reconciliation catches those).
    recent = [s for s in shipments if s["Date"] >= last_month.isoformat()]
    older = [s for s in shipments if s["Date"] < last_month.isoformat()]
    picked = rng.sample(recent, min(2, len(recent))) + rng.sample(older, min(1, len(older)))
    reposted = []
    for shipment in picked:
        sim.rewrite(SHIPMENTS, corrected(shipment, rng))
        reposted.append(shipment["Ref_Key"])
    interactions = [i for i in latest_objects(crm / f"{INTERACTIONS}.jsonl") if not i["DeletionMark"]]
    marked = []
    for interaction in rng.sample(interactions, min(2, len(interactions))):
        sim.rewrite(INTERACTIONS, interaction, DeletionMark=True)
        marked.append(interaction["Ref_Key"])
    deleted = []
    if purge:
        candidates = [p for p in latest_objects(trade / f"{PAYMENTS_IN}.jsonl") if p["DeletionMark"]]
        for victim in rng.sample(candidates, min(3, len(candidates))):
            sim.delete(PAYMENTS_IN, {"Ref_Key": victim["Ref_Key"]})
            deleted.append(victim["Ref_Key"])
    return {"reposted": reposted, "deletion_marked": marked, "deleted": deleted}


def corrected(shipment: dict, rng: random.Random) -> dict:
    """The shipment with one line's price cut by 1–5 %, amounts and VAT recomputed as 1C would."""
    lines = [dict(line) for line in shipment["Товары"]]
    line = rng.choice(lines)
    quantity = int(line["Количество"])
    price = div_round(round(line["Цена"] * 100) * (100 - rng.randrange(1, 6)), 100)
    amount = quantity * price
    rate = int(line["СтавкаНДС"].removeprefix("НДС") or 0) if line["СтавкаНДС"] != "БезНДС" else 0
    line.update(Цена=rub(price), Сумма=rub(amount), СуммаНДС=rub(vat_inside(amount, rate)))
    total = sum(round(x["Сумма"] * 100) for x in lines)
    return {**shipment, "СуммаДокумента": rub(total), "Комментарий": "Исправлена цена при закрытии месяца",
            "Товары": lines}
