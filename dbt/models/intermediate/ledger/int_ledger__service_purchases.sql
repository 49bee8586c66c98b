-- Service purchases (Document_ПриобретениеУслугПрочихАктивов), by the expense article's distribution:
-- НаСебестоимостьТоваров = additional (landed) cost, Dr 1200 net in full at the document date (the share of
-- a late cost already shipped leaves 1200 through the late_cost line of fct_cogs_lines; a cost whose goods
-- are still in transit waits in 1200 too); НаЗаказКлиента = direct deal cost, Dr 9210 net; any other
-- article = expense, Dr 9200 net. Always Dr 1400 VAT / Cr 2100 the vendor on the contract's key.
with docs as (
    select
        p.service_purchase_id,
        p.document_number,
        p.document_date,
        p.counterparty_id,
        p.contract_id,
        coalesce(rt.rub_per_unit, case when p.currency_id is null then 1 end) as rate
    from {{ ref('stg_onec_trade__service_purchases') }} as p
    left join {{ ref('int_currency_rates_daily') }} as rt
        on p.currency_id = rt.currency_id and p.document_date::date = rt.rate_date
),

lines as (
    select
        d.*,
        l.line_number,
        l.expense_article_id,
        a.allocation_variant,
        case
            when a.allocation_variant = 'НаСебестоимостьТоваров' then 'additional_cost'
            when a.allocation_variant = 'НаЗаказКлиента' then 'direct_cost'
            else 'expense_accrual'
        end as event,  -- noqa: RF04
        case
            when a.allocation_variant = 'НаСебестоимостьТоваров' then '1200'
            when a.allocation_variant = 'НаЗаказКлиента' then '9210'
            else '9200'
        end as cost_account_code,
        o.customer_order_id,
        o.deal_id,
        coalesce(o.division_id, l.division_id) as division_id,
        round((l.amount - coalesce(l.vat_amount, 0)) * d.rate, 2) as net,
        round(coalesce(l.vat_amount, 0) * d.rate, 2) as vat,
        l.amount as gross_in_currency
    from {{ ref('stg_onec_trade__service_purchase_lines') }} as l
    inner join docs as d on l.service_purchase_id = d.service_purchase_id
    left join {{ ref('stg_onec_trade__expense_articles') }} as a on l.expense_article_id = a.expense_article_id
    left join {{ ref('stg_onec_trade__customer_orders') }} as o
        on l.cost_object_type = 'Document_ЗаказКлиента' and l.cost_object_id = o.customer_order_id
),

entries as (
    select
        *,
        'cost' as entry_key,
        cost_account_code as account_code,
        net as amount
    from lines
    union all
    select
        *,
        'vat' as entry_key,
        '1400' as account_code,
        vat as amount
    from lines
    union all
    select
        *,
        'payable' as entry_key,
        '2100' as account_code,
        -(net + vat) as amount
    from lines
)

select
    event || ':' || service_purchase_id as posting_id,
    line_number || ':' || entry_key as entry_key,
    document_date::date as entry_date,
    'ПриобретениеУслугПрочихАктивов'::text as document_type,
    service_purchase_id as document_id,
    document_number,
    event::text as event,  -- noqa: RF04
    line_number,
    account_code::text as account_code,
    amount::numeric(18, 2) as amount,
    counterparty_id,
    contract_id,
    null::uuid as settlement_order_id,
    customer_order_id,
    deal_id,
    division_id,
    null::uuid as item_id,
    null::uuid as series_id,
    null::uuid as cash_flow_article_id,
    expense_article_id,
    case when account_code = '2100' then -gross_in_currency end::numeric(18, 2) as currency_amount
from entries
where amount != 0
