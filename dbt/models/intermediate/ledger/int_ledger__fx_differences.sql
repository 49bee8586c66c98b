-- FX differences on foreign-currency settlements (README 1.5): a settlement key (counterparty + contract +
-- order) whose contract settles in a foreign currency is kept in roubles at the rate of each document's date.
-- When the key's balance in the contract currency returns to zero at the end of a day, the roubles left on it
-- are the realised exchange difference of the settlements closed since the previous zero: they are cleared
-- at that day against 9410 other expenses (roubles left in debit: a loss) or 9400 other income (in credit: a
-- gain). Assumes the documents of a foreign-currency contract are in its currency (the settlement-currency
-- amount is the document amount); entries without one (rouble opening balances, accruals) count as zero.
with foreign_contracts as (
    select c.contract_id
    from {{ ref('stg_onec_trade__contracts') }} as c
    inner join {{ ref('stg_onec_trade__currencies') }} as cur on c.settlement_currency_id = cur.currency_id
    where cur.name != '{{ var("base_currency") }}'
),

daily as (
    select
        e.account_code,
        e.counterparty_id,
        e.contract_id,
        e.settlement_order_id,
        e.entry_date,
        sum(e.amount) as amount,
        sum(coalesce(e.currency_amount, 0)) as currency_amount,
        -- the day's last settling document carries the difference
        (array_agg(e.document_type order by e.document_type desc, e.document_number desc))[1] as document_type,
        (array_agg(e.document_id order by e.document_type desc, e.document_number desc))[1] as document_id,
        (array_agg(e.document_number order by e.document_type desc, e.document_number desc))[1] as document_number
    from {{ ref('int_ledger_entries_base') }} as e
    inner join foreign_contracts as f on e.contract_id = f.contract_id
    where e.account_code in ('1300', '2100')
    group by e.account_code, e.counterparty_id, e.contract_id, e.settlement_order_id, e.entry_date
),

running as (
    select
        *,
        sum(amount) over key_days as rub_balance,
        sum(currency_amount) over key_days as currency_balance
    from daily
    window key_days as (
        partition by account_code, counterparty_id, contract_id, settlement_order_id order by entry_date
    )
),

closings as (
    select
        *,
        rub_balance - coalesce(lag(rub_balance) over (
            partition by account_code, counterparty_id, contract_id, settlement_order_id order by entry_date
        ), 0) as difference
    from running
    where currency_balance = 0
),

entries as (
    select
        *,
        'settlement' as entry_key,
        account_code as entry_account_code,
        -difference as entry_amount
    from closings
    union all
    select
        *,
        'pnl' as entry_key,
        case when difference > 0 then '9410' else '9400' end as entry_account_code,
        difference as entry_amount
    from closings
)

select
    'fx_difference:' || md5(concat_ws(
        '|', account_code, counterparty_id, contract_id, settlement_order_id, entry_date
    )) as posting_id,
    entry_key,
    entry_date,
    document_type::text as document_type,
    document_id,
    document_number,
    'fx_difference'::text as event,  -- noqa: RF04
    0 as line_number,
    entry_account_code::text as account_code,
    entry_amount::numeric(18, 2) as amount,
    counterparty_id,
    contract_id,
    case when entry_key = 'settlement' then settlement_order_id end as settlement_order_id,
    null::uuid as customer_order_id,
    null::uuid as deal_id,
    null::uuid as division_id,
    null::uuid as item_id,
    null::uuid as series_id,
    null::uuid as cash_flow_article_id,
    null::uuid as expense_article_id,
    null::numeric(18, 2) as currency_amount
from entries
where difference != 0
