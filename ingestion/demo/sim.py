"""The simulation's shared state: identities, random streams, writers, the calendar.

Every 1C object goes out through `Sim.write`, which skips writes on days already
written when `advance` replays the company up to its old "today".
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from pathlib import Path

from ingestion.demo.ids import Ids
from ingestion.demo.onec_objects import build
from ingestion.demo.scheduler import Scheduler
from ingestion.demo.store import StoreWriter
from ingestion.demo.values import dt
from ingestion.onec.entities import ENTITY_SETS

NUMBER_PREFIX = {"trade": "ТИ00", "crm": "CRM0"}


class Sim:
    def __init__(self, out: Path, seed: int, run: int = 0, replay_until: date | None = None):
        self.out = Path(out)
        self.seed = seed
        self.ids = Ids(seed, run)
        self.sched = Scheduler()
        self.replay_until = replay_until
        self._streams: dict[str, random.Random] = {}
        self._writers = {"trade": StoreWriter(self.out, "trade"), "crm": StoreWriter(self.out, "crm")}
        self._time_rng = self.stream("time")
        self.misc = self.stream("misc")  # incidental draws: incoming document numbers, plates

    def stream(self, name: str) -> random.Random:
        """The random stream of one concern: draws in one never shift another."""
        rng = self._streams.get(name)
        if rng is None:
            rng = self._streams[name] = random.Random(f"{self.seed}:{name}")
        return rng

    @property
    def today(self) -> date:
        return self.sched.today

    @property
    def live(self) -> bool:
        """False while `advance` replays days whose objects are already in the store."""
        return self.replay_until is None or self.sched.today > self.replay_until

    def at(self, first_hour: int = 9, last_hour: int = 18, on: date | None = None) -> datetime:
        """A working-hours moment of the day."""
        span = (last_hour + 1 - first_hour) * 3600
        seconds = first_hour * 3600 + int(self._time_rng.random() * span)  # random() is cheaper than randrange()
        return datetime.combine(on or self.today, time(seconds // 3600, seconds % 3600 // 60, seconds % 60))

    def write(self, entity: str, obj: dict) -> None:
        if self.live:
            self._writers[ENTITY_SETS[entity].base].put(entity, obj)

    def rewrite(self, entity: str, obj: dict, **changes: object) -> dict:
        """Write an object again (1C re-post or edit): a new DataVersion and the changed attributes."""
        obj = {**obj, **changes, "DataVersion": self.ids.version()}
        self.write(entity, obj)
        return obj

    def delete(self, entity: str, key_fields: dict) -> None:
        """Physical deletion (1C deletes a deletion-marked object for good)."""
        if self.live:
            self._writers[ENTITY_SETS[entity].base].delete(entity, key_fields)

    def document(self, entity: str, when: datetime, values: dict, sections: dict | None = None, *,
                 ref: str | None = None, posted: bool = True, deleted: bool = False) -> dict:
        base = ENTITY_SETS[entity].base
        standard = {
            "Ref_Key": ref or self.ids.guid(),
            "DataVersion": self.ids.version(),
            "DeletionMark": deleted,
            "Number": self.ids.number(entity, NUMBER_PREFIX[base], when.year),
            "Date": dt(when),
            "Posted": posted and not deleted,
        }
        obj = build(entity, {**standard, **values}, sections)
        self.write(entity, obj)
        return obj

    def catalog(self, entity: str, code: str, description: str, values: dict, *, ref: str | None = None) -> dict:
        standard = {"Ref_Key": ref or self.ids.guid(), "DataVersion": self.ids.version(), "DeletionMark": False,
                    "Code": code, "Description": description}
        obj = build(entity, {**standard, **values})
        self.write(entity, obj)
        return obj

    def record(self, entity: str, values: dict) -> dict:
        obj = build(entity, values)
        self.write(entity, obj)
        return obj

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()

