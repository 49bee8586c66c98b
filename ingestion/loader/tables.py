"""Typed `raw` tables: what a source's records look like once loaded.

A `TableSpec` says a table's columns, their PostgreSQL types and checks, and its
natural key. Every source (1C entity sets, the call log, ad costs, XLSX drops)
describes its tables this way; the batch loader does the rest generically.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# PostgreSQL types a raw column may have; validation uses pg_input_is_valid(value, type).
PG_TYPES = ("uuid", "text", "timestamp", "date", "numeric", "boolean", "bigint", "integer")

MAX_IDENTIFIER_BYTES = 63  # PostgreSQL silently truncates longer names


@dataclass(frozen=True)
class Column:
    name: str  # the source's own name, e.g. "Контрагент_Key"
    pg_type: str
    required: bool = False  # NULL is rejected
    non_negative: bool = False  # a value below zero is rejected (quantities)
    forbidden: str | None = None  # a value that counts as missing, e.g. the 0001-01-01 sentinel in a required date
    references: str | None = None  # raw table whose Ref_Key this value must name (when it names anything)

    def __post_init__(self) -> None:
        if self.pg_type not in PG_TYPES:
            raise ValueError(f"column {self.name}: unsupported type {self.pg_type}")

    @property
    def sql_name(self) -> str:
        return pg_identifier(self.name)


@dataclass(frozen=True)
class TableSpec:
    source: str  # e.g. "onec_trade", "mango"
    entity: str  # the source's name for the records, e.g. "Document_РеализацияТоваровУслуг"
    table: str  # table name in schema raw
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key: column names
    children: tuple[TableSpec, ...] = ()  # tabular sections, replaced whole with their parent
    parent_key: tuple[str, ...] = ()  # for a child: the columns that point at the parent's key
    list_field: str = ""  # for a child: the parent record's field holding its lines
    unique_number: bool = False  # a document Number is unique within the year of its Date (1C numbering)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.table} has no column {name}")

    @property
    def qualified(self) -> str:
        return f"raw.{self.table}"


def pg_identifier(name: str) -> str:
    """The name itself when PostgreSQL can hold it, else a truncation made unique by a short hash."""
    if len(name.encode("utf-8")) <= MAX_IDENTIFIER_BYTES:
        return name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    cut = name
    while len(cut.encode("utf-8")) > MAX_IDENTIFIER_BYTES - 9:
        cut = cut[:-1]
    return f"{cut}_{digest}"


_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
    strict=True,
))


def snake_ascii(name: str) -> str:
    """ASCII snake_case of a 1C name: "Document_РеализацияТоваровУслуг" -> "document_realizatsiya_tovarov_uslug"."""
    out: list[str] = []
    for i, ch in enumerate(name):
        prev, nxt = name[i - 1] if i else "", name[i + 1] if i + 1 < len(name) else ""
        # a word starts at an upper-case letter after a lower-case one, or before one ("ТоварВМашине")
        if ch.isupper() and prev and (prev.islower() or prev.isdigit() or (prev.isupper() and nxt.islower())):
            out.append("_")
        low = ch.lower()
        out.append(_TRANSLIT.get(low, low if low.isascii() and (low.isalnum() or low == "_") else "_"))
    return "".join(out).replace("__", "_").strip("_")
