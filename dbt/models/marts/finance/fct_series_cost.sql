-- Landed cost of every series: base cost, each additional cost type allocated to it, and the customs
-- duty of its declaration lines (per line, not allocated). Landed unit cost = landed total / quantity.
with allocated as (
    select
        series_id,
        sum(case when cost_type = 'transport' then allocated_amount else 0 end) as transport_cost,
        sum(case when cost_type = 'packaging' then allocated_amount else 0 end) as packaging_cost,
        sum(case when cost_type = 'certification' then allocated_amount else 0 end) as certification_cost,
        sum(case when cost_type = 'broker' then allocated_amount else 0 end) as broker_cost,
        sum(case when cost_type = 'customs_fee' then allocated_amount else 0 end) as customs_fee_cost,
        sum(allocated_amount) as additional_cost
    from {{ ref('int_cost_allocations') }}
    group by series_id
),

duty as (
    select
        series_id,
        sum(duty_amount) as customs_duty
    from {{ ref('stg_onec_trade__customs_declaration_lines') }}
    group by series_id
),

-- what left the series: units net of returns, their cost, and the shipped share of late costs
movements as (
    select
        series_id,
        min(document_date) filter (where kind = 'shipment') as first_shipped_date,
        sum(quantity) as quantity_out,
        sum(cost) as cost_out,
        sum(case when kind = 'late_cost' then cost else 0 end) as late_costs_to_cogs
    from {{ ref('int_cogs_lines') }}
    where series_id is not null
    group by series_id
),

late_costs as (
    select
        e.series_id,
        sum(e.amount) as late_costs
    from {{ ref('int_series_cost_events') }} as e
    inner join movements as m on e.series_id = m.series_id and e.event_date > m.first_shipped_date
    where e.event_kind != 'base'
    group by e.series_id
),

costed as (
    select
        s.series_id,
        s.item_id,
        s.origin,
        s.origin_document_id as receipt_id,
        s.warehouse_id,
        s.division_id,
        s.received_at,
        s.quantity,
        s.base_cost,
        coalesce(a.transport_cost, 0) as transport_cost,
        coalesce(a.packaging_cost, 0) as packaging_cost,
        coalesce(a.certification_cost, 0) as certification_cost,
        coalesce(a.broker_cost, 0) as broker_cost,
        coalesce(a.customs_fee_cost, 0) as customs_fee_cost,
        coalesce(d.customs_duty, 0) as customs_duty,
        s.base_cost + coalesce(a.additional_cost, 0) + coalesce(d.customs_duty, 0) as landed_total,
        coalesce(lc.late_costs, 0) as late_costs,
        coalesce(m.late_costs_to_cogs, 0) as late_costs_to_cogs,
        m.first_shipped_date,
        s.quantity - coalesce(m.quantity_out, 0) as quantity_remaining,
        coalesce(m.cost_out, 0) as cost_out
    from {{ ref('int_series') }} as s
    left join allocated as a on s.series_id = a.series_id
    left join duty as d on s.series_id = d.series_id
    left join movements as m on s.series_id = m.series_id
    left join late_costs as lc on s.series_id = lc.series_id
)

select
    series_id,
    item_id,
    origin,
    receipt_id,
    warehouse_id,
    division_id,
    received_at::date as received_date,
    quantity::numeric(18, 3) as quantity,
    base_cost::numeric(18, 2) as base_cost,
    transport_cost::numeric(18, 2) as transport_cost,
    packaging_cost::numeric(18, 2) as packaging_cost,
    certification_cost::numeric(18, 2) as certification_cost,
    broker_cost::numeric(18, 2) as broker_cost,
    customs_fee_cost::numeric(18, 2) as customs_fee_cost,
    customs_duty::numeric(18, 2) as customs_duty,
    landed_total::numeric(18, 2) as landed_total,
    (landed_total / nullif(quantity, 0))::numeric(18, 6) as landed_unit_cost,
    first_shipped_date,
    late_costs::numeric(18, 2) as late_costs,
    late_costs_to_cogs::numeric(18, 2) as late_costs_to_cogs,
    (late_costs - late_costs_to_cogs)::numeric(18, 2) as late_costs_to_stock,
    quantity_remaining::numeric(18, 3) as quantity_remaining,
    (landed_total - cost_out)::numeric(18, 2) as value_remaining
from costed
