"""The exchange plan of one demo infobase: the change feed that 1C publishes for CDC (DOMAIN.md section 1).

Each infobase (trade, crm) has its own plan `ExchangePlan_ОбменСХранилищемДанных` with two nodes:
the central node "ЦБ" (ThisNode = true) and the warehouse's node "DWH". Changes are registered for
DWH from `_journal.jsonl`: every write since the node was created, and the node is created as of
the start of the journal, so its first messages carry the whole history (an initial load by CDC).

A message is a packet of at most `packet_size` distinct objects taken in journal order; its content
is each object's state at the time it is read. SelectChanges with no packet outstanding cuts the
next packet; while one is outstanding (not confirmed), every SelectChanges sends that same packet
again (numbered with the MessageNo asked for). NotifyChangesReceived with MessageNo >= the packet's
number drops its registrations; ReceivedNo becomes that number, so the next one to ask is
ReceivedNo + 1. An object written again after its packet was cut stays registered and comes again.
An empty message is not outstanding: whether or not it is confirmed, the next SelectChanges
returns whatever was registered meanwhile.

Node state is kept in `_exchange_nodes.json` next to the journal: positions are journal byte offsets,
so a packet costs reading its part of the journal, not the journal.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingestion.demo.odata_errors import ODataError, bad_request, not_found_instance
from ingestion.onec.schema import DATA_VERSION, DELETION_MARK, REF_KEY, EntitySet, F

PLAN_NAME = "ExchangePlan_ОбменСХранилищемДанных"
NODES_FILE = "_exchange_nodes.json"
JOURNAL_FILE = "_journal.jsonl"
DEFAULT_PACKET_SIZE = 1000
_POINT = re.compile(r"(ExchangePlan_\w+)\(\s*guid'([0-9a-fA-F-]{36})'\s*\)\s*$")
_READ = 4 << 20
WRITER_QUIET_SECONDS = 5.0  # a journal untouched this long has no writes still in a writer's buffers


def plan_entity(base: str) -> EntitySet:
    return EntitySet(
        PLAN_NAME, base, "exchange plan nodes: who receives registered changes",
        (
            REF_KEY, DATA_VERSION, DELETION_MARK,
            F("Code", "Edm.String", "node code", "Код"),
            F("Description", "Edm.String", "node name", "Наименование"),
            F("ThisNode", "Edm.Boolean", "the node of this infobase itself", "ЭтотУзел"),
            F("SentNo", "Edm.Int64", "number of the last message sent to the node", "НомерОтправленного"),
            F("ReceivedNo", "Edm.Int64", "number of the last message received from the node", "НомерПринятого"),
        ),
    )


def _node_ref(base: str, code: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-1c/{base}/{PLAN_NAME}/{code}"))


def _initial_nodes(base: str) -> list[dict[str, Any]]:
    return [
        {"Ref_Key": _node_ref(base, "ЦБ"), "Code": "ЦБ", "Description": "Центральная база", "ThisNode": True,
         "SentNo": 0, "ReceivedNo": 0, "version": 1},
        {"Ref_Key": _node_ref(base, "DWH"), "Code": "DWH", "Description": "Хранилище данных (DWH)",
         "ThisNode": False, "SentNo": 0, "ReceivedNo": 0, "version": 1,
         "confirmed": {"offset": 0, "seq": 0}, "pending": None},
    ]


def node_ref_of(point: str) -> tuple[str, str]:
    """(plan, node Ref_Key) of DataExchangePoint='<odata>/ExchangePlan_X(guid'...')' (quotes optional)."""
    text = point.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    m = _POINT.search(text)
    if not m:
        raise bad_request(f"Неверное значение параметра DataExchangePoint: '{point}'")
    return m.group(1), m.group(2).lower()


class ExchangePlan:
    def __init__(self, base_dir: Path, base: str, packet_size: int = DEFAULT_PACKET_SIZE):
        self.dir = Path(base_dir)
        self.base = base
        self.packet_size = packet_size
        self.entity = plan_entity(base)
        self.lock = threading.Lock()
        self.state_path = self.dir / NODES_FILE
        self.journal_path = self.dir / JOURNAL_FILE
        self.nodes_state = self._load()

    # --- persistence ----------------------------------------------------------------------------

    def _load(self) -> list[dict[str, Any]]:
        try:
            nodes = json.loads(self.state_path.read_text(encoding="utf-8"))["nodes"]
            if {n["Code"] for n in nodes} >= {"ЦБ", "DWH"}:
                return nodes
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return _initial_nodes(self.base)

    def _save(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"plan": PLAN_NAME, "nodes": self.nodes_state}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
        os.replace(tmp, self.state_path)

    # --- nodes as OData objects -----------------------------------------------------------------

    def nodes(self) -> list[dict[str, Any]]:
        with self.lock:
            return [self._odata(n) for n in self.nodes_state]

    @staticmethod
    def _odata(node: dict[str, Any]) -> dict[str, Any]:
        return {
            "Ref_Key": node["Ref_Key"],
            "DataVersion": base64.b64encode(struct.pack(">Q", node["version"])).decode("ascii"),
            "DeletionMark": False,
            "Code": node["Code"],
            "Description": node["Description"],
            "ThisNode": node["ThisNode"],
            "SentNo": str(node["SentNo"]),  # Edm.Int64 travels as a JSON string, as 1C writes it
            "ReceivedNo": str(node["ReceivedNo"]),
        }

    def _node(self, plan: str, ref: str) -> dict[str, Any]:
        if plan != PLAN_NAME:
            raise ODataError(404, "6", f"Не найден ресурс: '{plan}'")
        for node in self.nodes_state:
            if node["Ref_Key"] == ref:
                if node["ThisNode"]:
                    raise bad_request("Нельзя выбрать изменения для этого узла (ЭтотУзел)")
                return node
        raise not_found_instance(plan, f"guid'{ref}'")

    # --- the feed -------------------------------------------------------------------------------

    def _scan(self, start: int, stop: int | None, limit: int | None,
              visible: Callable[[str, str], bool] | None = None) -> tuple[list[tuple[str, str]], int, int]:
        """Distinct (entity, key) registered in the journal from byte `start`, in first-write order.

        Stops at byte `stop`, before the line that would make `limit` + 1 objects, or before a
        registration whose object the store does not show yet (the writer flushes the journal and
        the entity files separately). Returns the objects, the byte offset reached and the last seq read.
        """
        seen: dict[tuple[str, str], None] = {}
        pos, last_seq = start, -1
        try:
            size = os.path.getsize(self.journal_path)
        except OSError:
            return [], start, last_seq
        end = size if stop is None else min(stop, size)
        with open(self.journal_path, "rb") as f:
            while pos < end:
                f.seek(pos)
                chunk = f.read(min(_READ, end - pos))
                cut = chunk.rfind(b"\n")
                if cut < 0:
                    break  # a line still being written
                for line in chunk[:cut + 1].splitlines(keepends=True):
                    seq, entity, key = json.loads(line)
                    item = (entity, key)
                    if item not in seen:
                        if limit is not None and len(seen) >= limit or visible is not None and not visible(*item):
                            return list(seen), pos, last_seq
                        seen[item] = None
                    pos += len(line)
                    last_seq = seq
        return list(seen), pos, last_seq

    def _writer_active(self) -> bool:
        try:
            return time.time() - os.path.getmtime(self.journal_path) < WRITER_QUIET_SECONDS
        except OSError:
            return False

    def select_changes(self, point: str, message_no: int,
                       visible: Callable[[str, str], bool] | None = None) -> list[tuple[str, str]]:
        """The (entity, key) of the message's objects; `visible(entity, key)`: is it in the store yet."""
        with self.lock:
            node = self._node(*node_ref_of(point))
            confirmed = node["confirmed"]
            if self.journal_path.exists() and os.path.getsize(self.journal_path) < confirmed["offset"]:
                node["confirmed"], node["pending"] = {"offset": 0, "seq": 0}, None  # the store was regenerated
            pending = node["pending"]
            if pending is not None:
                items, _, _ = self._scan(confirmed["offset"], pending["offset"], None)
                pending["message_no"] = message_no
            else:
                if not self._writer_active():
                    visible = None  # whatever is missing now will not come: do not wait for it
                items, offset, last_seq = self._scan(confirmed["offset"], None, self.packet_size, visible)
                if items:  # an empty message holds nothing back: new writes may go in the next one
                    node["pending"] = {"message_no": message_no, "offset": offset, "seq": last_seq}
            node["SentNo"] = message_no
            node["version"] += 1
            self._save()
            return items

    def notify_received(self, point: str, message_no: int) -> None:
        with self.lock:
            node = self._node(*node_ref_of(point))
            pending = node["pending"]
            if pending is not None and message_no >= pending["message_no"]:
                node["confirmed"] = {"offset": pending["offset"], "seq": pending["seq"]}
                node["pending"] = None
                node["ReceivedNo"] = message_no
            elif pending is None:
                node["ReceivedNo"] = max(node["ReceivedNo"], message_no)
            else:
                return  # confirms an older number than the packet outstanding: nothing to drop
            node["version"] += 1
            self._save()
