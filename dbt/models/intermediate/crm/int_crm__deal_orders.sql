-- The customer orders of each deal (ЗаказКлиента.Интерес): their count and value, net of VAT, in roubles at the
-- rate of the order's date. This is the deal's value once it has orders; before that the CRM's expected revenue.
select
    o.deal_id,
    count(distinct o.customer_order_id) as orders,
    min(o.document_date) as first_order_at,
    sum(
        round(l.amount * coalesce(r.rub_per_unit, 1), 2)
        - round(coalesce(l.vat_amount, 0) * coalesce(r.rub_per_unit, 1), 2)
    )::numeric(18, 2) as order_value
from {{ ref('stg_onec_trade__customer_orders') }} as o
inner join {{ ref('stg_onec_trade__customer_order_lines') }} as l on o.customer_order_id = l.customer_order_id
left join {{ ref('int_currency_rates_daily') }} as r
    on o.currency_id = r.currency_id and o.document_date::date = r.rate_date
where o.deal_id is not null
group by o.deal_id
