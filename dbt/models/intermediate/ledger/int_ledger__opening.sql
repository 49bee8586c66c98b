-- Opening balances (Document_ВводОстатков): money to 1010 (bank) or 1020 (cash desk), stock to 1200 by
-- series, client balances to 1300 and supplier balances to 2100 per counterparty and contract, each line
-- against 3000 capital (tests/known_answers/README.md 1.5).
with docs as (
    select
        opening_balance_id,
        document_number,
        document_date,
        balance_kind
    from {{ ref('stg_onec_trade__opening_balances') }}
),

lines as (
    select
        c.opening_balance_id,
        c.line_number,
        case when c.money_kind = 'Наличные' then '1020' else '1010' end as account_code,
        c.amount,
        null::uuid as counterparty_id,
        null::uuid as contract_id,
        null::uuid as item_id,
        null::uuid as series_id
    from {{ ref('stg_onec_trade__opening_cash') }} as c
    union all
    select
        s.opening_balance_id,
        s.line_number,
        '1200' as account_code,
        s.amount,
        null::uuid as counterparty_id,
        null::uuid as contract_id,
        s.item_id,
        s.series_id
    from {{ ref('stg_onec_trade__opening_stock') }} as s
    union all
    select
        t.opening_balance_id,
        t.line_number,
        case when d.balance_kind = 'ОстаткиРасчетовСПоставщиками' then '2100' else '1300' end as account_code,
        case when d.balance_kind = 'ОстаткиРасчетовСПоставщиками' then -t.amount else t.amount end as amount,
        t.counterparty_id,
        t.contract_id,
        null::uuid as item_id,
        null::uuid as series_id
    from {{ ref('stg_onec_trade__opening_settlements') }} as t
    inner join docs as d on t.opening_balance_id = d.opening_balance_id
),

entries as (
    select
        l.*,
        'asset' as entry_key,
        l.amount as entry_amount
    from lines as l
    union all
    select
        l.*,
        'capital' as entry_key,
        -l.amount as entry_amount
    from lines as l
)

select
    'opening:' || d.opening_balance_id as posting_id,
    e.line_number || ':' || e.entry_key as entry_key,
    d.document_date::date as entry_date,
    'ВводОстатков'::text as document_type,
    d.opening_balance_id as document_id,
    d.document_number,
    'opening'::text as event,  -- noqa: RF04
    e.line_number,
    case when e.entry_key = 'capital' then '3000' else e.account_code end::text as account_code,
    e.entry_amount::numeric(18, 2) as amount,
    e.counterparty_id,
    e.contract_id,
    null::uuid as settlement_order_id,
    null::uuid as customer_order_id,
    null::uuid as deal_id,
    null::uuid as division_id,
    e.item_id,
    e.series_id,
    null::uuid as cash_flow_article_id,
    null::uuid as expense_article_id,
    null::numeric(18, 2) as currency_amount
from entries as e
inner join docs as d on e.opening_balance_id = d.opening_balance_id
where e.entry_amount != 0
