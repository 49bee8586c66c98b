"""Bring 1C entity sets into `raw`: full, incremental by date window, reconciliation, change feed.

Each function is one batch (one transaction) and returns its counts; none imports Dagster.

- `load_full`: every object of an entity set.
- `load_window`: documents dated from the newest one already loaded minus an overlap
  (default 35 days, so month-close re-posts are caught); full on the first run. Catalogs have
  no date: they are reconciled (below), so an hour re-reads only the catalog items that changed.
- `reconcile`: scan `Ref_Key, DataVersion, DeletionMark, Posted`, re-read what changed, and
  delete what the source no longer has (1C can delete marked objects physically). When much
  has changed (a first load, say) the set is read whole, in pages, instead of key by key.
- `load_changes`: the exchange-plan feed: one message per batch, confirmed to 1C only
  after the batch is committed, so a crash in between re-reads the same message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from psycopg import sql

from ingestion.connectors.onec_odata import BrokenRecord, ODataClient, Page
from ingestion.loader.batch import Batch, Counts
from ingestion.loader.onec_tables import onec_table, source_name
from ingestion.onec.entities import entity_set

DEFAULT_OVERLAP_DAYS = int(os.environ.get("ONEC_OVERLAP_DAYS", "35"))
# Reconciliation re-reads changed objects by key, 50 to a request; past this share of the set, reading the
# whole set in pages costs fewer requests.
READ_WHOLE_SHARE = 0.2


def date_field(entity: str) -> str | None:
    """The field a date window filters on: Date for documents, Period for registers, none for catalogs."""
    names = {f.name for f in entity_set(entity).fields}
    if entity.startswith("Document_") and "Date" in names:
        return "Date"
    if "Period" in names:
        return "Period"
    return None


def _feed(batch: Batch, entity: str, records: Iterable[dict | BrokenRecord]) -> None:
    spec = onec_table(entity)
    for record in records:
        if isinstance(record, BrokenRecord):
            batch.reject(spec, record_key=f"$skip={record.position}", field=None,
                         reason=f"{record.error} (GET {entity})", payload=record.text)
        else:
            batch.add(spec, record)


def _feed_pages(batch: Batch, client: ODataClient, entity: str, pages: Iterable[Page]) -> None:
    """Pages go to the loader as the source sent them; one the database cannot read whole (a broken
    object in it) is re-read object by object, so the broken one is rejected and the rest load."""
    spec = onec_table(entity)
    for page in pages:
        objects = batch.add_page(spec, page.content)
        if objects is None:
            records = list(client.page_records(page))
            _feed(batch, entity, records)
            objects = len(records)
        page.objects = objects


def _orderby(entity: str) -> str:
    return ",".join(entity_set(entity).key)


def load_full(client: ODataClient, loader, entity: str) -> Counts:
    with Batch(loader, source=source_name(entity_set(entity)), mode="full", entity=entity) as batch:
        _feed_pages(batch, client, entity, client.pages(entity, orderby=_orderby(entity)))
    return batch.counts.get(entity, Counts())


def latest_loaded_date(loader, entity: str) -> datetime | None:
    """The newest date already in raw: the window re-reads from there minus the overlap.

    Taken from the data rather than the wall clock, so a source whose clock differs from ours
    (a test base, a demo company living in another year) is read correctly too."""
    spec, date_col = onec_table(entity), date_field(entity)
    with loader.connect() as conn:
        if not conn.execute("select to_regclass(%s) is not null", (spec.qualified,)).fetchone()[0]:
            return None
        return conn.execute(sql.SQL("select max({}) from {}").format(
            sql.Identifier(date_col), sql.Identifier("raw", spec.table))).fetchone()[0]


def load_window(client: ODataClient, loader, entity: str,
                overlap: timedelta = timedelta(days=DEFAULT_OVERLAP_DAYS)) -> Counts:
    """Objects dated from the newest loaded date minus the overlap onwards; a full load the first time.
    An entity set without a date (a catalog) is reconciled: its changed objects re-read, its deleted ones
    dropped."""
    date_col = date_field(entity)
    if date_col is None:
        return reconcile(client, loader, entity)
    latest = latest_loaded_date(loader, entity)
    if latest is None:
        return load_full(client, loader, entity)
    start = latest - overlap
    with Batch(loader, source=source_name(entity_set(entity)), mode="window", window=(start, None),
               entity=entity) as batch:
        _feed_pages(batch, client, entity, client.pages_since(entity, date_col, start, orderby=_orderby(entity)))
    return batch.counts.get(entity, Counts())


def reconcile(client: ODataClient, loader, entity: str) -> Counts:
    """Find objects changed or deleted outside the window and make raw match the source."""
    spec = onec_table(entity)
    if spec.key != ("Ref_Key",):
        return load_full(client, loader, entity)  # registers have no versions: re-read them whole
    source = {}
    broken = []
    has_posted = any(f.name == "Posted" for f in entity_set(entity).fields)
    for record in client.versions(entity, posted=has_posted):
        if isinstance(record, BrokenRecord):
            broken.append(record)
        else:
            source[record["Ref_Key"]] = record["DataVersion"]
    with loader.connect() as conn:
        exists = conn.execute("select to_regclass(%s) is not null", (spec.qualified,)).fetchone()[0]
        loaded = dict(conn.execute(f'select "Ref_Key"::text, "DataVersion" from {spec.qualified}').fetchall()) \
            if exists else {}
    changed = sorted(k for k, v in source.items() if loaded.get(k) != v)
    gone = sorted(set(loaded) - set(source))
    with Batch(loader, source=source_name(entity_set(entity)), mode="reconcile", entity=entity) as batch:
        if len(changed) > READ_WHOLE_SHARE * len(source):
            _feed_pages(batch, client, entity, client.pages(entity, orderby=_orderby(entity)))
        else:
            _feed(batch, entity, [*broken, *client.by_keys(entity, changed)])
        for key in gone:
            batch.delete(spec, {"Ref_Key": key})
    return batch.counts.get(entity, Counts())


@dataclass
class ChangesResult:
    messages: int = 0
    objects: int = 0
    deleted: int = 0
    counts: dict[str, Counts] = field(default_factory=dict)  # per entity set, summed over the messages

    def add(self, batch_counts: dict[str, Counts]) -> None:
        for entity, c in batch_counts.items():
            total = self.counts.setdefault(entity, Counts())
            total.read += c.read
            total.loaded += c.loaded
            total.rejected += c.rejected
            total.deleted += c.deleted
            total.lines += c.lines


def load_changes(client: ODataClient, loader, *, source: str, plan: str, node_code: str,
                 known: Callable[[str], bool], max_messages: int = 10_000) -> ChangesResult:
    """Drain the exchange-plan feed for our node, one committed batch per message."""
    node = next((n for n in client.exchange_nodes(plan) if n.get("Code") == node_code), None)
    if node is None:
        raise RuntimeError(f"{plan}: no exchange node with code {node_code!r}; create it in 1C first")
    result = ChangesResult()
    message_no = int(node.get("ReceivedNo") or 0) + 1
    for _ in range(max_messages):
        changes = client.select_changes(plan, node["Ref_Key"], message_no)
        if not changes:
            # Confirm the empty message too: 1C counts it as sent and would otherwise send it again.
            client.notify_changes_received(plan, node["Ref_Key"], message_no)
            return result
        with Batch(loader, source=source, mode="changes") as batch:
            for change in changes:
                if not known(change.entity):
                    continue  # an object type we do not take (the plan may register more)
                spec = onec_table(change.entity)
                if change.deleted:
                    batch.delete(spec, change.key)
                    result.deleted += 1
                else:
                    batch.add(spec, change.record)
                    result.objects += 1
        result.add(batch.counts)
        # Only now, with the data committed, may 1C forget these registrations.
        client.notify_changes_received(plan, node["Ref_Key"], message_no)
        result.messages += 1
        message_no += 1
    return result
