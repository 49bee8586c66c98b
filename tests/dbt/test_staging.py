"""Staging: generated from the source contract, and it drops what must not count."""

from __future__ import annotations

import pytest

from ingestion.connectors.onec_odata import ODataClient, ODataSettings
from ingestion.demo.generate import generate
from ingestion.demo.server import start_server
from ingestion.onec import staging
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec_sync import load_full
from tests.conftest import reset_raw, run_dbt

PAYMENTS = "Document_ПоступлениеБезналичныхДенежныхСредств"


def test_committed_staging_models_match_the_contract():
    stale = [str(path) for path, text in staging.render().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m ingestion.onec.staging`: out of date {stale}"


@pytest.fixture(scope="module")
def loaded_company(warehouse, tmp_path_factory):
    data = tmp_path_factory.mktemp("company")
    generate(data, scale="tiny", seed=11)
    server, base_url = start_server(data, user="odata", password="pw")
    reset_raw(warehouse)
    loader = warehouse.as_role("loader")
    for base in ("trade", "crm"):
        with ODataClient(ODataSettings(f"{base_url}{base}/odata/standard.odata", "odata", "pw")) as client:
            for name in (n for n, es in ENTITY_SETS.items() if es.base == base):
                load_full(client, loader, name)
    server.shutdown()
    server.server_close()
    run_dbt("build", "--select", "staging", "--indirect-selection", "cautious")
    return warehouse


def test_unposted_and_deletion_marked_documents_leave_with_their_lines(loaded_company):
    with loaded_company.admin().connect() as conn:
        excluded = {key for (key,) in conn.execute(
            'select "Ref_Key" from raw.document_postuplenie_beznalichnykh_denezhnykh_sredstv '
            'where not "Posted" or "DeletionMark"').fetchall()}
        assert excluded, "the demo company should have unposted and deletion-marked payments"
        kept = {key for (key,) in conn.execute("select bank_receipt_id from staging.stg_onec_trade__bank_receipts")}
        lines = {key for (key,) in conn.execute(
            "select bank_receipt_id from staging.stg_onec_trade__bank_receipt_lines")}
        raw_total = conn.execute(
            "select count(*) from raw.document_postuplenie_beznalichnykh_denezhnykh_sredstv").fetchone()[0]
    assert not excluded & kept and not excluded & lines
    assert len(kept) == raw_total - len(excluded)


def test_sentinels_become_null_and_money_is_kopecks(loaded_company):
    with loaded_company.admin().connect() as conn:
        raw_empty = conn.execute(
            "select count(*) from raw.document_realizatsiya_tovarov_uslug__tovary "
            "where \"Серия_Key\" = '00000000-0000-0000-0000-000000000000'").fetchone()[0]
        null_series = conn.execute(
            "select count(*) from staging.stg_onec_trade__shipment_lines where series_id is null").fetchone()[0]
        scales = conn.execute(
            "select distinct numeric_scale from information_schema.columns where table_schema = 'staging' "
            "and table_name = 'stg_onec_trade__shipment_lines' and column_name in ('price', 'amount', 'vat_amount')"
        ).fetchall()
    assert raw_empty > 0 and null_series == raw_empty  # lines shipped without a series (FIFO)
    assert scales == [(2,)]
