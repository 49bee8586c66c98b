-- Every series (batch) with its base cost: one per goods-receipt line, plus the opening stock.
-- Base cost = line amount net of VAT × the rate of the receipt date, in kopecks (DOMAIN.md 3.1).
with receipts as (
    select
        receipt_id,
        document_date,
        currency_id,
        warehouse_id,
        division_id,
        price_includes_vat
    from {{ ref('stg_onec_trade__receipts') }}
),

rates as (
    select
        currency_id,
        rate_date,
        rub_per_unit
    from {{ ref('int_currency_rates_daily') }}
)

select
    l.series_id,
    l.item_id,
    'receipt' as origin,
    r.receipt_id as origin_document_id,
    l.line_number as origin_line_number,
    r.document_date as received_at,
    r.warehouse_id,
    r.division_id,
    l.quantity,
    round(
        (l.amount - case when r.price_includes_vat then coalesce(l.vat_amount, 0) else 0 end) * rt.rub_per_unit, 2
    )::numeric(18, 2) as base_cost
from {{ ref('stg_onec_trade__receipt_lines') }} as l
inner join receipts as r on l.receipt_id = r.receipt_id
left join rates as rt on r.currency_id = rt.currency_id and r.document_date::date = rt.rate_date

union all

select
    s.series_id,
    s.item_id,
    'opening' as origin,
    s.opening_balance_id as origin_document_id,
    s.line_number as origin_line_number,
    o.document_date as received_at,
    s.warehouse_id,
    null::uuid as division_id,
    s.quantity,
    s.amount as base_cost
from {{ ref('stg_onec_trade__opening_stock') }} as s
inner join {{ ref('stg_onec_trade__opening_balances') }} as o on s.opening_balance_id = o.opening_balance_id
