-- Cost of goods sold from marts.fct_cogs_lines: every line Dr 9100 / Cr 1200 by its cost at its date. A
-- return's cost is negative (Dr 1200 / Cr 9100); a late cost's shipped share moves out of 1200 (where the
-- additional cost was posted in full, int_ledger__service_purchases) in the month of the cost document.
with lines as (
    select
        cogs_line_id,
        kind,
        document_type,
        document_id,
        document_number,
        document_date,
        line_number,
        customer_order_id,
        deal_id,
        division_id,
        counterparty_id,
        contract_id,
        item_id,
        series_id,
        cost
    from {{ ref('fct_cogs_lines') }}
    where cost != 0
),

-- one pass over the lines, so an incremental ledger build's date reaches the fct_cogs_lines scan (its
-- document_date index) instead of filtering every line in history
entries as (
    select
        l.*,
        e.entry_key,
        e.account_code,
        e.amount
    from lines as l
    cross join lateral (
        values ('cogs', '9100', l.cost), ('inventory', '1200', -l.cost)
    ) as e (entry_key, account_code, amount)
)

select
    'cost_of_sales:' || cogs_line_id as posting_id,
    entry_key,
    document_date::date as entry_date,
    document_type::text as document_type,
    document_id,
    document_number,
    'cost_of_sales'::text as event,  -- noqa: RF04
    line_number,
    account_code::text as account_code,
    amount::numeric(18, 2) as amount,
    counterparty_id,
    contract_id,
    null::uuid as settlement_order_id,
    customer_order_id,
    deal_id,
    division_id,
    item_id,
    series_id,
    null::uuid as cash_flow_article_id,
    null::uuid as expense_article_id,
    null::numeric(18, 2) as currency_amount
from entries
