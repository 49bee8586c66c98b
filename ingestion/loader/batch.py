"""One load batch: records streamed in, validated and upserted into `raw` in one transaction.

Records come in two ways. Pages of standard OData JSON (`add_page`, the 1C path) go to
PostgreSQL as they arrive, untouched by Python: each is parsed there and its objects and
their tabular-section lines are taken apart into untyped temporary tables, inside the
batch's open transaction. Records built in Python (`add`: files, the change feed, objects
re-read one by one) are spooled (memory first, then disk) as untyped COPY text and COPYed
into the same tables on commit. Either way memory stays flat however large a source is.
On commit PostgreSQL validates every value against its type
(`pg_input_is_valid`), bad records go to `ops.rejects` with the field and the
reason, and the good ones replace their earlier versions by natural key (a
document's tabular sections are replaced whole). The audit row is written in the
same transaction, so `ops.load_audit` says 'succeeded' exactly when the data is
there; a failure or a kill leaves the previous data as it was.

    with Batch(warehouse.as_role("loader"), source="onec_trade", mode="full") as batch:
        for record in records:
            batch.add(spec, record)
    print(batch.counts)
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO

import psycopg
from psycopg import postgres, sql
from psycopg.adapt import Dumper

from ingestion.loader.copy_text import line
from ingestion.loader.ops_schema import ensure_ops_tables, ensure_raw_table
from ingestion.loader.tables import Column, TableSpec
from ingestion.onec.schema import EMPTY_REF

SPOOL_IN_MEMORY = 16 * 1024 * 1024  # bytes per table before a spool moves to disk
ANALYZE_SHARE = 0.1  # a batch changing this share of a raw table analyzes it (autovacuum's default scale factor)

# Settings of the batch's own session. A batch is a few big statements over temp tables: JIT compiling
# their long validation expressions costs more than it saves; temp tables and sorts stay in memory.
SESSION_SETTINGS = ("set jit = off", "set temp_buffers = '256MB'", "set work_mem = '64MB'")


class LoadError(RuntimeError):
    """A batch failed as a whole; nothing of it was written."""


@dataclass
class Counts:
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    deleted: int = 0
    lines: int = 0


@dataclass
class _PythonReject:
    record_key: str | None
    field: str | None
    reason: str
    payload: object


class _JsonText(bytes):
    """A JSON document passed to PostgreSQL as is (text protocol), parsed there, never in Python."""


class _JsonTextDumper(Dumper):
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: bytes) -> bytes:
        return obj


class _TableSpool:
    """The records of one table (and its sections) waiting for COPY."""

    def __init__(self, spec: TableSpec, index: int):
        self.spec = spec
        self.index = index  # names its temp tables: _in_<index>, _in_<index>_<section>, ...
        self.rows = 0  # records so far, pages and spooled alike: a record's _row is its place in the batch
        self.tables_created = False
        self.page_statement: sql.Composable | None = None
        self.records = self._spool()
        self.lines = [self._spool() for _ in spec.children]
        self.deletions = self._spool()
        self.deleted_keys = 0
        self.python_rejects: list[_PythonReject] = []
        # Names looked up once, not per record: add() runs for every record and line of a source.
        self._names = [c.name for c in spec.columns]
        self._children = [(child.list_field, [(c.name, c.name in child.parent_key) for c in child.columns])
                          for child in spec.children]

    @staticmethod
    def _spool() -> IO[bytes]:
        return tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+b")

    def add(self, record: dict) -> None:
        row = self.rows + 1
        get = record.get
        text = line([row, *[get(name) for name in self._names]])
        lines = []
        for (list_field, columns), spool in zip(self._children, self.lines, strict=True):
            items = get(list_field) or []
            for seq, item in enumerate(items if isinstance(items, list) else [items]):
                values = [get(name) if from_parent else _get(item, name) for name, from_parent in columns]
                lines.append((spool, line([row, seq, *values])))
        try:
            record_bytes = _storable(text)
            line_bytes = [(spool, _storable(line_text)) for spool, line_text in lines]
        except ValueError:
            key = "|".join(str(get(k)) for k in self.spec.key if get(k) is not None) or None
            self.python_rejects.append(_PythonReject(
                key, _unstorable_field(self.spec, record),
                "the text holds a character PostgreSQL cannot store (U+0000, or half of a surrogate pair); "
                "the payload spells it as \\uXXXX", _spelled(record)))
            return
        self.rows = row
        self.records.write(record_bytes)
        for spool, data in line_bytes:
            spool.write(data)

    def close(self) -> None:
        for spool in (self.records, *self.lines, self.deletions):
            spool.close()


def _storable(text: str) -> bytes:
    """A COPY line as UTF-8; ValueError when it holds what PostgreSQL text cannot (COPY would fail the batch)."""
    if "\x00" in text:
        raise ValueError("U+0000")
    return text.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate


def _is_storable(value: object) -> bool:
    try:
        _storable(str(value))
    except ValueError:
        return False
    return True


def _unstorable_field(spec: TableSpec, record: dict) -> str | None:
    """The first field PostgreSQL cannot store: a column of the record, or `Section[LineNumber].Column`."""
    for c in spec.columns:
        if not _is_storable(record.get(c.name)):
            return c.name
    for child in spec.children:
        items = record.get(child.list_field) or []
        for n, item in enumerate(items if isinstance(items, list) else [items], start=1):
            for c in child.columns:
                if not _is_storable(_get(item, c.name)):
                    number = item.get("LineNumber", n) if isinstance(item, dict) else n
                    return f"{child.list_field}[{number}].{c.name}"
    return None


def _spelled(value: object) -> object:
    """`value` with what PostgreSQL cannot store spelled out: U+0000 as \\u0000, a lone surrogate as \\udcXX."""
    if isinstance(value, str):
        return value.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_spelled(k): _spelled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_spelled(v) for v in value]
    return value


def _get(item: object, name: str) -> object:
    return item.get(name) if isinstance(item, dict) else item  # a non-object line fails validation visibly


class Batch:
    """Use as a context manager: commits on a clean exit, rolls back (and audits the failure) on an exception."""

    def __init__(self, conn_params, *, source: str, mode: str,
                 window: tuple[datetime | None, datetime | None] = (None, None), entity: str | None = None):
        self.conn_params = conn_params  # a warehouse.Conn for the loader role
        self.source = source
        self.mode = mode
        self.window = window
        self.entity = entity  # what the batch loads, when known up front: a failure before any record is audited
        self.batch_id: int | None = None
        self.counts: dict[str, Counts] = {}
        self._spools: dict[str, _TableSpool] = {}
        self._also: list[tuple[str, tuple]] = []
        self._conn: psycopg.Connection | None = None
        self._transaction: psycopg.Transaction | None = None

    # --- feeding --------------------------------------------------------------

    def _spool(self, spec: TableSpec) -> _TableSpool:
        spool = self._spools.get(spec.entity)
        if spool is None:
            spool = self._spools[spec.entity] = _TableSpool(spec, len(self._spools))
            self._audit_running(spec.entity)
        return spool

    def _open(self) -> psycopg.Connection:
        """The batch's connection, its transaction begun: pages are loaded into it as they arrive."""
        if self._conn is None:
            conn = self.conn_params.connect(autocommit=True)
            try:
                for setting in SESSION_SETTINGS:
                    conn.execute(setting)
                conn.adapters.register_dumper(_JsonText, _JsonTextDumper)
                transaction = conn.transaction()
                transaction.__enter__()
                conn.execute("set local synchronous_commit = on")
            except BaseException:
                conn.close()
                raise
            self._conn, self._transaction = conn, transaction
        return self._conn

    def _finish(self, *, commit: bool) -> None:
        """Commit the batch's transaction, or roll it back (closing the connection does), and let go of it."""
        conn, transaction = self._conn, self._transaction
        self._conn = self._transaction = None
        if conn is None:
            return
        try:
            if commit:
                transaction.__exit__(None, None, None)
        finally:
            conn.close()

    def add_page(self, spec: TableSpec, content: bytes) -> int | None:
        """A page of standard OData JSON (`{"value": [objects]}`) into the batch, without parsing it in Python.

        Returns how many objects it held, or None when PostgreSQL cannot read it as such a page (broken
        JSON, no `value` array): then nothing of it is kept and the caller feeds its objects one by one."""
        spool = self._spool(spec)
        conn = self._open()
        _create_sources(conn, spool)
        if spool.page_statement is None:
            spool.page_statement = _page_statement(spool)
        try:
            with conn.transaction():  # a savepoint: a page PostgreSQL cannot read leaves nothing behind
                objects, value_type = conn.execute(
                    spool.page_statement, {"base": spool.rows, "page": _JsonText(content)}).fetchone()
                if value_type != "array":
                    raise _NotAPageError
        except (psycopg.errors.DataError, psycopg.errors.ProgramLimitExceeded, _NotAPageError):
            return None
        spool.rows += objects
        return objects

    def add(self, spec: TableSpec, record: dict) -> None:
        self._spool(spec).add(record)

    def delete(self, spec: TableSpec, key: dict) -> None:
        """Record that the source no longer has this object (physically deleted)."""
        spool = self._spool(spec)
        spool.deletions.write(line([key.get(k) for k in spec.key]).encode("utf-8"))
        spool.deleted_keys += 1

    def reject(self, spec: TableSpec, *, record_key: str | None, field: str | None, reason: str,
               payload: object) -> None:
        """A record that could not even be read (broken JSON, a malformed CSV line): kept with its reason."""
        self._spool(spec).python_rejects.append(_PythonReject(record_key, field, reason, payload))

    def also(self, statement: str, params: tuple = ()) -> None:
        """A statement to run in the batch's transaction, e.g. marking a file as loaded."""
        self._also.append((statement, params))

    # --- audit ------------------------------------------------------------------

    def _audit_conn(self) -> psycopg.Connection:
        return self.conn_params.connect(autocommit=True)

    def _audit_running(self, entity: str) -> None:
        with self._audit_conn() as conn:
            ensure_ops_tables(conn)
            if self.batch_id is None:
                self.batch_id = conn.execute("select nextval('ops.batch_id_seq')").fetchone()[0]
            conn.execute(
                "insert into ops.load_audit (batch_id, source, entity, mode, window_start, window_end) "
                "values (%s, %s, %s, %s, %s, %s)",
                (self.batch_id, self.source, entity, self.mode, *self.window),
            )

    def _audit_failed(self, error: BaseException) -> None:
        if self.batch_id is None:
            if self.entity is None:
                return  # nothing was given to the batch, and it cannot say what it was to load
            self._audit_running(self.entity)
        with self._audit_conn() as conn:
            conn.execute(
                "update ops.load_audit set status = 'failed', finished_at = now(), error = %s where batch_id = %s",
                (f"{type(error).__name__}: {error}"[:4000], self.batch_id),
            )

    # --- commit -----------------------------------------------------------------

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc is None:
                self.commit()
            else:
                self._finish(commit=False)  # first: the audit update must not wait on this transaction's locks
                self._audit_failed(exc)
        finally:
            self._finish(commit=False)
            for spool in self._spools.values():
                spool.close()

    def commit(self) -> None:
        if not self._spools:
            if self.entity is not None:  # nothing to load is an outcome too: audited as a batch of none
                self._audit_running(self.entity)
                with self._audit_conn() as conn:
                    conn.execute("update ops.load_audit set status = 'succeeded', finished_at = now() "
                                 "where batch_id = %s", (self.batch_id,))
            return
        try:
            conn = self._open()
            for spool in self._spools.values():
                self.counts[spool.spec.entity] = _merge(conn, spool, self.batch_id, self.source)
            for statement, params in self._also:
                conn.execute(statement, params)
            for entity, counts in self.counts.items():
                if counts.read != counts.loaded + counts.rejected:  # the promise: nothing silently dropped
                    raise LoadError(f"{entity}: read {counts.read} != loaded {counts.loaded} "
                                    f"+ rejected {counts.rejected}")
                conn.execute(
                    "update ops.load_audit set rows_read = %s, rows_loaded = %s, rows_rejected = %s, "
                    "rows_deleted = %s, lines_loaded = %s, status = 'succeeded', finished_at = now() "
                    "where batch_id = %s and entity = %s",
                    (counts.read, counts.loaded, counts.rejected, counts.deleted, counts.lines,
                     self.batch_id, entity),
                )
            self._finish(commit=True)
        except BaseException as error:
            self._finish(commit=False)
            self._audit_failed(error)
            raise


