"""Marketing spend per channel, campaign and day, exported the way Roistat's analytics API returns it.

One JSON file per month: {"data": [{"dimensions": {...}, "metrics": [...]}]}; costs in roubles net of VAT.
Tracked phone lines map to channels: that is how a call becomes a lead of a channel.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

from ingestion.demo.actuals import month_of
from ingestion.demo.sim import Sim
from ingestion.demo.values import rub

# channel (utm_source), title, tracked line, campaigns (utm_campaign, title, daily budget RUB)
CHANNELS = (
    ("yandex_direct", "Яндекс.Директ", "74951110001", (
        ("search_pumps", "Поиск: насосы и дозаторы", 6_000),
        ("search_piles", "Поиск: шпунт и трубы", 4_500),
        ("rsy_equipment", "РСЯ: оборудование", 2_500),
    )),
    ("vk_ads", "VK Реклама", "74951110002", (("vk_retargeting", "ВК: ретаргетинг", 1_500),)),
    ("avito", "Авито", "74951110003", (("avito_listings", "Авито: объявления", 1_200),)),
    ("seo", "Органический поиск", "74951110004", ()),
    ("exhibition", "Выставки", "74951110005", ()),
)
TRACKED_LINES = {line: source for source, _, line, _ in CHANNELS}


class AdCosts:
    def __init__(self, sim: Sim, root: Path, volume: float):
        self._sim = sim
        self._dir = Path(root) / "ad_costs"
        self._rng = sim.stream("ads")
        self._volume = volume  # spend grows with the number of leads a scale promises
        self._month: dict[str, list[dict]] = defaultdict(list)
        self._spend: dict[str, int] = defaultdict(int)

    def spend_day(self, day: date) -> None:
        weekend = day.weekday() >= 5
        for source, title, _, campaigns in CHANNELS:
            for campaign, campaign_title, budget in campaigns:
                cost = int(budget * self._volume * self._rng.uniform(0.6, 1.3) * (0.4 if weekend else 1) * 100)
                visits = max(1, cost // self._rng.randrange(4_000, 9_000))
                self._spend[month_of(day)] += cost
                self._month[month_of(day)].append({
                    "dimensions": {
                        "daily": {"value": day.isoformat(), "title": day.strftime("%d.%m.%Y")},
                        "marker_level_1": {"value": source, "title": title},
                        "marker_level_2": {"value": campaign, "title": campaign_title},
                    },
                    "metrics": [{"metric_name": "marketing_cost", "value": rub(cost)},
                                {"metric_name": "visits", "value": visits}],
                })

    def month_spend(self, month: str) -> int:
        return self._spend.get(month, 0)

    def write_month(self, month: str) -> None:
        """Write (or rewrite, when `advance` extends the month) the month's export."""
        rows = self._month.pop(month, [])
        if not rows or not self._sim.live:
            return
        self._dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"status": "success", "data": rows}, ensure_ascii=False, indent=1)
        (self._dir / f"costs_{month}.json").write_text(text + "\n", encoding="utf-8")
