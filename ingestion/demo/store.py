"""Append-only object store behind the simulated 1C infobases.

Layout under DIR/onec/<base>/ (base = "trade" or "crm"):
  <EntitySet>.jsonl  one object per line, exactly as 1C OData JSON returns it
                     (tabular sections inline as arrays, fields in schema order);
                     a later line with the same key supersedes an earlier one;
                     a line {"@deleted": true, <key fields>} is a physical deletion.
  _journal.jsonl     one line per write: [seq, entity_set, key] with seq counting
                     from 1 per base. The exchange-plan change feed reads it.

Writes are byte-deterministic: the same calls in the same order give the same files.
JSON is compact UTF-8 (orjson: the same bytes as json.dumps(ensure_ascii=False,
separators=(",", ":")) for these objects, several times faster, which the large scale needs).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import orjson

from ingestion.onec.entities import ENTITY_SETS, entity_set

_KEYS = {name: es.key for name, es in ENTITY_SETS.items()}


def dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode()


def object_key(entity: str, obj: dict) -> str:
    """The supersede key of an object: its Ref_Key, or a register record's dimensions joined."""
    key = _KEYS.get(entity) or entity_set(entity).key
    if len(key) == 1:
        return str(obj[key[0]])
    return "|".join(str(obj[k]) for k in key)


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


class StoreWriter:
    """Appends objects to one infobase's store. Use as a context manager."""

    def __init__(self, root: Path, base: str):
        self.dir = Path(root) / "onec" / base
        self.dir.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[bytes]] = {}
        journal = self.dir / "_journal.jsonl"
        self._seq = count_lines(journal) if journal.exists() else 0
        self._journal = journal.open("ab")

    def _file(self, entity: str) -> IO[bytes]:
        f = self._files.get(entity)
        if f is None:
            f = (self.dir / f"{entity}.jsonl").open("ab")
            self._files[entity] = f
        return f

    def _journal_line(self, entity: str, key: str) -> None:
        self._seq += 1
        self._journal.write(orjson.dumps([self._seq, entity, key]) + b"\n")

    def put(self, entity: str, obj: dict) -> None:
        self._file(entity).write(orjson.dumps(obj) + b"\n")
        self._journal_line(entity, object_key(entity, obj))

    def delete(self, entity: str, key_fields: dict) -> None:
        self._file(entity).write(orjson.dumps({"@deleted": True, **key_fields}) + b"\n")
        self._journal_line(entity, object_key(entity, key_fields))

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._journal.close()

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