# --- the SQL of one table's merge ------------------------------------------------

def _ident(*names: str) -> sql.Identifier:
    return sql.Identifier(*names)


def _lit(value: object) -> sql.Literal:
    return sql.Literal(value)


def _checks(columns: tuple[Column, ...], typed: bool = False) -> list[tuple[sql.Composable, str, sql.Composable]]:
    """(condition, field, reason) per rule, in the order a record is judged: the first that holds rejects it.

    typed: the table holds the values already cast (every one was valid), so the type rules are void."""
    checks = []
    for c in columns:
        col = _ident(c.sql_name)
        if c.required:
            checks.append((sql.SQL("{} is null").format(col), c.name, _lit("required value is missing")))
        if c.forbidden is not None:
            forbidden = sql.SQL("{}::{}").format(_lit(c.forbidden), sql.SQL(c.pg_type)) if typed else _lit(c.forbidden)
            checks.append((sql.SQL("{} = {}").format(col, forbidden), c.name,
                           _lit(f"empty value {c.forbidden} in a required field")))
        if typed:
            if c.non_negative:
                checks.append((sql.SQL("{} < 0").format(col), c.name,
                               sql.SQL("{} || {}::text").format(_lit("negative value: "), col)))
            continue
        if c.pg_type != "text":
            checks.append((
                sql.SQL("{col} is not null and not ({valid})").format(col=col, valid=_valid(c)),
                c.name,
                sql.SQL("{} || left({}, 120)").format(_lit(f"not a valid {c.pg_type}: "), col),
            ))
        if c.non_negative:
            checks.append((sql.SQL("{} is not null and {}::numeric < 0").format(col, col), c.name,
                           sql.SQL("{} || {}").format(_lit("negative value: "), col)))
    return checks


