"""Query options and their evaluation over an entity index: which rows, in what order, which fields.

Entity sets: `$filter` and `$orderby` run over index columns (row = slot number); the ordered
result is cached per (filter, orderby) until the file changes, so paging with `$skip` costs one
page, not one scan. Full objects are served by splicing their stored bytes.

Tabular-section sets (`<Entity>_<Section>`): rows are (slot, line index). When the filter and order
only touch the owner (Ref_Key, Ref/<Field>) and LineNumber ascending, rows are addressed through
per-owner line counts without parsing anything; otherwise every line is materialised once.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from ingestion.demo.odata_errors import bad_request
from ingestion.demo.odata_filter import Compare, Logical, compile_filter, fields_of, parse_filter, value_converter
from ingestion.demo.store_index import EntityIndex
from ingestion.onec.schema import EntitySet, TabularSection

BATCH = 2000  # objects read per pread round while streaming a page
SELECTION_CACHE = 8


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON, Cyrillic unescaped, as 1C writes it."""
    return orjson.dumps(obj)


def dumps_many(objs: list[Any]) -> bytes:
    """Several objects comma-joined, in one encoder call (a page item may hold many rows)."""
    return orjson.dumps(objs)[1:-1]


@dataclass
class Options:
    top: int | None = None
    skip: int = 0
    filter_text: str = ""
    filter: Any = None
    orderby_text: str = ""
    orderby: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    select: list[str] | None = None
    inlinecount: bool = False


