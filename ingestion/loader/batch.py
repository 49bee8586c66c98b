"""One load batch: records streamed in, validated and upserted into `raw` in one transaction.

Records are spooled (memory first, then disk) as untyped COPY text, one spool per
table, so memory stays flat however large a source is. On commit each spool is
COPYed into a temporary table, PostgreSQL validates every value against its type
(`pg_input_is_valid`), bad records go to `ops.rejects` with the field and the
reason, and the good ones replace their earlier versions by natural key (a
document's tabular sections are replaced whole). The audit row is written in the
same transaction, so `ops.load_audit` says 'succeeded' exactly when the data is
there; a failure or a kill leaves the previous data as it was.

    with Batch(warehouse.as_role("loader"), source="onec_trade", mode="full") as batch:
        for record in pages:
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
from psycopg import sql

from ingestion.loader.copy_text import line
from ingestion.loader.ops_schema import ensure_ops_tables, ensure_raw_table
from ingestion.loader.tables import Column, TableSpec
from ingestion.onec.schema import EMPTY_REF

SPOOL_IN_MEMORY = 16 * 1024 * 1024  # bytes per table before a spool moves to disk


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


class _TableSpool:
    """The records of one table (and its sections) waiting for COPY."""

    def __init__(self, spec: TableSpec):
        self.spec = spec
        self.rows = 0
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
        self.rows += 1
        row = self.rows
        get = record.get
        self.records.write(line([row, *[get(name) for name in self._names]]).encode("utf-8"))
        for (list_field, columns), spool in zip(self._children, self.lines, strict=True):
            items = get(list_field) or []
            for seq, item in enumerate(items if isinstance(items, list) else [items]):
                values = [get(name) if from_parent else _get(item, name) for name, from_parent in columns]
                spool.write(line([row, seq, *values]).encode("utf-8"))

    def close(self) -> None:
        for spool in (self.records, *self.lines, self.deletions):
            spool.close()


def _get(item: object, name: str) -> object:
    return item.get(name) if isinstance(item, dict) else item  # a non-object line fails validation visibly


class Batch:
    """Use as a context manager: commits on a clean exit, rolls back (and audits the failure) on an exception."""

    def __init__(self, conn_params, *, source: str, mode: str,
                 window: tuple[datetime | None, datetime | None] = (None, None)):
        self.conn_params = conn_params  # a warehouse.Conn for the loader role
        self.source = source
        self.mode = mode
        self.window = window
        self.batch_id: int | None = None
        self.counts: dict[str, Counts] = {}
        self._spools: dict[str, _TableSpool] = {}
        self._also: list[tuple[str, tuple]] = []

    # --- feeding --------------------------------------------------------------

    def _spool(self, spec: TableSpec) -> _TableSpool:
        spool = self._spools.get(spec.entity)
        if spool is None:
            spool = self._spools[spec.entity] = _TableSpool(spec)
            self._audit_running(spec.entity)
        return spool

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
            return
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
                self._audit_failed(exc)
        finally:
            for spool in self._spools.values():
                spool.close()

    def commit(self) -> None:
        if not self._spools:
            return
        try:
            with self.conn_params.connect() as conn, conn.transaction():
                conn.execute("set local synchronous_commit = on")
                for index, spool in enumerate(self._spools.values()):
                    self.counts[spool.spec.entity] = _merge(conn, spool, index, self.batch_id, self.source)
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
        except BaseException as error:
            self._audit_failed(error)
            raise


# --- the SQL of one table's merge ------------------------------------------------

def _ident(*names: str) -> sql.Identifier:
    return sql.Identifier(*names)


def _lit(value: object) -> sql.Literal:
    return sql.Literal(value)


def _checks(columns: tuple[Column, ...]) -> list[tuple[sql.Composable, str, sql.Composable]]:
    """(condition, field, reason) per rule, in the order a record is judged: the first that holds rejects it."""
    checks = []
    for c in columns:
        col = _ident(c.sql_name)
        if c.required:
            checks.append((sql.SQL("{} is null").format(col), c.name, _lit("required value is missing")))
        if c.forbidden is not None:
            checks.append((sql.SQL("{} = {}").format(col, _lit(c.forbidden)), c.name,
                           _lit(f"empty value {c.forbidden} in a required field")))
        if c.pg_type != "text":
            checks.append((
                sql.SQL("{col} is not null and not pg_input_is_valid({col}, {typ})").format(col=col,
                                                                                           typ=_lit(c.pg_type)),
                c.name,
                sql.SQL("{} || left({}, 120)").format(_lit(f"not a valid {c.pg_type}: "), col),
            ))
        if c.non_negative:
            checks.append((sql.SQL("{} is not null and {}::numeric < 0").format(col, col), c.name,
                           sql.SQL("{} || {}").format(_lit("negative value: "), col)))
    return checks


def _problem_select(table: str, columns: tuple[Column, ...], field_prefix: sql.Composable | None) -> sql.Composable:
    """SELECT _row, field, reason of every row of a temp table that breaks a rule (first rule wins)."""
    checks = _checks(columns)
    if not checks:
        return sql.SQL("select null::bigint as _row, null::text as field, null::text as reason where false")
    field_case = sql.SQL("case {} end").format(sql.SQL(" ").join(
        sql.SQL("when {} then {}").format(cond, _lit(field)) for cond, field, _ in checks))
    reason_case = sql.SQL("case {} end").format(sql.SQL(" ").join(
        sql.SQL("when {} then {}").format(cond, reason) for cond, _, reason in checks))
    field_expr = field_case if field_prefix is None else sql.SQL("{} || {}").format(field_prefix, field_case)
    return sql.SQL("select _row, field, reason from (select _row, {} as field, {} as reason from {}) p "
                   "where field is not null").format(field_expr, reason_case, _ident(table))


def _typed(columns: tuple[Column, ...]) -> sql.Composable:
    return sql.SQL(", ").join(
        sql.SQL("{}::{}").format(_ident(c.sql_name), sql.SQL(c.pg_type)) if c.pg_type != "text"
        else _ident(c.sql_name) for c in columns)


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


def _duplicate_numbers(conn: psycopg.Connection, spec: TableSpec, src: str) -> sql.Composable:
    """A second document with another's number in the same year: 1C never numbers two alike, so it is
    the same document entered twice. The one already loaded (or seen first in the batch) stays."""
    year = sql.SQL("date_trunc('year', \"Date\"::timestamp)")
    numbered = sql.SQL("select _row, \"Ref_Key\", \"Number\", {year} as year from {src} "
                       "where \"Number\" is not null and pg_input_is_valid(\"Date\", 'timestamp')").format(
        year=year, src=_ident(src))
    in_batch = sql.SQL(
        "select _row, \"Number\", year from (select *, first_value(\"Ref_Key\") over "
        "(partition by \"Number\", year order by _row) as first_ref from ({numbered}) n) f "
        "where \"Ref_Key\" <> first_ref").format(numbered=numbered)
    already_loaded = sql.SQL("")
    if _exists(conn, spec.table):
        already_loaded = sql.SQL(
            " union select n._row, n.\"Number\", n.year from ({numbered}) n join {raw} r "
            "on r.\"Number\" = n.\"Number\" and date_trunc('year', r.\"Date\") = n.year "
            "and r.\"Ref_Key\"::text <> n.\"Ref_Key\" "
            "where r.\"Ref_Key\"::text not in (select \"Ref_Key\" from {src} where \"Ref_Key\" is not null)"
        ).format(numbered=numbered, raw=_ident("raw", spec.table), src=_ident(src))
    return sql.SQL(
        "select 5, _row, 'Number', 'duplicate document: number ' || \"Number\" || ' is already used in ' "
        "|| extract(year from year) || ' by another document' from ({in_batch}{already_loaded}) d"
    ).format(in_batch=in_batch, already_loaded=already_loaded)


def _copy_in(conn: psycopg.Connection, table: str, spool: IO[bytes], stats_on: str | None = "_row") -> None:
    spool.seek(0)
    with conn.cursor().copy(sql.SQL("copy {} from stdin").format(_ident(table))) as copy:
        while chunk := spool.read(1 << 20):
            copy.write(chunk)
    # Temp tables have no statistics. The plans join and group record tables on _row only, so its statistics
    # are all they need (analyzing every column cost half a second per batch); stats_on=None: all columns.
    columns = sql.SQL("") if stats_on is None else sql.SQL(" ({})").format(_ident(stats_on))
    conn.execute(sql.SQL("analyze {}{}").format(_ident(table), columns))


def _merge(conn: psycopg.Connection, spool: _TableSpool, index: int, batch_id: int, source: str) -> Counts:
    spec = spool.spec
    src, bad, ok = f"_in_{index}", f"_bad_{index}", f"_ok_{index}"
    ensure_raw_table(conn, spec)

    text_cols = sql.SQL(", ").join(sql.SQL("{} text").format(_ident(c.sql_name)) for c in spec.columns)
    conn.execute(sql.SQL("create temp table {} (_row bigint, {}) on commit drop").format(_ident(src), text_cols))
    _copy_in(conn, src, spool.records)
    children = []
    for n, (child, child_spool) in enumerate(zip(spec.children, spool.lines, strict=True)):
        child_src = f"_in_{index}_{n}"
        cols = sql.SQL(", ").join(sql.SQL("{} text").format(_ident(c.sql_name)) for c in child.columns)
        conn.execute(sql.SQL("create temp table {} (_row bigint, _seq int, {}) on commit drop").format(
            _ident(child_src), cols))
        _copy_in(conn, child_src, child_spool)
        children.append((child, child_src))

    # Every broken rule of the record or of any of its lines, and every earlier copy of a key seen again.
    problems = [sql.SQL("select 1 as priority, * from ({}) h").format(_problem_select(src, spec.columns, None))]
    for child, child_src in children:
        prefix = sql.SQL("{} || '[' || coalesce({}, '?') || '].'").format(
            _lit(child.list_field), _ident("LineNumber") if any(c.name == "LineNumber" for c in child.columns)
            else sql.SQL("_seq::text"))
        problems.append(sql.SQL("select 2, * from ({}) c").format(_problem_select(child_src, child.columns, prefix)))
    for table, table_src in [(spec, src), *children]:
        prefix = _lit("") if table is spec else sql.SQL("{} || '[' || coalesce({}, '?') || '].'").format(
            _lit(table.list_field), _ident("LineNumber"))
        for c in table.columns:
            if c.references and _exists(conn, c.references):
                col = _ident(c.sql_name)
                problems.append(sql.SQL(
                    "select 4, _row, {prefix} || {field}, {reason} || {col} from {src} s "
                    "where {col} is not null and {col} <> {empty} and pg_input_is_valid({col}, 'uuid') "
                    "and not exists (select 1 from {target} t where t.\"Ref_Key\" = s.{col}::uuid)").format(
                    prefix=prefix, field=_lit(c.name), col=col, src=_ident(table_src), empty=_lit(EMPTY_REF),
                    reason=_lit(f"reference to a missing raw.{c.references}: "),
                    target=_ident("raw", c.references)))
    if spec.unique_number:
        problems.append(_duplicate_numbers(conn, spec, src))
    key_cols = _names([spec.column(k) for k in spec.key])
    problems.append(sql.SQL(
        "select 3, _row, {field}, 'duplicate: a later copy of the same record in this batch (row ' || last_row "
        "|| ') supersedes it' from (select _row, max(_row) over (partition by {keys}) as last_row from {src}) d "
        "where _row < last_row").format(field=_lit(spec.key[0]), keys=key_cols, src=_ident(src)))
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
        ok=_ident(ok), typed=_typed(spec.columns), src=_ident(src), bad=_ident(bad)))
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
    lines = 0
    for child, child_src in children:
        lines += conn.execute(sql.SQL(
            "insert into {t} ({cols}, _batch_id) select {typed}, {batch} from {src} "
            "where _row in (select _row from {ok})").format(
            t=_ident("raw", child.table), cols=_names(child.columns), typed=_typed(child.columns),
            batch=_lit(batch_id), src=_ident(child_src), ok=_ident(ok))).rowcount

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
    python_rejected = len(spool.python_rejects)
    return Counts(read=spool.rows + python_rejected, loaded=loaded, rejected=rejected + python_rejected,
                  deleted=deleted, lines=lines)