def _problem_select(table: str, columns: tuple[Column, ...], field_prefix: sql.Composable | None,
                    typed: bool = False) -> sql.Composable:
    """SELECT _row, field, reason of every row of a temp table that breaks a rule (first rule wins)."""
    checks = _checks(columns, typed)
    if not checks:
        return sql.SQL("select null::bigint as _row, null::text as field, null::text as reason where false")
    field_case = sql.SQL("case {} end").format(sql.SQL(" ").join(
        sql.SQL("when {} then {}").format(cond, _lit(field)) for cond, field, _ in checks))
    reason_case = sql.SQL("case {} end").format(sql.SQL(" ").join(
        sql.SQL("when {} then {}").format(cond, reason) for cond, _, reason in checks))
    field_expr = field_case if field_prefix is None else sql.SQL("{} || {}").format(field_prefix, field_case)
    return sql.SQL("select _row, field, reason from (select _row, {} as field, {} as reason from {}) p "
                   "where field is not null").format(field_expr, reason_case, _ident(table))


# PostgreSQL reads more into these types than a source can mean: NaN and the infinities as numbers,
# 'infinity', 'epoch', 'now', 'today', 'tomorrow', 'yesterday' as dates. A value a source can mean has a
# digit (a date begins with one); the rest are rejected as not of the type.
_MEANINGFUL = {"numeric": "[0-9]", "timestamp": "^\\s*[0-9]", "date": "^\\s*[0-9]"}


