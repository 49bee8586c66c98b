{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_incremental_window(ref('int_cogs_lines'), 'document_date') }}",
    indexes=[{'columns': ['month']}],
) }}

-- The management ledger (DOMAIN.md 3.2): every business event as balanced double entries on the accounts of
-- seeds/chart_of_accounts.csv. One posting_id = one balanced set of entries; P&L, cash flow and balance sheet
-- are all read from here. Postings per event: tests/known_answers/README.md 1.5.
-- Month-incremental (macros/incremental_window.sql): an entry depends only on documents of its own day or
-- earlier (late costs are booked on their own date, FX differences on the day a key closes), so a load can
-- change only the months from the lookback on. The index on month serves the window's delete and its two
-- max(month) reads: without it each is a full scan of the table (41 s on large).
with entries as (
    select * from {{ ref('int_ledger_entries_base') }}
    union all
    select * from {{ ref('int_ledger__fx_differences') }}
)

select
    (posting_id || '/' || entry_key)::text as entry_id,
    posting_id::text as posting_id,
    entry_date::date as entry_date,
    date_trunc('month', entry_date)::date as month,
    document_type::text as document_type,
    document_id,
    document_number::text as document_number,
    event::text as event,  -- noqa: RF04
    line_number::integer as line_number,
    account_code::text as account_code,
    greatest(amount, 0)::numeric(18, 2) as debit,
    greatest(-amount, 0)::numeric(18, 2) as credit,
    amount::numeric(18, 2) as amount,
    counterparty_id,
    contract_id,
    settlement_order_id,
    customer_order_id,
    deal_id,
    division_id,
    item_id,
    series_id,
    cash_flow_article_id,
    expense_article_id
from entries
where entry_date >= {{ incremental_window_start() }}
