"""A tiny discrete-event scheduler: business processes are generators that yield when to resume.

A process yields a `date` (resume on that day) or a `Signal` (resume on the day it fires).
Ties resolve by spawn order, so a run is deterministic.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator
from datetime import date
from typing import Any

Process = Generator[Any, None, None]


class Signal:
    """Something processes wait for, e.g. a truck arriving; carries a value once fired."""

    __slots__ = ("waiters", "fired", "value")

    def __init__(self) -> None:
        self.waiters: list[Process] = []
        self.fired = False
        self.value: Any = None


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[tuple[int, int, Process]] = []
        self._seq = 0
        self.today: date = date.min

    def spawn(self, when: date, process: Process) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (when.toordinal(), self._seq, process))

    def fire(self, signal: Signal, value: Any = None) -> None:
        signal.fired, signal.value = True, value
        for waiter in signal.waiters:
            self.spawn(self.today, waiter)
        signal.waiters.clear()

    def run_day(self, day: date) -> None:
        """Resume every process due on `day`, including ones spawned or woken during it."""
        self.today = day
        ordinal = day.toordinal()
        heap = self._heap
        while heap and heap[0][0] <= ordinal:
            _, _, process = heapq.heappop(heap)
            self._resume(process)

    def _resume(self, process: Process) -> None:
        try:
            wait = next(process)
        except StopIteration:
            return
        if isinstance(wait, Signal):
            if wait.fired:
                self.spawn(self.today, process)
            else:
                wait.waiters.append(process)
        else:
            self.spawn(max(wait, self.today), process)
