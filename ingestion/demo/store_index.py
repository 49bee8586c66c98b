"""Byte-offset index over one store file `<EntitySet>.jsonl` (layout: ingestion/demo/store.py).

Every object gets a slot, numbered in order of its first appearance; the slot points at the
object's latest line (offset, length), so serving a full object is a `pread` of stored bytes.
Alongside, columns keep the values that filters and sorts read (key fields, Ref_Key, DataVersion,
DeletionMark, Posted and every DateTime/Boolean field), plus the line count of each tabular
section; any other field becomes a column the first time a query needs it.

The index grows with the file: `refresh()` stats the file and parses only the appended tail
(complete lines only, so a writer caught mid-line is picked up next time). A line that is not
valid JSON (the generator's --dirty truncated line) keeps its place: its key and values are
salvaged by regex where possible and its bytes are served as stored, so the page carrying it
is broken just as a flaky publication's would be.

Large files: when indexing took long, the index is pickled to `.server_index/` next to the store
and reused on the next start if the file still begins with the indexed bytes.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson

from ingestion.onec.schema import EntitySet

STANDARD_COLUMNS = ("Ref_Key", "DataVersion", "DeletionMark", "Posted", "Date", "Period")
CHUNK = 16 << 20
CACHE_DIR = ".server_index"
CACHE_AFTER_SECONDS = 2.0  # pickle the index only when re-indexing would cost a noticeable start
CACHE_VERSION = 1
_SALVAGE = re.compile(rb'"([^"\\]+)":("(?:[^"\\]|\\.)*"|true|false|null|-?[0-9][0-9.eE+-]*)')


def initial_columns(entity: EntitySet) -> list[str]:
    names = {f.name for f in entity.fields}
    wanted = set(entity.key) | (set(STANDARD_COLUMNS) & names)
    wanted |= {f.name for f in entity.fields if f.edm in ("Edm.DateTime", "Edm.Boolean")}
    return [f.name for f in entity.fields if f.name in wanted]


def salvage(line: bytes) -> dict[str, Any]:
    """Top-level-looking scalar fields of a line that is not valid JSON; first occurrence wins."""
    found: dict[str, Any] = {}
    for m in _SALVAGE.finditer(line):
        name = m.group(1).decode("utf-8", "replace")
        if name not in found:
            try:
                found[name] = json.loads(m.group(2))
            except ValueError:
                continue
    return found


class EntityIndex:
    """The index of one entity set's store file. All reads of its state happen under `lock`."""

    def __init__(self, path: Path, entity: EntitySet):
        self.path = Path(path)
        self.entity = entity
        self.lock = threading.RLock()
        self.selections: OrderedDict[tuple, Any] = OrderedDict()  # query results of this generation
        self.generation = 0  # bumps on every change: keys the selection cache
        self.epoch = 0  # bumps when the file was replaced and slots were renumbered
        self._clear()
        self._load_cache()

    def _clear(self) -> None:
        self.file = None  # kept open; pread never moves a shared position
        self.inode: int | None = None
        self.size = 0  # bytes indexed: always just after a newline
        self.epoch += 1
        self.offsets: list[int] = []
        self.lengths: list[int] = []
        self.alive: list[bool] = []
        self.broken: list[bool] = []
        self.slot_of: dict[str, int] = {}
        self.columns: dict[str, list[Any]] = {name: [] for name in initial_columns(self.entity)}
        self.section_counts: dict[str, list[int]] = {s.name: [] for s in self.entity.sections}
        self.selections.clear()

    # --- building -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Catch up with the file: index an appended tail, or start over if it was replaced."""
        with self.lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                if self.size:
                    self._clear()
                    self.generation += 1
                return
            if self.inode is not None and (st.st_ino != self.inode or st.st_size < self.size):
                self._clear()
            if self.file is None:
                self.file = open(self.path, "rb", buffering=0)  # noqa: SIM115 - lives as long as the index
                self.inode = st.st_ino
            if st.st_size > self.size:
                started = time.monotonic()
                before = self.size
                self._index_tail(st.st_size)
                if self.size != before:
                    self.generation += 1
                    self.selections.clear()
                    if time.monotonic() - started > CACHE_AFTER_SECONDS:
                        self._save_cache()

    def _index_tail(self, end: int) -> None:
        fd = self.file.fileno()
        pos = self.size
        while pos < end:
            chunk = os.pread(fd, min(CHUNK, end - pos), pos)
            if not chunk:
                break
            last_nl = chunk.rfind(b"\n")
            if last_nl < 0:
                if len(chunk) < CHUNK:
                    break  # an unfinished last line: wait for its newline
                last_nl = self._read_long_line(fd, pos, end)
                if last_nl < 0:
                    break
                chunk = os.pread(fd, last_nl + 1, pos)
            start = 0
            for line in chunk[:last_nl].split(b"\n"):
                self._index_line(pos + start, line)
                start += len(line) + 1
            pos += last_nl + 1
        self.size = pos

    @staticmethod
    def _read_long_line(fd: int, pos: int, end: int) -> int:
        """Offset (relative to pos) of the newline ending a line longer than a chunk, or -1."""
        probe = pos
        while probe < end:
            chunk = os.pread(fd, min(CHUNK, end - probe), probe)
            nl = chunk.find(b"\n")
            if nl >= 0:
                return probe - pos + nl
            probe += len(chunk)
        return -1

    def _index_line(self, offset: int, line: bytes) -> None:
        if not line.strip():
            return
        try:
            obj = orjson.loads(line)
            ok = isinstance(obj, dict)
        except ValueError:
            ok = False
        if not ok:
            obj = salvage(line)
        try:
            key = "|".join(str(obj[k]) for k in self.entity.key)
        except KeyError:
            key = f"@broken:{offset}"  # no key to supersede by: an object of its own
        slot = self.slot_of.get(key)
        if slot is None:
            slot = len(self.offsets)
            self.slot_of[key] = slot
            self.offsets.append(offset)
            self.lengths.append(len(line))
            self.alive.append(True)
            self.broken.append(False)
            for col in self.columns.values():
                col.append(None)
            for counts in self.section_counts.values():
                counts.append(0)
        else:
            self.offsets[slot] = offset
            self.lengths[slot] = len(line)
        deleted = ok and obj.get("@deleted") is True
        self.alive[slot] = not deleted
        self.broken[slot] = not ok
        for name, col in self.columns.items():
            col[slot] = obj.get(name)
        for name, counts in self.section_counts.items():
            lines = obj.get(name) if ok else None
            # a broken line counts as one row so that section-set pages carry it (broken) too
            counts[slot] = len(lines) if isinstance(lines, list) else (0 if ok else 1)

    # --- reading --------------------------------------------------------------------------------

    def live_slots(self) -> list[int]:
        alive = self.alive
        return [s for s in range(len(alive)) if alive[s]]

    def column(self, name: str) -> list[Any]:
        """Values of one field per slot; built on first use by parsing every current line."""
        col = self.columns.get(name)
        if col is None:
            col = [None] * len(self.offsets)
            for slot, obj in zip(range(len(col)), self.parse_slots(range(len(col))), strict=True):
                if isinstance(obj, dict):
                    col[slot] = obj.get(name)
                elif isinstance(obj, bytes):
                    col[slot] = salvage(obj).get(name)
            self.columns[name] = col
        return col

    def read_lines(self, slots: list[int]) -> list[bytes]:
        """Stored bytes of each slot's current line; adjacent lines are read in one pread."""
        fd = self.file.fileno() if self.file else None
        out: list[bytes] = []
        i, n = 0, len(slots)
        offsets, lengths = self.offsets, self.lengths
        while i < n:
            start = offsets[slots[i]]
            end = start + lengths[slots[i]]
            j = i + 1
            while j < n and offsets[slots[j]] == end + 1 and end - start < CHUNK:
                end = offsets[slots[j]] + lengths[slots[j]]
                j += 1
            data = os.pread(fd, end - start, start)
            if j - i == 1:
                out.append(data)
            else:
                out.extend(data.split(b"\n"))
            i = j
        return out

    def parse_slots(self, slots) -> list[Any]:
        """Parsed current objects; a broken line comes back as its raw bytes."""
        result: list[Any] = []
        slots = list(slots)
        for line in self.read_lines(slots):
            try:
                result.append(orjson.loads(line))
            except ValueError:
                result.append(line)
        return result

    def key_fields(self, slot: int) -> dict[str, Any]:
        return {k: self.columns[k][slot] for k in self.entity.key}

    # --- on-disk cache for large files ----------------------------------------------------------

    def _cache_path(self) -> Path:
        return self.path.parent / CACHE_DIR / (self.path.stem + ".pickle")

    def _schema(self) -> tuple:
        """What the cached state depends on besides the file: a registry change invalidates it."""
        return self.entity.key, tuple(initial_columns(self.entity)), tuple(self.section_counts)

    def _state(self) -> dict[str, Any]:
        state = {name: getattr(self, name) for name in
                 ("size", "offsets", "lengths", "alive", "broken", "slot_of", "section_counts")}
        state["columns"] = {name: self.columns[name] for name in initial_columns(self.entity)}
        return state

    def _save_cache(self) -> None:
        path = self._cache_path()
        try:
            path.parent.mkdir(exist_ok=True)
            with open(self.path, "rb") as f:
                f.seek(max(0, self.size - 4096))
                tail = f.read(min(4096, self.size))
            tmp = path.with_suffix(".tmp")
            with open(tmp, "wb") as f:
                cached = {"version": CACHE_VERSION, "schema": self._schema(), "tail": tail, "state": self._state()}
                pickle.dump(cached, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only store just indexes again next time

    def _load_cache(self) -> None:
        path = self._cache_path()
        if not path.exists() or not self.path.exists():
            return
        try:
            with open(path, "rb") as f:
                cached = pickle.load(f)  # noqa: S301 - our own file next to our own data
            state = cached["state"]
            size = state["size"]
            with open(self.path, "rb") as f:
                f.seek(max(0, size - 4096))
                same_prefix = f.read(min(4096, size)) == cached["tail"]
            if cached.get("version") != CACHE_VERSION or cached.get("schema") != self._schema() or not same_prefix:
                return
        except (OSError, ValueError, KeyError, pickle.UnpicklingError, EOFError):
            return
        for name, value in state.items():
            setattr(self, name, value)
        self.generation = 1