def _valid(c: Column) -> sql.Composable:
    """The text of column `c` is a value of its type (the check behind a 'not a valid <type>' reject)."""
    col = _ident(c.sql_name)
    valid = sql.SQL("pg_input_is_valid({}, {})").format(col, _lit(c.pg_type))
    if c.pg_type in _MEANINGFUL:
        valid = sql.SQL("{} and {} ~ {}").format(valid, col, _lit(_MEANINGFUL[c.pg_type]))
    return valid


def _cast(c: Column) -> sql.Composable:
    """The text of column `c` cast to its type; a value `_valid` refuses fails the cast, as a bad spelling does."""
    col = _ident(c.sql_name)
    if c.pg_type in _MEANINGFUL:  # spoil what PostgreSQL would read but the source cannot mean
        col = sql.SQL("(case when {col} !~ {pattern} then {col} || '?' else {col} end)").format(
            col=col, pattern=_lit(_MEANINGFUL[c.pg_type]))
    return sql.SQL("{}::{} as {}").format(col, sql.SQL(c.pg_type), _ident(c.sql_name))


def _typed(columns: tuple[Column, ...]) -> sql.Composable:
    return sql.SQL(", ").join(_cast(c) if c.pg_type != "text" else _ident(c.sql_name) for c in columns)


def _names(columns) -> sql.Composable:
    return sql.SQL(", ").join(_ident(c.sql_name) for c in columns)


