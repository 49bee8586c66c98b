"""Everything a business process may touch, passed around as one object."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingestion.demo.actuals import Actuals
from ingestion.demo.company import Company, Item, Manager
from ingestion.demo.rates import Rates
from ingestion.demo.scales import Scale
from ingestion.demo.sim import Sim
from ingestion.demo.stock import Stock

if TYPE_CHECKING:
    from ingestion.demo.ad_costs import AdCosts
    from ingestion.demo.calls import CallLog
    from ingestion.demo.crm import CrmCatalogs
    from ingestion.demo.supply import Supply


class Reservoir:
    """A fixed-size uniform sample of a month's documents: the ones month-close re-posts."""

    def __init__(self, rng: random.Random, size: int):
        self._rng, self._size = rng, size
        self.seen = 0
        self.items: list[dict] = []

    def offer(self, doc: dict) -> None:
        self.seen += 1
        if len(self.items) < self._size:
            self.items.append(doc)
        else:
            j = self._rng.randrange(self.seen)
            if j < self._size:
                self.items[j] = doc

    def drain(self) -> list[dict]:
        items, self.items, self.seen = self.items, [], 0
        return items


@dataclass
class World:
    sim: Sim
    scale: Scale
    company: Company
    rates: Rates
    crm: CrmCatalogs
    calls: CallLog
    ads: AdCosts
    recent_shipments: Reservoir
    stock: Stock = field(default_factory=Stock)
    actuals: Actuals = field(default_factory=Actuals)
    supply: Supply = None  # type: ignore[assignment]  # needs the world itself; set right after
    managers: dict[str, Manager] = field(default_factory=dict)
    equipment: list[Item] = field(default_factory=list)
    stock_items: list[Item] = field(default_factory=list)
    stock_weights: list[float] = field(default_factory=list)  # cumulative popularity of stock items
