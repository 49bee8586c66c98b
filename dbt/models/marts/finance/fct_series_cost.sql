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
        s.base_cost + coalesce(a.additional_cost, 0) + coalesce(d.customs_duty, 0) as landed_total
    from {{ ref('int_series') }} as s
    left join allocated as a on s.series_id = a.series_id
    left join duty as d on s.series_id = d.series_id
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
    (landed_total / nullif(quantity, 0))::numeric(18, 6) as landed_unit_cost
from costed
