"""Staging: generated from the source contract, and it drops what must not count.

One tiny demo company is loaded through the real paths (its OData server and `load_full` per entity set,
`sync_folder` for the file drops), the staging layer is built and tested by dbt, and the views are compared
with raw: every document kind, every tabular section.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ingestion.demo.generate import generate
from ingestion.full_load import load_demo_company
from ingestion.loader.onec_tables import onec_table
from ingestion.onec import staging
from ingestion.onec.entities import ENTITY_SETS
from tests.conftest import reset_raw, run_dbt

EMPTY_REF = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Document:
    entity: str
    raw: str  # raw header table
    model: str  # staging header model
    key: str  # its id column, also the lines' reference to it
    lines: tuple[tuple[str, str], ...]  # (raw section table, staging lines model)


def documents() -> list[Document]:
    """Every 1C document with its staging models, named as the renderer names them."""
    out = []
    for name, entity in ENTITY_SETS.items():
        if not name.startswith("Document_"):
            continue
        plural, singular = staging.MODELS[name]
        spec = onec_table(name)
        lines = tuple(
            (child.table, f"stg_onec_{entity.base}__"
                          f"{staging.SECTION_MODELS.get((name, child.list_field), f'{singular}_lines')}")
            for child in spec.children)
        out.append(Document(name, spec.table, f"stg_onec_{entity.base}__{plural}", f"{singular}_id", lines))
    return out


@pytest.fixture(scope="module")
def loaded_company(warehouse, tmp_path_factory):
    data = tmp_path_factory.mktemp("company")
    generate(data, scale="tiny", seed=11)
    reset_raw(warehouse)
    load_demo_company(warehouse.as_role("loader"), data)
    # models, data tests and unit tests of staging; cautious: not the singular tests that also read marts
    run_dbt("build", "--select", "staging", "--indirect-selection", "cautious")
    return warehouse


def test_committed_staging_models_match_the_contract():
    stale = [str(path) for path, text in staging.render().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m ingestion.onec.staging`: out of date {stale}"


def test_every_raw_table_has_its_staging_model():
    models = {path.stem for path in staging.STAGING.rglob("stg_*.sql")}
    for doc in documents():
        assert doc.model in models and all(model in models for _, model in doc.lines), doc.entity
    for name, entity in ENTITY_SETS.items():
        assert f"stg_onec_{entity.base}__{staging.MODELS[name][0]}" in models, name
    assert {"stg_files__call_legs", "stg_files__ad_spend", "stg_files__supplier_invoice_lines",
            "stg_files__budget_plan"} <= models


def test_unposted_and_deletion_marked_documents_leave_with_their_lines(loaded_company):
    seen = {"unposted": 0, "deletion-marked": 0, "dropped lines": 0}
    with loaded_company.admin().connect() as conn:
        def keys(query: str) -> set:
            return {key for (key,) in conn.execute(query)}

        for doc in documents():
            unposted = keys(f'select "Ref_Key" from raw.{doc.raw} where not "Posted"')
            marked = keys(f'select "Ref_Key" from raw.{doc.raw} where "DeletionMark"')
            everything = keys(f'select "Ref_Key" from raw.{doc.raw}')
            kept = keys(f"select {doc.key} from staging.{doc.model}")
            assert kept == everything - unposted - marked, doc.entity
            seen["unposted"] += len(unposted)
            seen["deletion-marked"] += len(marked)
            for raw_lines, model in doc.lines:
                raw_pairs = set(conn.execute(f'select "Ref_Key", "LineNumber" from raw.{raw_lines}'))
                staged = set(conn.execute(f"select {doc.key}, line_number from staging.{model}"))
                assert staged == {(ref, n) for ref, n in raw_pairs if ref in kept}, model
                seen["dropped lines"] += len(raw_pairs) - len(staged)
    # the demo company has both kinds, with lines, so the assertions above prove something
    assert all(seen.values()), seen


def test_composite_references_become_id_and_entity_set(loaded_company):
    checked = 0
    with loaded_company.admin().connect() as conn:
        for doc in documents():
            for raw_lines, model in doc.lines:
                cols = {c for (c,) in conn.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'staging' and table_name = %s and column_name like '%%\\_type'", (model,))}
                for type_col in cols:
                    id_col = type_col.removesuffix("_type") + "_id"
                    raw_col = "Заказ" if type_col == "order_type" else "АналитикаРасходов"
                    types = {t for (t,) in conn.execute(f"select distinct {type_col} from staging.{model}")}
                    assert not any(t and (t.startswith("StandardODATA.") or t == "Undefined") for t in types), model
                    raw_set = conn.execute(
                        f"select count(*) from raw.{raw_lines} as l join staging.{doc.model} as h "
                        f"on h.{doc.key} = l.\"Ref_Key\" where l.\"{raw_col}\" <> %s", (EMPTY_REF,)).fetchone()[0]
                    staged_set = conn.execute(
                        f"select count(*) from staging.{model} where {id_col} is not null").fetchone()[0]
                    assert staged_set == raw_set, model
                    checked += 1
    assert checked >= 5  # bank and cash receipts and payments, service purchases


def test_sentinels_become_null_and_money_is_kopecks(loaded_company):
    with loaded_company.admin().connect() as conn:
        raw_empty = conn.execute(
            "select count(*) from raw.document_realizatsiya_tovarov_uslug__tovary as l "
            "join staging.stg_onec_trade__shipments as h on h.shipment_id = l.\"Ref_Key\" "
            "where l.\"Серия_Key\" = '00000000-0000-0000-0000-000000000000'").fetchone()[0]
        null_series = conn.execute(
            "select count(*) from staging.stg_onec_trade__shipment_lines where series_id is null").fetchone()[0]
        money = conn.execute(
            "select distinct numeric_precision, numeric_scale from information_schema.columns "
            "where table_schema = 'staging' and table_name like 'stg\\_onec\\_%%' "
            "and column_name in ('price', 'amount', 'vat_amount', 'document_amount')").fetchall()
        sentinel_dates = conn.execute(
            "select count(*) from staging.stg_onec_trade__customer_orders "
            "where promised_on = '0001-01-01'::timestamp").fetchone()[0]
    assert raw_empty > 0 and null_series == raw_empty  # lines shipped without a series (FIFO)
    assert money == [(18, 2)]
    assert sentinel_dates == 0


def test_call_legs_in_company_local_time(loaded_company):
    with loaded_company.admin().connect() as conn:
        raw_legs, unanswered, wrong_times = conn.execute(
            "select count(*), count(*) filter (where answer = 0), "
            "count(*) filter (where s.started_at <> to_timestamp(m.start) at time zone 'UTC' + interval '3 hours') "
            "from raw.mango_calls as m join staging.stg_files__call_legs as s using (leg_id)").fetchone()
        null_answers = conn.execute(
            "select count(*) from staging.stg_files__call_legs where answered_at is null").fetchone()[0]
    assert raw_legs > 0 and wrong_times == 0
    assert null_answers == unanswered > 0
