-- The landed total of every series is its base cost plus its parts, and the parts over all series
-- equal the allocations plus the duty declared for received series. Any row returned fails.
with parts as (
    select
        sum(transport_cost + packaging_cost + certification_cost + broker_cost + customs_fee_cost) as allocated,
        sum(customs_duty) as duty,
        sum(landed_total - base_cost) as additional
    from {{ ref('fct_series_cost') }}
),

sources as (
    select
        (select coalesce(sum(allocated_amount), 0) from {{ ref('int_cost_allocations') }}) as allocated,
        (
            select coalesce(sum(d.duty_amount), 0)
            from {{ ref('stg_onec_trade__customs_declaration_lines') }} as d
            inner join {{ ref('int_series') }} as s on d.series_id = s.series_id
        ) as duty
)

select
    p.allocated,
    s.allocated as to_allocate,
    p.duty,
    s.duty as declared
from parts as p
cross join sources as s
where p.allocated != s.allocated or p.duty != s.duty or p.additional != p.allocated + p.duty
