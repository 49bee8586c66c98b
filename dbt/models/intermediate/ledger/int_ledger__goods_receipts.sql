-- Goods receipts (Document_ПриобретениеТоваровУслуг): Dr 1200 net by series, Dr 1400 VAT / Cr 2100 the
-- supplier, settlement key = contract (+ supplier order where the contract settles by order). Net is the
-- series base cost of int_series: (amount − VAT where the price includes it) × the rate of the date.
with receipts as (
    select
        r.receipt_id,
        r.document_number,
        r.document_date,
        r.counterparty_id,
        r.contract_id,
        r.division_id,
        r.supplier_order_id,
        r.price_includes_vat,
        c.settlement_detail,
        coalesce(rt.rub_per_unit, case when r.currency_id is null then 1 end) as rate
    from {{ ref('stg_onec_trade__receipts') }} as r
    left join {{ ref('stg_onec_trade__contracts') }} as c on r.contract_id = c.contract_id
    left join {{ ref('int_currency_rates_daily') }} as rt
        on r.currency_id = rt.currency_id and r.document_date::date = rt.rate_date
),

lines as (
    select
        r.*,
        l.line_number,
        l.item_id,
        l.series_id,
        coalesce(l.supplier_order_id, r.supplier_order_id) as line_supplier_order_id,
        round((l.amount - case when r.price_includes_vat then coalesce(l.vat_amount, 0) else 0 end) * r.rate, 2)
            as net,
        round(coalesce(l.vat_amount, 0) * r.rate, 2) as vat,
        l.amount + case when r.price_includes_vat then 0 else coalesce(l.vat_amount, 0) end as gross_in_currency
    from {{ ref('stg_onec_trade__receipt_lines') }} as l
    inner join receipts as r on l.receipt_id = r.receipt_id
),

entries as (
    select
        *,
        'inventory' as entry_key,
        '1200' as account_code,
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
    'receipt:' || receipt_id as posting_id,
    line_number || ':' || entry_key as entry_key,
    document_date::date as entry_date,
    'ПриобретениеТоваровУслуг'::text as document_type,
    receipt_id as document_id,
    document_number,
    'receipt'::text as event,  -- noqa: RF04
    line_number,
    account_code::text as account_code,
    amount::numeric(18, 2) as amount,
    counterparty_id,
    contract_id,
    case when account_code = '2100' and settlement_detail = 'ПоЗаказам' then line_supplier_order_id end
        as settlement_order_id,
    null::uuid as customer_order_id,
    null::uuid as deal_id,
    division_id,
    case when entry_key = 'inventory' then item_id end as item_id,
    case when entry_key = 'inventory' then series_id end as series_id,
    null::uuid as cash_flow_article_id,
    null::uuid as expense_article_id,
    case when account_code = '2100' then -gross_in_currency end::numeric(18, 2) as currency_amount
from entries
where amount != 0
