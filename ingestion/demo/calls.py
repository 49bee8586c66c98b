"""The Mango Office call log: one `;`-separated CSV per month, several legs per call (entry_id).

Times are unix seconds; the company lives in Moscow time (UTC+3), 1C datetimes carry no zone.
A call's legs: the tracked line or IVR answers first, then the manager's extension rings.
"""

from __future__ import annotations

import base64
import random
from datetime import datetime, timedelta
from pathlib import Path

from ingestion.demo.actuals import month_of
from ingestion.demo.sim import Sim

COLUMNS = ("records", "start", "finish", "from_extension", "from_number", "to_extension", "to_number",
           "disconnect_reason", "answer", "line_number", "location", "entry_id")
MOSCOW_OFFSET = 3 * 3600
EPOCH = datetime(1970, 1, 1)
OFFICE_LINE = "74951110000"  # the main number, not tracked to any ad channel
NORMAL_END = ("1100", "1110")  # ended by caller / by callee
NO_ANSWER = "1120"  # callee did not answer; the caller hung up or the queue timed out
BUSY = "1131"


def unix(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds()) - MOSCOW_OFFSET


class CallLog:
    """Collects one day's call legs, then appends them in start order to the month's CSV."""

    def __init__(self, sim: Sim, root: Path):
        self._sim = sim
        self._dir = Path(root) / "mango"
        self._dir.mkdir(parents=True, exist_ok=True)
        self._rng = sim.stream("calls")
        self._legs: list[tuple[int, int, str]] = []
        self._entries = 0
        self.count = 0

    @property
    def rng(self) -> random.Random:
        return self._rng

    def _entry_id(self) -> str:
        self._entries += 1
        return base64.b64encode(f"MToxMDAwMDAwMDo{self._sim.seed}:{self._entries}".encode()).decode().rstrip("=")

    def _leg(self, start: datetime, seconds_ringing: int, talk: int, from_ext: str, from_number: str, to_ext: str,
             to_number: str, reason: str, line: str, location: str, entry: str) -> None:
        begin = unix(start)
        answered = begin + seconds_ringing if talk else 0
        finish = begin + seconds_ringing + talk
        record = f"[{base64.b64encode(f'{entry}:{begin}'.encode()).decode()}]" if talk else ""
        row = ";".join((record, str(begin), str(finish), from_ext, from_number, to_ext, to_number, reason,
                        str(answered), line, location, entry))
        self._legs.append((begin, len(self._legs), row))

    def inbound(self, start: datetime, caller: str, line: str, extension: str, manager_phone: str,
                answered: bool, transfer_to: tuple[str, str] | None = None) -> int:
        """A client calls a line: IVR leg, then the manager's extension, and when `transfer_to` (extension, phone)
        is given and the call was answered, a third leg to that colleague. Returns the talk seconds (0 if missed)."""
        rng, entry = self._rng, self._entry_id()
        ivr = rng.randrange(5, 25)
        self._leg(start, 0, ivr, "", caller, "", line, "1110", line, "ivr", entry)
        ring = rng.randrange(3, 40)
        talk = rng.randrange(30, 900) if answered else 0
        self._leg(start + timedelta(seconds=ivr), ring, talk, "", caller, extension, manager_phone,
                  rng.choice(NORMAL_END) if answered else NO_ANSWER, line, "abonent", entry)
        if answered and transfer_to:
            more = rng.randrange(30, 600)
            self._leg(start + timedelta(seconds=ivr + ring + talk), 5, more, "", caller, *transfer_to,
                      rng.choice(NORMAL_END), line, "abonent", entry)
            talk += more
        self.count += 1
        return talk

    def outbound(self, start: datetime, extension: str, manager_phone: str, callee: str, answered: bool) -> int:
        """A manager calls a client from the office line."""
        rng, entry = self._rng, self._entry_id()
        ring = rng.randrange(5, 35)
        talk = rng.randrange(20, 600) if answered else 0
        reason = rng.choice(NORMAL_END) if answered else rng.choice((NO_ANSWER, BUSY))
        self._leg(start, ring, talk, extension, manager_phone, "", callee, reason, OFFICE_LINE, "abonent", entry)
        self.count += 1
        return talk

    def flush(self) -> None:
        """Append the day's legs to the month file, in start order."""
        if not self._legs:
            return
        if self._sim.live:
            path = self._dir / f"calls_{month_of(self._sim.today)}.csv"
            new = not path.exists()
            with path.open("a", encoding="utf-8", newline="\n") as f:
                if new:
                    f.write(";".join(COLUMNS) + "\n")
                for _, _, row in sorted(self._legs):
                    f.write(row + "\n")
        self._legs.clear()
