-- Shipment and customer-return lines with their document's keys, in roubles at the document date's rate:
-- the sales side every cost-of-goods, margin and overhead figure starts from. Amounts in 1C include VAT.
with shipments as (
    select
        'shipment' as kind,
        'РеализацияТоваровУслуг' as document_type,
        h.shipment_id as document_id,
        h.document_number,
        h.document_date,
        h.customer_order_id,
        h.counterparty_id,
        h.contract_id,
        h.division_id,
        h.manager_id,
        h.currency_id,
        null::uuid as returned_shipment_id,
        l.line_number,
        l.item_id,
        l.series_id,
        l.quantity,
        l.amount,
        coalesce(l.vat_amount, 0) as vat_amount
    from {{ ref('stg_onec_trade__shipment_lines') }} as l
    inner join {{ ref('stg_onec_trade__shipments') }} as h on l.shipment_id = h.shipment_id
),

customer_returns as (
    select
        'return' as kind,
        'ВозвратТоваровОтКлиента' as document_type,
        h.customer_return_id as document_id,
        h.document_number,
        h.document_date,
        h.customer_order_id,
        h.counterparty_id,
        h.contract_id,
        h.division_id,
        h.manager_id,
        h.currency_id,
        h.shipment_id as returned_shipment_id,
        l.line_number,
        l.item_id,
        l.series_id,
        l.quantity,
        l.amount,
        coalesce(l.vat_amount, 0) as vat_amount
    from {{ ref('stg_onec_trade__customer_return_lines') }} as l
    inner join {{ ref('stg_onec_trade__customer_returns') }} as h on l.customer_return_id = h.customer_return_id
),

sales as (
    select * from shipments
    union all
    select * from customer_returns
)

select
    s.kind,
    s.document_type,
    s.document_id,
    s.document_number,
    s.document_date::date as document_date,
    date_trunc('month', s.document_date)::date as month,
    s.line_number,
    s.customer_order_id,
    o.deal_id,
    s.counterparty_id,
    s.contract_id,
    s.division_id,
    s.manager_id,
    s.returned_shipment_id,
    s.item_id,
    s.series_id,
    s.quantity::numeric(18, 3) as quantity,
    round(s.amount * coalesce(r.rub_per_unit, 1), 2)::numeric(18, 2) as gross_amount,
    round(s.vat_amount * coalesce(r.rub_per_unit, 1), 2)::numeric(18, 2) as vat_amount,
    (
        round(s.amount * coalesce(r.rub_per_unit, 1), 2)
        - round(s.vat_amount * coalesce(r.rub_per_unit, 1), 2)
    )::numeric(18, 2
    ) as net_amount
from sales as s
left join {{ ref('stg_onec_trade__customer_orders') }} as o on s.customer_order_id = o.customer_order_id
left join {{ ref('int_currency_rates_daily') }} as r
    on s.currency_id = r.currency_id and s.document_date::date = r.rate_date