def _non_negative_int(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise bad_request(f"Неверное значение параметра {name}: '{text}'") from None
    if value < 0:
        raise bad_request(f"Неверное значение параметра {name}: '{text}'")
    return value


def parse_options(params: dict[str, str]) -> Options:
    opts = Options()
    if "$top" in params:
        opts.top = _non_negative_int("$top", params["$top"])
    if "$skip" in params:
        opts.skip = _non_negative_int("$skip", params["$skip"])
    if params.get("$filter", "").strip():
        opts.filter_text = params["$filter"].strip()
        opts.filter = parse_filter(opts.filter_text)
    if params.get("$orderby", "").strip():
        opts.orderby_text = params["$orderby"].strip()
        for part in opts.orderby_text.split(","):
            words = part.split()
            if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
                raise bad_request(f"Неверное значение параметра $orderby: '{part.strip()}'")
            opts.orderby.append((words[0], len(words) == 2 and words[1] == "desc"))
    if params.get("$select", "").strip() and params["$select"].strip() != "*":
        opts.select = [s.strip() for s in params["$select"].split(",") if s.strip()]
    if params.get("$inlinecount", "none") not in ("none", "allpages"):
        raise bad_request(f"Неверное значение параметра $inlinecount: '{params['$inlinecount']}'")
    opts.inlinecount = params.get("$inlinecount") == "allpages"
    return opts


def page_bounds(total: int, opts: Options) -> tuple[int, int]:
    start = min(opts.skip, total)
    end = total if opts.top is None else min(total, start + opts.top)
    return start, end


def sort_key(edm: str) -> Callable[[Any], tuple]:
    convert = value_converter(edm)

    def key(value: Any) -> tuple:
        if value is None:
            return (0, 0)
        try:
            return (1, convert(value))
        except (TypeError, ValueError):
            return (2, str(value))

    return key


def _cached(index: EntityIndex, key: tuple, compute: Callable[[], Any]) -> Any:
    hit = index.selections.get(key)
    if hit is None:
        hit = compute()
        index.selections[key] = hit
        while len(index.selections) > SELECTION_CACHE:
            index.selections.popitem(last=False)
    else:
        index.selections.move_to_end(key)
    return hit


def order_slots(slots: list[int], orderby: list[tuple[str, bool]], types: dict[str, str],
                column: Callable[[str], list[Any]]) -> list[int]:
    for name, desc in reversed(orderby):  # stable sorts, last key first
        if name not in types:
            raise bad_request(f"Неверное значение параметра $orderby: неизвестное поле '{name}'")
        col, key = column(name), sort_key(types[name])
        slots.sort(key=lambda s, col=col, key=key: key(col[s]), reverse=desc)
    return slots


# --- entity sets ------------------------------------------------------------------------------


def scalar_types(entity: EntitySet) -> dict[str, str]:
    return {f.name: f.edm for f in entity.fields}


def select_slots(index: EntityIndex, opts: Options) -> list[int]:
    """Live slots matching $filter in $orderby order (insertion order without it). Call under index.lock."""
    types = scalar_types(index.entity)

    def compute() -> list[int]:
        keys = key_candidates(opts.filter, index.entity.key)
        if keys is None:
            slots = index.live_slots()
        else:  # `Ref_Key eq guid'..' or ...`: look the keys up instead of scanning
            alive = index.alive
            slots = sorted(s for s in (index.slot_of.get(k) for k in keys) if s is not None and alive[s])
        if opts.filter is not None:
            predicate = compile_filter(opts.filter, types, lambda name: index.column(name).__getitem__)
            slots = [s for s in slots if predicate(s)]
        return order_slots(slots, opts.orderby, types, index.column)

    return _cached(index, ("entity", opts.filter_text, opts.orderby_text), compute)


def key_candidates(node: Any, key: tuple[str, ...]) -> set[str] | None:
    """Keys a filter can only match (an or-tree of `<key> eq literal`, possibly and-ed), or None to scan."""
    if len(key) != 1 or node is None:
        return None
    if isinstance(node, Compare):
        return {str(node.literal.value)} if node.op == "eq" and node.field == key[0] else None
    if isinstance(node, Logical):
        left, right = key_candidates(node.left, key), key_candidates(node.right, key)
        if node.op == "or":
            return None if left is None or right is None else left | right
        return left if right is None else right if left is None else left & right
    return None


def check_select(known: list[str], select: list[str] | None) -> list[str] | None:
    """The selected names in the set's field order; 400 for a name it does not have."""
    if select is None:
        return None
    for name in select:
        if name not in known:
            raise bad_request(f"Неверное значение параметра $select: неизвестное поле '{name}'")
    chosen = set(select)
    return [n for n in known if n in chosen]


def entity_names(entity: EntitySet) -> list[str]:
    return [*(f.name for f in entity.fields), *(s.name for s in entity.sections)]


def section_names(section: TabularSection) -> list[str]:
    return ["Ref_Key", "LineNumber", *(f.name for f in section.fields)]


def render_objects(index: EntityIndex, slots: list[int], select: list[str] | None) -> Iterator[bytes]:
    """JSON of each slot's object: stored bytes as they are, or the selected fields re-serialised."""
    epoch = index.epoch
    from_columns = select is not None and all(name in index.columns for name in select)
    for i in range(0, len(slots), BATCH):
        batch = slots[i:i + BATCH]
        with index.lock:
            if index.epoch != epoch:
                raise RuntimeError(f"{index.path} was replaced while it was being served")
            if from_columns:
                cols = [(name, index.columns[name]) for name in select]
                broken = [s for s in batch if index.broken[s]]
                raw = dict(zip(broken, index.read_lines(broken), strict=True))
                rows = [raw.get(s) or {name: col[s] for name, col in cols} for s in batch]
            else:
                lines = index.read_lines(batch)
        if from_columns:
            if not raw:
                yield dumps_many(rows)
                continue
            yield from (row if isinstance(row, bytes) else dumps(row) for row in rows)
            continue
        if select is None:
            yield from lines
            continue
        ready: list[dict[str, Any]] = []
        for line in lines:
            try:
                obj = orjson.loads(line)
            except ValueError:
                if ready:
                    yield dumps_many(ready)
                    ready = []
                yield line  # a broken stored line stays broken
                continue
            ready.append({name: obj[name] for name in select if name in obj})
        if ready:
            yield dumps_many(ready)


# --- tabular-section sets ---------------------------------------------------------------------


def section_types(entity: EntitySet, section: TabularSection) -> dict[str, str]:
    types = {"Ref_Key": "Edm.Guid", "LineNumber": "Edm.Int64", **{f.name: f.edm for f in section.fields}}
    types.update({f"Ref/{f.name}": f.edm for f in entity.fields})
    return types


def section_row(owner_ref: Any, idx: int, line: dict[str, Any]) -> dict[str, Any]:
    """A line as its own entity: Ref_Key and LineNumber, then the line's fields as stored.

    A stored line that lacks LineNumber gets its position, as a string (1C writes Edm.Int64 as a JSON string).
    """
    if "LineNumber" in line:
        return line if "Ref_Key" in line else {"Ref_Key": owner_ref, **line}
    return {"Ref_Key": owner_ref, "LineNumber": str(idx + 1), **line}


@dataclass
class SectionRows:
    """Ordered rows of a section set. Either owner slots with cumulative line counts (fast) or explicit rows."""

    owners: list[int] | None = None
    starts: list[int] | None = None  # starts[i] = number of rows before owners[i]
    rows: list[tuple[int, int]] | None = None

    def __len__(self) -> int:
        if self.rows is not None:
            return len(self.rows)
        return self.starts[-1] if self.starts else 0

    def slice(self, start: int, end: int, counts: list[int]) -> list[tuple[int, int]]:
        if self.rows is not None:
            return self.rows[start:end]
        out: list[tuple[int, int]] = []
        i = bisect.bisect_right(self.starts, start) - 1
        pos = start
        while pos < end and i < len(self.owners):
            slot = self.owners[i]
            first = pos - self.starts[i]
            take = min(counts[slot] - first, end - pos)
            out.extend((slot, first + j) for j in range(take))
            pos += take
            i += 1
        return out


def _is_owner_level(name: str) -> bool:
    return name == "Ref_Key" or name.startswith("Ref/")


def select_section_rows(index: EntityIndex, section: TabularSection, opts: Options) -> SectionRows:
    """Rows of a tabular-section set matching $filter in $orderby order. Call under index.lock."""
    entity = index.entity
    types = section_types(entity, section)
    counts = index.section_counts[section.name]
    for name, _ in opts.orderby:
        if name not in types:
            raise bad_request(f"Неверное значение параметра $orderby: неизвестное поле '{name}'")
    order = list(opts.orderby)
    if len(order) >= 2 and order[-1] == ("LineNumber", False) and order[-2][0] == "Ref_Key":
        order.pop()  # lines already come in LineNumber order within an owner
    fast = (all(_is_owner_level(f) for f in (fields_of(opts.filter) if opts.filter is not None else ()))
            and all(_is_owner_level(name) for name, _ in order))

    def owner_column(name: str) -> list[Any]:
        return index.column("Ref_Key" if name == "Ref_Key" else name[4:])

    def compute_fast() -> SectionRows:
        owners = [s for s in index.live_slots() if counts[s]]
        if opts.filter is not None:
            predicate = compile_filter(opts.filter, types, lambda name: owner_column(name).__getitem__)
            owners = [s for s in owners if predicate(s)]
        owners = order_slots(owners, order, types, owner_column)
        starts = [0, *itertools.accumulate(counts[s] for s in owners)]
        return SectionRows(owners=owners, starts=starts)

    def compute_rows() -> SectionRows:
        def resolve(name: str) -> Callable[[Any], Any]:
            if name.startswith("Ref/"):
                col = owner_column(name)
                return lambda r: col[r[0]]
            return lambda r: r[2].get(name)

        predicate = compile_filter(opts.filter, types, resolve) if opts.filter is not None else None
        keyed = [(name, resolve(name), sort_key(types[name]), desc) for name, desc in opts.orderby]
        found: list[tuple] = []
        slots = [s for s in index.live_slots() if counts[s]]
        for i in range(0, len(slots), BATCH):
            batch = slots[i:i + BATCH]
            for slot, obj in zip(batch, index.parse_slots(batch), strict=True):
                lines = obj.get(section.name) if isinstance(obj, dict) else None
                if not isinstance(lines, list):
                    found.append((slot, 0, {}))  # broken owner: kept so its page shows it
                    continue
                for idx, line in enumerate(lines):
                    row = (slot, idx, section_row(obj.get("Ref_Key"), idx, line))
                    if predicate is None or predicate(row):
                        found.append(row)
        for _, value_of, key, desc in reversed(keyed):
            found.sort(key=lambda r, value_of=value_of, key=key: key(value_of(r)), reverse=desc)
        return SectionRows(rows=[(r[0], r[1]) for r in found])

    kind = "fast" if fast else "rows"
    return _cached(index, ("section", section.name, kind, opts.filter_text, opts.orderby_text),
                   compute_fast if fast else compute_rows)


def render_section_rows(index: EntityIndex, section: TabularSection, rows: list[tuple[int, int]],
                        select: list[str] | None) -> Iterator[bytes]:
    """JSON of the rows, comma-joined per batch; the owner object is parsed once for all its lines on the page."""
    epoch = index.epoch
    for i in range(0, len(rows), BATCH):
        batch = rows[i:i + BATCH]
        owners = list(dict.fromkeys(slot for slot, _ in batch))
        with index.lock:
            if index.epoch != epoch:
                raise RuntimeError(f"{index.path} was replaced while it was being served")
            lines = dict(zip(owners, index.read_lines(owners), strict=True))
        parsed: dict[int, Any] = {}
        ready: list[dict[str, Any]] = []
        for slot, idx in batch:
            obj = parsed.get(slot)
            if obj is None:
                try:
                    obj = orjson.loads(lines[slot])
                except ValueError:
                    obj = lines[slot]
                parsed[slot] = obj
            if not isinstance(obj, dict):
                if ready:
                    yield dumps_many(ready)
                    ready = []
                yield lines[slot]  # a broken owner line is served as stored
                continue
            section_lines = obj.get(section.name)
            if not isinstance(section_lines, list) or idx >= len(section_lines):
                continue  # re-written with fewer lines since the page was cut
            row = section_row(obj.get("Ref_Key"), idx, section_lines[idx])
            ready.append(row if select is None else {name: row[name] for name in select if name in row})
        if ready:
            yield dumps_many(ready)
