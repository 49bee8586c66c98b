"""Daily currency rates (InformationRegister_КурсыВалют): a random walk published on working days.

Rates are kept in ten-thousandths of a rouble so conversions stay in integers.
A document uses the latest rate on or before its date, as 1C does.
"""

from __future__ import annotations

from datetime import date

from ingestion.demo.sim import Sim
from ingestion.demo.values import day_start, div_round

START_RATES = {"EUR": 98_0000, "USD": 90_0000, "CNY": 12_5000}


class Rates:
    def __init__(self, sim: Sim, currencies: dict[str, str]):
        self._sim = sim
        self._rng = sim.stream("rates")
        self._currencies = currencies
        self.current = dict(START_RATES)

    def publish(self, day: date) -> None:
        """Move and publish the day's rates (the central bank sets none on weekends)."""
        if day.weekday() >= 5:
            return
        for letter in sorted(self.current):
            rate = self.current[letter]
            rate = max(rate // 2, rate + int(rate * self._rng.gauss(0.0002, 0.006)))
            self.current[letter] = rate
            self._sim.record("InformationRegister_КурсыВалют", {
                "Period": day_start(day), "Валюта_Key": self._currencies[letter],
                "Курс": rate / 10_000, "Кратность": "1"})

    def to_rub(self, amount: int, currency: str) -> int:
        """Hundredths of `currency` to kopecks at today's rate."""
        if currency == "RUB":
            return amount
        return div_round(amount * self.current[currency], 10_000)
