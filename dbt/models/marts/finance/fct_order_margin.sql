-- Margin of every customer order (DOMAIN.md 3.4): revenue net of VAT less returns, less the landed cost
-- of goods sold (shipments, returns, late costs) = gross margin; less direct costs attached to the order
-- = contribution; less allocated overhead = net margin. shipped % = shipped gross / ordered gross;
-- paid % = customer money applied to the order's shipments / (shipped − returned), gross, as of today.
with orders as (
    select
        o.customer_order_id,
        o.document_number,
        o.document_date::date as order_date,
        o.deal_id,
        o.counterparty_id,
        o.contract_id,
        o.manager_id,
        o.division_id,
        o.status,
        round(o.document_amount * coalesce(r.rub_per_unit, 1), 2) as ordered_gross
    from {{ ref('stg_onec_trade__customer_orders') }} as o
    left join {{ ref('int_currency_rates_daily') }} as r
        on o.currency_id = r.currency_id and o.document_date::date = r.rate_date
),

cogs as (
    select
        customer_order_id,
        sum(case when kind = 'shipment' then revenue else 0 end) as revenue,
        -sum(case when kind = 'return' then revenue else 0 end) as returns,
        sum(case when kind = 'shipment' then gross_amount else 0 end) as shipped_gross,
        -sum(case when kind = 'return' then gross_amount else 0 end) as returned_gross,
        sum(cost) as cogs,
        sum(overhead) as overhead
    from {{ ref('fct_cogs_lines') }}
    where customer_order_id is not null
    group by customer_order_id
),

direct_costs as (
    select
        customer_order_id,
        sum(amount_net) as direct_costs
    from {{ ref('int_direct_deal_costs') }}
    where customer_order_id is not null
    group by customer_order_id
),

-- customer money (payment lines, whether applied at once or as an advance later) applied to the
-- order's shipments; returns closing items are not money
paid as (
    select
        item_customer_order_id as customer_order_id,
        sum(amount) as paid_gross
    from {{ ref('int_receivable_applications') }}
    where
        credit_source = 'payment' and item_document_type = 'РеализацияТоваровУслуг'
        and item_customer_order_id is not null
    group by item_customer_order_id
),

summed as (
    select
        o.*,
        coalesce(c.revenue, 0) as revenue,
        coalesce(c.returns, 0) as returns,
        coalesce(c.shipped_gross, 0) as shipped_gross,
        coalesce(c.returned_gross, 0) as returned_gross,
        coalesce(p.paid_gross, 0) as paid_gross,
        coalesce(c.cogs, 0) as cogs,
        coalesce(d.direct_costs, 0) as direct_costs,
        coalesce(c.overhead, 0) as overhead
    from orders as o
    left join cogs as c on o.customer_order_id = c.customer_order_id
    left join direct_costs as d on o.customer_order_id = d.customer_order_id
    left join paid as p on o.customer_order_id = p.customer_order_id
)

select
    customer_order_id,
    document_number,
    order_date,
    deal_id,
    counterparty_id,
    contract_id,
    manager_id,
    division_id,
    status,
    {{ margin_waterfall() }}
from summed
