"""What the warehouse holds: series per item in receipt order, consumed first in, first out.

The simulator ships only what is there, so a shipment never precedes the receipt of its series;
FIFO here is the same rule the warehouse models apply to lines without a series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Lot:
    series: str
    item: str
    quantity: int
    received: date
    unit_cost: int  # kopecks net of VAT, base cost only (landed extras are for the models to add)


@dataclass
class ItemStock:
    lots: list[Lot] = field(default_factory=list)
    first: int = 0  # index of the first lot that may still hold quantity
    on_hand: int = 0
    on_order: int = 0


class Stock:
    def __init__(self) -> None:
        self._items: dict[str, ItemStock] = {}

    def _of(self, item: str) -> ItemStock:
        stock = self._items.get(item)
        if stock is None:
            stock = self._items[item] = ItemStock()
        return stock

    def receive(self, lot: Lot) -> None:
        stock = self._of(lot.item)
        stock.lots.append(lot)
        stock.on_hand += lot.quantity

    def available(self, item: str) -> int:
        return self._of(item).on_hand

    def on_order(self, item: str) -> int:
        return self._of(item).on_order

    def order(self, item: str, quantity: int) -> None:
        self._of(item).on_order += quantity

    def take(self, item: str, quantity: int) -> list[tuple[Lot, int]]:
        """Consume up to `quantity` FIFO; returns (lot, quantity taken) pairs."""
        stock = self._of(item)
        taken = []
        i = stock.first
        while quantity > 0 and i < len(stock.lots):
            lot = stock.lots[i]
            if lot.quantity > 0:
                q = min(lot.quantity, quantity)
                lot.quantity -= q
                quantity -= q
                stock.on_hand -= q
                taken.append((lot, q))
            if lot.quantity == 0:
                i += 1
        stock.first = i
        return taken

    def put_back(self, lot: Lot, quantity: int) -> None:
        """A customer return goes back to its series; FIFO will consume it again first."""
        stock = self._of(lot.item)
        lot.quantity += quantity
        stock.on_hand += quantity
        stock.first = min(stock.first, stock.lots.index(lot))