def _key_match(spec: TableSpec, left: str, right: str, right_is_text: bool = False) -> sql.Composable:
    parts = []
    for k in spec.key:
        c = spec.column(k)
        rhs = sql.SQL("{}.{}").format(_ident(right), _ident(c.sql_name))
        if right_is_text and c.pg_type != "text":
            rhs = sql.SQL("{}::{}").format(rhs, sql.SQL(c.pg_type))
        parts.append(sql.SQL("{}.{} = {}").format(_ident(left), _ident(c.sql_name), rhs))
    return sql.SQL(" and ").join(parts)


def _exists(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute("select to_regclass(%s) is not null", (f"raw.{table}",)).fetchone()[0]


def _duplicate_numbers(conn: psycopg.Connection, spec: TableSpec, src: str, typed: bool = False) -> sql.Composable:
    """A second document with another's number in the same year: 1C never numbers two alike, so it is
    the same document entered twice. The one already loaded (or seen first in the batch) stays."""
    year = sql.SQL("date_trunc('year', \"Date\"{})").format(sql.SQL("" if typed else "::timestamp"))
    valid = sql.SQL("true" if typed else "pg_input_is_valid(\"Date\", 'timestamp')")
    ref_text = sql.SQL("" if typed else "::text")  # raw's uuid beside the source's text, or its uuid
    numbered = sql.SQL("select _row, \"Ref_Key\", \"Number\", {year} as year from {src} "
                       "where \"Number\" is not null and {valid}").format(year=year, src=_ident(src), valid=valid)
    in_batch = sql.SQL(
        "select _row, \"Number\", year from (select *, first_value(\"Ref_Key\") over "
        "(partition by \"Number\", year order by _row) as first_ref from ({numbered}) n) f "
        "where \"Ref_Key\" <> first_ref").format(numbered=numbered)
    already_loaded = sql.SQL("")
    if _exists(conn, spec.table):
        already_loaded = sql.SQL(
            " union select n._row, n.\"Number\", n.year from ({numbered}) n join {raw} r "
            "on r.\"Number\" = n.\"Number\" and date_trunc('year', r.\"Date\") = n.year "
            "and r.\"Ref_Key\"{t} <> n.\"Ref_Key\" "
            "where r.\"Ref_Key\"{t} not in (select \"Ref_Key\" from {src} where \"Ref_Key\" is not null)"
        ).format(numbered=numbered, raw=_ident("raw", spec.table), src=_ident(src), t=ref_text)
    return sql.SQL(
        "select 5, _row, 'Number', 'duplicate document: number ' || \"Number\" || ' is already used in ' "
        "|| extract(year from year) || ' by another document' from ({in_batch}{already_loaded}) d"
    ).format(in_batch=in_batch, already_loaded=already_loaded)


def _copy_in(conn: psycopg.Connection, table: str, spool: IO[bytes], stats_on: str | None | bool = "_row") -> None:
    spool.seek(0)
    if spool.read(1):  # records spooled in Python (pages are in the table already)
        spool.seek(0)
        with conn.cursor().copy(sql.SQL("copy {} from stdin").format(_ident(table))) as copy:
            while chunk := spool.read(1 << 20):
                copy.write(chunk)
    if stats_on is not False:
        _analyze(conn, table, stats_on)


def _analyze(conn: psycopg.Connection, table: str, stats_on: str | None = "_row") -> None:
    # Temp tables have no statistics. The plans join and group record tables on _row only, so its statistics
    # are all they need (analyzing every column cost half a second per batch); stats_on=None: all columns.
    columns = sql.SQL("") if stats_on is None else sql.SQL(" ({})").format(_ident(stats_on))
    conn.execute(sql.SQL("analyze {}{}").format(_ident(table), columns))


def _analyze_if_changed(conn: psycopg.Connection, table: str, changed: int) -> None:
    """Planner statistics for a raw table this batch changed much: a first load, above all. The models are built
    right after a load, before autovacuum would analyze, and a table with no statistics is planned blind.
    Smaller changes, as autovacuum's analyze_scale_factor has it, are left to autovacuum."""
    if not changed:
        return
    analyzed_rows = conn.execute(
        "select c.reltuples from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'raw' and c.relname = %s", (table,)).fetchone()[0]
    if analyzed_rows < 0 or changed >= ANALYZE_SHARE * analyzed_rows:  # -1: never analyzed
        conn.execute(sql.SQL("analyze {}").format(_ident("raw", table)))


class _NotAPageError(Exception):
    """Valid JSON, but not an OData page: no `value` array of objects."""


def _source_tables(spool: _TableSpool) -> list[tuple[TableSpec, str]]:
    """The untyped temp tables a table's records (and each section's lines) are gathered in."""
    return [(spool.spec, f"_in_{spool.index}"),
            *((child, f"_in_{spool.index}_{n}") for n, child in enumerate(spool.spec.children))]


def _create_sources(conn: psycopg.Connection, spool: _TableSpool) -> None:
    if spool.tables_created:
        return
    for table, name in _source_tables(spool):
        cols = sql.SQL(", ").join(sql.SQL("{} text").format(_ident(c.sql_name)) for c in table.columns)
        conn.execute(sql.SQL("create temp table {} (_row bigint, {}{}) on commit drop").format(
            _ident(name), sql.SQL("_seq int, ") if table is not spool.spec else sql.SQL(""), cols))
    spool.tables_created = True


def _page_statement(spool: _TableSpool) -> sql.Composable:
    """One statement per page: PostgreSQL parses the page once and takes each object apart into its
    record and its sections' lines, as text, exactly as a spooled record would be (values as sent:
    strings as they are, numbers in their JSON spelling, true/false, nested JSON where a scalar belongs).
    Returns the number of objects and the JSON type of `value` (anything but an array: not a page)."""
    tables = _source_tables(spool)
    (spec, src), children = tables[0], tables[1:]
    parts = [sql.SQL(
        "with page as materialized (select %(page)s -> 'value' as value), "
        "objs as materialized (select %(base)s::bigint + e.ord as _row, e.obj from page, "
        "jsonb_array_elements(case jsonb_typeof(page.value) when 'array' then page.value else '[]' end) "
        "with ordinality e(obj, ord)), "
        "rec as (insert into {src} (_row, {cols}) select _row, {values} from objs returning 1)").format(
        src=_ident(src), cols=_names(spec.columns),
        values=sql.SQL(", ").join(sql.SQL("obj ->> {}").format(_lit(c.name)) for c in spec.columns))]
    for n, (child, child_src) in enumerate(children):
        field = _lit(child.list_field)
        # A section's lines: its array; a lone object counts as one line, null or absent as none.
        items = sql.SQL("case jsonb_typeof(o.obj -> {f}) when 'array' then o.obj -> {f} "
                        "when 'object' then jsonb_build_array(o.obj -> {f}) else '[]' end").format(f=field)
        values = sql.SQL(", ").join(
            sql.SQL("o.obj ->> {}").format(_lit(c.name)) if c.name in child.parent_key
            else sql.SQL("l.item ->> {}").format(_lit(c.name)) for c in child.columns)
        parts.append(sql.SQL(
            "{cte} as (insert into {src} (_row, _seq, {cols}) select o._row, l.ord - 1, {values} "
            "from objs o, jsonb_array_elements({items}) with ordinality l(item, ord) returning 1)").format(
            cte=_ident(f"lines_{n}"), src=_ident(child_src), cols=_names(child.columns), values=values,
            items=items))
    return sql.SQL("{} select (select count(*) from rec), (select jsonb_typeof(value) from page)").format(
        sql.SQL(", ").join(parts))


def _cast_all(conn: psycopg.Connection, tables: list[tuple[TableSpec, str]]) -> list[str] | None:
    """Every value cast to its column's type in one pass per table (`_typed_<n>` beside `_in_<n>`), or None
    (and nothing created) when any value is not of its type. Casting is what pg_input_is_valid checks,
    so a table that casts whole has no type to reject, and each value is parsed once, not three times."""
    names = [f"_typed{name[3:]}" for _, name in tables]
    try:
        with conn.transaction():  # a savepoint
            for (table, name), typed_name in zip(tables, names, strict=True):
                conn.execute(sql.SQL("create temp table {} on commit drop as select _row, {}{} from {}").format(
                    _ident(typed_name), sql.SQL("_seq, ") if table.parent_key else sql.SQL(""),
                    _typed(table.columns), _ident(name)))
                _analyze(conn, typed_name)
    except psycopg.errors.DataError:
        return None
    return names


def _merge(conn: psycopg.Connection, spool: _TableSpool, batch_id: int, source: str) -> Counts:
    spec = spool.spec
    index = spool.index
    src, bad, ok = f"_in_{index}", f"_bad_{index}", f"_ok_{index}"
    ensure_raw_table(conn, spec)

    _create_sources(conn, spool)
    tables = _source_tables(spool)
    for (_, name), spooled in zip(tables, [spool.records, *spool.lines], strict=True):
        _copy_in(conn, name, spooled, stats_on=False)
    children = tables[1:]

    # Clean data (the usual case) is cast once, whole, and judged typed; a batch holding any value that is not
    # of its column's type is judged on its text instead, value by value, so each bad one gets its reason.
    typed_tables = _cast_all(conn, tables)
    typed = typed_tables is not None
    if not typed:
        for _, name in tables:
            _analyze(conn, name)
    checked = typed_tables or [name for _, name in tables]  # the tables the rules run on
    chk_src, chk_children = checked[0], [(child, name) for (child, _), name in zip(children, checked[1:],
                                                                                 strict=True)]

    # Every broken rule of the record or of any of its lines, and every earlier copy of a key seen again.
    problems = [sql.SQL("select 1 as priority, * from ({}) h").format(
        _problem_select(chk_src, spec.columns, None, typed))]
    for child, child_src in chk_children:
        prefix = sql.SQL("{} || '[' || coalesce({}::text, '?') || '].'").format(
            _lit(child.list_field), _ident("LineNumber") if any(c.name == "LineNumber" for c in child.columns)
            else sql.SQL("_seq"))
        problems.append(sql.SQL("select 2, * from ({}) c").format(
            _problem_select(child_src, child.columns, prefix, typed)))
    for table, table_src in [(spec, chk_src), *chk_children]:
        prefix = _lit("") if table is spec else sql.SQL("{} || '[' || coalesce({}::text, '?') || '].'").format(
            _lit(table.list_field), _ident("LineNumber"))
        for c in table.columns:
            if c.references and _exists(conn, c.references):
                col = _ident(c.sql_name)
                problems.append(sql.SQL(
                    "select 4, _row, {prefix} || {field}, {reason} || {col}::text from {src} s "
                    "where {col} is not null and {col} <> {empty} and {valid} "
                    "and not exists (select 1 from {target} t where t.\"Ref_Key\" = s.{col}{cast})").format(
                    prefix=prefix, field=_lit(c.name), col=col, src=_ident(table_src),
                    empty=sql.SQL("{}::uuid").format(_lit(EMPTY_REF)) if typed else _lit(EMPTY_REF),
                    valid=sql.SQL("true") if typed else sql.SQL("pg_input_is_valid({}, 'uuid')").format(col),
                    cast=sql.SQL("" if typed else "::uuid"),
                    reason=_lit(f"reference to a missing raw.{c.references}: "),
                    target=_ident("raw", c.references)))
    if spec.unique_number:
        problems.append(_duplicate_numbers(conn, spec, chk_src, typed))
    key_cols = _names([spec.column(k) for k in spec.key])
    problems.append(sql.SQL(
        "select 3, _row, {field}, 'duplicate: a later copy of the same record in this batch (row ' || last_row "
        "|| ') supersedes it' from (select _row, max(_row) over (partition by {keys}) as last_row from {src}) d "
        "where _row < last_row").format(field=_lit(spec.key[0]), keys=key_cols, src=_ident(chk_src)))
    conn.execute(sql.SQL(
        "create temp table {bad} on commit drop as select distinct on (_row) _row, field, reason "
        "from ({problems}) p order by _row, priority").format(
        bad=_ident(bad), problems=sql.SQL(" union all ").join(problems)))

    # Rejected records keep their whole original payload, lines included. The lines are grouped once per
    # section for the rejected rows only (a correlated subquery would scan every line per reject).
    payload = sql.SQL("to_jsonb(i) - '_row'")
    line_joins = []
    for n, (child, child_src) in enumerate(children):
        alias = _ident(f"l{n}")
        payload = sql.SQL("{} || jsonb_build_object({}, coalesce({}.items, '[]'::jsonb))").format(
            payload, _lit(child.list_field), alias)
        line_joins.append(sql.SQL(
            " left join (select c._row, jsonb_agg(to_jsonb(c) - '_row' - '_seq' order by c._seq) as items "
            "from {src} c join {bad} using (_row) group by c._row) {alias} on {alias}._row = i._row").format(
            src=_ident(child_src), bad=_ident(bad), alias=alias))
    record_key = sql.SQL("concat_ws('|', {})").format(
        sql.SQL(", ").join(sql.SQL("i.{}").format(_ident(spec.column(k).sql_name)) for k in spec.key))
    conn.execute(sql.SQL(
        "insert into ops.rejects (batch_id, source, entity, record_key, field, reason, payload) "
        "select {batch}, {source}, {entity}, {key}, b.field, b.reason, {payload} "
        "from {src} i join {bad} b using (_row){line_joins}").format(
        batch=_lit(batch_id), source=_lit(source), entity=_lit(spec.entity), key=record_key, payload=payload,
        src=_ident(src), bad=_ident(bad), line_joins=sql.SQL("").join(line_joins)))
    for r in spool.python_rejects:
        conn.execute(
            "insert into ops.rejects (batch_id, source, entity, record_key, field, reason, payload) "
            "values (%s, %s, %s, %s, %s, %s, %s)",
            (batch_id, source, spec.entity, r.record_key, r.field, r.reason, json.dumps(r.payload, ensure_ascii=False)),
        )

    # The good records, typed, replace their earlier versions (sections included).
    conn.execute(sql.SQL("create temp table {ok} on commit drop as select _row, {typed} from {src} "
                         "where _row not in (select _row from {bad})").format(
        ok=_ident(ok), typed=_names(spec.columns) if typed else _typed(spec.columns), src=_ident(chk_src),
        bad=_ident(bad)))
    target = _ident("raw", spec.table)
    conn.execute(sql.SQL("delete from {t} using {ok} where {match}").format(
        t=target, ok=_ident(ok), match=_key_match(spec, spec.table, ok)))
    for child, _ in children:
        conn.execute(sql.SQL("delete from {t} c using {ok} where {match}").format(
            t=_ident("raw", child.table), ok=_ident(ok),
            match=sql.SQL(" and ").join(sql.SQL("c.{k} = {ok}.{k}").format(k=_ident(k), ok=_ident(ok))
                                        for k in child.parent_key)))
    loaded = conn.execute(sql.SQL("insert into {t} ({cols}, _batch_id) select {cols}, {batch} from {ok}").format(
        t=target, cols=_names(spec.columns), batch=_lit(batch_id), ok=_ident(ok))).rowcount
    child_lines = [conn.execute(sql.SQL(
        "insert into {t} ({cols}, _batch_id) select {typed}, {batch} from {src} "
        "where _row in (select _row from {ok})").format(
        t=_ident("raw", child.table), cols=_names(child.columns),
        typed=_names(child.columns) if typed else _typed(child.columns),
        batch=_lit(batch_id), src=_ident(child_src), ok=_ident(ok))).rowcount for child, child_src in chk_children]
    lines = sum(child_lines)

    deleted = 0
    if spool.deleted_keys:
        dels = f"_del_{index}"
        key_columns = [spec.column(k) for k in spec.key]
        conn.execute(sql.SQL("create temp table {} ({}) on commit drop").format(
            _ident(dels), sql.SQL(", ").join(sql.SQL("{} text").format(_ident(c.sql_name)) for c in key_columns)))
        _copy_in(conn, dels, spool.deletions, stats_on=None)  # keys only, no _row
        for child in spec.children:
            conn.execute(sql.SQL("delete from {t} c using {d} where {match}").format(
                t=_ident("raw", child.table), d=_ident(dels),
                match=sql.SQL(" and ").join(
                    sql.SQL("c.{k} = {d}.{k}::{typ}").format(k=_ident(k), d=_ident(dels),
                                                           typ=sql.SQL(spec.column(k).pg_type))
                    for k in child.parent_key)))
        deleted = conn.execute(sql.SQL("delete from {t} using {d} where {match}").format(
            t=target, d=_ident(dels), match=_key_match(spec, spec.table, dels, right_is_text=True))).rowcount

    rejected = conn.execute(sql.SQL("select count(*) from {}").format(_ident(bad))).fetchone()[0]
    _analyze_if_changed(conn, spec.table, loaded + deleted)
    for (child, _), written in zip(chk_children, child_lines, strict=True):
        _analyze_if_changed(conn, child.table, written)

    python_rejected = len(spool.python_rejects)
    return Counts(read=spool.rows + python_rejected, loaded=loaded, rejected=rejected + python_rejected,
                  deleted=deleted, lines=lines)
